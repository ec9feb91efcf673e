package dev.steward.sendgrid.mail;

import static dev.steward.sendgrid.mail.Fixtures.KEY;
import static dev.steward.sendgrid.mail.Fixtures.NOW;
import static dev.steward.sendgrid.mail.Fixtures.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.SendResult;
import dev.steward.sendgrid.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API key is absent from every log line (at TRACE, Steward's and OkHttp's loggers), from every
 * exception message and cause, from every result's detail and from {@code toString()}, through each
 * kind of answer and failure.
 */
class ApiKeyNeverLeaksTest {

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
  void theKeyAppearsNowhereButTheAuthorizationHeader() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(202).addHeader("X-Message-Id", "ok"));
    server.enqueue(
        new MockResponse()
            .setResponseCode(400)
            .setBody("{\"errors\":[{\"message\":\"bad\",\"field\":\"from\"}]}"));
    server.enqueue(new MockResponse().setResponseCode(401));
    server.enqueue(new MockResponse().setResponseCode(403));
    server.enqueue(new MockResponse().setResponseCode(413));
    server.enqueue(
        new MockResponse()
            .setResponseCode(429)
            .addHeader("X-RateLimit-Reset", Long.toString(NOW.getEpochSecond() + 1)));
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse().setResponseCode(500));
    }
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

    List<String> texts = new ArrayList<>();
    Fixtures.Recorder delays = new Fixtures.Recorder();
    try (SendGridTransport t =
        Fixtures.transport(server, Fixtures.plain(), delays)
            .readTimeout(Duration.ofMillis(300))
            .build()) {
      texts.add(t.toString());
      for (int i = 0; i < 9; i++) {
        CompletableFuture<SendResult> f = t.deliver(message("r" + i + "@example.com").build());
        try {
          texts.add(f.join().toString());
        } catch (CompletionException e) {
          collect(e.getCause(), texts);
          texts.add(((MailSendException) e.getCause()).toSendResult().toString());
        }
      }
      // every ending gave its permits back
      assertThat(t.inFlight()).isZero();
    }
    ApiKey key = ApiKey.of(KEY);
    texts.add(key.toString());
    texts.add(TenantCredential.of(key).toString());

    assertThat(server.getRequestCount()).isEqualTo(12);
    assertThat(texts)
        .hasSizeGreaterThan(10)
        .noneMatch(s -> s.contains(KEY) || s.contains("QWxhZGRpbjpvcGVu"));
    assertThat(logs.events()).isNotEmpty();
    assertThat(logs.texts()).noneMatch(s -> s.contains(KEY) || s.contains("QWxhZGRpbjpvcGVu"));
  }

  @Test
  void aCredentialsLookupFailureDoesNotQuoteTheSpisMessage() {
    SendGridCredentials leaky =
        tenant -> {
          throw new IllegalStateException("vault said: key " + KEY + " expired");
        };
    try (SendGridTransport t =
        SendGridTransport.builder(Fixtures.CLOCK, leaky, Fixtures.plain())
            .endpoint(Region.GLOBAL, server.url("/").uri())
            .build()) {
      SendResult r = t.send(message("ann@example.com").build());
      assertThat(r.status()).isEqualTo(SendResult.Status.RETRYABLE);
      assertThat(r.detail()).startsWith("CREDENTIALS_UNAVAILABLE: ").doesNotContain(KEY);
      assertThat(server.getRequestCount()).isZero();
    }
  }

  private static void collect(Throwable t, List<String> texts) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      texts.add(String.valueOf(c.getMessage()));
      texts.add(c.toString());
    }
  }
}
