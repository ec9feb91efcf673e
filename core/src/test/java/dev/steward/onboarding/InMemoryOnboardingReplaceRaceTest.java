package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many threads replacing one record from the same version: exactly one may succeed each round. The
 * store's skip list may run its update function more than once and keep only the last answer, so a
 * flag set by an earlier run once let two writers both believe they had won.
 */
class InMemoryOnboardingReplaceRaceTest {

  @Test
  void exactlyOneReplaceFromAVersionWinsEachRound() throws Exception {
    InMemoryOnboardingStore store = InMemoryOnboardingStore.of();
    int threads = 8;
    int rounds = 300;
    AtomicInteger winners = new AtomicInteger();
    AtomicInteger extraWinners = new AtomicInteger();
    Instant at = Instant.parse("2026-03-02T10:00:00Z");
    for (int round = 0; round < rounds; round++) {
      TenantId t = TenantId.of("t" + round);
      OnboardingRecord first = OnboardingRecord.enrolled(t, Actor.human("ops"), at);
      store.insert(first);
      CyclicBarrier start = new CyclicBarrier(threads);
      AtomicInteger wonThisRound = new AtomicInteger();
      List<Thread> all = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int n = i;
        Thread th =
            new Thread(
                () -> {
                  try {
                    start.await();
                    Transition move =
                        new Transition(
                            OnboardingState.VETTING,
                            OnboardingState.REJECTED,
                            Actor.human("ops-" + n),
                            at,
                            "writer " + n);
                    if (store.replace(
                        first.version(), first.moved(move, java.util.Optional.empty()))) {
                      wonThisRound.incrementAndGet();
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        th.start();
        all.add(th);
      }
      for (Thread th : all) {
        th.join();
      }
      winners.addAndGet(Math.min(1, wonThisRound.get()));
      extraWinners.addAndGet(Math.max(0, wonThisRound.get() - 1));
      assertThat(store.find(t).orElseThrow().version()).isEqualTo(first.version() + 1);
    }
    assertThat(extraWinners).as("rounds with more than one winner").hasValue(0);
    assertThat(winners).hasValue(rounds);
  }
}
