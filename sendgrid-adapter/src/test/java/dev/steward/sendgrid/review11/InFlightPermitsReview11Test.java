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
import dev.steward.sendgrid.mail.SendGridCredentials;
import dev.steward.sendgrid.mail.SendGridTransport;
import dev.steward.sendgrid.mail.TenantCredential;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile review of the transport's in-flight bounds. */
class InFlightPermitsReview11Test {
  private static final Instant NOW = Instant.parse("2026-11-27T14:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final TenantId A = TenantId.of("tenant-a");
  private static final TenantId B = TenantId.of("tenant-b");

  private final MockWebServer server = new MockWebServer();
  private final CountDownLatch release = new CountDownLatch(1);
  private SendGridTransport transport;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            if (request.getBody().readUtf8().contains("tenant-a")) {
              release.await(30, TimeUnit.SECONDS); // tenant A's one send hangs
            }
            return new MockResponse().setResponseCode(202).addHeader("X-Message-Id", "m");
          }
        });
    server.start();
    transport =
        SendGridTransport.builder(
                CLOCK,
                SendGridCredentials.single(
                    TenantCredential.of(ApiKey.of("SG.review11.permits-key"))),
                m -> MailContent.builder(EmailAddress.of("news@isv.example")).build())
            .endpoint(Region.GLOBAL, server.url("/").uri())
            .maxInFlight(2, 1)
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    transport.close();
    server.shutdown();
  }

  private static Message message(TenantId tenant, int n) {
    return Message.builder()
        .tenant(tenant)
        .account(AccountId.of("acct-9"))
        .contact(ContactId.of("contact-" + n))
        .to("ann" + n + "@example.org")
        .kind(MessageKind.TRANSACTIONAL)
        .category("receipts")
        .source(Source.BILLING)
        .templateId("d-0123456789abcdef")
        .createdAt(NOW)
        .build();
  }

  /**
   * maxInFlight(2, 1): tenant A holds its one permit (its send hangs), so one of two is open and
   * tenant B always has room. But acquire() adds to the overall count before it looks at the
   * tenant's, so A's own refused sends (over A's per-tenant bound) inflate the overall count for a
   * moment, and B's sends are refused BUSY although only one send is open: one tenant's burst
   * delays the others, which the bound is documented to prevent.
   */
  @Test
  void aTenantOverItsOwnBoundNeverCrowdsOutAnother() throws Exception {
    transport.deliver(message(A, 0)); // holds A's permit
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (transport.inFlight() != 1 && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> burst = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread th =
          new Thread(
              () -> {
                int n = 1;
                while (!stop.get()) {
                  transport.deliver(message(A, n++)).exceptionally(e -> null);
                }
              });
      th.start();
      burst.add(th);
    }
    int busy = 0;
    String detail = "";
    try {
      for (int i = 0; i < 2_000; i++) {
        SendResult r = transport.send(message(B, i));
        if (r.status() != SendResult.Status.ACCEPTED) {
          busy++;
          detail = r.status() + ": " + r.detail();
        }
      }
    } finally {
      stop.set(true);
      for (Thread th : burst) {
        th.join();
      }
    }
    assertThat(busy)
        .as("tenant B's sends refused while only A's one send was open; last: " + detail)
        .isZero();
  }
}
