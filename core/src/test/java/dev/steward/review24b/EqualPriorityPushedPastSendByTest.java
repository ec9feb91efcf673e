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
 * A message of priority HIGH queued behind a LOW one (the slot was beyond the horizon then) must
 * not be moved back past its send-by, and so dropped, by a later HIGH message taking the LOW one's
 * place within the horizon: equal priorities keep the order they came in, and the later one queues
 * after.
 */
class EqualPriorityPushedPastSendByTest {
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
          .lookAhead(Duration.ofDays(3))
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
  void anEarlierEqualPriorityMessageIsNotPushedPastItsSendBy() {
    assertThat(d.dispatch(message("first", Priority.NORMAL).build()).status())
        .isEqualTo(DispatchStatus.SENT);
    assertThat(d.dispatch(message("low", Priority.LOW).build()).decision().notBefore())
        .contains(SLOT);
    Message h0 = message("h0", Priority.HIGH).sendBy(SLOT.plusSeconds(1)).build();
    assertThat(d.dispatch(h0).decision().notBefore()).contains(SLOT.plusSeconds(1));
    clock.advance(Duration.ofDays(5));
    Message h = message("h", Priority.HIGH).build();
    DispatchResult r = d.dispatch(h);

    assertThat(r.status()).isEqualTo(DispatchStatus.DEFERRED);
    assertThat(d.deferred(h0.tenant(), h0.id()))
        .hasValueSatisfying(w -> assertThat(w.dueAt()).isEqualTo(SLOT.plusSeconds(1)));
    assertThat(results)
        .filteredOn(x -> x.message().id().equals(h0.id()))
        .extracting(DispatchResult::status)
        .containsExactly(DispatchStatus.DEFERRED);
    assertThat(r.decision().notBefore()).contains(SLOT.plusSeconds(2));
  }
}
