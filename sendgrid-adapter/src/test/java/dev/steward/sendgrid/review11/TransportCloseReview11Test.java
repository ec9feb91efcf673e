package dev.steward.sendgrid.review11;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.SendResult;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.MailContent;
import dev.steward.sendgrid.mail.Region;
import dev.steward.sendgrid.mail.RetryPolicy;
import dev.steward.sendgrid.mail.SendGridCredentials;
import dev.steward.sendgrid.mail.SendGridTransport;
import dev.steward.sendgrid.mail.TenantCredential;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile review: closing the transport while a send waits to retry, on its own timer. */
class TransportCloseReview11Test {
  private static final Instant NOW = Instant.parse("2026-11-27T14:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final MockWebServer server = new MockWebServer();
  private SendGridTransport transport;

  @BeforeEach
  void start() throws Exception {
    server.start();
    // the transport's own retry timer (no test Delayer): a 503 is retried after 20 to 40 s
    transport =
        SendGridTransport.builder(
                CLOCK,
                SendGridCredentials.single(TenantCredential.of(ApiKey.of("SG.review11.close-key"))),
                m -> MailContent.builder(EmailAddress.of("news@isv.example")).build())
            .endpoint(Region.GLOBAL, server.url("/").uri())
            .retryPolicy(
                new RetryPolicy(
                    3, Duration.ofSeconds(40), Duration.ofSeconds(40), Duration.ofSeconds(1)))
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    transport.close();
    server.shutdown();
  }

  /**
   * close() promises "sends waiting to retry end RETRYABLE at once" and runs the timer's pending
   * tasks from shutdownNow(). But a ScheduledThreadPoolExecutor's task run after shutdownNow()
   * cancels itself instead of running, so the waiting send never ends: its future stays open for
   * ever (send() blocks its caller for good) and its in-flight permit is never given back.
   */
  @Test
  void aSendWaitingToRetryEndsRetryableWhenTheTransportCloses() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(503));
    CompletableFuture<SendResult> f =
        transport
            .sendAsync(
                Message.builder()
                    .tenant(TenantId.of("tenant-1"))
                    .account(AccountId.of("acct-9"))
                    .contact(ContactId.of("contact-1"))
                    .to("ann@example.org")
                    .kind(MessageKind.TRANSACTIONAL)
                    .category("receipts")
                    .source(Source.BILLING)
                    .templateId("d-0123456789abcdef")
                    .createdAt(NOW)
                    .build())
            .toCompletableFuture();
    assertThat(server.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
    Thread.sleep(500); // the 503 is handled and the retry scheduled

    transport.close();

    SendResult r;
    try {
      r = f.get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      r = null;
    }
    assertThat(r).as("the waiting send's outcome 5 s after close()").isNotNull();
    assertThat(r.status()).isEqualTo(SendResult.Status.RETRYABLE);
    assertThat(transport.inFlight()).isZero();
  }
}
