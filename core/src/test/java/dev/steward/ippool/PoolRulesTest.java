package dev.steward.ippool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.governance.Ladder;
import dev.steward.governance.Level;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricWindow;
import dev.steward.governance.PoolStanding;
import dev.steward.governance.Standing;
import dev.steward.governance.WindowReading;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The tiered strategy's rules on pools' own standings, on views built by hand. */
class PoolRulesTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final TenantId T = TenantId.of("t");
  private static final TierConfig CONFIG = TierConfig.ofDefaults();
  private static final PoolName PREMIUM = CONFIG.pool(Tier.PREMIUM, Stream.MARKETING);
  private static final PoolName STANDARD = CONFIG.pool(Tier.STANDARD, Stream.MARKETING);
  private final IpPoolStrategy strategy = IpPoolStrategy.tiered(CONFIG);

  /** Seven days of {@code delivered} mail with {@code spam} complaints. */
  private static List<WindowReading> seven(long delivered, long spam) {
    MetricCounts c = new MetricCounts(delivered, delivered, 0, 0, 0, spam, 0, 0, 0);
    return List.of(
        new WindowReading(MetricWindow.SEVEN_DAYS, c, delivered >= 200),
        new WindowReading(MetricWindow.SPIKE_24H, MetricCounts.ZERO, false));
  }

  private static PoolView pool(
      PoolName p, List<WindowReading> poolReadings, List<WindowReading> t) {
    return new PoolView(
        p, PoolStanding.judge(p.value(), poolReadings, Ladder.ofDefaults(), NOW), t);
  }

  /**
   * A tenant in good standing, clean overall (its mail in all: 20,000 delivered, 4 complaints), in
   * {@code tier} since long ago, with the given pools.
   */
  private static TenantView view(Tier tier, Map<PoolName, PoolView> pools) {
    PoolName at = CONFIG.pool(tier, Stream.MARKETING);
    Map<Stream, PoolAssignment> a =
        Map.of(
            Stream.MARKETING,
            new PoolAssignment(T, Stream.MARKETING, at, tier, 3, NOW.minus(Duration.ofDays(20))));
    Standing clean = Standing.initial(T, NOW.minus(Duration.ofDays(60)));
    return new TenantView(
        T,
        Optional.empty(),
        clean,
        Optional.of(clean.since()),
        seven(20_000, 4),
        3_000,
        3_000,
        a,
        EnumSet.of(Stream.MARKETING),
        NOW,
        pools);
  }

  private static Map<PoolName, PoolView> pools(PoolView... views) {
    Map<PoolName, PoolView> m = new HashMap<>();
    for (PoolView v : views) {
      m.put(v.pool(), v);
    }
    return m;
  }

  @Test
  void aTenantRaisingAWarnedPremiumPoolLeavesForStandardWithThePoolsMetricInItsReason() {
    // the pool: 12 complaints in 10,000 (0.12%, warn); the tenant: 6 in 2,000 (0.30%) through it
    TenantView v =
        view(
            Tier.PREMIUM,
            pools(
                pool(PREMIUM, seven(10_000, 12), seven(2_000, 6)),
                pool(STANDARD, seven(10_000, 0), seven(0, 0))));
    List<PoolMove> moves = strategy.propose(v);
    assertThat(moves).hasSize(1);
    assertThat(moves.get(0).to()).isEqualTo(STANDARD);
    assertThat(moves.get(0).reason().explanation())
        .contains("pool " + PREMIUM + " stands at warn")
        .contains("spam-rate 0.12% (12 of 10000 delivered) over 7d reached the warn threshold")
        .contains("0.30% (6 of 2000)");
    assertThat(moves.get(0).reason().value()).hasValue(0.003);
    assertThat(moves.get(0).reason().threshold()).hasValue(0.0012);
  }

  @Test
  void aTenantBelowThePoolsRateOrAPoolBelowWarnMovesNobody() {
    // the tenant's 1 in 2,000 (0.05%) is below the pool's 0.12%: someone else raises it
    assertThat(
            strategy.propose(
                view(
                    Tier.PREMIUM,
                    pools(
                        pool(PREMIUM, seven(10_000, 12), seven(2_000, 1)),
                        pool(STANDARD, seven(10_000, 0), seven(0, 0))))))
        .isEmpty();
    // the pool at 0.09%: below warn, nobody leaves however bad its share
    assertThat(
            strategy.propose(
                view(
                    Tier.PREMIUM,
                    pools(
                        pool(PREMIUM, seven(10_000, 9), seven(2_000, 6)),
                        pool(STANDARD, seven(10_000, 0), seven(0, 0))))))
        .isEmpty();
    // too little mail in the pool to judge it: insufficient data, no decision
    PoolView small = pool(PREMIUM, seven(150, 6), seven(100, 6));
    assertThat(small.standing().insufficientData()).isTrue();
    assertThat(small.standing().level()).isEqualTo(Level.NONE);
    assertThat(small.standing().explanation()).contains("insufficient data");
    assertThat(strategy.propose(view(Tier.PREMIUM, pools(small)))).isEmpty();
  }

  @Test
  void aPoolsStandingNeverMovesATenantIntoAPoolAtRestrictOrWorse() {
    // the standard pool at 0.16% (restrict): the tenant stays in the warned premium pool
    TenantView v =
        view(
            Tier.PREMIUM,
            pools(
                pool(PREMIUM, seven(10_000, 12), seven(2_000, 6)),
                pool(STANDARD, seven(10_000, 16), seven(0, 0))));
    assertThat(v.pool(STANDARD).orElseThrow().standing().level()).isEqualTo(Level.RESTRICT);
    assertThat(strategy.propose(v)).isEmpty();
  }

  @Test
  void noStreamEntersAWarnedPremiumPoolNorOneWhoseOwnMailThroughItsPoolIsUnfit() {
    // a clean tenant in standard, fit for premium by its own metrics
    Map<PoolName, PoolView> fine =
        pools(
            pool(PREMIUM, seven(10_000, 0), seven(0, 0)),
            pool(STANDARD, seven(10_000, 0), seven(5_000, 1)));
    assertThat(strategy.propose(view(Tier.STANDARD, fine)))
        .extracting(PoolMove::to)
        .containsExactly(PREMIUM);
    // the premium pool at warn: nobody joins it
    Map<PoolName, PoolView> warned =
        pools(
            pool(PREMIUM, seven(10_000, 12), seven(0, 0)),
            pool(STANDARD, seven(10_000, 0), seven(5_000, 1)));
    assertThat(strategy.propose(view(Tier.STANDARD, warned))).isEmpty();
    // the stream's own mail through standard at 0.08% (above half the warn threshold): it stays
    Map<PoolName, PoolView> unfit =
        pools(
            pool(PREMIUM, seven(10_000, 0), seven(0, 0)),
            pool(STANDARD, seven(10_000, 4), seven(5_000, 4)));
    assertThat(strategy.propose(view(Tier.STANDARD, unfit))).isEmpty();
  }

  @Test
  void poolRulesAreValidatedAndHaveDefaults() {
    assertThat(CONFIG.poolActLevel()).isEqualTo(Level.WARN);
    assertThat(CONFIG.poolLeaveRatio()).isEqualTo(1.0);
    assertThat(CONFIG.poolBlockLevel()).isEqualTo(Level.RESTRICT);
    assertThatThrownBy(() -> TierConfig.builder().poolRules(Level.NONE, 1, Level.RESTRICT).build())
        .isInstanceOf(InvalidTierConfigException.class)
        .hasMessageContaining("pool levels")
        .hasMessageContaining("none");
    assertThatThrownBy(() -> TierConfig.builder().poolRules(Level.WARN, 1, Level.TERMINATE).build())
        .isInstanceOf(InvalidTierConfigException.class)
        .hasMessageContaining("terminate");
    for (double bad : new double[] {0, -1, Double.NaN, 101}) {
      assertThatThrownBy(
              () -> TierConfig.builder().poolRules(Level.WARN, bad, Level.RESTRICT).build())
          .as("ratio %s", bad)
          .isInstanceOf(InvalidTierConfigException.class)
          .hasMessageContaining("pool leave ratio");
    }
    assertThatThrownBy(() -> TierConfig.builder().poolRules(null, 1, Level.RESTRICT))
        .isInstanceOf(InvalidIpPoolException.class)
        .hasMessageContaining("pool act level");
    TierConfig c = TierConfig.builder().poolRules(Level.RESTRICT, 2.0, Level.QUARANTINE).build();
    assertThat(c.poolActLevel()).isEqualTo(Level.RESTRICT);
    assertThat(c.poolLeaveRatio()).isEqualTo(2.0);
    assertThat(c.poolBlockLevel()).isEqualTo(Level.QUARANTINE);
  }

  @Test
  void aPoolViewMustHoldItsOwnPoolsStanding() {
    PoolStanding other = PoolStanding.judge("elsewhere", seven(0, 0), Ladder.ofDefaults(), NOW);
    assertThatThrownBy(() -> new PoolView(PREMIUM, other, List.of()))
        .isInstanceOf(InvalidIpPoolException.class)
        .hasMessageContaining("elsewhere");
  }
}
