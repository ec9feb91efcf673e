package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.Region;
import dev.steward.sendgrid.mail.SendGridCredentialStore;
import dev.steward.sendgrid.mail.TenantCredential;
import dev.steward.sendgrid.oai.OpenApiSpec;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant's subuser (create, suspend, credit limit) and its sending key in the credentials store.
 */
class SubusersAndKeysTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OpenApiSpec SUBUSERS = OpenApiSpec.of("tsg_subusers_v3.json");
  private static final OpenApiSpec API_KEYS = OpenApiSpec.of("tsg_api_keys_v3.json");
  private static final String CREATED_KEY = "SG.created-tenant-key.Vx91-never-logged";
  private static final TenantId ACME = TenantId.of("acme");

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

  @Test
  void aSubuserIsCreatedSuspendedAndGivenADailyBackstop() throws Exception {
    server.enqueue(
        new MockResponse()
            .setBody(
                "{\"username\":\"tenant-acme\",\"user_id\":1234,\"email\":\"ops@acme.example\"}"));
    server.enqueue(new MockResponse().setResponseCode(204));
    server.enqueue(new MockResponse().setResponseCode(204));
    server.enqueue(new MockResponse().setBody("{\"type\":\"recurring\"}"));

    Subuser created =
        admin
            .subusers()
            .create(
                new NewSubuser(
                    "tenant-acme",
                    EmailAddress.of("ops@acme.example"),
                    "s3cret-Passw0rd",
                    List.of("192.0.2.10"),
                    Region.GLOBAL));
    admin.subusers().disable("tenant-acme");
    admin.subusers().enable("tenant-acme");
    admin.subusers().dailyCreditLimit("tenant-acme", 500);

    assertThat(created).isEqualTo(new Subuser("tenant-acme", 1234));
    RecordedRequest create = server.takeRequest();
    assertThat(create.getMethod() + " " + create.getPath()).isEqualTo("POST /v3/subusers");
    assertThat(create.getHeader("on-behalf-of")).isNull();
    JsonNode body = JSON.readTree(create.getBody().clone().readUtf8());
    assertThat(body.path("username").asText()).isEqualTo("tenant-acme");
    assertThat(body.path("ips").get(0).asText()).isEqualTo("192.0.2.10");
    assertThat(body.path("region").asText()).isEqualTo("global");
    assertThat(SUBUSERS.problems(create)).isEmpty();

    RecordedRequest disable = server.takeRequest();
    assertThat(disable.getMethod() + " " + disable.getPath())
        .isEqualTo("PATCH /v3/subusers/tenant-acme");
    assertThat(disable.getBody().clone().readUtf8()).isEqualTo("{\"disabled\":true}");
    assertThat(SUBUSERS.problems(disable)).isEmpty();
    RecordedRequest enable = server.takeRequest();
    assertThat(enable.getBody().clone().readUtf8()).isEqualTo("{\"disabled\":false}");
    assertThat(SUBUSERS.problems(enable)).isEmpty();

    RecordedRequest credits = server.takeRequest();
    assertThat(credits.getMethod() + " " + credits.getPath())
        .isEqualTo("PUT /v3/subusers/tenant-acme/credits");
    assertThat(JSON.readTree(credits.getBody().clone().readUtf8()))
        .isEqualTo(
            JSON.readTree("{\"type\":\"recurring\",\"reset_frequency\":\"daily\",\"total\":500}"));
    assertThat(SUBUSERS.problems(credits)).isEmpty();
  }

  @Test
  void badInputIsRefusedBeforeAnyRequestAndThePasswordIsNeverQuoted() {
    assertThatThrownBy(() -> admin.subusers().dailyCreditLimit("tenant-acme", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("daily credit limit must be 1 to");
    assertThatThrownBy(() -> admin.subusers().disable("../admin"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slash");
    assertThatThrownBy(() -> admin.subusers().disable(".."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'..'");
    assertThatThrownBy(
            () -> NewSubuser.of("tenant-acme", EmailAddress.of("ops@acme.example"), "short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("password must be 8 to 128")
        .hasMessageNotContaining("short");
    assertThatThrownBy(
            () ->
                new NewSubuser(
                    "tenant-acme",
                    EmailAddress.of("ops@acme.example"),
                    "long-enough-pw",
                    List.of("not-an-ip"),
                    Region.GLOBAL))
        .hasMessageContaining("'not-an-ip' is not an IPv4 address");
    assertThat(NewSubuser.of("t", EmailAddress.of("ops@acme.example"), "long-enough-pw").toString())
        .doesNotContain("long-enough-pw")
        .doesNotContain("ops@");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void theSendingKeyIsCreatedOnBehalfOfTheSubuserAndServedFromTheStore() throws Exception {
    server.enqueue(
        new MockResponse()
            .setResponseCode(201)
            .setBody(
                "{\"api_key\":\""
                    + CREATED_KEY
                    + "\",\"api_key_id\":\"kid-1\",\"name\":\"steward-acme\","
                    + "\"scopes\":[\"mail.send\"]}"));
    server.enqueue(new MockResponse().setBody("{\"result\":[]}"));
    SendGridCredentialStore store = SendGridCredentialStore.inMemory();

    String keyId = admin.apiKeys().issueSendingKey(ACME, "tenant-acme", Region.EU, store);

    assertThat(keyId).isEqualTo("kid-1");
    assertThat(store.forTenant(ACME))
        .contains(new TenantCredential(ApiKey.of(CREATED_KEY), Region.EU));
    assertThat(store.forTenant(TenantId.of("other"))).isEmpty();
    assertThat(store.toString()).doesNotContain(CREATED_KEY);
    RecordedRequest create = server.takeRequest();
    assertThat(create.getMethod() + " " + create.getPath()).isEqualTo("POST /v3/api_keys");
    assertThat(create.getHeader("on-behalf-of")).isEqualTo("tenant-acme");
    assertThat(create.getHeader("Authorization")).isEqualTo("Bearer " + AdminFixtures.PARENT_KEY);
    assertThat(JSON.readTree(create.getBody().clone().readUtf8()))
        .isEqualTo(JSON.readTree("{\"name\":\"steward-acme\",\"scopes\":[\"mail.send\"]}"));
    assertThat(API_KEYS.problems(create)).isEmpty();
    assertThat(store.remove(ACME)).isTrue();
    assertThat(store.forTenant(ACME)).isEmpty();
  }

  @Test
  void aKeyWithMoreThanMailSendIsRefusedNotStoredAndRevoked() throws Exception {
    server.enqueue(
        new MockResponse()
            .setResponseCode(201)
            .setBody(
                "{\"api_key\":\""
                    + CREATED_KEY
                    + "\",\"api_key_id\":\"kid-1\",\"scopes\":[\"mail.send\",\"user.profile.read\"]}"));
    server.enqueue(new MockResponse().setResponseCode(204));
    SendGridCredentialStore store = SendGridCredentialStore.inMemory();
    assertThatThrownBy(
            () -> admin.apiKeys().issueSendingKey(ACME, "tenant-acme", Region.GLOBAL, store))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> assertThat(e.kind()).isEqualTo(ApiFailureKind.UNEXPECTED_ANSWER))
        .hasMessageContaining("user.profile.read")
        .hasMessageContaining("revoked")
        .hasMessageNotContaining(CREATED_KEY);
    assertThat(store.forTenant(ACME)).isEmpty();
    server.takeRequest();
    RecordedRequest revoke = server.takeRequest();
    assertThat(revoke.getMethod() + " " + revoke.getPath()).isEqualTo("DELETE /v3/api_keys/kid-1");
    assertThat(revoke.getHeader("on-behalf-of")).isEqualTo("tenant-acme");
    assertThat(API_KEYS.problems(revoke)).isEmpty();
  }

  @Test
  void answersAreMappedToTypedFailures() {
    server.enqueue(
        new MockResponse()
            .setResponseCode(400)
            .setBody("{\"errors\":[{\"field\":\"username\",\"message\":\"username exists\"}]}"));
    assertThatThrownBy(
            () ->
                admin
                    .subusers()
                    .create(NewSubuser.of("taken", EmailAddress.of("o@x.example"), "long-enough")))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ApiFailureKind.BAD_REQUEST);
              assertThat(e.httpStatus()).hasValue(400);
              assertThat(e.fieldErrors()).hasSize(1);
              assertThat(e.fieldErrors().get(0).field()).contains("username");
              assertThat(e.isRetryable()).isFalse();
            })
        .hasMessageContaining("create subuser")
        .hasMessageContaining("username exists")
        .hasMessageNotContaining("long-enough");
    for (int[] c : new int[][] {{401}, {403}, {404}, {418}}) {
      server.enqueue(new MockResponse().setResponseCode(c[0]));
    }
    ApiFailureKind[] expected = {
      ApiFailureKind.AUTHENTICATION,
      ApiFailureKind.FORBIDDEN,
      ApiFailureKind.NOT_FOUND,
      ApiFailureKind.UNEXPECTED_ANSWER
    };
    for (ApiFailureKind kind : expected) {
      assertThatThrownBy(() -> admin.subusers().enable("tenant-acme"))
          .isInstanceOfSatisfying(
              SendGridApiException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }
    assertThat(server.getRequestCount()).isEqualTo(5);
    assertThat(waits.seen).isEmpty();
  }

  @Test
  void a429WaitsForItsResetThenSucceeds() {
    long reset = AdminFixtures.NOW.getEpochSecond() + 3;
    server.enqueue(
        new MockResponse()
            .setResponseCode(429)
            .addHeader("X-RateLimit-Reset", Long.toString(reset)));
    server.enqueue(new MockResponse().setResponseCode(204));
    admin.subusers().disable("tenant-acme");
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(waits.seen).containsExactly(java.time.Duration.ofSeconds(3));
  }

  @Test
  void a429ResettingBeyondTheAllowedWaitIsRateLimitedAtOnce() {
    long reset = AdminFixtures.NOW.getEpochSecond() + 3600;
    server.enqueue(
        new MockResponse()
            .setResponseCode(429)
            .addHeader("X-RateLimit-Reset", Long.toString(reset)));
    assertThatThrownBy(() -> admin.subusers().disable("tenant-acme"))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ApiFailureKind.RATE_LIMITED);
              assertThat(e.retryAfter()).contains(java.time.Instant.ofEpochSecond(reset));
            });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aCreateWhoseAnswerIsLostIsAmbiguousAndNotResentButAnUpdateIsRetried() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    assertThatThrownBy(() -> admin.apiKeys().createSendingKey("tenant-acme", "k"))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ApiFailureKind.AMBIGUOUS);
              assertThat(e.isRetryable()).isFalse();
            });
    assertThat(server.getRequestCount()).isEqualTo(1);

    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(new MockResponse().setResponseCode(204));
    admin.subusers().disable("tenant-acme");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void serverErrorsOnAnUpdateAreRetriedUntilTheTriesRunOut() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse().setResponseCode(502));
    }
    assertThatThrownBy(() -> admin.subusers().enable("tenant-acme"))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> assertThat(e.kind()).isEqualTo(ApiFailureKind.SERVER_ERROR))
        .hasMessageContaining("after 3 tries");
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(waits.seen).hasSize(2);
  }

  @Test
  void eachRequestCarriesItsOwnOnBehalfOfUnderConcurrency() throws Exception {
    int n = 40;
    for (int i = 0; i < n; i++) {
      server.enqueue(new MockResponse().setBody("[]"));
    }
    SuppressionLists lists = admin.suppressionLists();
    List<CompletableFuture<Void>> calls = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      String subuser = "tenant-" + (i % 4);
      calls.add(
          CompletableFuture.runAsync(
              () ->
                  lists.page(
                      Optional.of(subuser),
                      SuppressionList.SPAM_REPORTS,
                      AdminFixtures.NOW.minusSeconds(60),
                      AdminFixtures.NOW,
                      10,
                      0)));
    }
    CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).join();
    int[] per = new int[4];
    for (int i = 0; i < n; i++) {
      RecordedRequest r = server.takeRequest();
      String who = r.getHeader("on-behalf-of");
      assertThat(r.getHeaders().values("on-behalf-of")).hasSize(1);
      per[Integer.parseInt(who.substring("tenant-".length()))]++;
    }
    assertThat(per).containsExactly(10, 10, 10, 10);
  }
}
