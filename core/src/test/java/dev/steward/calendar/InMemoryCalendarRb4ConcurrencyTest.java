package dev.steward.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.testing.Concurrently;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Hostile review (rb4): threads race plans of the same entries, each with its own seqs in a
 * shuffled order, into one rewritten in-memory calendar store (a plan's seq kept beside its entry
 * and changed in place): whatever the order, each entry ends as the plan of the highest seq wrote
 * it, and a cancel of a seq below it changes nothing.
 */
class InMemoryCalendarRb4ConcurrencyTest {
  private static final int THREADS = 4;
  private static final int ENTRIES = 40;
  private static final int SEQS_PER_THREAD = 10;

  @RepeatedTest(3)
  void theHighestSeqsPlanWinsWhateverTheOrder() {
    CalendarStore store = InMemoryCalendarStore.of();
    Concurrently.run(
        THREADS,
        n -> {
          // thread n plans seqs n + 1, n + 1 + THREADS, ... of every entry, in a shuffled order
          List<Integer> seqs = new ArrayList<>();
          for (int i = 0; i < SEQS_PER_THREAD; i++) {
            seqs.add(1 + n + i * THREADS);
          }
          Collections.shuffle(seqs, new Random(n));
          for (int seq : seqs) {
            for (int e = 0; e < ENTRIES; e++) {
              store.putPlanned(planned(e, seq), seq);
              store.cancelPlanned(CalendarFixtures.TENANT, "e" + e, seq - 1L);
            }
          }
          return null;
        });

    int highest = THREADS * SEQS_PER_THREAD;
    for (int e = 0; e < ENTRIES; e++) {
      assertThat(store.find(CalendarFixtures.TENANT, "e" + e)).contains(planned(e, highest));
      assertThat(store.cancelPlanned(CalendarFixtures.TENANT, "e" + e, highest - 1L)).isFalse();
    }
  }

  /** Entry {@code e} as the plan of {@code seq} writes it: the seq shows in its time. */
  private static CalendarEntry planned(int e, int seq) {
    return CalendarFixtures.to(
        "e" + e,
        "cs",
        CalendarFixtures.ANA,
        Instant.parse("2026-03-02T09:00:00Z").plusSeconds(seq).toString());
  }
}
