package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.sendgrid.oai.OpenApiSpec;
import java.util.Optional;
import java.util.OptionalLong;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A subuser's reputation and its credits (the pilot's backstop) read into typed values. */
class SubuserReputationAndCreditsTest {
  private static final OpenApiSpec SUBUSERS = OpenApiSpec.of("tsg_subusers_v3.json");

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
    assertThat(SUBUSERS.problems(r)).isEmpty();
    assertThat(r.getHeader("on-behalf-of")).isNull();
    return r;
  }

  @Test
  void theReputationIsFoundWhateverLetterCaseSendGridAnswersTheNameIn() throws Exception {
    // SendGrid does not tell usernames apart by case, and may spell one otherwise than asked
    server.enqueue(
        new MockResponse()
            .setBody(
                "[{\"username\":\"someone-else\",\"reputation\":12},"
                    + "{\"username\":\"Tenant-ACME\",\"reputation\":88.5}]"));
    assertThat(admin.subusers().reputation("tenant-acme"))
        .contains(new SubuserReputation("tenant-acme", 88.5));
    RecordedRequest r = take();
    assertThat(r.getPath()).isEqualTo("/v3/subusers/reputations?usernames=tenant-acme");

    server.enqueue(
        new MockResponse().setBody("[{\"username\":\"tenant-acme\",\"reputation\":70}]"));
    assertThat(admin.subusers().reputation("Tenant-Acme"))
        .contains(new SubuserReputation("Tenant-Acme", 70));
    take();

    // a name that differs by more than case is still someone else
    server.enqueue(
        new MockResponse().setBody("[{\"username\":\"tenant-acme2\",\"reputation\":70}]"));
    assertThat(admin.subusers().reputation("tenant-acme")).isEmpty();
    take();
  }

  @Test
  void theReputationOfTheSubuserAskedForIsRead() throws Exception {
    server.enqueue(
        new MockResponse()
            .setBody(
                "[{\"username\":\"someone-else\",\"reputation\":12},"
                    + "{\"username\":\"tenant-acme\",\"reputation\":95.2}]"));
    assertThat(admin.subusers().reputation("tenant-acme"))
        .contains(new SubuserReputation("tenant-acme", 95.2));
    RecordedRequest r = take();
    assertThat(r.getPath()).isEqualTo("/v3/subusers/reputations?usernames=tenant-acme");

    server.enqueue(new MockResponse().setBody("[]"));
    assertThat(admin.subusers().reputation("tenant-new")).isEmpty();
    take();

    server.enqueue(
        new MockResponse().setBody("[{\"username\":\"tenant-acme\",\"reputation\":140}]"));
    assertThatThrownBy(() -> admin.subusers().reputation("tenant-acme"))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> assertThat(e.kind()).isEqualTo(ApiFailureKind.UNEXPECTED_ANSWER))
        .hasMessageContaining("reputation must be 0 to 100, not 140.0");
    assertThatThrownBy(() -> admin.subusers().reputation("a b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void creditsShowWhetherTheDailyBackstopIsInPlace() throws Exception {
    server.enqueue(
        new MockResponse()
            .setBody(
                "{\"remain\":380,\"total\":500,\"used\":120,\"type\":\"recurring\","
                    + "\"reset_frequency\":\"daily\"}"));
    SubuserCredits daily = admin.subusers().credits("tenant-acme");
    assertThat(daily)
        .isEqualTo(
            new SubuserCredits(
                "recurring",
                Optional.of("daily"),
                OptionalLong.of(500),
                OptionalLong.of(380),
                OptionalLong.of(120)));
    assertThat(daily.isDailyLimit()).isTrue();
    assertThat(take().getPath()).isEqualTo("/v3/subusers/tenant-acme/credits");

    server.enqueue(
        new MockResponse()
            .setBody(
                "{\"remain\":null,\"total\":null,\"used\":null,\"type\":\"unlimited\","
                    + "\"reset_frequency\":null}"));
    SubuserCredits unlimited = admin.subusers().credits("tenant-acme");
    assertThat(unlimited.isDailyLimit()).isFalse();
    assertThat(unlimited.total()).isEmpty();
    take();
  }

  @Test
  void failuresAreTypedAndReadsRetried() {
    server.enqueue(
        new MockResponse()
            .setResponseCode(400)
            .setBody("{\"errors\":[{\"field\":\"usernames\",\"message\":\"invalid username\"}]}"));
    assertThatThrownBy(() -> admin.subusers().reputation("tenant-acme"))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ApiFailureKind.BAD_REQUEST);
              assertThat(e.fieldErrors().get(0).field()).contains("usernames");
            });
    server.enqueue(new MockResponse().setResponseCode(500));
    server.enqueue(
        new MockResponse()
            .setBody(
                "{\"remain\":1,\"total\":1,\"used\":0,\"type\":\"recurring\","
                    + "\"reset_frequency\":\"daily\"}"));
    assertThat(admin.subusers().credits("tenant-acme").remaining()).hasValue(1);
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(waits.seen).hasSize(1);
  }
}
