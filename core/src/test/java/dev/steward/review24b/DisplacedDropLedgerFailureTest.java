package dev.steward.review24b;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DeliveryLedger;
import dev.steward.delivery.DeliveryRecord;
import dev.steward.delivery.DeliveryStatus;
import dev.steward.delivery.DispatchListener;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.InMemoryDeliveryLedger;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.FrequencyGate;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.Priority;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A lower-priority message moved back past its send-by by a higher-priority one is dropped; the
 * ledger failing while that drop is recorded must neither fail the higher one's dispatch (its
 * deferral is stored already) nor lose the lower one without a word.
 */
class DisplacedDropLedgerFailureTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final Duration WEEK = Duration.ofDays(7);
  private static final Instant SLOT = T0.plus(WEEK);

  private final SettableClock clock = SettableClock.of(T0);
  private final RecordingTransport transport = RecordingTransport.of();
  private final FailingLedger ledger = new FailingLedger(InMemoryDeliveryLedger.of());
  private final InMemoryWorkStore work = InMemoryWorkStore.of(clock);
  private final List<DispatchResult> results = new CopyOnWriteArrayList<>();
  private final Dispatcher d =
      Dispatcher.builder(transport, clock)
          .gate(
              FrequencyGate.of(
                  FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
                      .policy(
                          CapPolicy.builder().cap(Cap.perContact(1, Window.rolling(WEEK))).build())
                      .build()))
          .workStore(work)
          .ledger(ledger)
          .lookAhead(Dispatcher.DEFAULT_LOOK_AHEAD)
          .listener(
              new DispatchListener() {
                @Override
                public void onResult(DispatchResult r) {
                  results.add(r);
                }
              })
          .build();

  private static Message message(String id, Priority priority) {
    return Messages.promo("ada").id(MessageId.of(id)).idempotencyKey(id).priority(priority).build();
  }

  @Test
  void aLedgerFailingWhileTheDisplacedMessageIsDroppedDoesNotFailTheDisplacerNorLoseTheDrop() {
    assertThat(d.dispatch(message("first", Priority.NORMAL)).status())
        .isEqualTo(DispatchStatus.SENT);
    clock.advance(Duration.ofDays(1));
    Message low = message("newsletter", Priority.LOW).toBuilder().sendBy(SLOT).build();
    assertThat(d.dispatch(low).decision().notBefore()).contains(SLOT);
    clock.advance(Duration.ofDays(1));
    Message high = message("renewal", Priority.HIGH);

    ledger.failFor = low.idempotencyKey();
    DispatchResult r = d.dispatch(high);
    ledger.failFor = null;

    assertThat(r.status()).isEqualTo(DispatchStatus.DEFERRED);
    assertThat(r.decision().notBefore()).contains(SLOT);
    ManualWorkDriver.of(d.registerWith(WorkRunner.builder(work, clock)).build(), clock)
        .advanceTo(SLOT.plus(WEEK).plus(WEEK));
    assertThat(transport.sent())
        .extracting(m -> m.id().value())
        .containsExactly("first", "renewal");
    // the low message is told dropped for its send-by, once
    assertThat(results)
        .filteredOn(x -> x.message().id().equals(low.id()))
        .filteredOn(x -> x.status() != DispatchStatus.DEFERRED)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.status()).isEqualTo(DispatchStatus.SUPPRESSED);
              assertThat(x.decision().reasons())
                  .anyMatch(reason -> reason.gate().equals(Dispatcher.SEND_BY));
            });
    assertThat(d.deferred(low.tenant(), low.id())).isEmpty();
  }

  /**
   * A ledger whose reads and writes of one idempotency key fail while {@link #failFor} names it.
   */
  static final class FailingLedger implements DeliveryLedger {
    private final DeliveryLedger inner;
    volatile String failFor;

    FailingLedger(DeliveryLedger inner) {
      this.inner = inner;
    }

    private void check(String key) {
      if (key.equals(failFor)) {
        throw new IllegalStateException("ledger down for " + key);
      }
    }

    @Override
    public boolean recordIntent(Message message, Instant at) {
      check(message.idempotencyKey());
      return inner.recordIntent(message, at);
    }

    @Override
    public boolean markOutcome(
        TenantId tenant,
        String idempotencyKey,
        DeliveryStatus status,
        String providerMessageId,
        Instant at) {
      check(idempotencyKey);
      return inner.markOutcome(tenant, idempotencyKey, status, providerMessageId, at);
    }

    @Override
    public Optional<DeliveryRecord> find(TenantId tenant, String idempotencyKey) {
      check(idempotencyKey);
      return inner.find(tenant, idempotencyKey);
    }

    @Override
    public Optional<DeliveryRecord> findByMessage(MessageId messageId) {
      return inner.findByMessage(messageId);
    }

    @Override
    public List<DeliveryRecord> unsettled(Instant olderThan, int max) {
      return inner.unsettled(olderThan, max);
    }

    @Override
    public List<DeliveryRecord> forAccount(
        TenantId tenant, AccountId account, Instant from, Instant to, int max) {
      return inner.forAccount(tenant, account, from, to, max);
    }

    @Override
    public int eraseContact(TenantId tenant, ContactId contact) {
      return inner.eraseContact(tenant, contact);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      return inner.eraseTenant(tenant);
    }
  }
}
