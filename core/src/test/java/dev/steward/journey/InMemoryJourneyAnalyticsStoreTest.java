package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The JourneyAnalyticsStore contract against the in-memory store. */
class InMemoryJourneyAnalyticsStoreTest extends JourneyAnalyticsStoreContract {
  @Override
  protected JourneyAnalyticsStore newStore() {
    return InMemoryJourneyAnalyticsStore.of();
  }

  @Test
  void aPurgeBeforeEveryKeptMarkDoesNothingAndAnOlderMarkRecordedLaterIsStillPurged() {
    // the store keeps a bound on its oldest mark so that the start-up purge of a store of young
    // marks returns at once: a mark older than the bound, recorded later, must lower it
    InMemoryJourneyAnalyticsStore s = InMemoryJourneyAnalyticsStore.of();
    TenantId tenant = TenantId.of("t-1");
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    JourneyStepRef step = new JourneyStepRef("onboarding", 1, "s1");
    s.record(new JourneyFact(tenant, "m-1", step, JourneyMetric.SENT, null, t0));
    s.record(new JourneyFact(tenant, "m-2", step, JourneyMetric.SENT, null, t0.plusSeconds(60)));
    assertThat(s.purgeMarksBefore(t0, 10)).isZero();
    s.record(new JourneyFact(tenant, "m-3", step, JourneyMetric.SENT, null, t0.minusSeconds(60)));
    assertThat(s.purgeMarksBefore(t0, 10)).isEqualTo(1);
    assertThat(s.purgeMarksBefore(t0, 10)).isZero();
    // a purge stopped at its batch size leaves the bound where it was: the rest still go
    assertThat(s.purgeMarksBefore(t0.plusSeconds(61), 1)).isEqualTo(1);
    assertThat(s.purgeMarksBefore(t0.plusSeconds(61), 1)).isEqualTo(1);
    assertThat(s.purgeMarksBefore(t0.plusSeconds(61), 1)).isZero();
    assertThat(s.stepOf(tenant, "m-2")).isEmpty();
  }

  @Test
  void randomFactsAreCountedPlacedAndPurgedAsANaiveModelDoes() {
    // cpu14: the store keeps marks and counts by the metric's ordinal; check it against plain maps
    InMemoryJourneyAnalyticsStore s = InMemoryJourneyAnalyticsStore.of();
    TenantId tenant = TenantId.of("t-1");
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    Random random = new Random(14);
    Map<String, Map<JourneyMetric, JourneyStepRef>> marks = new HashMap<>();
    Map<String, Map<JourneyMetric, Instant>> markedAt = new HashMap<>();
    Map<List<Object>, Long> counts = new HashMap<>();
    for (int i = 0; i < 5_000; i++) {
      String subject = "m-" + random.nextInt(400);
      JourneyStepRef at =
          new JourneyStepRef(
              random.nextBoolean() ? "onboarding" : "renewal",
              1 + random.nextInt(2),
              "s" + random.nextInt(3));
      JourneyMetric metric = JourneyMetric.values()[random.nextInt(JourneyMetric.values().length)];
      Optional<String> reason =
          random.nextInt(3) == 0 ? Optional.of("rule-" + random.nextInt(2)) : Optional.empty();
      Instant when = t0.plus(Duration.ofMinutes(random.nextInt(1_000)));
      boolean fresh =
          marks.computeIfAbsent(subject, k -> new HashMap<>()).putIfAbsent(metric, at) == null;
      assertThat(s.record(new JourneyFact(tenant, subject, at, metric, reason, when)))
          .isEqualTo(fresh);
      if (fresh) {
        markedAt.computeIfAbsent(subject, k -> new HashMap<>()).put(metric, when);
        counts.merge(
            List.of(at.journey(), at.version(), at.step(), metric, Optional.empty()),
            1L,
            Long::sum);
        reason.ifPresent(
            r ->
                counts.merge(
                    List.of(at.journey(), at.version(), at.step(), metric, reason), 1L, Long::sum));
      }
    }
    Map<List<Object>, Long> seen = new HashMap<>();
    for (String journey : List.of("onboarding", "renewal")) {
      for (int version = 1; version <= 2; version++) {
        for (StepCount c : s.counts(tenant, journey, version)) {
          List<Object> key = List.of(journey, version, c.step(), c.metric(), c.reason());
          assertThat(seen.put(key, c.count())).as("one count per key: %s", key).isNull();
        }
      }
    }
    assertThat(seen).isEqualTo(counts);
    for (Map.Entry<String, Map<JourneyMetric, JourneyStepRef>> e : marks.entrySet()) {
      Optional<JourneyStepRef> first = Optional.empty();
      for (JourneyMetric m : JourneyMetric.values()) {
        if (m.perMessage() && e.getValue().containsKey(m)) {
          first = Optional.of(e.getValue().get(m));
          break;
        }
      }
      assertThat(s.stepOf(tenant, e.getKey())).as(e.getKey()).isEqualTo(first);
    }
    // purging before the middle in batches removes exactly the older marks, and frees the subject
    Instant cutoff = t0.plus(Duration.ofMinutes(500));
    long older =
        markedAt.values().stream()
            .flatMap(m -> m.values().stream())
            .filter(w -> w.isBefore(cutoff))
            .count();
    long purged = 0;
    for (int n; (n = s.purgeMarksBefore(cutoff, 97)) > 0; ) {
      assertThat(n).isLessThanOrEqualTo(97);
      purged += n;
    }
    assertThat(purged).isEqualTo(older);
    List<String> kept = new ArrayList<>();
    for (Map.Entry<String, Map<JourneyMetric, Instant>> e : markedAt.entrySet()) {
      for (Map.Entry<JourneyMetric, Instant> m : e.getValue().entrySet()) {
        JourneyStepRef at = marks.get(e.getKey()).get(m.getKey());
        boolean again = s.record(new JourneyFact(tenant, e.getKey(), at, m.getKey(), null, t0));
        // a purged mark counts again; a kept one does not
        assertThat(again)
            .as("%s %s", e.getKey(), m.getKey())
            .isEqualTo(m.getValue().isBefore(cutoff));
        if (!again) {
          kept.add(e.getKey());
        }
      }
    }
    assertThat(s.eraseTenant(tenant))
        .isEqualTo(markedAt.values().stream().mapToInt(Map::size).sum());
    assertThat(kept).isNotEmpty();
  }
}
