package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.model.EmailAddress;
import dev.steward.sendgrid.oai.OpenApiSpec;
import java.util.Optional;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Single-sender verification for a tenant's subuser: looked up first, requested once. */
class VerifiedSendersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OpenApiSpec SPEC = OpenApiSpec.of("tsg_verified_senders_v3.json");
  private static final NewVerifiedSender ORDERS =
      new NewVerifiedSender(
          "Acme orders",
          EmailAddress.of("orders@acme.example"),
          "Acme Orders",
          EmailAddress.of("help@acme.example"),
          "1 Main St",
          "Springfield",
          "USA");

  private final MockWebServer server = new MockWebServer();
  private final AdminFixtures.Waits waits = new AdminFixtures.Waits();
  private SendGridAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.start();
    admin = AdminFixtures.admin(server, waits);
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest();
    assertThat(SPEC.problems(r)).isEmpty();
    assertThat(r.getHeader("on-behalf-of")).isEqualTo("tenant-acme");
    return r;
  }

  private static String sender(long id, String email, boolean verified) {
    return "{\"id\":"
        + id
        + ",\"nickname\":\"n"
        + id
        + "\",\"from_email\":\""
        + email
        + "\",\"verified\":"
        + verified
        + ",\"locked\":false}";
  }

  @Test
  void aNewSenderIsRequestedAfterLookingAndAKnownOneIsReturned() throws Exception {
    server.enqueue(
        new MockResponse()
            .setBody("{\"results\":[" + sender(1, "other@acme.example", true) + "]}"));
    server.enqueue(
        new MockResponse().setResponseCode(201).setBody(sender(2, "orders@acme.example", false)));
    VerifiedSender created = admin.verifiedSenders().request(Optional.of("tenant-acme"), ORDERS);
    assertThat(created.id()).isEqualTo(2);
    assertThat(created.verified()).isFalse();
    assertThat(created.toString()).doesNotContain("orders@");
    RecordedRequest list = take();
    assertThat(list.getPath()).isEqualTo("/v3/verified_senders?limit=100");
    RecordedRequest create = take();
    assertThat(create.getMethod() + " " + create.getPath()).isEqualTo("POST /v3/verified_senders");
    assertThat(JSON.readTree(create.getBody().readUtf8()))
        .isEqualTo(
            JSON.readTree(
                "{\"nickname\":\"Acme orders\",\"from_email\":\"orders@acme.example\","
                    + "\"from_name\":\"Acme Orders\",\"reply_to\":\"help@acme.example\","
                    + "\"address\":\"1 Main St\",\"city\":\"Springfield\",\"country\":\"USA\"}"));

    server.enqueue(
        new MockResponse()
            .setBody("{\"results\":[" + sender(2, "Orders@Acme.example", true) + "]}"));
    VerifiedSender again = admin.verifiedSenders().request(Optional.of("tenant-acme"), ORDERS);
    assertThat(again.verified()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(3);
    take();
  }

  @Test
  void findPagesOnWithTheLastSeenId() throws Exception {
    StringBuilder full = new StringBuilder("{\"results\":[");
    for (int i = 1; i <= 100; i++) {
      full.append(i == 1 ? "" : ",").append(sender(i, "s" + i + "@acme.example", true));
    }
    server.enqueue(new MockResponse().setBody(full.append("]}").toString()));
    server.enqueue(
        new MockResponse()
            .setBody("{\"results\":[" + sender(101, "orders@acme.example", true) + "]}"));
    assertThat(
            admin
                .verifiedSenders()
                .find(Optional.of("tenant-acme"), EmailAddress.of("orders@acme.example")))
        .map(VerifiedSender::id)
        .contains(101L);
    take();
    assertThat(take().getPath()).isEqualTo("/v3/verified_senders?limit=100&lastSeenID=100");
  }

  @Test
  void badInputAndSendGridsRefusalsAreClear() {
    assertThatThrownBy(
            () ->
                new NewVerifiedSender(
                    "x".repeat(101),
                    EmailAddress.of("o@acme.example"),
                    "n",
                    EmailAddress.of("o@acme.example"),
                    "a",
                    "c",
                    "US"))
        .hasMessageContaining("nickname must be 1 to 100 characters, not 101");
    assertThat(ORDERS.toString()).doesNotContain("orders@").doesNotContain("help@");
    server.enqueue(new MockResponse().setBody("{\"results\":[]}"));
    server.enqueue(
        new MockResponse()
            .setResponseCode(400)
            .setBody(
                "{\"errors\":[{\"field\":\"from_email\",\"message\":\"already exists\","
                    + "\"error_id\":\"e1\"}]}"));
    assertThatThrownBy(() -> admin.verifiedSenders().request(Optional.of("tenant-acme"), ORDERS))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ApiFailureKind.BAD_REQUEST);
              assertThat(e.fieldErrors().get(0).field()).contains("from_email");
            })
        .hasMessageNotContaining("orders@");
    server.enqueue(new MockResponse().setBody("{\"results\":[]}"));
    server.enqueue(new MockResponse().setResponseCode(502));
    assertThatThrownBy(() -> admin.verifiedSenders().request(Optional.of("tenant-acme"), ORDERS))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> assertThat(e.kind()).isEqualTo(ApiFailureKind.SERVER_ERROR));
    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(waits.seen).isEmpty();
  }
}
