package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.sendgrid.LogCapture;
import dev.steward.sendgrid.mail.Region;
import dev.steward.sendgrid.mail.SendGridCredentialStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Neither the parent key nor a created sending key appears in a log line (Steward's and OkHttp's
 * loggers at TRACE), an exception message or cause, or a {@code toString()}, through successes and
 * every kind of failure.
 */
class AdminKeyNeverLeaksTest {
  private static final String CREATED = "SG.fresh-sending-key.Qm4-zz";

  private final MockWebServer server = new MockWebServer();
  @RegisterExtension final LogCapture logs = new LogCapture();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  @Test
  void noKeyAppearsOutsideTheAuthorizationHeader() throws Exception {
    List<String> texts = new ArrayList<>();
    SendGridCredentialStore store = SendGridCredentialStore.inMemory();
    try (SendGridAdmin admin = AdminFixtures.admin(server, new AdminFixtures.Waits())) {
      texts.add(admin.toString());
      server.enqueue(
          new MockResponse()
              .setResponseCode(201)
              .setBody(
                  "{\"api_key\":\""
                      + CREATED
                      + "\",\"api_key_id\":\"k1\",\"scopes\":[\"mail.send\"]}"));
      server.enqueue(new MockResponse().setBody("{\"result\":[]}"));
      admin.apiKeys().issueSendingKey(TenantId.of("acme"), "tenant-acme", Region.GLOBAL, store);
      texts.add(store.toString());
      texts.add(store.forTenant(TenantId.of("acme")).orElseThrow().toString());
      server.enqueue(
          new MockResponse().setResponseCode(400).setBody("{\"errors\":[{\"message\":\"no\"}]}"));
      server.enqueue(new MockResponse().setResponseCode(401));
      server.enqueue(new MockResponse().setResponseCode(500));
      server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
      server.enqueue(new MockResponse().setBody("not json"));
      for (int i = 0; i < 5; i++) {
        try {
          admin.apiKeys().createSendingKey("tenant-acme", "k");
        } catch (SendGridApiException e) {
          for (Throwable c = e; c != null; c = c.getCause()) {
            texts.add(String.valueOf(c.getMessage()));
            texts.add(c.toString());
          }
        }
      }
      server.enqueue(new MockResponse().setBody("{\"id\":\"w\",\"public_key\":\"x\"}"));
      try {
        admin.eventWebhooks().verifier("w", Optional.of("tenant-acme"));
      } catch (SendGridApiException e) {
        texts.add(e.getMessage());
      }
    }
    assertThat(server.getRequestCount()).isEqualTo(8); // with the re-issue's list of old keys
    assertThat(texts).hasSizeGreaterThan(10);
    texts.addAll(logs.texts());
    assertThat(logs.events()).isNotEmpty();
    assertThat(texts).noneMatch(s -> s.contains(AdminFixtures.PARENT_KEY) || s.contains(CREATED));
  }
}
