package dev.steward.review24b;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.delivery.DeliveryStatus;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.Gate;
import dev.steward.delivery.InMemoryDeliveryLedger;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.delivery.SendResult;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Every send-by drop gives back what the gates before the refusing one reserved, exactly once: at a
 * first deferral, a deferral again when due, and a transport retry that would come too late.
 */
class CapReleaseOnSendByDropTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private final SettableClock clock = SettableClock.of(T0);
  private final RecordingTransport transport = RecordingTransport.of();
  private final InMemoryDeliveryLedger ledger = InMemoryDeliveryLedger.of();
  private final InMemoryWorkStore work = InMemoryWorkStore.of(clock);
  private final Counting counting = new Counting();
  private final Deferring deferring = new Deferring();
  private final Dispatcher d =
      Dispatcher.builder(transport, clock)
          .gate(counting)
          .gate(deferring)
          .workStore(work)
          .ledger(ledger)
          .build();

  /** Reserves on every allow; counts the releases. */
  static final class Counting implements Gate {
    final AtomicInteger reserved = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();

    @Override
    public String name() {
      return "counting";
    }

    @Override
    public Decision evaluate(Message message, Instant now) {
      reserved.incrementAndGet();
      return Decision.allow(Reason.of("counting", "ok", Outcome.ALLOW, "reserved"));
    }

    @Override
    public void release(Message message, Instant decidedAt) {
      released.incrementAndGet();
    }
  }

  /** Defers until {@link #until} while it is set; allows otherwise. */
  static final class Deferring implements Gate {
    volatile Instant until;

    @Override
    public String name() {
      return "deferring";
    }

    @Override
    public Decision evaluate(Message message, Instant now) {
      Instant u = until;
      if (u == null || !u.isAfter(now)) {
        return Decision.allow(Reason.of("deferring", "open", Outcome.ALLOW, "open"));
      }
      return Decision.defer(
          u, List.of(Reason.of("deferring", "closed", Outcome.DEFER, "closed", null, u)));
    }
  }

  private static Message message(String id, Instant sendBy) {
    return Messages.promo("ada").id(MessageId.of(id)).idempotencyKey(id).sendBy(sendBy).build();
  }

  private void assertDroppedAndReleasedOnce(DispatchResult r) {
    assertThat(r.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(r.decision().reasons()).anyMatch(x -> x.gate().equals(Dispatcher.SEND_BY));
    assertThat(counting.released.get()).isEqualTo(counting.reserved.get());
    assertThat(transport.sent()).isEmpty();
  }

  @Test
  void aSendByExactlyNowIsDroppedAtAFirstDeferralAndReleasesOnce() {
    deferring.until = T0.plusSeconds(3600);
    DispatchResult r = d.dispatch(message("m", T0));

    assertDroppedAndReleasedOnce(r);
    assertThat(counting.reserved.get()).isEqualTo(1);
    assertThat(d.deferred(r.message().tenant(), r.message().id())).isEmpty();
  }

  @Test
  void aSendByExactlyNowIsSentWhenEveryGateAllows() {
    DispatchResult r = d.dispatch(message("m", T0));

    assertThat(r.status()).isEqualTo(DispatchStatus.SENT);
    assertThat(counting.released.get()).isZero();
  }

  @Test
  void aFarSendByDefersAndADeferralAgainPastItReleasesOncePerEvaluation() {
    Instant sendBy = T0.plus(Duration.ofDays(2));
    deferring.until = T0.plus(Duration.ofDays(1));
    assertThat(d.dispatch(message("m", sendBy)).status()).isEqualTo(DispatchStatus.DEFERRED);
    deferring.until = T0.plus(Duration.ofDays(3));
    clock.set(T0.plus(Duration.ofDays(1)));
    ManualWorkDriver.of(d.registerWith(WorkRunner.builder(work, clock)).build(), clock).runDue();

    assertThat(counting.reserved.get()).isEqualTo(2);
    assertThat(counting.released.get()).isEqualTo(2);
    assertThat(transport.sent()).isEmpty();
    assertThat(d.deferred(message("m", sendBy).tenant(), MessageId.of("m"))).isEmpty();
  }

  @Test
  void aTransportRetryPastTheSendByClosesTheLedgerAndReleasesOnce() {
    Instant sendBy = T0.plusSeconds(60);
    transport.respondWith(m -> SendResult.retryable(T0.plusSeconds(600), "429"));
    DispatchResult r = d.dispatch(message("m", sendBy));

    assertDroppedAndReleasedOnce(r);
    assertThat(counting.reserved.get()).isEqualTo(1);
    assertThat(ledger.find(r.message().tenant(), "m").orElseThrow().status())
        .isEqualTo(DeliveryStatus.FAILED);
  }
}
