package dev.steward.sendgrid.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.consent.AddressSuppressions;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A signed request verified, parsed and accepted by core's {@link Steward}, end to end. */
class WebhookToStewardTest {
  private static final Instant NOW = Instant.parse("2026-11-27T14:00:00Z");
  private static final TenantId ACME = TenantId.of("acme");

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final KeyPair pair = Keys.p256();
  private final EventWebhookVerifier verifier =
      EventWebhookVerifier.of(Keys.publicBase64(pair), clock);
  private final SendGridEvents parser = SendGridEvents.of();
  private final Steward steward = Steward.builder(clock).transport(RecordingTransport.of()).build();

  private boolean suppressed(String address) {
    return steward
        .stores()
        .suppressions()
        .find(ACME, EmailAddress.of(address))
        .map(AddressSuppressions::isSuppressed)
        .orElse(false);
  }

  private Map<String, String> headers(byte[] body) {
    String ts = Long.toString(NOW.minusSeconds(5).getEpochSecond());
    Map<String, String> h = new HashMap<>();
    h.put(EventWebhookVerifier.SIGNATURE_HEADER, Keys.sign(pair, ts, body));
    h.put(EventWebhookVerifier.TIMESTAMP_HEADER, ts);
    return h;
  }

  @Test
  void anUnsubscribeNamingOnlyTheAddressSuppressesIt() {
    byte[] body =
        ("[{\"email\":\"reader@example.com\",\"timestamp\":"
                + NOW.minusSeconds(60).getEpochSecond()
                + ",\"event\":\"unsubscribe\",\"sg_event_id\":\"u-1\","
                + "\"sg_message_id\":\"sg-1\",\"steward_tenant\":\"acme\"}]")
            .getBytes(StandardCharsets.UTF_8);

    verifier.requireValid(headers(body), body);
    var result = steward.accept(parser.parse(body));
    assertThat(result.accepted()).isEqualTo(1);
    steward.runDue();

    assertThat(suppressed("reader@example.com")).isTrue();
  }

  @Test
  void theDocumentedSampleFlowsThroughCoreUnchanged() {
    byte[] body = SendGridEventsTest.sample();
    verifier.requireValid(headers(body), body);
    steward.accept(parser.parse(body));
    steward.runDue();

    // example@test.com: hard bounce, spam report, unsubscribe; blocked@test.com: a block only
    assertThat(suppressed("example@test.com")).isTrue();
    assertThat(suppressed("blocked@test.com")).isFalse();
    assertThat(steward.stores().suppressions().list(ACME, 10)).hasSize(1);
  }

  @Test
  void aPostRepeatedIsAcceptedOnce() {
    byte[] body = SendGridEventsTest.sample();
    assertThat(steward.accept(parser.parse(body)).accepted()).isEqualTo(12);
    assertThat(steward.accept(parser.parse(body)).accepted()).isZero();
  }
}
