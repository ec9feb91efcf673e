package dev.steward.sendgrid.mail;

import static dev.steward.sendgrid.mail.Fixtures.NOW;
import static dev.steward.sendgrid.mail.Fixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.Steward;
import dev.steward.delivery.DeliveryRecord;
import dev.steward.delivery.DeliveryStatus;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.model.Message;
import dev.steward.sendgrid.webhook.SendGridEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport under core's {@link Steward}: an accepted send is SENT with SendGrid's id; a send
 * whose connection drops after the request is UNKNOWN, is not resent, and is settled SENT by the
 * {@code processed} event SendGrid sends back with the custom args the transport wrote, read by the
 * adapter's own webhook parser.
 */
class TransportToStewardTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final MockWebServer server = new MockWebServer();
  private SendGridTransport transport;
  private Steward steward;

  @BeforeEach
  void start() throws IOException {
    server.start();
    transport = Fixtures.transport(server, Fixtures.plain(), new Fixtures.Recorder()).build();
    steward = Steward.builder(Fixtures.CLOCK).transport(transport).build();
  }

  @AfterEach
  void stop() throws IOException {
    steward.close();
    transport.close();
    server.shutdown();
  }

  private static Message message(String to) {
    return Fixtures.message(to).recipientZone(ZoneId.of("Europe/Berlin")).build();
  }

  private DeliveryRecord record(Message m) {
    return steward.stores().ledger().find(TENANT, m.idempotencyKey()).orElseThrow();
  }

  @Test
  void acceptedThenAmbiguousSettledByTheProcessedEvent() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(202).addHeader("X-Message-Id", "sg-1"));
    Message ok = message("ann@example.com");
    DispatchResult first = steward.dispatch(ok);
    assertThat(first.status()).isEqualTo(DispatchStatus.SENT);
    assertThat(record(ok).providerMessageId()).hasValue("sg-1");
    server.takeRequest(5, TimeUnit.SECONDS);

    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(new MockResponse().setResponseCode(202).addHeader("X-Message-Id", "never"));
    Message lost = message("bob@example.com");
    DispatchResult second = steward.dispatch(lost);
    assertThat(second.status()).isEqualTo(DispatchStatus.UNKNOWN);
    assertThat(record(lost).status()).isEqualTo(DeliveryStatus.UNKNOWN);
    JsonNode sent = MAPPER.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().readUtf8());
    steward.runDue();
    assertThat(server.getRequestCount()).as("never resent").isEqualTo(2);

    // SendGrid did take it: its processed event carries our custom args as top-level fields
    ObjectNode event = MAPPER.createObjectNode();
    event.put("email", "bob@example.com");
    event.put("timestamp", NOW.getEpochSecond());
    event.put("event", "processed");
    event.put("sg_event_id", "ev-processed-1");
    event.put("sg_message_id", "sg-2.filter");
    event.put("category", "receipts");
    sent.path("personalizations")
        .get(0)
        .path("custom_args")
        .properties()
        .forEach(e -> event.set(e.getKey(), e.getValue()));
    byte[] webhook =
        MAPPER
            .writeValueAsString(MAPPER.createArrayNode().add(event))
            .getBytes(StandardCharsets.UTF_8);
    steward.accept(SendGridEvents.of().parse(webhook));
    steward.runDue();

    assertThat(record(lost).status()).isEqualTo(DeliveryStatus.SENT);
    assertThat(record(ok).status()).isEqualTo(DeliveryStatus.SENT);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }
}
