package dev.steward.review24w;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.journey.InMemoryJourneyAnalyticsStore;
import dev.steward.journey.JourneyFact;
import dev.steward.journey.JourneyMetric;
import dev.steward.journey.JourneyStepRef;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The in-memory analytics store skips a purge when its lower bound on the oldest mark is not before
 * the cutoff: marks recorded out of order, purges cut short by their maximum, and marks older than
 * every kept one recorded after a purge raised the bound are all still purged, exactly those before
 * each cutoff, against a model.
 */
class AnalyticsPurgeBoundTest {
  private static final JourneyStepRef AT = new JourneyStepRef("j", 1, "s");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void everyMarkBeforeACutoffIsPurgedWhateverTheOrderTheyCameIn() {
    for (long seed = 1; seed <= 30; seed++) {
      Random r = new Random(seed);
      InMemoryJourneyAnalyticsStore store = InMemoryJourneyAnalyticsStore.of();
      List<Instant> model = new ArrayList<>();
      int subject = 0;
      for (int round = 0; round < 40; round++) {
        int adds = r.nextInt(6);
        for (int i = 0; i < adds; i++) {
          Instant at = T0.plusSeconds(r.nextInt(1_000) * 3_600L);
          TenantId t = TenantId.of("t" + r.nextInt(3));
          JourneyMetric m = r.nextBoolean() ? JourneyMetric.SENT : JourneyMetric.ENTERED;
          assertThat(
                  store.record(new JourneyFact(t, "m-" + subject++, AT, m, Optional.empty(), at)))
              .isTrue();
          model.add(at);
        }
        Instant cutoff = T0.plusSeconds(r.nextInt(1_000) * 3_600L);
        int max = 1 + r.nextInt(4);
        long before = model.stream().filter(a -> a.isBefore(cutoff)).count();
        // purges cut short by their maximum, until one finds nothing before the cutoff
        long remaining = before;
        int purged;
        do {
          purged = store.purgeMarksBefore(cutoff, max);
          assertThat(purged)
              .as("seed %d round %d", seed, round)
              .isEqualTo((int) Math.min(max, remaining));
          remaining -= purged;
        } while (purged > 0);
        assertThat(remaining).isZero();
        model.removeIf(a -> a.isBefore(cutoff));
      }
      // at the end every mark before the end of time goes, a max at a time
      int left = model.size();
      int n = 0;
      int got;
      while ((got = store.purgeMarksBefore(T0.plusSeconds(10_000_000L), 3)) > 0) {
        n += got;
      }
      assertThat(n).as("seed %d", seed).isEqualTo(left);
    }
  }
}
