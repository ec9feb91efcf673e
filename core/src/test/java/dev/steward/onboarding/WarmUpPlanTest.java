package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The warm-up plan as data: its defaults, its pace over the day, and bad plans refused by name. */
class WarmUpPlanTest {

  @Test
  void theDefaultPlanIsTheFrameworksEightStages() {
    WarmUpPlan p = WarmUpPlan.ofDefaults();
    assertThat(p.stages())
        .containsExactly(200L, 500L, 1_000L, 2_000L, 5_000L, 10_000L, 20_000L, 40_000L);
    assertThat(p.size()).isEqualTo(8);
    assertThat(p.advanceAt()).isEqualTo(0.9);
    assertThat(p.deliveredToAdvance(0)).isEqualTo(180);
    assertThat(p.deliveredToAdvance(7)).isEqualTo(36_000);
    assertThat(p.idleDays()).isEqualTo(30);
    assertThat(p.burst()).isEqualTo(Duration.ofHours(1));
    assertThat(p).isEqualTo(WarmUpPlan.builder().build());
    assertThatThrownBy(() -> p.cap(8))
        .isInstanceOf(InvalidWarmUpPlanException.class)
        .hasMessageContaining("stage 8");
  }

  @Test
  void thePaceSpreadsTheCapOverTheDayWithABurstAhead() {
    WarmUpPlan p = WarmUpPlan.builder().stages(240, 480).build();
    assertThat(p.burstOf(240)).isEqualTo(10); // an hour's share
    assertThat(p.allowedBy(240, Duration.ZERO)).isEqualTo(10);
    assertThat(p.allowedBy(240, Duration.ofHours(6))).isEqualTo(70);
    assertThat(p.allowedBy(240, Duration.ofHours(23))).isEqualTo(240);
    assertThat(p.allowedBy(240, Duration.ofHours(24))).isEqualTo(240);
    // the 11th message fits once a 240th of the day (6 minutes) has gone
    assertThat(p.whenNextFits(240, 10)).isEqualTo(Duration.ofMinutes(6));
    assertThat(p.whenNextFits(240, 69)).isEqualTo(Duration.ofMinutes(6 * 60));
    assertThat(p.whenNextFits(240, 5)).isEqualTo(Duration.ZERO);
    assertThat(p.whenNextFits(240, 240)).isEqualTo(Duration.ofDays(1));
    // a small cap still has a burst of one
    assertThat(WarmUpPlan.builder().stages(5).build().burstOf(5)).isEqualTo(1);
    assertThat(WarmUpPlan.builder().stages(5).burst(Duration.ZERO).build().burstOf(5)).isEqualTo(1);
  }

  @Test
  void stagesThatDoNotRiseAreRefusedNamingBothStages() {
    assertThatThrownBy(() -> WarmUpPlan.builder().stages(200, 500, 500, 1000))
        .isInstanceOf(InvalidWarmUpPlanException.class)
        .hasMessageContaining("stages[2] is 500, not above stages[1] (500)")
        .hasMessageContaining("must rise");
    assertThatThrownBy(() -> WarmUpPlan.builder().stages(1000, 500))
        .isInstanceOf(InvalidWarmUpPlanException.class)
        .hasMessageContaining("stages[1] is 500, not above stages[0] (1000)");
  }

  @Test
  void zeroOrNegativeCapsAndEmptyOrNullPlansAreRefused() {
    assertThatThrownBy(() -> WarmUpPlan.builder().stages(0, 100))
        .isInstanceOf(InvalidWarmUpPlanException.class)
        .hasMessageContaining("stages[0] is 0; a daily cap must be at least 1");
    assertThatThrownBy(() -> WarmUpPlan.builder().stages(100, -5))
        .isInstanceOf(InvalidWarmUpPlanException.class)
        .hasMessageContaining("stages[1] is -5");
    assertThatThrownBy(() -> WarmUpPlan.builder().stages(List.of()))
        .isInstanceOf(InvalidWarmUpPlanException.class)
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> WarmUpPlan.builder().stages(Arrays.asList(100L, null)))
        .isInstanceOf(InvalidWarmUpPlanException.class)
        .hasMessageContaining("stages[1] must not be null");
    assertThatThrownBy(() -> WarmUpPlan.builder().stages((List<Long>) null))
        .isInstanceOf(InvalidWarmUpPlanException.class);
    long[] tooMany = new long[101];
    for (int i = 0; i < tooMany.length; i++) {
      tooMany[i] = i + 1;
    }
    assertThatThrownBy(() -> WarmUpPlan.builder().stages(tooMany))
        .isInstanceOf(InvalidWarmUpPlanException.class)
        .hasMessageContaining("101");
  }

  @Test
  void otherSettingsOutOfRangeAreRefusedByName() {
    assertThatThrownBy(() -> WarmUpPlan.builder().advanceAt(0))
        .isInstanceOf(InvalidWarmUpPlanException.class)
        .hasMessageContaining("advanceAt is 0.0");
    assertThatThrownBy(() -> WarmUpPlan.builder().advanceAt(1.5))
        .isInstanceOf(InvalidWarmUpPlanException.class)
        .hasMessageContaining("advanceAt is 1.5");
    assertThatThrownBy(() -> WarmUpPlan.builder().advanceAt(Double.NaN))
        .isInstanceOf(InvalidWarmUpPlanException.class);
    assertThatThrownBy(() -> WarmUpPlan.builder().idleDays(0))
        .isInstanceOf(InvalidWarmUpPlanException.class)
        .hasMessageContaining("idleDays is 0");
    assertThatThrownBy(() -> WarmUpPlan.builder().burst(Duration.ofHours(25)))
        .isInstanceOf(InvalidWarmUpPlanException.class)
        .hasMessageContaining("burst is PT25H");
    assertThatThrownBy(() -> WarmUpPlan.builder().burst(Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidWarmUpPlanException.class);
    // the exception is an onboarding input error, so callers may catch either
    assertThat(new InvalidWarmUpPlanException("x"))
        .isInstanceOf(InvalidOnboardingInputException.class);
  }
}
