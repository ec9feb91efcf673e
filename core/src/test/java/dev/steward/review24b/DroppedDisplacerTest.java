package dev.steward.review24b;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DeferredMessage;
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
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.Priority;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A higher-priority message whose place in the slot's queue lies after its own send-by is dropped;
 * it must not first take a lower-priority message's place and move it back (displaced by a message
 * that never goes out, and perhaps past its own send-by).
 */
class DroppedDisplacerTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final Duration WEEK = Duration.ofDays(7);
  private static final Instant SLOT = T0.plus(WEEK);

  private final SettableClock clock = SettableClock.of(T0);
  private final List<DispatchResult> results = new CopyOnWriteArrayList<>();
  private final List<String> displaced = new CopyOnWriteArrayList<>();
  private final Dispatcher d =
      Dispatcher.builder(RecordingTransport.of(), clock)
          .gate(
              FrequencyGate.of(
                  FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
                      .policy(
                          CapPolicy.builder().cap(Cap.perContact(1, Window.rolling(WEEK))).build())
                      .build()))
          .workStore(InMemoryWorkStore.of(clock))
          .ledger(InMemoryDeliveryLedger.of())
          .lookAhead(Dispatcher.DEFAULT_LOOK_AHEAD)
          .listener(
              new DispatchListener() {
                @Override
                public void onResult(DispatchResult r) {
                  results.add(r);
                }

                @Override
                public void onDisplaced(DeferredMessage m, Message by) {
                  displaced.add(m.message().id().value() + " by " + by.id().value());
                }
              })
          .build();

  private static Message.Builder message(String id, Priority priority) {
    return Messages.promo("ada").id(MessageId.of(id)).idempotencyKey(id).priority(priority);
  }

  @Test
  void aDisplacerWhosePlaceIsPastItsSendByDisplacesNobody() {
    assertThat(d.dispatch(message("first", Priority.NORMAL).build()).status())
        .isEqualTo(DispatchStatus.SENT);
    clock.advance(Duration.ofDays(1));
    assertThat(d.dispatch(message("urgent", Priority.HIGH).build()).decision().notBefore())
        .contains(SLOT);
    Message low = message("newsletter", Priority.LOW).sendBy(SLOT.plusSeconds(1)).build();
    assertThat(d.dispatch(low).decision().notBefore()).contains(SLOT.plusSeconds(1));

    // its first free place (the LOW one's, a second after the slot) is after its send-by
    Message late = message("late", Priority.HIGH).sendBy(SLOT.plusMillis(500)).build();
    DispatchResult r = d.dispatch(late);

    assertThat(r.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(d.deferred(late.tenant(), late.id())).isEmpty();
    assertThat(displaced).isEmpty();
    assertThat(d.deferred(low.tenant(), low.id()))
        .hasValueSatisfying(
            w -> {
              assertThat(w.dueAt()).isEqualTo(SLOT.plusSeconds(1));
              assertThat(w.displacedBy()).isEmpty();
            });
    assertThat(results)
        .filteredOn(x -> x.message().id().equals(low.id()))
        .extracting(DispatchResult::status)
        .containsExactly(DispatchStatus.DEFERRED);
  }
}
