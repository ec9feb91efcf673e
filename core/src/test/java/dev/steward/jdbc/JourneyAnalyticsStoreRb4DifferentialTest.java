package dev.steward.jdbc;

import static dev.steward.jdbc.Rb4Differential.pick;

import dev.steward.journey.InMemoryJourneyAnalyticsStore;
import dev.steward.journey.JourneyAnalyticsStore;
import dev.steward.journey.JourneyFact;
import dev.steward.journey.JourneyMetric;
import dev.steward.journey.JourneyStepRef;
import dev.steward.journey.StepCount;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile review (rb4): the rewritten in-memory journey analytics store (a subject's marks in slots
 * for the metrics counted only) and the JDBC one on H2 answer every call of the same random
 * sequence alike: facts of every metric over a few subjects (one at the longest), steps of two
 * journeys and versions, reads of a message's step, counts, purges of marks that take some of a
 * subject's metrics and keep others, and erasures of tenants.
 */
class JourneyAnalyticsStoreRb4DifferentialTest {
  private static final TestDatabase DB =
      TestDatabase.h2(JourneyAnalyticsStoreRb4DifferentialTest.class);
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final String[] TENANTS = {"t1", "t2"};
  private static final String[] SUBJECTS = {"m0", "m1", "m2", "x".repeat(JourneyFact.MAX_SUBJECT)};
  private static final JourneyMetric[] METRICS = JourneyMetric.values();

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void bothStoresAnswerEveryCallOfARandomSequenceAlike(long seed) {
    JourneyAnalyticsStore model = InMemoryJourneyAnalyticsStore.of();
    Rb4Differential.run(
        DB,
        seed,
        model,
        () -> JdbcJourneyAnalyticsStore.of(DB.dataSource()),
        300,
        (both, r, step) -> {
          TenantId tenant = TenantId.of(pick(r, TENANTS));
          String subject = pick(r, SUBJECTS);
          switch (r.nextInt(10)) {
            case 0, 1, 2, 3 -> {
              JourneyFact f = fact(r, tenant, subject, step);
              if (r.nextBoolean()) {
                both.check("record " + f, s -> s.record(f));
              } else {
                both.check(
                    "recordLater " + f,
                    s -> {
                      s.recordLater(f);
                      return true;
                    });
              }
            }
            case 4, 5 -> {
              both.check("stepOf " + tenant + " " + subject, s -> s.stepOf(tenant, subject));
              List<String> ids = List.of(subject, pick(r, SUBJECTS), "none");
              both.check(
                  "stepsOf " + tenant + " " + ids,
                  s -> new TreeMap<>(s.stepsOf(tenant, List.copyOf(new java.util.HashSet<>(ids)))));
            }
            case 6, 7 -> {
              String journey = pick(r, "welcome", "renewal");
              int version = 1 + r.nextInt(2);
              both.check(
                  "counts " + tenant + " " + journey + " " + version,
                  s -> sorted(s.counts(tenant, journey, version)));
            }
            case 8 -> {
              Instant cutoff =
                  switch (r.nextInt(10)) {
                    case 0 -> Instant.MIN;
                    case 1 -> StoreLimits.MIN_INSTANT;
                    default -> T0.plusSeconds(r.nextInt(Math.max(1, step)));
                  };
              int max = 1 + r.nextInt(4);
              both.check("purge " + cutoff + " " + max, s -> s.purgeMarksBefore(cutoff, max));
              // which marks a purge of fewer than all takes is each store's own: the rest are
              // compared by taking them all
              both.check("purge rest " + cutoff, s -> s.purgeMarksBefore(cutoff, 1000) > 0);
            }
            default -> both.check("eraseTenant " + tenant, s -> s.eraseTenant(tenant));
          }
        });
  }

  private static JourneyFact fact(Random r, TenantId tenant, String subject, int step) {
    JourneyStepRef ref =
        new JourneyStepRef(
            pick(r, "welcome", "renewal"), 1 + r.nextInt(2), pick(r, "day1", "day3", "wait"));
    Instant at =
        r.nextInt(20) == 0 ? StoreLimits.MIN_INSTANT : T0.plusSeconds(step + r.nextInt(30) - 10);
    Optional<String> reason = r.nextInt(3) == 0 ? Optional.of(pick(r, "capped", "quiet")) : null;
    return new JourneyFact(tenant, subject, ref, METRICS[r.nextInt(METRICS.length)], reason, at);
  }

  private static List<StepCount> sorted(List<StepCount> counts) {
    List<StepCount> out = new ArrayList<>(counts);
    out.sort(Comparator.comparing(StepCount::toString));
    return out;
  }
}
