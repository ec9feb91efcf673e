package dev.steward.sendgrid.review11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.steward.model.TenantId;
import dev.steward.onboarding.InvalidOnboardingInputException;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.admin.SendGridSenderAuthentication;
import dev.steward.sendgrid.admin.TenantSubusers;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.RetryPolicy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile review of SendGridSenderAuthentication. */
class SenderAuthenticationReview11Test {
  private static final TenantId ACME = TenantId.of("acme");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC);

  private final MockWebServer server = new MockWebServer();
  private SendGridAdmin admin;
  private SendGridSenderAuthentication auth;

  @BeforeEach
  void start() throws Exception {
    server.start();
    admin =
        SendGridAdmin.builder(CLOCK, ApiKey.of("SG.parent.review11-auth"))
            .endpoint(server.url("/").uri())
            .retryPolicy(RetryPolicy.none())
            .build();
    auth = SendGridSenderAuthentication.of(admin, TenantSubusers.of(Map.of(ACME, "tenant-acme")));
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
  }

  static String domainJson(long id, String domain) {
    return "{\"id\":"
        + id
        + ",\"subdomain\":\"em7741\",\"domain\":\""
        + domain
        + "\",\"username\":\"tenant-acme\",\"automatic_security\":true,\"valid\":false,\"dns\":{"
        + "\"mail_cname\":{\"valid\":false,\"type\":\"cname\",\"host\":\"em7741."
        + domain
        + "\",\"data\":\"u1.wl227.sendgrid.net\"},"
        + "\"dkim1\":{\"valid\":false,\"type\":\"cname\",\"host\":\"s1._domainkey."
        + domain
        + "\",\"data\":\"s1.domainkey.u1.wl227.sendgrid.net\"},"
        + "\"dkim2\":{\"valid\":false,\"type\":\"cname\",\"host\":\"s2._domainkey."
        + domain
        + "\",\"data\":\"s2.domainkey.u1.wl227.sendgrid.net\"}}}";
  }

  /**
   * An IPv4 literal (or any name with an all-numeric top-level label) is not a domain: core's
   * DomainAuthentication refuses it. The class promises "a bad domain is refused with an
   * InvalidOnboardingInputException before any request"; instead it lists, creates a domain
   * authentication at SendGrid for "10.0.0.1", and only then fails with an UNEXPECTED_ANSWER
   * SendGridApiException, leaving the authentication behind at SendGrid.
   */
  @Test
  void anIpLiteralIsRefusedBeforeAnyRequest() {
    server.enqueue(new MockResponse().setBody("[]"));
    server.enqueue(new MockResponse().setResponseCode(201).setBody(domainJson(77, "10.0.0.1")));

    Throwable t = catchThrowable(() -> auth.create(ACME, "10.0.0.1"));

    assertThat(server.getRequestCount()).as("requests made").isZero();
    assertThat(t).isInstanceOf(InvalidOnboardingInputException.class);
  }

  /**
   * Look-before-create pages with offset until a short page. A SendGrid (or proxy) that ignores
   * offset and answers the same full page of 50 other authentications keeps create() listing for
   * ever; here the 6th request gets a 400. A page that repeats should end the look (or fail it as
   * an unexpected answer) rather than loop.
   */
  @Test
  void aListThatRepeatsItsFullPageDoesNotLoopForEver() {
    StringBuilder page = new StringBuilder("[");
    for (int i = 1; i <= 50; i++) {
      page.append(i == 1 ? "" : ",").append(domainJson(i, "other" + i + ".example"));
    }
    String body = page.append(']').toString();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            if (request.getMethod().equals("POST")) {
              return new MockResponse()
                  .setResponseCode(201)
                  .setBody(domainJson(99, "acme.example"));
            }
            return server.getRequestCount() <= 5
                ? new MockResponse().setBody(body)
                : new MockResponse().setResponseCode(400);
          }
        });

    catchThrowable(() -> auth.create(ACME, "acme.example"));

    assertThat(server.getRequestCount()).as("requests made").isLessThanOrEqualTo(3);
  }

  /**
   * An id of non-ASCII digits ("١٢٣", Arabic-Indic) passes Character::isDigit and Long.parseLong
   * reads it as 123: find() asks SendGrid for authentication 123 and answers it under another id
   * than the one asked for. An id that is not SendGrid's must find nothing, without a request.
   */
  @Test
  void anIdOfNonAsciiDigitsIsNotSendGrids() {
    server.enqueue(new MockResponse().setBody(domainJson(123, "acme.example")));

    assertThat(auth.find(ACME, "\u0661\u0662\u0663")).isEmpty();
    assertThat(server.getRequestCount()).isZero();
    assertThatThrownBy(() -> auth.validate(ACME, "\u0661\u0662\u0663"))
        .isInstanceOf(InvalidOnboardingInputException.class);
  }
}
