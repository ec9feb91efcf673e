package dev.steward.ippool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.governance.GovernanceMetric;
import dev.steward.governance.Level;
import dev.steward.model.TenantId;
import dev.steward.onboarding.OnboardingState;
import dev.steward.testing.Concurrently;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract every {@link PoolAssignmentStore} meets: memory, H2 and PostgreSQL alike. */
public abstract class PoolAssignmentStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-02T10:15:00.123456789Z");
  protected static final TenantId T1 = TenantId.of("t1");
  protected static final TenantId T2 = TenantId.of("t2");
  private static final PoolName WARMUP = PoolName.of("warmup");
  private static final PoolName STANDARD = PoolName.of("shared-standard");
  private static final PoolName QUARANTINE = PoolName.of("quarantine");

  protected PoolAssignmentStore store;

  /** A new, empty store. */
  protected abstract PoolAssignmentStore newStore();

  /** Another instance over the same data; itself in memory. */
  protected PoolAssignmentStore secondInstance() {
    return store;
  }

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  private static PoolChange change(
      TenantId t, Stream s, long version, PoolName from, PoolName to, Tier tier, Instant at) {
    return new PoolChange(
        t,
        s,
        version,
        Optional.ofNullable(from),
        to,
        tier,
        MoveReason.of(MoveReason.Cause.ONBOARDING, "test move to " + to),
        "plan-1",
        at);
  }

  @Test
  void aFirstAssignmentIsRecordedWithItsAuditAndComesBackWhole() {
    MoveReason reason =
        new MoveReason(
            MoveReason.Cause.METRIC,
            Optional.of(GovernanceMetric.HARD_BOUNCE_RATE),
            OptionalDouble.of(0.0312),
            OptionalDouble.of(0.02),
            Optional.of(Level.WARN),
            Optional.of(OnboardingState.ACTIVE),
            "hard-bounce-rate 3.12% reached 2.00% ü");
    PoolChange c =
        new PoolChange(
            T1, Stream.MARKETING, 1, Optional.empty(), WARMUP, Tier.WARMUP, reason, "plan-x", T0);

    assertThat(store.apply(c)).isTrue();

    assertThat(store.find(T1, Stream.MARKETING))
        .contains(new PoolAssignment(T1, Stream.MARKETING, WARMUP, Tier.WARMUP, 1, T0));
    assertThat(store.find(T1, Stream.TRANSACTIONAL)).isEmpty();
    assertThat(secondInstance().changes(T1, 10)).containsExactly(c);
    assertThat(store.countIn(WARMUP)).isEqualTo(1);
  }

  @Test
  void aMoveAppliesOnlyOverTheVersionItWasPlannedFrom() {
    assertThat(store.apply(change(T1, Stream.MARKETING, 1, null, WARMUP, Tier.WARMUP, T0)))
        .isTrue();
    // the same first assignment again: version 0 is gone
    assertThat(store.apply(change(T1, Stream.MARKETING, 1, null, STANDARD, Tier.STANDARD, T0)))
        .isFalse();
    // a move planned from a version that never was
    assertThat(
            store.apply(change(T1, Stream.MARKETING, 3, STANDARD, QUARANTINE, Tier.QUARANTINE, T0)))
        .isFalse();
    PoolChange second =
        change(T1, Stream.MARKETING, 2, WARMUP, STANDARD, Tier.STANDARD, T0.plusSeconds(60));
    assertThat(store.apply(second)).isTrue();
    // applying it twice records it once
    assertThat(secondInstance().apply(second)).isFalse();

    assertThat(store.find(T1, Stream.MARKETING).orElseThrow())
        .extracting(PoolAssignment::pool, PoolAssignment::version, PoolAssignment::since)
        .containsExactly(STANDARD, 2L, T0.plusSeconds(60));
    assertThat(store.changes(T1, 10))
        .extracting(PoolChange::version, PoolChange::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, WARMUP),
            org.assertj.core.groups.Tuple.tuple(2L, STANDARD));
    assertThat(store.countIn(WARMUP)).isZero();
    assertThat(store.countIn(STANDARD)).isEqualTo(1);
  }

  @Test
  void streamsAndTenantsAreApart() {
    store.apply(change(T1, Stream.MARKETING, 1, null, WARMUP, Tier.WARMUP, T0));
    store.apply(change(T1, Stream.TRANSACTIONAL, 1, null, STANDARD, Tier.STANDARD, T0));
    store.apply(change(T2, Stream.MARKETING, 1, null, QUARANTINE, Tier.QUARANTINE, T0));

    assertThat(store.assignments(T1))
        .extracting(PoolAssignment::stream, PoolAssignment::pool)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Stream.TRANSACTIONAL, STANDARD),
            org.assertj.core.groups.Tuple.tuple(Stream.MARKETING, WARMUP));
    assertThat(store.assignments(T2)).hasSize(1);
    // at one instant, the audit lists by stream
    assertThat(store.changes(T1, 10))
        .extracting(PoolChange::stream)
        .containsExactly(Stream.TRANSACTIONAL, Stream.MARKETING);
    assertThat(store.changes(T1, 1))
        .extracting(PoolChange::stream)
        .containsExactly(Stream.MARKETING);
  }

  @Test
  void erasingATenantRemovesItsAssignmentsAndAuditOnly() {
    store.apply(change(T1, Stream.MARKETING, 1, null, WARMUP, Tier.WARMUP, T0));
    store.apply(change(T1, Stream.TRANSACTIONAL, 1, null, WARMUP, Tier.WARMUP, T0));
    store.apply(change(T2, Stream.MARKETING, 1, null, WARMUP, Tier.WARMUP, T0));

    assertThat(store.eraseTenant(T1)).isEqualTo(2);
    assertThat(store.eraseTenant(T1)).isZero();

    assertThat(store.assignments(T1)).isEmpty();
    assertThat(store.changes(T1, 10)).isEmpty();
    assertThat(store.find(T2, Stream.MARKETING)).isPresent();
    assertThat(store.countIn(WARMUP)).isEqualTo(1);
    // an erased tenant starts again from version 0
    assertThat(store.apply(change(T1, Stream.MARKETING, 1, null, STANDARD, Tier.STANDARD, T0)))
        .isTrue();
  }

  @Test
  void twoInstancesApplyingOneMoveRecordItOnce() {
    store.apply(change(T1, Stream.MARKETING, 1, null, WARMUP, Tier.WARMUP, T0));
    PoolChange move = change(T1, Stream.MARKETING, 2, WARMUP, STANDARD, Tier.STANDARD, T0);
    List<PoolAssignmentStore> instances = List.of(store, secondInstance());

    List<Boolean> won = Concurrently.run(2, i -> instances.get(i).apply(move));

    assertThat(won).containsExactlyInAnyOrder(true, false);
    assertThat(store.changes(T1, 10)).hasSize(2);
  }

  @Test
  void badInputIsRefusedWithTheSameExceptionEverywhere() {
    assertThatThrownBy(() -> store.find(null, Stream.MARKETING))
        .isInstanceOf(InvalidIpPoolException.class);
    assertThatThrownBy(() -> store.find(T1, null)).isInstanceOf(InvalidIpPoolException.class);
    assertThatThrownBy(() -> store.apply(null)).isInstanceOf(InvalidIpPoolException.class);
    assertThatThrownBy(() -> store.changes(T1, 0))
        .isInstanceOf(InvalidIpPoolException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> store.changes(T1, PoolAssignmentStore.MAX_CHANGES + 1))
        .isInstanceOf(InvalidIpPoolException.class);
    assertThatThrownBy(() -> store.eraseTenant(null)).isInstanceOf(InvalidIpPoolException.class);
    assertThatThrownBy(() -> store.countIn(null)).isInstanceOf(InvalidIpPoolException.class);
    assertThat(store.assignments(T1)).isEmpty();
  }

  @Test
  void anErasureKeepsATombstoneDatedByItsLatestErasure() {
    assertThat(store.erasedAt(T1, T0)).isEmpty();
    assertThat(store.apply(change(T1, Stream.MARKETING, 1, null, WARMUP, Tier.WARMUP, T0)))
        .isTrue();

    assertThat(store.eraseTenant(T1, T0.plusSeconds(60))).isEqualTo(1);

    assertThat(secondInstance().erasedAt(T1, T0.plusSeconds(61))).contains(T0.plusSeconds(60));
    assertThat(store.find(T1, Stream.MARKETING)).isEmpty();
    assertThat(store.changes(T1, 10)).isEmpty();
    assertThat(store.erasedAt(T2, T0.plusSeconds(61))).isEmpty();
    // an earlier erasure (a retry, another instance) never moves the tombstone back
    store.eraseTenant(T1, T0.plusSeconds(30));
    assertThat(store.erasedAt(T1, T0.plusSeconds(61))).contains(T0.plusSeconds(60));
    store.eraseTenant(T1, T0.plusSeconds(90));
    assertThat(secondInstance().erasedAt(T1, T0.plusSeconds(91))).contains(T0.plusSeconds(90));
  }

  @Test
  void anUndatedErasureIsDatedByTheFirstLookAndKeepsThatDate() {
    store.apply(change(T1, Stream.MARKETING, 1, null, WARMUP, Tier.WARMUP, T0));
    store.eraseTenant(T1, T0.plusSeconds(60));

    assertThat(store.eraseTenant(T1)).isZero();

    // the undated erasure is the latest: the first look dates it, the next ones read that date
    assertThat(store.erasedAt(T1, T0.plusSeconds(120))).contains(T0.plusSeconds(120));
    assertThat(secondInstance().erasedAt(T1, T0.plusSeconds(180))).contains(T0.plusSeconds(120));
    assertThat(store.erasedAt(T2, T0.plusSeconds(180))).isEmpty();
  }

  /**
   * A cutoff after the storable range purges a tombstone dated at its last instant, as memory does;
   * the JDBC store clamped the cutoff onto that instant and, deleting before it, kept the
   * tombstone. ('now' is that instant too: a tombstone the JDBC store dates there reads as
   * undated.)
   */
  @Test
  void aCutoffBeyondTheStorableRangePurgesTheTombstonesAtItsEnds() {
    Instant first = dev.steward.model.StoreLimits.MIN_INSTANT;
    Instant last = dev.steward.model.StoreLimits.MAX_INSTANT;
    store.eraseTenant(T1, first);
    store.eraseTenant(T2, last);

    assertThat(store.purgeErasuresBefore(Instant.MIN, last, 10)).isZero();
    assertThat(store.purgeErasuresBefore(first, last, 10)).isZero();
    assertThat(store.purgeErasuresBefore(last, last, 10)).isEqualTo(1);
    assertThat(store.erasedAt(T1, last)).isEmpty();
    assertThat(store.erasedAt(T2, last)).contains(last);
    assertThat(secondInstance().purgeErasuresBefore(Instant.MAX, last, 10)).isEqualTo(1);
    assertThat(store.erasedAt(T2, last)).isEmpty();
  }

  @Test
  void erasureTombstonesBeforeTheCutoffArePurgedInBatchesAndAnUndatedOneIsDatedFirst() {
    Instant cutoff = T0.plus(java.time.Duration.ofDays(30));
    Instant now = cutoff.plusSeconds(3600);
    TenantId t3 = TenantId.of("t3");
    TenantId t4 = TenantId.of("t4");
    store.eraseTenant(T1, T0);
    store.eraseTenant(T2, T0.plusSeconds(1));
    store.eraseTenant(t3, cutoff); // not before the cutoff: kept
    store.eraseTenant(t4); // undated: dated now, kept

    assertThat(secondInstance().purgeErasuresBefore(cutoff, now, 1)).isEqualTo(1);
    assertThat(store.purgeErasuresBefore(cutoff, now, 10)).isEqualTo(1);
    assertThat(store.purgeErasuresBefore(cutoff, now, 10)).isZero();

    assertThat(store.erasedAt(T1, now)).isEmpty();
    assertThat(store.erasedAt(T2, now)).isEmpty();
    assertThat(secondInstance().erasedAt(t3, now)).contains(cutoff);
    assertThat(secondInstance().erasedAt(t4, now.plusSeconds(5))).contains(now);
    // one retention period after its dating, the formerly undated one goes too
    Instant later = now.plus(java.time.Duration.ofDays(30)).plusSeconds(1);
    assertThat(store.purgeErasuresBefore(later.minus(java.time.Duration.ofDays(30)), later, 10))
        .isEqualTo(2);
    assertThat(store.erasedAt(t4, later)).isEmpty();

    assertThatThrownBy(() -> store.purgeErasuresBefore(cutoff, now, 0))
        .isInstanceOf(InvalidIpPoolException.class)
        .hasMessageContaining("max must be at least 1, was 0");
    assertThatThrownBy(() -> store.purgeErasuresBefore(null, now, 1))
        .isInstanceOf(InvalidIpPoolException.class)
        .hasMessageContaining("cutoff");
    assertThatThrownBy(() -> store.purgeErasuresBefore(cutoff, null, 1))
        .isInstanceOf(InvalidIpPoolException.class)
        .hasMessageContaining("now");
  }
}
