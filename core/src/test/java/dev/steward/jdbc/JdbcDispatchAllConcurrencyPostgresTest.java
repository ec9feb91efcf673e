package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.steward.consent.ConsentGate;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.SendResult;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.FrequencyGate;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.testing.Concurrently;
import dev.steward.testing.Messages;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Two instances dispatch overlapping batches (the same messages to the same contacts, in different
 * orders) on one PostgreSQL database: no cap is exceeded, no message is sent twice, and neither
 * waits for the other forever.
 */
class JdbcDispatchAllConcurrencyPostgresTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  static final int CONTACTS = 20;
  static final int BATCHES = 6;
  static final int PER_DAY = 2;

  @Test
  void overlappingBatchesNeverExceedACapNorSendAMessageTwice() {
    TestDatabase db = TestDatabase.postgres();
    db.clear();
    List<Message> sent = new CopyOnWriteArrayList<>();
    List<List<Message>> batches = new ArrayList<>();
    for (int b = 0; b < BATCHES; b++) {
      List<Message> batch = new ArrayList<>();
      for (int c = 0; c < CONTACTS; c++) {
        batch.add(
            Messages.promo("c" + c)
                .account(AccountId.of("a" + c))
                .id(MessageId.of("m-" + b + "-" + c))
                .idempotencyKey("k-" + b + "-" + c)
                .build());
      }
      batches.add(batch);
    }
    List<List<DispatchResult>> results =
        assertTimeoutPreemptively(
            Duration.ofMinutes(2),
            () ->
                Concurrently.run(
                    2,
                    instance -> {
                      Dispatcher d = instance(db, sent);
                      Random order = new Random(instance);
                      List<DispatchResult> out = new ArrayList<>();
                      for (List<Message> batch : batches) {
                        List<Message> shuffled = new ArrayList<>(batch);
                        Collections.shuffle(shuffled, order);
                        out.addAll(d.dispatchAll(shuffled));
                      }
                      return out;
                    }));

    Map<MessageId, Integer> times = new HashMap<>();
    Map<String, Integer> perContact = new HashMap<>();
    for (Message m : sent) {
      times.merge(m.id(), 1, Integer::sum);
      perContact.merge(m.contact().value(), 1, Integer::sum);
    }
    assertThat(times.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
    assertThat(perContact.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(PER_DAY));
    // each contact had slots, so each got a send from one instance or the other
    assertThat(perContact).hasSize(CONTACTS);
    long sentResults =
        results.stream()
            .flatMap(List::stream)
            .filter(r -> r.status() == DispatchStatus.SENT)
            .count();
    assertThat(sentResults).isEqualTo(sent.size());
  }

  private static Dispatcher instance(TestDatabase db, List<Message> sent) {
    SettableClock clock = SettableClock.of(T0);
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(JdbcCapLedgerStore.of(db.dataSource()), clock)
            .policy(CapPolicy.builder().cap(Cap.perContact(PER_DAY, Window.day())).build())
            .build();
    return Dispatcher.builder(
            m -> {
              sent.add(m);
              return SendResult.accepted("sg-" + m.id());
            },
            clock)
        .gate(
            ConsentGate.of(
                JdbcConsentStore.of(db.dataSource()), JdbcSuppressionStore.of(db.dataSource())))
        .gate(FrequencyGate.of(limiter))
        .ledger(JdbcDeliveryLedger.of(db.dataSource()))
        .workStore(JdbcWorkStore.of(db.dataSource()))
        .build();
  }
}
