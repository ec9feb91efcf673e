package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.steward.model.TenantId;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.Region;
import dev.steward.sendgrid.mail.SendGridCredentialStore;
import dev.steward.sendgrid.mail.TenantCredential;
import dev.steward.sendgrid.oai.OpenApiSpec;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A re-issued sending key: the old one is revoked once the store holds the new one, never before,
 * and never when the store failed to keep the new one; every request checked against
 * tsg_api_keys_v3.json.
 */
class KeyReissueTest {
  private static final OpenApiSpec API_KEYS = OpenApiSpec.of("tsg_api_keys_v3.json");
  private static final TenantId ACME = TenantId.of("acme");
  private static final String OLD = "SG.old-tenant-key.never-logged";
  private static final String NEW = "SG.new-tenant-key.never-logged";

  private final MockWebServer server = new MockWebServer();

  /** What happened, in order: SendGrid's requests and the store's writes. */
  private final List<String> steps = new CopyOnWriteArrayList<>();

  private final List<String> problems = new CopyOnWriteArrayList<>();
  private SendGridAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            problems.addAll(API_KEYS.problems(r));
            String key = r.getMethod() + " " + r.getPath();
            steps.add(key + " as " + r.getHeader("on-behalf-of"));
            if (key.equals("POST /v3/api_keys")) {
              return new MockResponse()
                  .setResponseCode(201)
                  .setBody(
                      "{\"api_key\":\""
                          + NEW
                          + "\",\"api_key_id\":\"kid-new\",\"name\":\"steward-acme\","
                          + "\"scopes\":[\"mail.send\"]}");
            }
            if (key.equals("GET /v3/api_keys?limit=100")) {
              return new MockResponse()
                  .setBody(
                      "{\"result\":[{\"name\":\"steward-acme\",\"api_key_id\":\"kid-old\"},"
                          + "{\"name\":\"steward-acme\",\"api_key_id\":\"kid-new\"},"
                          + "{\"name\":\"someone-else\",\"api_key_id\":\"kid-other\"}]}");
            }
            if (key.startsWith("DELETE /v3/api_keys/")) {
              return new MockResponse().setResponseCode(204);
            }
            return new MockResponse().setResponseCode(404);
          }
        });
    server.start();
    admin = AdminFixtures.admin(server, new AdminFixtures.Waits());
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
    assertThat(problems).as("requests outside SendGrid's OpenAPI file").isEmpty();
  }

  @Test
  void theOldKeyIsRevokedAfterTheNewOneIsStoredAndNoOtherKeyIsTouched() {
    SendGridCredentialStore store = recording(SendGridCredentialStore.inMemory(), false);
    store.put(ACME, TenantCredential.of(ApiKey.of(OLD)));
    steps.clear();

    String id = admin.apiKeys().issueSendingKey(ACME, "tenant-acme", Region.GLOBAL, store);

    assertThat(id).isEqualTo("kid-new");
    assertThat(store.forTenant(ACME)).contains(TenantCredential.of(ApiKey.of(NEW)));
    assertThat(steps)
        .containsExactly(
            "POST /v3/api_keys as tenant-acme",
            "store put",
            "GET /v3/api_keys?limit=100 as tenant-acme",
            "DELETE /v3/api_keys/kid-old as tenant-acme");
  }

  @Test
  void whenTheStoreFailsTheOldKeyStaysLiveAndOnlyTheNewOneIsRevoked() {
    SendGridCredentialStore store = recording(SendGridCredentialStore.inMemory(), true);

    Throwable t =
        catchThrowable(
            () -> admin.apiKeys().issueSendingKey(ACME, "tenant-acme", Region.GLOBAL, store));

    assertThat(t).isInstanceOf(IllegalStateException.class).hasMessage("vault down");
    assertThat(steps)
        .containsExactly(
            "POST /v3/api_keys as tenant-acme",
            "store put",
            "DELETE /v3/api_keys/kid-new as tenant-acme");
  }

  @Test
  void aFailedRevocationDoesNotFailTheIssueOfAStoredKey() {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            problems.addAll(API_KEYS.problems(r));
            steps.add(r.getMethod() + " " + r.getPath());
            if (r.getMethod().equals("POST")) {
              return new MockResponse()
                  .setResponseCode(201)
                  .setBody(
                      "{\"api_key\":\""
                          + NEW
                          + "\",\"api_key_id\":\"kid-new\",\"scopes\":[\"mail.send\"]}");
            }
            if (r.getMethod().equals("GET")) {
              return new MockResponse()
                  .setBody("{\"result\":[{\"name\":\"steward-acme\",\"api_key_id\":\"kid-old\"}]}");
            }
            return new MockResponse().setResponseCode(403);
          }
        });
    SendGridCredentialStore store = SendGridCredentialStore.inMemory();

    assertThat(admin.apiKeys().issueSendingKey(ACME, "tenant-acme", Region.GLOBAL, store))
        .isEqualTo("kid-new");
    assertThat(store.forTenant(ACME)).contains(TenantCredential.of(ApiKey.of(NEW)));
    assertThat(steps).contains("DELETE /v3/api_keys/kid-old");
  }

  private SendGridCredentialStore recording(SendGridCredentialStore d, boolean fail) {
    return new SendGridCredentialStore() {
      @Override
      public Optional<TenantCredential> forTenant(TenantId tenant) {
        return d.forTenant(tenant);
      }

      @Override
      public void put(TenantId tenant, TenantCredential credential) {
        steps.add("store put");
        if (fail) {
          throw new IllegalStateException("vault down");
        }
        d.put(tenant, credential);
      }

      @Override
      public boolean remove(TenantId tenant) {
        return d.remove(tenant);
      }
    };
  }
}
