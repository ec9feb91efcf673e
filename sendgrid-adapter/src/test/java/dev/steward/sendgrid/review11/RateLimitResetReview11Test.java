package dev.steward.sendgrid.review11;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.SendResult;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.StoreLimits;
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
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile review: a 429 whose X-RateLimit-Reset is not epoch seconds. */
class RateLimitResetReview11Test {
  private static final Instant NOW = Instant.parse("2026-11-27T14:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final MockWebServer server = new MockWebServer();
  private SendGridTransport transport;

  @BeforeEach
  void start() throws Exception {
    server.start();
    transport =
        SendGridTransport.builder(
                CLOCK,
                SendGridCredentials.single(TenantCredential.of(ApiKey.of("SG.review11.reset-key"))),
                m -> MailContent.builder(EmailAddress.of("news@isv.example")).build())
            .endpoint(Region.GLOBAL, server.url("/").uri())
            .retryPolicy(
                new RetryPolicy(1, Duration.ofMillis(250), Duration.ofSeconds(5), Duration.ZERO))
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    transport.close();
    server.shutdown();
  }

  /**
   * A 429 whose X-RateLimit-Reset is in milliseconds (a proxy's, or a changed API: 1764252000000)
   * is read as epoch seconds, year ~57,900, and handed to the dispatcher as the message's
   * retryAfter: later than any instant core's stores can hold (StoreLimits.MAX_INSTANT, 2262), so
   * the deferral cannot even be recorded; at best the message waits for ever. An absurd reset must
   * be treated as unreadable (back off) or capped.
   */
  @Test
  void aResetInMillisecondsDoesNotDeferTheMessageBeyondWhatCoreCanStore() {
    server.enqueue(
        new MockResponse()
            .setResponseCode(429)
            .addHeader("X-RateLimit-Reset", Long.toString(NOW.toEpochMilli())));

    SendResult r =
        transport.send(
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
                .build());

    assertThat(r.status()).isEqualTo(SendResult.Status.RETRYABLE);
    assertThat(r.retryAfter()).as("retryAfter").isBefore(StoreLimits.MAX_INSTANT);
  }
}
