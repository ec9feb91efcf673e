package dev.steward.review24b;

import dev.steward.delivery.DeferredMessage;
import dev.steward.delivery.DispatchListener;
import dev.steward.delivery.DispatchResult;
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

/**
 * A dispatcher in memory whose one cap allows a contact one send a rolling week, with a look-ahead,
 * recording every result and every displacement ("moved by displacer") it reports.
 */
final class OneSendAWeek {
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  static final Duration WEEK = Duration.ofDays(7);

  /** The slot a send at {@link #T0} leaves free next. */
  static final Instant SLOT = T0.plus(WEEK);

  final SettableClock clock = SettableClock.of(T0);
  final List<DispatchResult> results = new CopyOnWriteArrayList<>();
  final List<String> displaced = new CopyOnWriteArrayList<>();
  final Dispatcher dispatcher;

  OneSendAWeek(Duration lookAhead) {
    dispatcher =
        Dispatcher.builder(RecordingTransport.of(), clock)
            .gate(
                FrequencyGate.of(
                    FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
                        .policy(
                            CapPolicy.builder()
                                .cap(Cap.perContact(1, Window.rolling(WEEK)))
                                .build())
                        .build()))
            .workStore(InMemoryWorkStore.of(clock))
            .ledger(InMemoryDeliveryLedger.of())
            .lookAhead(lookAhead)
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
  }

  /** A promotion to one contact, keyed by its id. */
  static Message.Builder message(String id, Priority priority) {
    return Messages.promo("ada").id(MessageId.of(id)).idempotencyKey(id).priority(priority);
  }
}
