package dev.steward.sendgrid.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.Steward;
import dev.steward.model.EmailEvent;
import dev.steward.testing.RecordingTransport;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every outcome of a webhook request is an answer whose status tells SendGrid whether to retry. */
class EventWebhookEndpointTest {
  private static final Instant NOW = Instant.parse("2026-11-27T14:00:00Z");

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final KeyPair pair = Keys.p256();
  private final EventWebhookVerifier verifier =
      EventWebhookVerifier.of(Keys.publicBase64(pair), clock);
  private final List<EmailEvent> received = new ArrayList<>();

  private static byte[] body(String eventId) {
    return ("[{\"email\":\"reader@example.com\",\"timestamp\":"
            + NOW.minusSeconds(60).getEpochSecond()
            + ",\"event\":\"delivered\",\"sg_event_id\":\""
            + eventId
            + "\",\"steward_tenant\":\"acme\"}]")
        .getBytes(StandardCharsets.UTF_8);
  }

  private Map<String, String> signed(byte[] body) {
    String ts = Long.toString(NOW.minusSeconds(5).getEpochSecond());
    Map<String, String> h = new HashMap<>();
    h.put(EventWebhookVerifier.SIGNATURE_HEADER.toLowerCase(), Keys.sign(pair, ts, body));
    h.put(EventWebhookVerifier.TIMESTAMP_HEADER.toLowerCase(), ts);
    return h;
  }

  @Test
  void aSignedWellFormedRequestIsHandedOnAndAnswered200() {
    EventWebhookEndpoint endpoint =
        EventWebhookEndpoint.builder(verifier, received::addAll).build();
    byte[] body = body("e-1");

    EventWebhookEndpoint.Answer a = endpoint.handle(signed(body), body);

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.accepted()).isTrue();
    assertThat(a.events()).isEqualTo(1);
    assertThat(received).extracting(EmailEvent::eventId).containsExactly("e-1");
  }

  @Test
  void refusalsARetryCannotCureAre4xxAndHandOnNothing() {
    EventWebhookEndpoint endpoint =
        EventWebhookEndpoint.builder(verifier, received::addAll).maxBodyBytes(400).build();
    byte[] body = body("e-1");
    byte[] other = body("e-2");

    assertThat(endpoint.handle(Map.of(), body).status()).as("no signature").isEqualTo(401);
    assertThat(endpoint.handle(signed(other), body).status()).as("another body").isEqualTo(403);
    byte[] malformed = "[{\"event\":".getBytes(StandardCharsets.UTF_8);
    assertThat(endpoint.handle(signed(malformed), malformed).status()).isEqualTo(400);
    byte[] huge = new byte[401];
    assertThat(endpoint.handle(signed(huge), huge).status()).isEqualTo(413);
    assertThat(endpoint.handle(signed(body), null).status()).isEqualTo(400);
    assertThat(received).isEmpty();
  }

  /**
   * A contact id the model refuses (empty, or with a control character) is a malformed batch: a 400
   * SendGrid will not retry, never an unexpected failure answered as an error it would retry for
   * ever.
   */
  @Test
  void aContactIdTheModelRefusesIsA400() {
    EventWebhookEndpoint endpoint =
        EventWebhookEndpoint.builder(verifier, received::addAll).build();
    for (String contact : new String[] {"\"\"", "\"a\\u0001b\"", "{}"}) {
      byte[] body =
          ("[{\"email\":\"reader@example.com\",\"timestamp\":"
                  + NOW.minusSeconds(60).getEpochSecond()
                  + ",\"event\":\"delivered\",\"sg_event_id\":\"c-1\",\"steward_contact\":"
                  + contact
                  + "}]")
              .getBytes(StandardCharsets.UTF_8);

      assertThat(endpoint.handle(signed(body), body).status()).as(contact).isEqualTo(400);
    }
    assertThat(received).isEmpty();
  }

  @Test
  void aStoreThatFailsIsA503SoSendGridRetriesAndTheRetryIsAcceptedOnce() {
    boolean[] down = {true};
    Steward steward = Steward.builder(clock).transport(RecordingTransport.of()).build();
    EventWebhookEndpoint endpoint =
        EventWebhookEndpoint.builder(
                verifier,
                events -> {
                  if (down[0]) {
                    throw new IllegalStateException("database down");
                  }
                  steward.accept(events);
                })
            .build();
    byte[] body = body("e-1");

    assertThat(endpoint.handle(signed(body), body).status()).isEqualTo(503);
    down[0] = false;
    assertThat(endpoint.handle(signed(body), body).status()).isEqualTo(200);
    assertThat(endpoint.handle(signed(body), body).status())
        .as("SendGrid's duplicate")
        .isEqualTo(200);
    assertThat(steward.runDue()).isPositive();
  }

  @Test
  void aBuilderRefusesWhatCannotWork() {
    assertThatThrownBy(
            () -> EventWebhookEndpoint.builder(verifier, received::addAll).maxBodyBytes(0))
        .hasMessageContaining("maxBodyBytes");
    assertThatThrownBy(() -> EventWebhookEndpoint.builder(null, received::addAll))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("verifier");
  }
}
