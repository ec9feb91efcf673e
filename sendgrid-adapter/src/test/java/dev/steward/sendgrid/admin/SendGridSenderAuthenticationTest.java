package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.model.TenantId;
import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.onboarding.DomainAuthentication;
import dev.steward.onboarding.DomainAuthentication.DnsRecord;
import dev.steward.onboarding.DomainValidation;
import dev.steward.onboarding.InvalidOnboardingInputException;
import dev.steward.sendgrid.oai.OpenApiSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Core's SenderAuthentication on SendGrid's domain authentication: on behalf of the tenant's
 * subuser, automatic security, the CNAMEs to show, per-record validation; every request checked
 * against tsg_domain_authentication_v3.json.
 */
class SendGridSenderAuthenticationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OpenApiSpec SPEC = OpenApiSpec.of("tsg_domain_authentication_v3.json");
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId NOBODY = TenantId.of("nobody");

  private final MockWebServer server = new MockWebServer();
  private final AdminFixtures.Waits waits = new AdminFixtures.Waits();
  private SendGridAdmin admin;
  private SendGridSenderAuthentication auth;

  @BeforeEach
  void start() throws Exception {
    server.start();
    admin = AdminFixtures.admin(server, waits);
    auth =
        SendGridSenderAuthentication.of(
            admin, TenantSubusers.of(Map.of(ACME, "tenant-acme", TenantId.of("beta"), "tenant-b")));
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
  }

  /** SendGrid's answer for an authentication with automatic security, as its file shows. */
  static String domainJson(long id, String username, boolean valid) {
    return "{\"id\":"
        + id
        + ",\"user_id\":1446226,\"subdomain\":\"em7741\",\"domain\":\"acme.example\","
        + "\"username\":\""
        + username
        + "\",\"ips\":[],\"custom_spf\":false,\"default\":false,\"legacy\":false,"
        + "\"automatic_security\":true,\"valid\":"
        + valid
        + ",\"dns\":{"
        + "\"mail_cname\":{\"valid\":false,\"type\":\"cname\",\"host\":\"em7741.acme.example\","
        + "\"data\":\"u1446226.wl227.sendgrid.net\"},"
        + "\"dkim1\":{\"valid\":false,\"type\":\"cname\",\"host\":\"s1._domainkey.acme.example\","
        + "\"data\":\"s1.domainkey.u1446226.wl227.sendgrid.net\"},"
        + "\"dkim2\":{\"valid\":false,\"type\":\"cname\",\"host\":\"s2._domainkey.acme.example\","
        + "\"data\":\"s2.domainkey.u1446226.wl227.sendgrid.net\"}}}";
  }

  private static final List<DnsRecord> RECORDS =
      List.of(
          new DnsRecord(RecordType.CNAME, "em7741.acme.example", "u1446226.wl227.sendgrid.net"),
          new DnsRecord(
              RecordType.CNAME,
              "s1._domainkey.acme.example",
              "s1.domainkey.u1446226.wl227.sendgrid.net"),
          new DnsRecord(
              RecordType.CNAME,
              "s2._domainkey.acme.example",
              "s2.domainkey.u1446226.wl227.sendgrid.net"));

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest();
    assertThat(SPEC.problems(r)).as(r.getMethod() + " " + r.getPath()).isEmpty();
    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + AdminFixtures.PARENT_KEY);
    return r;
  }

  @Test
  void createLooksFirstThenCreatesWithAutomaticSecurityOnBehalfOfTheSubuser() throws Exception {
    server.enqueue(new MockResponse().setBody("[]"));
    server.enqueue(
        new MockResponse().setResponseCode(201).setBody(domainJson(302183, "tenant-acme", false)));

    DomainAuthentication a = auth.create(ACME, " Acme.Example. ");

    assertThat(a.id()).isEqualTo("302183");
    assertThat(a.tenant()).isEqualTo(ACME);
    assertThat(a.domain()).isEqualTo("acme.example");
    assertThat(a.returnPathDomain()).isEqualTo("em7741.acme.example");
    assertThat(a.dkimDomain()).isEqualTo("acme.example");
    assertThat(a.dkimSelectors()).containsExactly("s1", "s2");
    assertThat(a.records()).isEqualTo(RECORDS);
    assertThat(a.valid()).isFalse();

    RecordedRequest list = take();
    assertThat(list.getMethod()).isEqualTo("GET");
    assertThat(list.getRequestUrl().encodedPath()).isEqualTo("/v3/whitelabel/domains");
    assertThat(list.getRequestUrl().queryParameter("domain")).isEqualTo("acme.example");
    assertThat(list.getHeader("on-behalf-of")).isEqualTo("tenant-acme");
    RecordedRequest create = take();
    assertThat(create.getMethod() + " " + create.getPath())
        .isEqualTo("POST /v3/whitelabel/domains");
    assertThat(create.getHeader("on-behalf-of")).isEqualTo("tenant-acme");
    assertThat(JSON.readTree(create.getBody().clone().readUtf8()))
        .isEqualTo(JSON.readTree("{\"domain\":\"acme.example\",\"automatic_security\":true}"));
  }

  @Test
  void anExistingAuthenticationOfTheDomainIsReturnedWithoutASecondCreate() throws Exception {
    server.enqueue(
        new MockResponse()
            .setBody(
                "["
                    + domainJson(11, "tenant-acme", true).replace("acme.example", "other.example")
                    + ","
                    + domainJson(12, "tenant-acme", true)
                    + "]"));
    DomainAuthentication a = auth.create(ACME, "acme.example");
    assertThat(a.id()).isEqualTo("12");
    assertThat(a.valid()).isTrue();
    take();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aCreateWhoseAnswerIsLostIsNotResentAndCallingAgainFindsIt() throws Exception {
    server.enqueue(new MockResponse().setBody("[]"));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    assertThatThrownBy(() -> auth.create(ACME, "acme.example"))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> assertThat(e.kind()).isEqualTo(ApiFailureKind.AMBIGUOUS));
    assertThat(server.getRequestCount()).isEqualTo(2);

    server.enqueue(new MockResponse().setBody("[" + domainJson(5, "tenant-acme", false) + "]"));
    assertThat(auth.create(ACME, "acme.example").id()).isEqualTo("5");
    assertThat(server.getRequestCount()).isEqualTo(3);
    take();
    take();
    assertThat(take().getMethod()).isEqualTo("GET");
  }

  @Test
  void validationIsMappedRecordByRecordWithSendGridsReasons() throws Exception {
    server.enqueue(new MockResponse().setBody(domainJson(302183, "tenant-acme", false)));
    server.enqueue(
        new MockResponse()
            .setBody(
                "{\"id\":302183,\"valid\":false,\"validation_results\":{"
                    + "\"mail_cname\":{\"valid\":false,\"reason\":\"Expected CNAME for"
                    + " \\\"em7741.acme.example\\\" to match \\\"u1446226.wl227.sendgrid.net\\\".\"},"
                    + "\"dkim1\":{\"valid\":true,\"reason\":null},"
                    + "\"dkim2\":{\"valid\":true,\"reason\":null},"
                    + "\"spf\":{\"valid\":true,\"reason\":null}}}"));

    DomainValidation v = auth.validate(ACME, "302183");

    assertThat(v.id()).isEqualTo("302183");
    assertThat(v.valid()).isFalse();
    assertThat(v.records()).extracting(DomainValidation.RecordResult::record).isEqualTo(RECORDS);
    assertThat(v.records())
        .extracting(DomainValidation.RecordResult::valid)
        .containsExactly(false, true, true);
    assertThat(v.records().get(0).reason()).contains("to match \"u1446226.wl227.sendgrid.net\"");
    assertThat(v.records().get(1).reason()).isEmpty();

    RecordedRequest get = take();
    assertThat(get.getMethod() + " " + get.getPath())
        .isEqualTo("GET /v3/whitelabel/domains/302183");
    RecordedRequest validate = take();
    assertThat(validate.getMethod() + " " + validate.getPath())
        .isEqualTo("POST /v3/whitelabel/domains/302183/validate");
    assertThat(validate.getHeader("on-behalf-of")).isEqualTo("tenant-acme");
    assertThat(validate.getBodySize()).isZero();
  }

  @Test
  void aRecordSendGridDidNotReportOnIsNotValidEvenWhenSendGridSaysValid() throws Exception {
    server.enqueue(new MockResponse().setBody(domainJson(9, "tenant-acme", true)));
    server.enqueue(
        new MockResponse()
            .setBody(
                "{\"id\":9,\"valid\":true,\"validation_results\":{"
                    + "\"mail_cname\":{\"valid\":true},\"dkim1\":{\"valid\":true}}}"));
    DomainValidation v = auth.validate(ACME, "9");
    assertThat(v.valid()).isFalse();
    assertThat(v.records().get(2).valid()).isFalse();
    assertThat(v.records().get(2).reason()).isEqualTo("SendGrid did not report on dkim2");

    server.enqueue(new MockResponse().setBody(domainJson(9, "tenant-acme", true)));
    server.enqueue(
        new MockResponse()
            .setBody(
                "{\"id\":9,\"valid\":true,\"validation_results\":{\"mail_cname\":{\"valid\":true},"
                    + "\"dkim1\":{\"valid\":true},\"dkim2\":{\"valid\":true}}}"));
    assertThat(auth.validate(ACME, "9").valid()).isTrue();
  }

  @Test
  void anotherTenantsOrAnUnknownAuthenticationIsNotFound() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(404).setBody("{\"errors\":[]}"));
    assertThat(auth.find(ACME, "77")).isEmpty();
    // SendGrid answering with a domain of another subuser is not taken as the tenant's
    server.enqueue(new MockResponse().setBody(domainJson(78, "tenant-b", true)));
    assertThat(auth.find(ACME, "78")).isEmpty();
    server.enqueue(new MockResponse().setResponseCode(404));
    assertThatThrownBy(() -> auth.validate(ACME, "79"))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("tenant acme has no domain authentication '79'");
    assertThat(server.getRequestCount()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      assertThat(take().getHeader("on-behalf-of")).isEqualTo("tenant-acme");
    }
  }

  @Test
  void badInputIsRefusedBeforeAnyRequest() {
    assertThatThrownBy(() -> auth.create(NOBODY, "acme.example"))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("tenant nobody has no SendGrid subuser");
    assertThatThrownBy(() -> auth.create(ACME, "acme"))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("'acme' has no top-level label");
    assertThatThrownBy(() -> auth.create(ACME, "acme_x.example"))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("acme_x.example");
    assertThatThrownBy(() -> auth.validate(ACME, "12; DROP"))
        .isInstanceOf(InvalidOnboardingInputException.class);
    assertThat(auth.find(ACME, "../subusers")).isEmpty();
    assertThat(auth.find(NOBODY, "12")).isEmpty();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void sendGridsFieldErrorsAreTypedAndACreateIsNeverRetriedOnA5xx() throws Exception {
    server.enqueue(new MockResponse().setBody("[]"));
    server.enqueue(
        new MockResponse()
            .setResponseCode(400)
            .setBody(
                "{\"errors\":[{\"field\":\"domain\",\"message\":\"domain is not a valid"
                    + " domain\"}]}"));
    assertThatThrownBy(() -> auth.create(ACME, "acme.example"))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ApiFailureKind.BAD_REQUEST);
              assertThat(e.fieldErrors()).hasSize(1);
              assertThat(e.fieldErrors().get(0).field()).contains("domain");
            })
        .hasMessageContaining("create domain authentication")
        .hasMessageContaining("domain is not a valid domain");

    server.enqueue(new MockResponse().setBody("[]"));
    server.enqueue(new MockResponse().setResponseCode(503));
    assertThatThrownBy(() -> auth.create(ACME, "acme.example"))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> assertThat(e.kind()).isEqualTo(ApiFailureKind.SERVER_ERROR));
    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(waits.seen).isEmpty();
  }

  @Test
  void validationRides429And5xxThroughTheRetryRules() throws Exception {
    server.enqueue(new MockResponse().setBody(domainJson(9, "tenant-acme", false)));
    server.enqueue(
        new MockResponse()
            .setResponseCode(429)
            .addHeader("X-RateLimit-Reset", Long.toString(AdminFixtures.NOW.getEpochSecond() + 2)));
    server.enqueue(
        new MockResponse()
            .setResponseCode(500)
            .setBody("{\"errors\":[{\"message\":\"internal error getting TXT\"}]}"));
    server.enqueue(
        new MockResponse()
            .setBody(
                "{\"id\":9,\"valid\":true,\"validation_results\":{\"mail_cname\":{\"valid\":true},"
                    + "\"dkim1\":{\"valid\":true},\"dkim2\":{\"valid\":true}}}"));
    assertThat(auth.validate(ACME, "9").valid()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(waits.seen).hasSize(2);
    assertThat(waits.seen.get(0)).isEqualTo(Duration.ofSeconds(2));
    take();
    for (int i = 0; i < 3; i++) {
      assertThat(take().getPath()).isEqualTo("/v3/whitelabel/domains/9/validate");
    }
  }

  @Test
  void anAnswerCoreCannotHoldIsAnUnexpectedAnswer() {
    server.enqueue(new MockResponse().setBody("[]"));
    server.enqueue(
        new MockResponse()
            .setResponseCode(201)
            .setBody(domainJson(4, "tenant-acme", false).replace("\"cname\"", "\"srv\"")));
    assertThatThrownBy(() -> auth.create(ACME, "acme.example"))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> assertThat(e.kind()).isEqualTo(ApiFailureKind.UNEXPECTED_ANSWER));
  }
}
