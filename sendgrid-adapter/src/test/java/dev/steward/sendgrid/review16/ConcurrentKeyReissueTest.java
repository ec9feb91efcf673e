package dev.steward.sendgrid.review16;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.Region;
import dev.steward.sendgrid.mail.RetryPolicy;
import dev.steward.sendgrid.mail.SendGridCredentialStore;
import dev.steward.sendgrid.mail.TenantCredential;
import dev.steward.sendgrid.oai.OpenApiSpec;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two re-issues of one tenant's sending key at once (an operator's double click, two admin
 * threads): afterwards exactly one key of the tenant is live at SendGrid and it is the one the
 * store holds. A SendGrid that keeps keys: POST makes one, GET lists the live ones, DELETE revokes.
 */
class ConcurrentKeyReissueTest {
  private static final OpenApiSpec API_KEYS = OpenApiSpec.of("tsg_api_keys_v3.json");
  private static final TenantId ACME = TenantId.of("acme");

  private final MockWebServer server = new MockWebServer();
  private final List<String> problems = new CopyOnWriteArrayList<>();

  /** Live keys at SendGrid: id to name. */
  private final Map<String, String> live = new ConcurrentHashMap<>();

  private final AtomicInteger made = new AtomicInteger();

  /** Released once both issues have stored their key: the first listing waits for it. */
  private final CountDownLatch bothStored = new CountDownLatch(2);

  private SendGridAdmin admin;

  @BeforeEach
  void start() throws Exception {
    live.put("kid-old", "steward-acme");
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
            problems.addAll(API_KEYS.problems(r));
            String path = r.getPath();
            if (r.getMethod().equals("POST") && path.equals("/v3/api_keys")) {
              String id = "kid-" + made.incrementAndGet();
              live.put(id, "steward-acme");
              return new MockResponse()
                  .setResponseCode(201)
                  .setBody(
                      "{\"api_key\":\"SG."
                          + id
                          + ".secret\",\"api_key_id\":\""
                          + id
                          + "\",\"name\":\"steward-acme\",\"scopes\":[\"mail.send\"]}");
            }
            if (r.getMethod().equals("GET") && path.startsWith("/v3/api_keys?")) {
              // the first listing is answered once both issues stored their keys (at most 2 s)
              bothStored.await(2, TimeUnit.SECONDS);
              StringBuilder b = new StringBuilder("{\"result\":[");
              live.forEach(
                  (id, name) ->
                      b.append(b.charAt(b.length() - 1) == '[' ? "" : ",")
                          .append("{\"name\":\"")
                          .append(name)
                          .append("\",\"api_key_id\":\"")
                          .append(id)
                          .append("\"}"));
              return new MockResponse().setBody(b.append("]}").toString());
            }
            if (r.getMethod().equals("DELETE") && path.startsWith("/v3/api_keys/")) {
              live.remove(path.substring("/v3/api_keys/".length()));
              return new MockResponse().setResponseCode(204);
            }
            return new MockResponse().setResponseCode(404);
          }
        });
    server.start();
    admin =
        SendGridAdmin.builder(
                SettableClock.of(Instant.parse("2026-03-02T09:00:00Z")), ApiKey.of("SG.parent.key"))
            .endpoint(server.url("/").uri())
            .retryPolicy(RetryPolicy.none())
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
    assertThat(problems).as("requests outside SendGrid's OpenAPI file").isEmpty();
  }

  @Test
  void twoReissuesAtOnceLeaveExactlyOneLiveKeyAndItIsTheStoredOne() throws Exception {
    SendGridCredentialStore inner = SendGridCredentialStore.inMemory();
    inner.put(ACME, TenantCredential.of(ApiKey.of("SG.kid-old.secret")));
    SendGridCredentialStore store =
        new SendGridCredentialStore() {
          @Override
          public Optional<TenantCredential> forTenant(TenantId tenant) {
            return inner.forTenant(tenant);
          }

          @Override
          public void put(TenantId tenant, TenantCredential credential) {
            inner.put(tenant, credential);
            bothStored.countDown();
          }

          @Override
          public boolean remove(TenantId tenant) {
            return inner.remove(tenant);
          }
        };

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<String> a =
          pool.submit(
              () -> admin.apiKeys().issueSendingKey(ACME, "tenant-acme", Region.GLOBAL, store));
      Future<String> b =
          pool.submit(
              () -> admin.apiKeys().issueSendingKey(ACME, "tenant-acme", Region.GLOBAL, store));
      a.get(20, TimeUnit.SECONDS);
      b.get(20, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    ApiKey stored = store.forTenant(ACME).orElseThrow().apiKey();
    String storedId = "none";
    for (int i = 1; i <= made.get(); i++) {
      if (stored.equals(ApiKey.of("SG.kid-" + i + ".secret"))) {
        storedId = "kid-" + i;
      }
    }
    assertThat(live.keySet()).as("live keys at SendGrid").containsExactly(storedId);
  }

  @Test
  void aStoreThatKeptTheNewKeyButAnsweredWithAnErrorIsNotLeftHoldingARevokedKey() {
    bothStored.countDown();
    bothStored.countDown();
    SendGridCredentialStore inner = SendGridCredentialStore.inMemory();
    inner.put(ACME, TenantCredential.of(ApiKey.of("SG.kid-old.secret")));
    // a vault whose write went through but whose answer timed out
    SendGridCredentialStore store =
        new SendGridCredentialStore() {
          @Override
          public Optional<TenantCredential> forTenant(TenantId tenant) {
            return inner.forTenant(tenant);
          }

          @Override
          public void put(TenantId tenant, TenantCredential credential) {
            inner.put(tenant, credential);
            throw new IllegalStateException("vault answer timed out");
          }

          @Override
          public boolean remove(TenantId tenant) {
            return inner.remove(tenant);
          }
        };

    try {
      admin.apiKeys().issueSendingKey(ACME, "tenant-acme", Region.GLOBAL, store);
    } catch (IllegalStateException e) {
      // the store's failure may be reported; what matters is what is left live
    }

    ApiKey stored = store.forTenant(ACME).orElseThrow().apiKey();
    String storedId = "none";
    for (int i = 1; i <= made.get(); i++) {
      if (stored.equals(ApiKey.of("SG.kid-" + i + ".secret"))) {
        storedId = "kid-" + i;
      }
    }
    assertThat(storedId).isEqualTo("kid-1");
    assertThat(live.keySet())
        .as("the key the store holds is live, the old one revoked")
        .containsExactly(storedId);
  }
}
