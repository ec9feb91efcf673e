package dev.steward.review9;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.ippool.ApplyResult;
import dev.steward.ippool.InMemoryPoolAssignmentStore;
import dev.steward.ippool.InvalidIpPoolException;
import dev.steward.ippool.IpAddress;
import dev.steward.ippool.IpInfo;
import dev.steward.ippool.IpWarmup;
import dev.steward.ippool.MoveReason;
import dev.steward.ippool.PoolMove;
import dev.steward.ippool.PoolName;
import dev.steward.ippool.PoolPlan;
import dev.steward.ippool.PoolPlanApplier;
import dev.steward.ippool.Stream;
import dev.steward.ippool.Tier;
import dev.steward.ippool.WarmupSchedule;
import dev.steward.jdbc.JdbcPoolAssignmentStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.model.TenantId;
import dev.steward.testing.InMemoryIpPoolAdmin;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** Hostile review of the IP warm-up and the plan applier. */
class IpPoolReview9Test {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  /**
   * DEFECT: allocate() spreads a period's volume over the IPs it is given; an IP listed twice (a
   * provider listing, or two pools' lists joined) is given its room twice, the second take
   * overwrites the first in the result map, and the volume taken by the first vanishes: of 30
   * messages for one warming IP whose limit is 20, perIp says 10 and overflow 0, so 20 messages are
   * neither placed nor reported as overflow. Correct: every message is either placed or overflow
   * (an IP counted once, never past its limit).
   */
  @Test
  void anIpListedTwiceNeitherLosesVolumeNorTakesItsLimitTwice() {
    IpWarmup warmup = IpWarmup.of(WarmupSchedule.hourly(List.of(20L, 40L)));
    IpInfo warming =
        new IpInfo(
            IpAddress.of("192.0.2.10"),
            Optional.of("o1.mail.example"),
            true,
            Optional.of(NOW.minus(Duration.ofHours(2))),
            Optional.empty());
    IpWarmup.Allocation a = warmup.allocate(List.of(warming, warming), Map.of(), 30, NOW);
    long placed = a.perIp().values().stream().mapToLong(Long::longValue).sum();
    assertThat(placed + a.overflow()).isEqualTo(30);
    assertThat(a.perIp().get(warming.ip())).isLessThanOrEqualTo(20);
  }

