package dev.steward.ippool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.GovernanceListener;
import dev.steward.governance.GovernanceMetric;
import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.Level;
import dev.steward.governance.PoolStanding;
import dev.steward.governance.StandingStore;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.TenantId;
import dev.steward.testing.InMemoryIpPoolAdmin;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Virtual days of three tenants in the premium shared pools: one of them sends marketing mail that
 * draws more and more spam reports, diluted in its own metrics by clean transactional mail (so its
 * own standing and its own rates stay below warn), but not in the premium marketing pool's. Events
 * carry the pool they went through (the {@code pool} attribute, as the transport sets it), are
 * counted by governance's listener, the tenants evaluated at 23:30, and a pool plan made and
 * applied after. Run against each store implementation by a subclass.
 */
public abstract class PoolStandingScenario {
  static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
  static final PoolName PREMIUM_TX = PoolName.of("premium-tx");
  static final PoolName PREMIUM_MK = PoolName.of("premium-mk");
  static final TenantId BAD = TenantId.of("bad-sender");
  static final TenantId GOOD_1 = TenantId.of("good-one");
  static final TenantId GOOD_2 = TenantId.of("good-two");

  /** Fresh, empty stores for one run: the metrics, the standings and the pool assignments. */
  protected abstract GovernanceMetricsStore metrics();

  /** The standing store over the same database as {@link #metrics()}. */
  protected abstract StandingStore standings();

  /** The assignment store over the same database as {@link #metrics()}. */
  protected abstract PoolAssignmentStore assignments();

  private static TierConfig config(boolean poolRule) {
    TierConfig.Builder b =
        TierConfig.builder()
            .premiumDaily(200, 100)
            .premiumClean(Duration.ZERO)
            .pool(Tier.PREMIUM, Stream.TRANSACTIONAL, PREMIUM_TX)
            .pool(Tier.PREMIUM, Stream.MARKETING, PREMIUM_MK);
    if (!poolRule) {
      // a pool must reach suspend before its tenants leave: in effect, pools are not judged
      b.poolRules(Level.SUSPEND, 1.0, Level.SUSPEND);
    }
    return b.build();
  }

  /** One run: the stores, the pools, and what each day looked like. */
  private final class World {
    final SettableClock clock = SettableClock.of(START);
    final GovernanceMetricsStore metrics = metrics();
    final StandingStore standings = standings();
    final PoolAssignmentStore assignments = assignments();
    final GovernanceEvaluator evaluator =
        GovernanceEvaluator.builder(metrics, standings, clock).build();
    final GovernanceListener listener = GovernanceListener.builder(metrics).clock(clock).build();
    final InMemoryIpPoolAdmin admin = InMemoryIpPoolAdmin.of(clock);
    final TierConfig config;
    final PoolPlanner planner;
    final PoolPlanApplier applier;
    final List<Level> premiumMkLevels = new ArrayList<>();
    final List<PoolStanding> premiumMkStandings = new ArrayList<>();
    final List<Map<TenantId, Level>> tenantLevels = new ArrayList<>();
    final List<PoolPlan> plans = new ArrayList<>();
    int day;
    long seq;

    World(boolean poolRule) {
      config = config(poolRule);
      planner =
          PoolPlanner.builder(IpPoolStrategy.tiered(config), assignments, metrics, standings, clock)
              .judgePools(config)
              .build();
      applier = PoolPlanApplier.builder(admin, assignments, clock).build();
      int n = 1;
      for (PoolName p :
          List.of(
              PREMIUM_TX,
              PREMIUM_MK,
              config.pool(Tier.STANDARD, Stream.MARKETING),
              config.pool(Tier.QUARANTINE, Stream.MARKETING),
              config.pool(Tier.WARMUP, Stream.MARKETING))) {
        admin.registerReadyIp("192.0.2." + n, "o" + n + ".mail.example.com");
        applier.addIp(p, IpAddress.of("192.0.2." + n));
        n++;
      }
    }

    /**
     * One day: each tenant's mail of each stream through the pool it is assigned to (delivered
     * count, spam reports), evaluation at 23:30, the pool's standing read, a plan applied.
     */
    void day(Map<TenantId, int[]> mail) {
      Instant noon = START.plus(Duration.ofDays(day)).plus(Duration.ofHours(12));
      clock.set(noon);
      List<EmailEvent> events = new ArrayList<>();
      mail.forEach(
          (tenant, m) -> {
            send(events, tenant, Stream.TRANSACTIONAL, m[0], 0, noon);
            send(events, tenant, Stream.MARKETING, m[1], m[2], noon);
          });
      listener.onEvents(events);
      clock.set(START.plus(Duration.ofDays(day)).plus(Duration.ofMinutes(23 * 60 + 30)));
      Map<TenantId, Level> levels = new LinkedHashMap<>();
      for (TenantId t : mail.keySet()) {
        levels.put(t, evaluator.evaluate(t).level());
      }
      tenantLevels.add(levels);
      PoolStanding ps = evaluator.poolStanding(PREMIUM_MK.value());
      premiumMkStandings.add(ps);
      premiumMkLevels.add(ps.level());
      PoolPlan plan = planner.plan(mail.keySet());
      plans.add(plan);
      assertThat(applier.apply(plan).complete()).as("plan of day %s", day + 1).isTrue();
      day++;
    }

