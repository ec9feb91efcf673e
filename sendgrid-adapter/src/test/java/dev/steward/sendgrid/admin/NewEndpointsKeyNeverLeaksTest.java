package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.sendgrid.LogCapture;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The parent key appears in no log line (Steward's and OkHttp's at TRACE), exception message or
 * {@code toString()} through domain authentication, stats, reputation and credits calls, succeeding
 * and failing.
 */
class NewEndpointsKeyNeverLeaksTest {
  private final MockWebServer server = new MockWebServer();
  @RegisterExtension final LogCapture logs = new LogCapture();

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  @Test
  void theParentKeyStaysInTheAuthorizationHeader() {
    List<String> texts = new ArrayList<>();
    TenantId acme = TenantId.of("acme");
    try (SendGridAdmin admin = AdminFixtures.admin(server, new AdminFixtures.Waits())) {
      SendGridSenderAuthentication auth =
          SendGridSenderAuthentication.of(admin, TenantSubusers.of(Map.of(acme, "tenant-acme")));
      texts.add(auth.toString());
      server.enqueue(new MockResponse().setBody("[]"));
      server.enqueue(
          new MockResponse()
              .setResponseCode(201)
              .setBody(SendGridSenderAuthenticationTest.domainJson(3, "tenant-acme", false)));
      texts.add(auth.create(acme, "acme.example").toString());
      server.enqueue(new MockResponse().setBody("[]"));
      server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
      server.enqueue(
          new MockResponse().setResponseCode(400).setBody("{\"errors\":[{\"message\":\"no\"}]}"));
      server.enqueue(new MockResponse().setResponseCode(401));
      for (int i = 0; i < 3; i++) {
        try {
          if (i == 0) {
            auth.create(acme, "acme.example");
          } else if (i == 1) {
            admin
                .stats()
                .global(
                    Optional.of("tenant-acme"),
                    StatsPeriod.days(LocalDate.of(2026, 2, 1), LocalDate.of(2026, 2, 2)),
                    10,
                    0);
          } else {
            admin.subusers().reputation("tenant-acme");
          }
        } catch (SendGridApiException e) {
          for (Throwable c = e; c != null; c = c.getCause()) {
            texts.add(String.valueOf(c.getMessage()));
            texts.add(c.toString());
          }
        }
      }
      texts.add(admin.toString());
    }
    assertThat(server.getRequestCount()).isEqualTo(6);
    texts.addAll(logs.texts());
    assertThat(logs.events()).isNotEmpty();
    assertThat(texts).hasSizeGreaterThan(8);
    assertThat(texts).noneMatch(s -> s.contains(AdminFixtures.PARENT_KEY));
  }
}
