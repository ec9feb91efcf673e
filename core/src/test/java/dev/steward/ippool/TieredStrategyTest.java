package dev.steward.ippool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.GovernanceMetric;
import dev.steward.governance.Level;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricWindow;
import dev.steward.governance.Standing;
import dev.steward.governance.WindowReading;
import dev.steward.model.TenantId;
import dev.steward.onboarding.OnboardingState;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The tiered strategy's own hysteresis and rules, on views built by hand. */
class TieredStrategyTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final TenantId T = TenantId.of("t");
  private final TierConfig config = TierConfig.ofDefaults();
  private final IpPoolStrategy strategy = IpPoolStrategy.tiered(config);

  /** Seven days of 2,000 a day with {@code bounces} hard bounces in them. */
  private static List<WindowReading> sevenDays(long bounces) {
    MetricCounts c = new MetricCounts(14_000, 14_000 - bounces, bounces, 0, 0, 0, 0, 0, 0);
    return List.of(new WindowReading(MetricWindow.SEVEN_DAYS, c, true));
  }

  private static TenantView view(
      Standing standing, List<WindowReading> readings, Tier tier, Instant since, double daily) {
    Map<Stream, PoolAssignment> a =
        tier == null
            ? Map.of()
            : Map.of(
                Stream.MARKETING,
                new PoolAssignment(
                    T,
                    Stream.MARKETING,
                    tier == Tier.DEDICATED
                        ? TierConfig.defaultDedicatedPool(T, Stream.MARKETING)
                        : TierConfig.ofDefaults().pool(tier, Stream.MARKETING),
                    tier,
                    3,
                    since));
    return new TenantView(
        T,
        Optional.empty(),
        standing,
        standing.level() == Level.NONE ? Optional.of(standing.since()) : Optional.empty(),
        readings,
        daily,
        daily,
        a,
        EnumSet.of(Stream.MARKETING),
        NOW);
  }

  private static Standing clean() {
    return Standing.initial(T, NOW.minus(Duration.ofDays(60)));
  }

  private Optional<Tier> target(TenantView v) {
    return strategy.propose(v).stream().map(PoolMove::tier).findFirst();
  }

  @Test
  void betweenTheEnteringAndLeavingThresholdsATenantStaysWhereItIs() {
    Instant longAgo = NOW.minus(Duration.ofDays(10));
    // 1.5% hard bounces: above half the 2% warn threshold, below the threshold itself
    List<WindowReading> between = sevenDays(210);

    assertThat(target(view(clean(), between, Tier.PREMIUM, longAgo, 2_000))).isEmpty();
    assertThat(target(view(clean(), between, Tier.STANDARD, longAgo, 2_000))).isEmpty();
    // below the entering threshold (0.9%): the standard tenant enters premium
    assertThat(target(view(clean(), sevenDays(126), Tier.STANDARD, longAgo, 2_000)))
        .contains(Tier.PREMIUM);
    // at the leaving threshold (2.0%): the premium tenant leaves, naming metric and threshold
    PoolMove leave =
        strategy.propose(view(clean(), sevenDays(280), Tier.PREMIUM, longAgo, 2_000)).get(0);
    assertThat(leave.tier()).isEqualTo(Tier.STANDARD);
    assertThat(leave.reason().metric()).contains(GovernanceMetric.HARD_BOUNCE_RATE);
    assertThat(leave.reason().threshold()).hasValue(0.02);
    assertThat(leave.reason().value()).hasValue(0.02);
    assertThat(leave.fromVersion()).isEqualTo(3);
  }

  @Test
  void aStreamThatJustMovedStaysADayExceptIntoQuarantine() {
    Instant justNow = NOW.minus(Duration.ofHours(2));
    assertThat(target(view(clean(), sevenDays(0), Tier.STANDARD, justNow, 2_000))).isEmpty();
    assertThat(
            target(
                view(clean(), sevenDays(0), Tier.STANDARD, NOW.minus(Duration.ofDays(1)), 2_000)))
        .contains(Tier.PREMIUM);

    Standing quarantined =
        new Standing(
            T,
            Level.QUARANTINE,
            NOW,
            Optional.empty(),
            Optional.empty(),
            false,
            Optional.empty(),
            List.of());
    assertThat(target(view(quarantined, sevenDays(0), Tier.PREMIUM, justNow, 2_000)))
        .contains(Tier.QUARANTINE);
  }

  @Test
  void tooLittleMailToJudgeKeepsATenantOutOfPremium() {
    List<WindowReading> thin =
        List.of(
            new WindowReading(
                MetricWindow.SEVEN_DAYS, new MetricCounts(150, 150, 0, 0, 0, 0, 0, 0, 0), false));
    assertThat(target(view(clean(), thin, Tier.STANDARD, NOW.minus(Duration.ofDays(5)), 2_000)))
        .isEmpty();
  }

  @Test
  void aRepeatOffenderIsQuarantinedFromRestrictOn() {
    Standing restricted =
        new Standing(
            T,
            Level.RESTRICT,
            NOW.minus(Duration.ofDays(1)),
            Optional.empty(),
            Optional.empty(),
            false,
            Optional.empty(),
            List.of(
                new dev.steward.governance.StandingChange(
                    NOW.minus(Duration.ofDays(40)),
                    Level.NONE,
                    Level.RESTRICT,
                    dev.steward.governance.Cause.ESCALATED,
                    "first"),
                new dev.steward.governance.StandingChange(
                    NOW.minus(Duration.ofDays(1)),
                    Level.WARN,
                    Level.RESTRICT,
                    dev.steward.governance.Cause.ESCALATED,
                    "second")));
    List<PoolMove> moves =
        strategy.propose(
            view(restricted, sevenDays(0), Tier.STANDARD, NOW.minus(Duration.ofDays(3)), 2_000));
    assertThat(moves).singleElement().extracting(PoolMove::tier).isEqualTo(Tier.QUARANTINE);
    assertThat(moves.get(0).reason().explanation()).contains("2 escalations").contains("repeat");

    Standing once =
        new Standing(
            T,
            Level.RESTRICT,
            restricted.since(),
            Optional.empty(),
            Optional.empty(),
            false,
            Optional.empty(),
            restricted.history().subList(1, 2));
    assertThat(
            target(view(once, sevenDays(0), Tier.STANDARD, NOW.minus(Duration.ofDays(3)), 2_000)))
        .isEmpty();
  }

  @Test
  void aLargeCleanSenderGetsItsOwnPoolAndGivesItUpWithAMargin() {
    Instant since = NOW.minus(Duration.ofDays(5));
    PoolMove own =
        strategy.propose(view(clean(), sevenDays(0), Tier.PREMIUM, since, 60_000)).get(0);
    assertThat(own.tier()).isEqualTo(Tier.DEDICATED);
    assertThat(own.to().value()).isEqualTo("dedicated-t-mk");
    assertThat(own.reason().cause()).isEqualTo(MoveReason.Cause.VOLUME);

    // 40,000 a day: below entering (50,000), above leaving (35,000): it keeps its pool
    assertThat(target(view(clean(), sevenDays(0), Tier.DEDICATED, since, 40_000))).isEmpty();
    assertThat(target(view(clean(), sevenDays(0), Tier.PREMIUM, since, 40_000))).isEmpty();
    assertThat(target(view(clean(), sevenDays(0), Tier.DEDICATED, since, 30_000)))
        .contains(Tier.PREMIUM);
  }

  @Test
  void aTenantThatMayNotSendGetsNoPoolAndAPilotWarmsUp() {
    TenantView vetting =
        new TenantView(
            T,
            Optional.of(OnboardingState.VETTING),
            clean(),
            Optional.of(clean().since()),
            sevenDays(0),
            0,
            0,
            Map.of(),
            EnumSet.allOf(Stream.class),
            NOW);
    assertThat(strategy.propose(vetting)).isEmpty();
    TenantView pilot =
        new TenantView(
            T,
            Optional.of(OnboardingState.PILOT),
            clean(),
            Optional.of(clean().since()),
            sevenDays(0),
            5_000,
            5_000,
            Map.of(),
            EnumSet.allOf(Stream.class),
            NOW);
    assertThat(strategy.propose(pilot))
        .extracting(PoolMove::stream, PoolMove::tier, PoolMove::fromVersion)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Stream.TRANSACTIONAL, Tier.WARMUP, 0L),
            org.assertj.core.groups.Tuple.tuple(Stream.MARKETING, Tier.WARMUP, 0L));
  }
}
