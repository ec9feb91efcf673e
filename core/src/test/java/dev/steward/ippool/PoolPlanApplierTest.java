package dev.steward.ippool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.ippool.ApplyResult.Status;
import dev.steward.model.TenantId;
import dev.steward.testing.InMemoryIpPoolAdmin;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Applying a plan is idempotent and resumable, and never moves mail to a pool it cannot use. */
class PoolPlanApplierTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final TenantId T1 = TenantId.of("t1");
  private static final TenantId T2 = TenantId.of("t2");
  private static final PoolName WARMUP = PoolName.of("warmup");
  private static final PoolName STANDARD = PoolName.of("shared-standard");

  private final SettableClock clock = SettableClock.of(T0);
  private final InMemoryIpPoolAdmin admin = InMemoryIpPoolAdmin.of(clock);
  private final InMemoryPoolAssignmentStore store = InMemoryPoolAssignmentStore.of();

  private static PoolMove first(TenantId t, PoolName to, Tier tier) {
    return new PoolMove(
        t,
        Stream.MARKETING,
        Optional.empty(),
        to,
        tier,
        0,
        MoveReason.of(MoveReason.Cause.CONFIGURATION, "first assignment"));
  }

  /** Pools with one IP each whose reverse DNS is validated. */
  private PoolPlanApplier readyPools() {
    PoolPlanApplier applier = PoolPlanApplier.builder(admin, store, clock).build();
    admin.registerReadyIp("192.0.2.10", "o1.mail.example.com");
    admin.registerReadyIp("192.0.2.11", "o2.mail.example.com");
    applier.addIp(WARMUP, IpAddress.of("192.0.2.10"));
    applier.addIp(STANDARD, IpAddress.of("192.0.2.11"));
    return applier;
  }

  @Test
  void aPlanMadeBeforeAnErasureIsStaleAndOneMadeAfterItApplies() {
    PoolPlanApplier applier = readyPools();
    PoolPlan before = PoolPlan.of(T0, List.of(first(T1, WARMUP, Tier.WARMUP)));
    clock.advance(Duration.ofMinutes(1));
    store.eraseTenant(T1, clock.instant());
    clock.advance(Duration.ofMinutes(1));

    assertThat(applier.apply(before).outcomes())
        .extracting(ApplyResult.MoveOutcome::status)
        .containsExactly(Status.STALE);
    assertThat(store.find(T1, Stream.MARKETING)).isEmpty();
    assertThat(admin.calls()).noneMatch(c -> c.contains(T1.value()));

    PoolPlan after = PoolPlan.of(clock.instant(), List.of(first(T1, STANDARD, Tier.STANDARD)));
    assertThat(applier.apply(after).outcomes())
        .extracting(ApplyResult.MoveOutcome::status)
        .containsExactly(Status.APPLIED);
    assertThat(store.find(T1, Stream.MARKETING).orElseThrow().pool()).isEqualTo(STANDARD);
  }

  @Test
  void aProviderFailureOnTheSecondCallLeavesAPlanThatASecondRunCompletesWithoutDuplicates() {
    PoolPlanApplier applier = readyPools();
    PoolPlan plan =
        PoolPlan.of(
            T0, List.of(first(T1, WARMUP, Tier.WARMUP), first(T2, STANDARD, Tier.STANDARD)));
    int before = admin.calls().size();
    admin.failOnCall(2);

    ApplyResult crashed = applier.apply(plan);

    assertThat(crashed.outcomes())
        .extracting(ApplyResult.MoveOutcome::status)
        .containsExactly(Status.APPLIED, Status.FAILED);
    assertThat(crashed.complete()).isFalse();
    assertThat(store.find(T2, Stream.MARKETING)).isEmpty();

    ApplyResult resumed = applier.apply(plan);

    assertThat(resumed.outcomes())
        .extracting(ApplyResult.MoveOutcome::status)
        .containsExactly(Status.ALREADY_APPLIED, Status.APPLIED);
    assertThat(resumed.complete()).isTrue();
    assertThat(store.find(T1, Stream.MARKETING).orElseThrow().pool()).isEqualTo(WARMUP);
    assertThat(store.find(T2, Stream.MARKETING).orElseThrow().pool()).isEqualTo(STANDARD);
    assertThat(store.changes(T1, 10)).hasSize(1);
    assertThat(store.changes(T2, 10))
        .singleElement()
        .extracting(PoolChange::planId)
        .isEqualTo(plan.id());
    // t1's provider call was made once; t2's failed call was repeated once
    assertThat(admin.calls().subList(before, admin.calls().size()))
        .containsExactly(
            "assignTenant(t1, MARKETING, warmup)",
            "assignTenant(t2, MARKETING, shared-standard)",
            "assignTenant(t2, MARKETING, shared-standard)");
    assertThat(admin.tenantPools(T2)).containsEntry(Stream.MARKETING, STANDARD);

    // a third run does nothing at all
    int calls = admin.calls().size();
    assertThat(applier.apply(plan).count(Status.ALREADY_APPLIED)).isEqualTo(2);
    assertThat(admin.calls()).hasSize(calls);
  }

  @Test
  void aCrashBetweenTheProviderAndTheStoreIsCompletedByTheNextRun() {
    readyPools();
    AtomicInteger failures = new AtomicInteger(1);
    PoolAssignmentStore crashing =
        new ForwardingStore(store) {
          @Override
          public boolean apply(PoolChange change) {
            if (failures.getAndDecrement() > 0) {
              throw new IllegalStateException("the process died here");
            }
            return super.apply(change);
          }
        };
    PoolPlanApplier applier = PoolPlanApplier.builder(admin, crashing, clock).build();
    PoolPlan plan = PoolPlan.of(T0, List.of(first(T1, WARMUP, Tier.WARMUP)));

    assertThatThrownBy(() -> applier.apply(plan)).hasMessageContaining("died");
    assertThat(admin.tenantPools(T1)).containsEntry(Stream.MARKETING, WARMUP);
    assertThat(store.find(T1, Stream.MARKETING)).isEmpty();

    assertThat(applier.apply(plan).count(Status.APPLIED)).isEqualTo(1);
    assertThat(store.changes(T1, 10)).hasSize(1);
  }

  @Test
  void aMissingPoolIsCreatedOnceAndAPoolWithoutAReadyIpBlocksTheMove() {
    PoolPlanApplier applier = PoolPlanApplier.builder(admin, store, clock).build();
    PoolPlan plan =
        PoolPlan.of(T0, List.of(first(T1, WARMUP, Tier.WARMUP), first(T2, WARMUP, Tier.WARMUP)));
    // an IP whose rDNS is not validated does not count
    admin.registerIp(
        new IpInfo(
            IpAddress.of("192.0.2.20"),
            Optional.of("o3.mail.example.com"),
            false,
            Optional.empty(),
            Optional.empty()));

    ApplyResult r = applier.apply(plan);

    assertThat(r.outcomes())
        .extracting(ApplyResult.MoveOutcome::status)
        .containsExactly(Status.BLOCKED, Status.BLOCKED);
    assertThat(r.outcomes().get(0).detail().orElseThrow())
        .contains("warmup")
        .contains("reverse DNS");
    assertThat(admin.calls()).containsExactly("createPool(warmup)");
    assertThat(store.find(T1, Stream.MARKETING)).isEmpty();

    admin.registerReadyIp("192.0.2.21", "o4.mail.example.com");
    applier.addIp(WARMUP, IpAddress.of("192.0.2.21"));
    assertThat(applier.apply(plan).count(Status.APPLIED)).isEqualTo(2);
    assertThat(admin.calls()).filteredOn(c -> c.startsWith("createPool")).hasSize(1);
  }

  @Test
  void anIpJoinsAPoolOnlyWithValidatedReverseDns() {
    PoolPlanApplier applier = PoolPlanApplier.builder(admin, store, clock).build();
    admin.registerIp(
        new IpInfo(
            IpAddress.of("2001:db8::5"),
            Optional.of("o5.mail.example.com"),
            false,
            Optional.empty(),
            Optional.empty()));

    assertThatThrownBy(() -> applier.addIp(WARMUP, IpAddress.of("2001:db8::5")))
        .isInstanceOf(IpNotReadyException.class)
        .hasMessageContaining("2001:db8:0:0:0:0:0:5")
        .hasMessageContaining("reverse DNS (o5.mail.example.com) is not validated");
    assertThatThrownBy(() -> applier.addIp(WARMUP, IpAddress.of("192.0.2.99")))
        .isInstanceOf(IpNotReadyException.class)
        .hasMessageContaining("not an address of the account");
    assertThat(admin.calls()).isEmpty();

    admin.registerIp(
        new IpInfo(
            IpAddress.of("2001:db8::5"),
            Optional.of("o5.mail.example.com"),
            true,
            Optional.empty(),
            Optional.empty()));
    applier.addIp(WARMUP, IpAddress.of("2001:db8::5"));
    assertThat(admin.pool(WARMUP).orElseThrow().ips())
        .containsExactly(IpAddress.of("2001:db8:0:0:0:0:0:5"));
  }

  @Test
  void aMoveOverAStreamThatMovedSinceIsStaleAndListenersHearOnlyAppliedChanges() {
    List<PoolChange> heard = new ArrayList<>();
    readyPools();
    PoolPlanApplier applier =
        PoolPlanApplier.builder(admin, store, clock).listener(heard::add).build();
    PoolPlan old = PoolPlan.of(T0, List.of(first(T1, WARMUP, Tier.WARMUP)));
    PoolPlan other = PoolPlan.of(T0, List.of(first(T1, STANDARD, Tier.STANDARD)));
    assertThat(old.id()).isNotEqualTo(other.id());

    applier.apply(other);
    ApplyResult r = applier.apply(old);

    assertThat(r.outcomes())
        .singleElement()
        .extracting(ApplyResult.MoveOutcome::status)
        .isEqualTo(Status.STALE);
    assertThat(r.complete()).isTrue();
    assertThat(store.find(T1, Stream.MARKETING).orElseThrow().pool()).isEqualTo(STANDARD);
    assertThat(heard).singleElement().extracting(PoolChange::to).isEqualTo(STANDARD);
  }

  @Test
  void onePlanHasOneIdAndRefusesTwoMovesOfOneStream() {
    PoolMove a = first(T1, WARMUP, Tier.WARMUP);
    assertThat(PoolPlan.of(T0, List.of(a)).id())
        .isEqualTo(PoolPlan.of(T0.plusSeconds(5), List.of(a)).id());
    assertThatThrownBy(() -> PoolPlan.of(T0, List.of(a, first(T1, STANDARD, Tier.STANDARD))))
        .isInstanceOf(InvalidIpPoolException.class)
        .hasMessageContaining("t1/MARKETING twice");
  }

  /** A store that forwards every call, for tests that fail one. */
  static class ForwardingStore implements PoolAssignmentStore {
    private final PoolAssignmentStore d;

    ForwardingStore(PoolAssignmentStore d) {
      this.d = d;
    }

    @Override
    public Optional<PoolAssignment> find(TenantId tenant, Stream stream) {
      return d.find(tenant, stream);
    }

    @Override
    public List<PoolAssignment> assignments(TenantId tenant) {
      return d.assignments(tenant);
    }

    @Override
    public int countIn(PoolName pool) {
      return d.countIn(pool);
    }

    @Override
    public boolean apply(PoolChange change) {
      return d.apply(change);
    }

    @Override
    public List<PoolChange> changes(TenantId tenant, int limit) {
      return d.changes(tenant, limit);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      return d.eraseTenant(tenant);
    }
  }
}
