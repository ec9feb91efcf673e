package dev.steward.sendgrid.review11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.steward.model.EmailAddress;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.RetryPolicy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile review of VerifiedSenders' paging. */
class VerifiedSendersReview11Test {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC);

  private final MockWebServer server = new MockWebServer();
  private SendGridAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.start();
    admin =
        SendGridAdmin.builder(CLOCK, ApiKey.of("SG.parent.review11-senders"))
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
   * find() pages with lastSeenID = the last id of the page until a short page. A server that
   * ignores lastSeenID (or answers ids out of order so the last id does not move on) repeats the
   * same full page of 100: find() keeps asking for ever (cut here at the 6th request by a 400). A
   * page whose last id does not advance must end the search (or fail it as an unexpected answer).
   */
  @Test
  void aPageWhoseLastIdDoesNotAdvanceEndsTheSearch() {
    StringBuilder page = new StringBuilder("{\"results\":[");
    for (int i = 1; i <= 100; i++) {
      page.append(i == 1 ? "" : ",")
          .append("{\"id\":")
          .append(i)
          .append(",\"nickname\":\"n\",\"from_email\":\"other")
          .append(i)
          .append("@acme.example\",\"verified\":true,\"locked\":false}");
    }
    String body = page.append("]}").toString();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return server.getRequestCount() <= 5
                ? new MockResponse().setBody(body)
                : new MockResponse().setResponseCode(400);
          }
        });

    catchThrowable(
        () ->
            admin
                .verifiedSenders()
                .find(Optional.of("tenant-acme"), EmailAddress.of("news@acme.example")));

    assertThat(server.getRequestCount()).as("requests made").isLessThanOrEqualTo(2);
  }
}
