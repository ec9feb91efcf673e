package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.Message;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkState;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.DueDispatches;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class DispatcherTest {
  final DueDispatches dueRuns = new DueDispatches();
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  final SettableClock clock = SettableClock.of(T0);
  final RecordingTransport transport = RecordingTransport.of();

  /** A gate whose answer the test scripts, and which counts reservations and releases. */
  static class ScriptedGate implements Gate {
    final String name;
    BiFunction<Message, Instant, Decision> answer;
    final AtomicInteger reserved = new AtomicInteger();
    final List<Message> released = new ArrayList<>();

    ScriptedGate(String name, BiFunction<Message, Instant, Decision> answer) {
      this.name = name;
      this.answer = answer;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Decision evaluate(Message message, Instant now) {
      Decision d = answer.apply(message, now);
      if (d.isAllowed()) {
        reserved.incrementAndGet();
      }
      return d;
    }

    @Override
    public void release(Message message, Instant decidedAt) {
      reserved.decrementAndGet();
      released.add(message);
    }
  }

  static Decision allow(String gate) {
    return Decision.allow(Reason.of(gate, "ok", Outcome.ALLOW, "fine"));
  }

  @Test
  void allowedMessageIsSentAndRecordedInTheLedger() {
    ScriptedGate g = new ScriptedGate("a", (m, t) -> allow("a"));
    Dispatcher d = Dispatcher.builder(transport, clock).listener(dueRuns).gate(g).build();
    Message m = Messages.promo("c1").build();

    DispatchResult r = d.dispatch(m);

    assertThat(r.status()).isEqualTo(DispatchStatus.SENT);
    assertThat(r.decision().reasons()).extracting(Reason::gate).containsExactly("a");
    assertThat(transport.sent()).containsExactly(m);
    assertThat(d.ledger().find(m.tenant(), m.idempotencyKey()))
        .hasValueSatisfying(rec -> assertThat(rec.status()).isEqualTo(DeliveryStatus.SENT));
  }

  @Test
  void deferredMessageIsKeptAndReEvaluatedAtItsTime() {
    Instant later = T0.plus(Duration.ofHours(3));
    ScriptedGate g =
        new ScriptedGate(
            "cap",
            (m, t) ->
                t.isBefore(later)
                    ? Decision.defer(later, List.of(Reason.of("cap", "r", Outcome.DEFER, "full")))
                    : allow("cap"));
    Dispatcher d = Dispatcher.builder(transport, clock).listener(dueRuns).gate(g).build();
    Message m = Messages.promo("c1").build();

    DispatchResult r = d.dispatch(m);
    assertThat(r.status()).isEqualTo(DispatchStatus.DEFERRED);
    assertThat(r.decision().notBefore().orElseThrow()).isEqualTo(later);
    assertThat(d.deferred(m.tenant(), m.id()))
        .hasValueSatisfying(
            dm -> {
              assertThat(dm.dueAt()).isEqualTo(later);
              assertThat(dm.attempts()).isEqualTo(1);
              assertThat(dm.reason()).contains("cap/r: full");
            });

    clock.set(later.minusSeconds(1));
    assertThat(dueRuns.run(d, clock)).isEmpty();
    assertThat(transport.sent()).isEmpty();

    clock.set(later);
    List<DispatchResult> due = dueRuns.run(d, clock);
    assertThat(due).extracting(DispatchResult::status).containsExactly(DispatchStatus.SENT);
    assertThat(transport.sent()).containsExactly(m);
    assertThat(d.workStore().count(WorkState.READY)).isZero();
  }

  @Test
  void suppressionAtALaterGateReleasesEarlierReservationsAndSendsNothing() {
    ScriptedGate first = new ScriptedGate("first", (m, t) -> allow("first"));
    ScriptedGate second = new ScriptedGate("second", (m, t) -> allow("second"));
    ScriptedGate third =
        new ScriptedGate(
            "third",
            (m, t) -> Decision.suppress(Reason.of("third", "no", Outcome.SUPPRESS, "suspended")));
    Dispatcher d =
        Dispatcher.builder(transport, clock)
            .listener(dueRuns)
            .gate(first)
            .gate(second)
            .gate(third)
            .build();
    Message m = Messages.promo("c1").build();

    DispatchResult r = d.dispatch(m);

    assertThat(r.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(r.decision().reasons())
        .extracting(Reason::gate)
        .containsExactly("first", "second", "third");
    assertThat(first.reserved).hasValue(0);
    assertThat(second.reserved).hasValue(0);
    assertThat(transport.sent()).isEmpty();
    assertThat(d.workStore().count(WorkState.READY)).isZero();
    assertThat(d.ledger().find(m.tenant(), m.idempotencyKey())).isEmpty();
  }

  @Test
  void aSecondMessageWithTheSameIdempotencyKeyIsNotSent() {
    ScriptedGate g = new ScriptedGate("g", (m, t) -> allow("g"));
    Dispatcher d = Dispatcher.builder(transport, clock).listener(dueRuns).gate(g).build();
    Message first = Messages.promo("c1").idempotencyKey("order-42").build();
    Message again = Messages.promo("c1").idempotencyKey("order-42").build();

    assertThat(d.dispatch(first).status()).isEqualTo(DispatchStatus.SENT);
    DispatchResult r = d.dispatch(again);

    assertThat(r.status()).isEqualTo(DispatchStatus.DUPLICATE);
    assertThat(r.decision().reasons().get(0).detail()).contains(first.id().value());
    assertThat(transport.sent()).containsExactly(first);
    assertThat(g.reserved).hasValue(1);
  }

  @Test
  void retryableTransportFailureReleasesTheSlotAndRetriesAtTheProvidersTime() {
    ScriptedGate g = new ScriptedGate("g", (m, t) -> allow("g"));
    Dispatcher d =
        Dispatcher.builder(transport, clock)
            .listener(dueRuns)
            .gate(g)
            .retryDelay(Duration.ofSeconds(10))
            .build();
    Instant reset = T0.plusSeconds(120);
    transport.respondWith(m -> SendResult.retryable(reset, "429 too many requests"));
    Message m = Messages.promo("c1").build();

    DispatchResult r = d.dispatch(m);

    assertThat(r.status()).isEqualTo(DispatchStatus.DEFERRED);
    assertThat(r.decision().notBefore().orElseThrow()).isEqualTo(reset);
    assertThat(g.reserved).hasValue(0);
    assertThat(d.ledger().find(m.tenant(), m.idempotencyKey()).orElseThrow().status())
        .isEqualTo(DeliveryStatus.RETRYING);

    transport.acceptAll();
    clock.set(reset);
    assertThat(dueRuns.run(d, clock))
        .extracting(DispatchResult::status)
        .containsExactly(DispatchStatus.SENT);
    assertThat(transport.sent()).containsExactly(m);
    assertThat(g.reserved).hasValue(1);
  }

  @Test
  void retryableFailuresBackOffExponentiallyAndGiveUpAfterTheMaximum() {
    Dispatcher d =
        Dispatcher.builder(transport, clock)
            .listener(dueRuns)
            .retryDelay(Duration.ofSeconds(10))
            .maxTransportAttempts(3)
            .build();
    transport.respondWith(m -> SendResult.retryable(null, "503"));
    Message m = Messages.promo("c1").build();

    DispatchResult first = d.dispatch(m);
    assertThat(first.decision().notBefore().orElseThrow()).isEqualTo(T0.plusSeconds(10));
    clock.set(T0.plusSeconds(10));
    DispatchResult second = dueRuns.run(d, clock).get(0);
    assertThat(second.decision().notBefore().orElseThrow()).isEqualTo(T0.plusSeconds(10 + 20));
    clock.set(T0.plusSeconds(30));
    DispatchResult third = dueRuns.run(d, clock).get(0);

    assertThat(third.status()).isEqualTo(DispatchStatus.FAILED);
    assertThat(d.workStore().count(WorkState.READY)).isZero();
    assertThat(d.ledger().find(m.tenant(), m.idempotencyKey()).orElseThrow().status())
        .isEqualTo(DeliveryStatus.FAILED);
  }

  @Test
  void unknownOutcomeIsNeverResentAndKeepsTheReservation() {
    ScriptedGate g = new ScriptedGate("g", (m, t) -> allow("g"));
    Dispatcher d = Dispatcher.builder(transport, clock).listener(dueRuns).gate(g).build();
    transport.respondWith(
        m -> {
          throw new IllegalStateException("socket timeout after write");
        });
    Message m = Messages.promo("c1").build();

    DispatchResult r = d.dispatch(m);
    transport.acceptAll();
    DispatchResult again = d.dispatch(m);
    DispatchResult otherWithSameKey =
        d.dispatch(Messages.promo("c1").idempotencyKey(m.idempotencyKey()).build());

    assertThat(r.status()).isEqualTo(DispatchStatus.UNKNOWN);
    assertThat(again.status())
        .as("the same message: still unsettled")
        .isEqualTo(DispatchStatus.UNKNOWN);
    assertThat(again.decision().reasons().get(0).rule()).isEqualTo("unknown-outcome");
    assertThat(otherWithSameKey.status()).isEqualTo(DispatchStatus.DUPLICATE);
    assertThat(transport.sent()).isEmpty();
    assertThat(g.reserved).hasValue(1);
    // it waits, as due work, for the provider's events to settle it
    assertThat(d.deferred(m.tenant(), m.id()))
        .hasValueSatisfying(w -> assertThat(w.reason()).isEqualTo("outcome unknown"));
  }

  @Test
  void rejectedMessageFailsAndReleases() {
    ScriptedGate g = new ScriptedGate("g", (m, t) -> allow("g"));
    Dispatcher d = Dispatcher.builder(transport, clock).listener(dueRuns).gate(g).build();
    transport.respondWith(m -> SendResult.rejected("400 invalid from"));

    DispatchResult r = d.dispatch(Messages.promo("c1").build());

    assertThat(r.status()).isEqualTo(DispatchStatus.FAILED);
    assertThat(r.decision().reasons())
        .last()
        .extracting(Reason::detail)
        .isEqualTo("400 invalid from");
    assertThat(g.reserved).hasValue(0);
  }

  @Test
  void aCrashedInstancesClaimIsTakenOverAfterItsLease() {
    Instant due = T0.plusSeconds(60);
    AtomicInteger calls = new AtomicInteger();
    ScriptedGate g =
        new ScriptedGate(
            "g",
            (m, t) -> {
              int n = calls.incrementAndGet();
              if (n == 1) {
                return Decision.defer(due, List.of(Reason.of("g", "r", Outcome.DEFER, "later")));
              }
              return allow("g");
            });
    WorkStore store = InMemoryWorkStore.of(clock);
    Dispatcher a =
        Dispatcher.builder(transport, clock).listener(dueRuns).gate(g).workStore(store).build();
    Dispatcher b =
        Dispatcher.builder(transport, clock).listener(dueRuns).gate(g).workStore(store).build();
    Message m = Messages.promo("c1").build();

    a.dispatch(m);
    clock.set(due);
    // instance a claims the message and dies before it finishes: its lease is never renewed
    assertThat(store.claim(ClaimRequest.of(clock.instant(), 10, "a", Duration.ofMinutes(5))))
        .hasSize(1);
    assertThat(dueRuns.run(b, clock)).isEmpty(); // still held by a
    clock.set(due.plus(Duration.ofMinutes(5)));
    assertThat(dueRuns.run(b, clock))
        .extracting(DispatchResult::status)
        .containsExactly(DispatchStatus.SENT);
    assertThat(transport.sent()).containsExactly(m);
    assertThat(store.count(WorkState.READY)).isZero();
  }

  @Test
  void listenersSeeEveryGateDecisionAndResultAndCannotBreakTheDispatch() {
    List<String> seen = new ArrayList<>();
    Dispatcher d =
        Dispatcher.builder(transport, clock)
            .listener(dueRuns)
            .gate(new ScriptedGate("g", (m, t) -> allow("g")))
            .listener(
                new DispatchListener() {
                  @Override
                  public void onGateDecision(Message message, String gate, Decision decision) {
                    seen.add(gate + ":" + decision.outcome());
                    throw new IllegalStateException("bad listener");
                  }

                  @Override
                  public void onResult(DispatchResult result) {
                    seen.add("result:" + result.status());
                  }
                })
            .build();

    assertThat(d.dispatch(Messages.promo("c1").build()).status()).isEqualTo(DispatchStatus.SENT);
    assertThat(seen).containsExactly("g:ALLOW", "result:SENT");
  }

  @Test
  void builderRefusesDuplicateGateNamesAndBadSettings() {
    Dispatcher.Builder b =
        Dispatcher.builder(transport, clock)
            .listener(dueRuns)
            .gate(new ScriptedGate("x", (m, t) -> allow("x")));
    assertThatThrownBy(() -> b.gate(new ScriptedGate("x", (m, t) -> allow("x"))))
        .hasMessageContaining("'x'");
    assertThatThrownBy(() -> b.settleWithin(Duration.ZERO)).hasMessageContaining("settleWithin");
    assertThatThrownBy(() -> b.maxTransportAttempts(0))
        .hasMessageContaining("maxTransportAttempts");
  }

  /** A ledger whose writes fail on demand, as a database that goes away would. */
  static final class FlakyLedger implements DeliveryLedger {
    final InMemoryDeliveryLedger delegate = InMemoryDeliveryLedger.of();
    volatile boolean failIntent;
    volatile DeliveryStatus failOn;

    @Override
    public boolean recordIntent(Message m, Instant at) {
      if (failIntent) {
        throw new IllegalStateException("database down");
      }
      return delegate.recordIntent(m, at);
    }

    @Override
    public boolean markOutcome(
        dev.steward.model.TenantId tenant,
        String key,
        DeliveryStatus status,
        String providerId,
        Instant at) {
      if (status == failOn) {
        failOn = null;
        throw new IllegalStateException("database down");
      }
      return delegate.markOutcome(tenant, key, status, providerId, at);
    }

    @Override
    public java.util.Optional<DeliveryRecord> find(dev.steward.model.TenantId tenant, String key) {
      return delegate.find(tenant, key);
    }

    @Override
    public java.util.List<DeliveryRecord> forAccount(
        dev.steward.model.TenantId tenant,
        dev.steward.model.AccountId account,
        Instant from,
        Instant to,
        int max) {
      return delegate.forAccount(tenant, account, from, to, max);
    }

    @Override
    public int eraseContact(
        dev.steward.model.TenantId tenant, dev.steward.model.ContactId contact) {
      return delegate.eraseContact(tenant, contact);
    }

    @Override
    public int eraseTenant(dev.steward.model.TenantId tenant) {
      return delegate.eraseTenant(tenant);
    }

    @Override
    public java.util.Optional<DeliveryRecord> findByMessage(dev.steward.model.MessageId id) {
      return delegate.findByMessage(id);
    }

    @Override
    public List<DeliveryRecord> unsettled(Instant olderThan, int max) {
      return delegate.unsettled(olderThan, max);
    }
  }

  @Test
  void aLedgerFailureBeforeSendingReleasesEveryReservation() {
    ScriptedGate g = new ScriptedGate("frequency", (m, t) -> allow("frequency"));
    FlakyLedger ledger = new FlakyLedger();
    ledger.failIntent = true;
    Dispatcher d =
        Dispatcher.builder(transport, clock).listener(dueRuns).gate(g).ledger(ledger).build();

    assertThatThrownBy(() -> d.dispatch(Messages.promo("c1").build())).hasMessage("database down");

    assertThat(g.reserved).hasValue(0);
    assertThat(transport.sent()).isEmpty();
  }

  @Test
  void aGateThatThrowsReleasesWhatEarlierGatesReserved() {
    ScriptedGate first = new ScriptedGate("first", (m, t) -> allow("first"));
    ScriptedGate broken =
        new ScriptedGate(
            "broken",
            (m, t) -> {
              throw new IllegalStateException("tenant store down");
            });
    Dispatcher d =
        Dispatcher.builder(transport, clock).listener(dueRuns).gate(first).gate(broken).build();

    assertThatThrownBy(() -> d.dispatch(Messages.promo("c1").build()))
        .hasMessage("tenant store down");

    assertThat(first.reserved).hasValue(0);
  }

  @Test
  void deferralsByGatesDoNotUseUpTransportAttempts() {
    AtomicInteger calls = new AtomicInteger();
    ScriptedGate g =
        new ScriptedGate(
            "frequency",
            (m, t) ->
                calls.incrementAndGet() <= 7
                    ? Decision.defer(
                        t.plus(Duration.ofDays(1)),
                        List.of(Reason.of("frequency", "cap", Outcome.DEFER, "full")))
                    : allow("frequency"));
    transport.respondWith(m -> SendResult.retryable(null, "503"));
    Dispatcher d =
        Dispatcher.builder(transport, clock)
            .listener(dueRuns)
            .gate(g)
            .retryDelay(Duration.ofSeconds(10))
            .build();
    Message m = Messages.promo("c1").build();
    d.dispatch(m);
    DispatchResult last = null;
    for (int i = 0; i < 7; i++) {
      clock.advance(Duration.ofDays(1));
      last = dueRuns.run(d, clock).get(0);
    }

    // the first transport failure after seven deferrals by the caps: deferred, with the first delay
    assertThat(last.status()).isEqualTo(DispatchStatus.DEFERRED);
    assertThat(last.decision().notBefore().orElseThrow())
        .isEqualTo(clock.instant().plusSeconds(10));
    DeferredMessage kept = d.deferred(m.tenant(), m.id()).orElseThrow();
    assertThat(kept.attempts()).isEqualTo(8);
    assertThat(kept.transportFailures()).isEqualTo(1);
  }

  @Test
  void anAttemptInterruptedAfterItsIntentIsReportedUnknownNeverDroppedOrResent() {
    Instant due = T0.plusSeconds(60);
    AtomicInteger calls = new AtomicInteger();
    ScriptedGate g =
        new ScriptedGate(
            "g",
            (m, t) ->
                calls.incrementAndGet() == 1
                    ? Decision.defer(due, List.of(Reason.of("g", "r", Outcome.DEFER, "later")))
                    : allow("g"));
    FlakyLedger ledger = new FlakyLedger();
    transport.respondWith(m -> SendResult.retryable(null, "503"));
    Dispatcher d =
        Dispatcher.builder(transport, clock).listener(dueRuns).gate(g).ledger(ledger).build();
    Message m = Messages.promo("c1").build();
    d.dispatch(m);

    clock.set(due);
    ledger.failOn = DeliveryStatus.RETRYING; // the 503 cannot be recorded: the instance is stuck
    assertThat(dueRuns.run(d, clock)).isEmpty();
    transport.acceptAll();
    clock.set(due.plus(Duration.ofMinutes(5)));
    List<DispatchResult> retry = dueRuns.run(d, clock);

    assertThat(retry).extracting(DispatchResult::status).containsExactly(DispatchStatus.UNKNOWN);
    assertThat(transport.sent()).isEmpty();
    assertThat(ledger.find(m.tenant(), m.idempotencyKey()).orElseThrow().status())
        .isEqualTo(DeliveryStatus.UNKNOWN);
  }

  @Test
  void aMessageCancelledWhileClaimedIsNotBroughtBackByItsDeferral() {
    Instant due = T0.plusSeconds(60);
    WorkStore store = InMemoryWorkStore.of(clock);
    Message m = Messages.promo("c1").build();
    ScriptedGate g =
        new ScriptedGate(
            "g",
            (msg, t) -> {
              if (t.isBefore(due)) {
                return Decision.defer(due, List.of(Reason.of("g", "r", Outcome.DEFER, "later")));
              }
              // erasure lands while this instance works on the message
              store.cancelSubject(msg.tenant(), msg.contact().value());
              return Decision.defer(
                  due.plusSeconds(60), List.of(Reason.of("g", "r", Outcome.DEFER, "later")));
            });
    Dispatcher d =
        Dispatcher.builder(transport, clock).listener(dueRuns).gate(g).workStore(store).build();
    d.dispatch(m);

    clock.set(due);
    dueRuns.run(d, clock);

    // the deferral's reschedule held a lease the cancellation took away: it changed nothing
    assertThat(store.count(WorkState.READY)).isZero();
    assertThat(d.deferred(m.tenant(), m.id())).isEmpty();
  }
}