    private void send(
        List<EmailEvent> out, TenantId tenant, Stream stream, int delivered, int spam, Instant at) {
      Optional<String> pool = assignments.find(tenant, stream).map(a -> a.pool().value());
      for (int k = 0; k < delivered; k++) {
        String address = "r" + k + "@" + stream.name().toLowerCase(java.util.Locale.ROOT) + ".test";
        out.add(event(tenant, EmailEventType.PROCESSED, address, pool, at));
        out.add(event(tenant, EmailEventType.DELIVERED, address, pool, at));
        if (k < spam) {
          out.add(event(tenant, EmailEventType.SPAM_REPORT, address, pool, at));
        }
      }
    }

    private EmailEvent event(
        TenantId tenant, EmailEventType type, String address, Optional<String> pool, Instant at) {
      EmailEvent.Builder b =
          EmailEvent.builder("ev-" + (++seq), type, at).tenant(tenant).email(address);
      pool.ifPresent(p -> b.attribute(GovernanceListener.ATTRIBUTE_POOL, p));
      return b.build();
    }

    PoolName pool(TenantId t, Stream s) {
      return assignments.find(t, s).orElseThrow().pool();
    }
  }

  /**
   * Transactional, marketing, spam reports on marketing: the bad tenant's spam rising to 3 a day.
   */
  private static Map<TenantId, int[]> mail(int day) {
    int[] badSpam = {0, 0, 0, 1, 2, 3, 3, 3, 3, 3};
    Map<TenantId, int[]> m = new LinkedHashMap<>();
    m.put(BAD, new int[] {3000, 1000, badSpam[day]});
    m.put(GOOD_1, new int[] {1000, 500, 0});
    // the second good tenant has one complaint on day 2: a pool at warn does not move it
    m.put(GOOD_2, new int[] {1000, 500, day == 1 ? 1 : 0});
    return m;
  }

  @Test
  void theBadTenantLeavesThePremiumPoolBeforeItsStandingPassesWarnAndTheGoodOnesStay() {
    World w = new World(true);
    w.day(mail(0));
    for (TenantId t : List.of(BAD, GOOD_1, GOOD_2)) {
      assertThat(w.pool(t, Stream.MARKETING)).as("%s on day 1", t).isEqualTo(PREMIUM_MK);
    }
    for (int d = 1; d < 10; d++) {
      w.day(mail(d));
    }

    // day 5: 2 complaints in the pool's 2,000 delivered over 24h put the pool at warn; the bad
    // tenant's own mail through it (2 in 1,000) is the cause, and it leaves the same evening
    assertThat(w.premiumMkLevels.subList(0, 4)).containsOnly(Level.NONE);
    assertThat(w.premiumMkLevels.get(4)).isEqualTo(Level.WARN);
    PoolStanding warned = w.premiumMkStandings.get(4);
    assertThat(warned.explanation())
        .contains("pool premium-mk warn")
        .contains("spam-rate 0.10% (2 of 2000 delivered) over 24h")
        .contains("warn threshold 0.10%");
    List<PoolMove> left = w.plans.get(4).moves();
    assertThat(left).hasSize(1);
    PoolMove move = left.get(0);
    assertThat(move.tenant()).isEqualTo(BAD);
    assertThat(move.stream()).isEqualTo(Stream.MARKETING);
    assertThat(move.to()).isEqualTo(w.config.pool(Tier.STANDARD, Stream.MARKETING));
    assertThat(move.reason().cause()).isEqualTo(MoveReason.Cause.METRIC);
    assertThat(move.reason().metric()).contains(GovernanceMetric.SPAM_RATE);
    assertThat(move.reason().explanation())
        .contains("pool premium-mk stands at warn")
        .contains("spam-rate 0.10% (2 of 2000 delivered) over 24h")
        .contains("through it is 0.20% (2 of 1000)");

    // the pool never passes warn, and is clean again once the bad mail has gone elsewhere
    assertThat(w.premiumMkLevels).doesNotContain(Level.RESTRICT, Level.QUARANTINE, Level.SUSPEND);
    assertThat(w.premiumMkLevels.get(9)).isEqualTo(Level.NONE);
    // its own standing never saw it: diluted by clean transactional mail, it stays below warn
    assertThat(w.tenantLevels).allSatisfy(m -> assertThat(m.get(BAD)).isEqualTo(Level.NONE));
    // the good tenants and the bad tenant's clean transactional stream stay where they were
    assertThat(w.pool(GOOD_1, Stream.MARKETING)).isEqualTo(PREMIUM_MK);
    assertThat(w.pool(GOOD_2, Stream.MARKETING)).isEqualTo(PREMIUM_MK);
    assertThat(w.pool(BAD, Stream.TRANSACTIONAL)).isEqualTo(PREMIUM_TX);
    assertThat(w.pool(BAD, Stream.MARKETING))
        .isEqualTo(w.config.pool(Tier.STANDARD, Stream.MARKETING));
    // and, the premium pool having been at warn, nobody returned to it while it was
    assertThat(w.assignments.changes(BAD, 100))
        .filteredOn(c -> c.stream() == Stream.MARKETING)
        .extracting(PoolChange::to)
        .containsExactly(PREMIUM_MK, w.config.pool(Tier.STANDARD, Stream.MARKETING));
  }

  @Test
  void withoutJudgingPoolsThePoolPassesWarnBeforeTheBadTenantLeaves() {
    World w = new World(false);
    for (int d = 0; d < 10; d++) {
      w.day(mail(d));
    }
    // the same mail: the bad tenant stays on day 5, and on day 6 the pool is restricted
    assertThat(w.plans.get(4).moves()).isEmpty();
    assertThat(w.premiumMkLevels.get(5)).isEqualTo(Level.RESTRICT);
  }
}
