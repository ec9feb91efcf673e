package dev.steward.review9;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.Level;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricWindow;
import dev.steward.governance.Standing;
import dev.steward.governance.WindowReading;
import dev.steward.ippool.InvalidTierConfigException;
import dev.steward.ippool.IpPoolStrategy;
import dev.steward.ippool.PoolAssignment;
import dev.steward.ippool.PoolMove;
import dev.steward.ippool.Stream;
import dev.steward.ippool.TenantView;
import dev.steward.ippool.Tier;
import dev.steward.ippool.TierConfig;
import dev.steward.model.TenantId;
import dev.steward.onboarding.OnboardingState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hostile review of the tiered IP-pool strategy. */
class TieredStrategyReview9Test {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final TenantId T = TenantId.of("t");
  private final TierConfig config = TierConfig.ofDefaults();
  private final IpPoolStrategy strategy = IpPoolStrategy.tiered(config);

  private static List<WindowReading> cleanSevenDays() {
    MetricCounts c = new MetricCounts(14_000, 14_000, 0, 0, 0, 0, 0, 0, 0);
    return List.of(new WindowReading(MetricWindow.SEVEN_DAYS, c, true));
  }

  private static Standing at(Level level) {
    return new Standing(
        T,
        level,
        NOW.minus(Duration.ofDays(2)),
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty(),
        List.of());
  }

  private TenantView view(OnboardingState onboarding, Standing standing, Tier tier) {
    PoolAssignment a =
        new PoolAssignment(
            T,
            Stream.MARKETING,
            config.pool(tier, Stream.MARKETING),
            tier,
            3,
            NOW.minus(Duration.ofDays(40)));
    return new TenantView(
        T,
        Optional.of(onboarding),
        standing,
        standing.level() == Level.NONE
            ? Optional.of(NOW.minus(Duration.ofDays(60)))
            : Optional.empty(),
        cleanSevenDays(),
        2_000,
        2_000,
        Map.of(Stream.MARKETING, a),
        EnumSet.of(Stream.MARKETING),
        NOW);
  }

  private Optional<Tier> target(TenantView v) {
    return strategy.propose(v).stream().map(PoolMove::tier).findFirst();
  }

  /**
   * DEFECT: decide() answers WARMUP for any tenant whose onboarding record says PILOT before it
   * looks at the governance standing. Governance never moves the onboarding record, so a pilot
   * tenant that governance quarantined keeps sending from the warm-up pool that every new tenant
   * shares (the tenant gate lets quarantined mail through saying "the pool strategy moves the
   * mail"). TierConfig: "Quarantine: at the ladder's QUARANTINE or above". Correct: QUARANTINE.
   */
  @Test
  void aPilotTenantQuarantinedByGovernanceLeavesTheWarmUpPool() {
    assertThat(target(view(OnboardingState.PILOT, at(Level.QUARANTINE), Tier.WARMUP)))
        .contains(Tier.QUARANTINE);
  }

  /**
   * DEFECT: the strategy reads the quarantine only from the governance standing; a tenant a person
   * quarantined through onboarding (state QUARANTINED, standing NONE) is treated as a clean sender
   * and even promoted to the premium shared pool. The tenant gate takes the higher of the two
   * (levelOf(QUARANTINED) is QUARANTINE) and lets the mail through for the strategy to isolate.
   * Correct: QUARANTINE.
   */
  @Test
  void aTenantQuarantinedThroughItsOnboardingRecordIsQuarantinedNotPromoted() {
    assertThat(target(view(OnboardingState.QUARANTINED, at(Level.NONE), Tier.STANDARD)))
        .contains(Tier.QUARANTINE);
  }

  /**
   * DEFECT: TierConfig takes any non-negative duration (its build refuses only negative ones), but
   * the strategy adds them to instants: a least time in a pool of ChronoUnit.FOREVER (a natural
   * "never move on its own") makes since.plus(minDwell) overflow, and propose() throws
   * ArithmeticException for every tenant that has an assignment, so no plan can be made at all.
   * Correct: build() refuses a duration the strategy cannot add (InvalidTierConfigException), or
   * the strategy saturates (the tenant just stays).
   */
  @Test
  void aVeryLongLeastTimeInAPoolIsRefusedOrHonouredNotAnOverflow() {
    TierConfig forever;
    try {
      forever = TierConfig.builder().minDwell(ChronoUnit.FOREVER.getDuration()).build();
    } catch (InvalidTierConfigException refused) {
      return;
    }
    IpPoolStrategy s = IpPoolStrategy.tiered(forever);
    TenantView v = view(OnboardingState.ACTIVE, at(Level.NONE), Tier.STANDARD);
    assertThat(s.propose(v)).isEmpty();
  }
}
