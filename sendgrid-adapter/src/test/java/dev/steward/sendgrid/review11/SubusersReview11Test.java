package dev.steward.sendgrid.review11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.RetryPolicy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile review of Subusers' path handling. */
class SubusersReview11Test {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC);

  private final MockWebServer server = new MockWebServer();
  private SendGridAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.start();
    admin =
        SendGridAdmin.builder(CLOCK, ApiKey.of("SG.parent.review11-subusers"))
            .endpoint(server.url("/").uri())
            .retryPolicy(RetryPolicy.none())
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
  }

  /**
   * Names.subuser accepts "." and ".." (visible ASCII, no slash), and OkHttp's addPathSegment
   * resolves them as dot-segments: disable("..") sends PATCH /v3/ {"disabled":true}, credits("..")
   * reads GET /v3/credits, disable(".") patches /v3/subusers/. A username that cannot name a path
   * segment must be refused with an IllegalArgumentException before any request.
   */
  @Test
  void dotSegmentUsernamesAreRefusedBeforeAnyRequest() throws Exception {
    for (int i = 0; i < 4; i++) {
      server.enqueue(new MockResponse().setResponseCode(204));
    }
    List<Throwable> thrown = new ArrayList<>();
    thrown.add(catchThrowable(() -> admin.subusers().disable("..")));
    thrown.add(catchThrowable(() -> admin.subusers().disable(".")));
    thrown.add(catchThrowable(() -> admin.subusers().dailyCreditLimit("..", 100)));

    List<String> sent = new ArrayList<>();
    for (int i = 0; i < server.getRequestCount(); i++) {
      var r = server.takeRequest();
      sent.add(r.getMethod() + " " + r.getPath());
    }
    assertThat(sent).as("requests made").isEmpty();
    assertThat(thrown).allMatch(t -> t instanceof IllegalArgumentException);
  }

  /**
   * The same hole in Names.id: a webhook id "." turns enable(".") into PATCH
   * /v3/user/webhooks/event/settings/ (the account's legacy webhook settings), ".." into PATCH
   * /v3/user/webhooks/event/. Refuse such ids before any request.
   */
  @Test
  void dotSegmentWebhookIdsAreRefusedBeforeAnyRequest() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(200).setBody("{}"));
    server.enqueue(new MockResponse().setResponseCode(200).setBody("{}"));
    java.net.URI url = java.net.URI.create("https://hooks.isv.example/sendgrid");
    Throwable one =
        catchThrowable(() -> admin.eventWebhooks().enable(".", url, java.util.Optional.empty()));
    Throwable two =
        catchThrowable(() -> admin.eventWebhooks().publicKey("..", java.util.Optional.empty()));

    List<String> sent = new ArrayList<>();
    for (int i = 0; i < server.getRequestCount(); i++) {
      var r = server.takeRequest();
      sent.add(r.getMethod() + " " + r.getPath());
    }
    assertThat(sent).as("requests made").isEmpty();
    assertThat(List.of(one, two)).allMatch(t -> t instanceof IllegalArgumentException);
  }
}