  /**
   * DEFECT: a PoolPlan's id is any non-null text (the record's constructor is public), the
   * in-memory store records it whatever its length, but steward_ippool_change.plan_id is
   * VARCHAR(64): over the JDBC store apply() first lets the tenant use the pool at the provider
   * (assignTenant), then the store throws a JdbcStoreException out of PoolPlanApplier.apply: the
   * provider moved, Steward did not record it, and every rerun does the same. Correct: the id is
   * refused with InvalidIpPoolException when the plan is made, or the store takes it.
   */
  @Test
  void aPlanIdTheJdbcStoreCannotHoldIsRefusedBeforeTheProviderIsCalled() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:review9-planid;DB_CLOSE_DELAY=-1");
    StewardSchema.bootstrap(ds);
    JdbcPoolAssignmentStore store = JdbcPoolAssignmentStore.of(ds);
    SettableClock clock = SettableClock.of(NOW);
    InMemoryIpPoolAdmin admin =
        InMemoryIpPoolAdmin.of(clock).registerReadyIp("192.0.2.10", "o1.mail.example");
    PoolPlanApplier applier = PoolPlanApplier.builder(admin, store, clock).build();
    applier.addIp(PoolName.of("shared-standard"), IpAddress.of("192.0.2.10"));
    TenantId acme = TenantId.of("acme");
    PoolMove move =
        new PoolMove(
            acme,
            Stream.MARKETING,
            Optional.empty(),
            PoolName.of("shared-standard"),
            Tier.STANDARD,
            0,
            MoveReason.of(MoveReason.Cause.MANUAL, "first assignment"));
    PoolPlan plan;
    try {
      plan = new PoolPlan("ops-2026-06-01-" + "x".repeat(60), NOW, List.of(move));
    } catch (InvalidIpPoolException refused) {
      return; // refused before anything happened: fine
    }
    ApplyResult result = applier.apply(plan);
    assertThat(result.outcomes())
        .singleElement()
        .satisfies(o -> assertThat(o.status()).isEqualTo(ApplyResult.Status.APPLIED));
    assertThat(store.find(acme, Stream.MARKETING)).isPresent();
  }

  /**
   * DEFECT: eraseTenant deletes a tenant's assignments and audit and with them their versions, so a
   * plan made before the erasure (its first-assignment move is "from version 0") still matches
   * afterwards: applying it, as the recurring plan-and-apply job does a moment later, assigns the
   * erased tenant at the provider and writes its assignment and an audit row naming it again.
   * Governance keeps a tombstone for exactly this (events of before an erasure rebuild nothing);
   * the pool store has none. Correct: a move planned before the tenant's erasure is STALE and
   * nothing of the tenant is written.
   */
  @Test
  void aPlanMadeBeforeATenantWasErasedDoesNotRecreateItsAssignmentAfterwards() {
    SettableClock clock = SettableClock.of(NOW);
    InMemoryIpPoolAdmin admin =
        InMemoryIpPoolAdmin.of(clock).registerReadyIp("192.0.2.10", "o1.mail.example");
    InMemoryPoolAssignmentStore store = InMemoryPoolAssignmentStore.of();
    PoolPlanApplier applier = PoolPlanApplier.builder(admin, store, clock).build();
    applier.addIp(PoolName.of("shared-standard"), IpAddress.of("192.0.2.10"));
    TenantId acme = TenantId.of("acme");
    PoolMove move =
        new PoolMove(
            acme,
            Stream.MARKETING,
            Optional.empty(),
            PoolName.of("shared-standard"),
            Tier.STANDARD,
            0,
            MoveReason.of(MoveReason.Cause.CONFIGURATION, "first assignment"));
    PoolPlan plan = PoolPlan.of(NOW, List.of(move));

    clock.advance(Duration.ofMinutes(1));
    store.eraseTenant(acme);
    clock.advance(Duration.ofMinutes(1));
    applier.apply(plan);

    assertThat(store.find(acme, Stream.MARKETING)).isEmpty();
    assertThat(store.changes(acme, 10)).isEmpty();
  }

  /**
   * DEFECT: allocate() refuses a negative volume but takes the per-IP counts of the period as
   * given: a negative count (a counter that wrapped, a bad subtraction upstream) widens a warming
   * IP's room past its warm-up limit, so an IP on day 0 of SendGrid's schedule (20 an hour) is
   * handed 1,020 messages. Correct: InvalidIpPoolException naming the IP, as for a negative volume.
   */
  @Test
  void aNegativeSentCountIsRefusedRatherThanWideningAWarmingIpsLimit() {
    IpWarmup warmup = IpWarmup.of(WarmupSchedule.sendGridAutomated());
    IpInfo warming =
        new IpInfo(
            IpAddress.of("192.0.2.10"),
            Optional.of("o1.mail.example"),
            true,
            Optional.of(NOW.minus(Duration.ofHours(2))),
            Optional.empty());
    assertThatThrownBy(
            () -> warmup.allocate(List.of(warming), Map.of(warming.ip(), -1_000L), 5_000, NOW))
        .isInstanceOf(InvalidIpPoolException.class);
  }

  /**
   * DEFECT: IpWarmup.of accepts any positive re-warm period, but status() adds it to the IP's last
   * send: a period of ChronoUnit.FOREVER (never re-warm) overflows Instant.plus, and status(),
   * needsWarmup(), allocate() and PoolPlanApplier.rewarmColdIps throw ArithmeticException for every
   * IP that ever sent. Correct: refused by of() with InvalidIpPoolException, or treated as "never
   * cold again".
   */
  @Test
  void aNeverRewarmPeriodIsRefusedOrHonouredNotAnOverflow() {
    IpWarmup never;
    try {
      never = IpWarmup.of(WarmupSchedule.sendGridAutomated(), ChronoUnit.FOREVER.getDuration());
    } catch (InvalidIpPoolException refused) {
      return;
    }
    IpInfo used =
        new IpInfo(
            IpAddress.of("192.0.2.10"),
            Optional.of("o1.mail.example"),
            true,
            Optional.empty(),
            Optional.of(NOW.minus(Duration.ofDays(400))));
    assertThat(never.status(used, NOW).state()).isEqualTo(IpWarmup.State.WARM);
  }
}
