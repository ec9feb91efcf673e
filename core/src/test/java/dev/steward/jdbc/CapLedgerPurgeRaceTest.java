package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.frequency.Cap;
import dev.steward.frequency.CapLedgerRetention;
import dev.steward.frequency.CapLedgerStore;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.SendLog;
import dev.steward.frequency.SubjectKey;
import dev.steward.frequency.Window;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import dev.steward.testing.Messages;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The purge of idle send logs on a real PostgreSQL, running while two other instances decide for
 * the same contacts: a log that a decision wrote after the purge judged it idle must survive, or
 * the contact's next decision would not count that send and the cap would be exceeded.
 */
class CapLedgerPurgeRaceTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final Instant T0 = Instant.parse("2026-03-04T12:00:00Z");
  private static final int CONTACTS = 100;
  private static final int CAP = 2;

  @BeforeEach
  void clean() {
    DB.clear();
  }

  @Test
  void aPurgeRacingDecisionsOnOtherInstancesNeverLosesACountedSend() {
    SettableClock clock = SettableClock.of(T0);
    CapPolicy policy =
        CapPolicy.builder().cap(Cap.perContact(CAP, Window.rolling(Duration.ofHours(1)))).build();
    List<FrequencyCapLimiter> deciders = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      CapLedgerStore store = JdbcCapLedgerStore.of(DB.dataSource());
      deciders.add(FrequencyCapLimiter.builder(store, clock).policy(policy).build());
    }
    CapLedgerStore purgingStore = JdbcCapLedgerStore.of(DB.dataSource());
    FrequencyCapLimiter purgingLimiter =
        FrequencyCapLimiter.builder(purgingStore, clock).policy(policy).build();
    CapLedgerRetention retention =
        CapLedgerRetention.builder(purgingStore, clock)
            .limiter(purgingLimiter)
            .grace(Duration.ZERO)
            .build();
    Message[] messages = new Message[CONTACTS];
    for (int c = 0; c < CONTACTS; c++) {
      messages[c] = Messages.promo("contact-" + c).build();
    }
    int purgedInAll = 0;

    for (int round = 0; round < 3; round++) {
      // every log of the round before is now idle past the retention: all are purge candidates
      clock.set(T0.plus(Duration.ofHours(2).multipliedBy(round)));
      AtomicIntegerArray allowed = new AtomicIntegerArray(CONTACTS);
      AtomicInteger decidersLeft = new AtomicInteger(4);
      AtomicBoolean stop = new AtomicBoolean();
      List<Integer> purged =
          Concurrently.run(
              5,
              t -> {
                if (t == 4) {
                  // small batches: many reads and deletes interleave with the decisions
                  int n = 0;
                  while (!stop.get()) {
                    n += retention.purge(7);
                  }
                  return n + retention.purge(1_000);
                }
                FrequencyCapLimiter limiter = deciders.get(t % 2);
                try {
                  // threads walk the contacts in different orders, each contact asked CAP + 1 times
                  for (int i = 0; i < CONTACTS * (CAP + 1); i++) {
                    int c = t < 2 ? i % CONTACTS : (CONTACTS - 1) - (i % CONTACTS);
                    if (limiter.decide(messages[c]).isAllowed()) {
                      allowed.incrementAndGet(c);
                    }
                  }
                  return 0;
                } finally {
                  if (decidersLeft.decrementAndGet() == 0) {
                    stop.set(true);
                  }
                }
              });
      purgedInAll += purged.get(4);

      for (int c = 0; c < CONTACTS; c++) {
        assertThat(allowed.get(c)).as("round %d, contact %d", round, c).isEqualTo(CAP);
        SendLog log =
            purgingStore
                .read(
                    List.of(
                        SubjectKey.contact(
                            TenantId.of("isv-tenant"), ContactId.of("contact-" + c))))
                .get(0);
        // exactly this round's sends: the round before was purged or pruned, nothing of this one
        assertThat(log.size()).as("round %d, log of contact %d", round, c).isEqualTo(CAP);
      }
    }
    // the race was real: the purge removed logs of earlier rounds while the deciders worked
    assertThat(purgedInAll).isPositive();
  }
}
