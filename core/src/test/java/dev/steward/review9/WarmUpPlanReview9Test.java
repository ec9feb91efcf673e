package dev.steward.review9;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.onboarding.WarmUpPlan;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Hostile review of the warm-up plan's pacing arithmetic. */
class WarmUpPlanReview9Test {

  /**
   * DEFECT: whenNextFits promises the instant at which one more message fits under the pace, and
   * the gate defers the message to exactly that instant; but allowedBy computes the paced share in
   * double (elapsed nanos / day nanos), so at that instant floor(cap * share) is often one short
   * (200 * 12528/86400 = 28.999...). The deferred message comes back and is deferred again ("ahead
   * of the even pace"), a wasted dispatch and a false "deferred until the next fits". At the
   * default plan's first stage (200 a day) this happens for used = 37, 65, 66, 121 ... Correct: at
   * whenNextFits(cap, used), allowedBy(cap, that) is at least used + 1 (integer arithmetic).
   */
  @Test
  void atTheInstantWhenNextFitsNamesOneMoreMessageFits() {
    WarmUpPlan plan = WarmUpPlan.ofDefaults();
    for (long cap : new long[] {200, 2_000}) {
      for (long used = 0; used < cap; used++) {
        Duration at = plan.whenNextFits(cap, used);
        assertThat(plan.allowedBy(cap, at))
            .as("cap %d, %d used, next fits at %s", cap, used, at)
            .isGreaterThanOrEqualTo(used + 1);
      }
    }
  }
}
