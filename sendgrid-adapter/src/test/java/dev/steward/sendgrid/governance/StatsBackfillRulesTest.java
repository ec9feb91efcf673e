package dev.steward.sendgrid.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.Counter;
import dev.steward.governance.MetricCounts;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which held counts a back-fill resumes, and how its totals are summed. */
class StatsBackfillRulesTest {
  private static Map<Counter, Long> totals(long processed, long delivered, long bounces) {
    Map<Counter, Long> t = new EnumMap<>(Counter.class);
    t.put(Counter.PROCESSED, processed);
    t.put(Counter.DELIVERED, delivered);
    t.put(Counter.HARD_BOUNCE, bounces);
    return t;
  }

  private static MetricCounts held(long processed, long delivered, long bounces) {
    return new MetricCounts(processed, delivered, bounces, 0, 0, 0, 0, 0, 0);
  }

  @Test
  void onlyWhatADyingBackFillLeavesIsResumed() {
    Map<Counter, Long> t = totals(2_500, 2_400, 30);
    assertThat(StatsBackfill.diedMidWay(held(1_000, 0, 0), t)).isTrue();
    assertThat(StatsBackfill.diedMidWay(held(2_500, 0, 0), t)).isTrue();
    assertThat(StatsBackfill.diedMidWay(held(2_500, 2_000, 0), t)).isTrue();
    assertThat(StatsBackfill.diedMidWay(held(2_500, 2_400, 0), t)).isTrue();
    // the webhook's counts: not on chunk bounds, several counters partly counted, or above
    assertThat(StatsBackfill.diedMidWay(held(1_200, 0, 0), t)).isFalse();
    assertThat(StatsBackfill.diedMidWay(held(1_000, 900, 0), t)).isFalse();
    assertThat(StatsBackfill.diedMidWay(held(2_500, 0, 3), t)).isFalse();
    assertThat(StatsBackfill.diedMidWay(held(3_000, 0, 0), t)).isFalse();
    // a complete back-fill (or the webhook's exact totals): nothing to resume
    assertThat(StatsBackfill.diedMidWay(held(2_500, 2_400, 30), t)).isFalse();
    assertThat(StatsBackfill.diedMidWay(new MetricCounts(1_000, 0, 0, 0, 0, 0, 0, 0, 1), t))
        .isFalse();
  }

  @Test
  void aSumAboveTheBoundOrOverflowingIsRefused() {
    assertThat(StatsBackfill.sum(totals(10, 20, 30), 100)).isEqualTo(60);
    assertThat(StatsBackfill.sum(totals(10, 20, 30), 59)).isEqualTo(-1);
    assertThat(StatsBackfill.sum(totals(Long.MAX_VALUE, Long.MAX_VALUE, 2), Long.MAX_VALUE))
        .isEqualTo(-1);
    assertThat(StatsBackfill.sum(totals(101, 0, 0), 100)).isEqualTo(-1);
    assertThat(StatsBackfill.sum(Map.of(), 100)).isZero();
  }
}
