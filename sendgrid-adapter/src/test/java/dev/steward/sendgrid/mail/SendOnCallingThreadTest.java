package dev.steward.sendgrid.mail;

import static dev.steward.sendgrid.mail.Fixtures.CLOCK;
import static dev.steward.sendgrid.mail.Fixtures.KEY;
import static dev.steward.sendgrid.mail.Fixtures.message;
import static dev.steward.sendgrid.mail.Fixtures.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.SendResult;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code send} and {@code sendBatch} make their first try on the calling thread (no hand-off to a
 * call thread); its outcomes are those of an asynchronous try: a retry on the timer, UNKNOWN
 * without a resend once the request was written, RETRYABLE when the tries run out.
 */
class SendOnCallingThreadTest {
  private final MockWebServer server = new MockWebServer();

  /**
   * Runs each retry at once, noting the thread that asked for it (the one that read the answer).
   */
  private final List<Thread> askedBy = new CopyOnWriteArrayList<>();

  private final Delayer delayer =
      (delay, task) -> {
        askedBy.add(Thread.currentThread());
        task.run();
      };

  private SendGridTransport transport;

  private SendGridTransport.Builder builder() {
    return SendGridTransport.builder(
            CLOCK, SendGridCredentials.single(TenantCredential.of(ApiKey.of(KEY))), plain())
        .endpoint(Region.GLOBAL, server.url("/").uri())
        .delayer(delayer);
  }

  @BeforeEach
  void start() throws IOException {
    server.start();
    transport = builder().build();
  }

  @AfterEach
  void stop() throws IOException {
    transport.close();
    server.shutdown();
  }

  @Test
  void sendReadsTheFirstAnswerOnTheCallingThreadAndRetriesAsEver() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(500));
    server.enqueue(new MockResponse().setResponseCode(202).addHeader("X-Message-Id", "sg-1"));

    SendResult r = transport.send(message("ann@example.com").build());

    assertThat(r.status()).isEqualTo(SendResult.Status.ACCEPTED);
    assertThat(r.providerMessageId()).isEqualTo("sg-1");
    assertThat(server.getRequestCount()).isEqualTo(2);
    // the 500 was read by the thread that called send: the first try ran there
    assertThat(askedBy).containsExactly(Thread.currentThread());
  }

  @Test
  void deliverStillReadsItsAnswersOnACallThread() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(500));
    server.enqueue(new MockResponse().setResponseCode(202).addHeader("X-Message-Id", "sg-2"));

    SendResult r = transport.deliver(message("ann@example.com").build()).get(10, TimeUnit.SECONDS);

    assertThat(r.status()).isEqualTo(SendResult.Status.ACCEPTED);
    assertThat(askedBy).hasSize(1).doesNotContain(Thread.currentThread());
  }

  @Test
  void aConnectionDroppedAfterTheRequestIsUnknownAndNeverResent() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(new MockResponse().setResponseCode(202).addHeader("X-Message-Id", "no"));

    SendResult r = transport.send(message("ann@example.com").build());

    assertThat(r.status()).isEqualTo(SendResult.Status.UNKNOWN);
    assertThat(r.detail()).startsWith("AMBIGUOUS: ").contains("not resent");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(askedBy).isEmpty();
    assertThat(transport.inFlight()).isZero();
  }

  @Test
  void aRefusedConnectionIsRetriedThenRetryable() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (SendGridTransport t =
        builder().endpoint(Region.GLOBAL, URI.create("http://127.0.0.1:" + closedPort)).build()) {
      SendResult r = t.sendBatch(List.of(message("ann@example.com").build()));

      assertThat(r.status()).isEqualTo(SendResult.Status.RETRYABLE);
      assertThat(r.detail()).startsWith("NETWORK: ").contains("after 3 tries");
      assertThat(askedBy).hasSize(2).first().isEqualTo(Thread.currentThread());
      assertThat(t.inFlight()).isZero();
    }
  }

  @Test
  void anInterruptedCallerStillSendsAndKeepsItsInterrupt() {
    server.enqueue(new MockResponse().setResponseCode(202).addHeader("X-Message-Id", "sg-3"));
    Thread.currentThread().interrupt();
    try {
      SendResult r = transport.send(message("ann@example.com").build());

      assertThat(r.status()).isEqualTo(SendResult.Status.ACCEPTED);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aTimeOutOnTheCallingThreadIsUnknown() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    try (SendGridTransport t = builder().readTimeout(Duration.ofMillis(300)).build()) {
      SendResult r = t.send(message("ann@example.com").build());

      assertThat(r.status()).isEqualTo(SendResult.Status.UNKNOWN);
      assertThat(server.getRequestCount()).isEqualTo(1);
      assertThat(askedBy).isEmpty();
    }
  }
}
