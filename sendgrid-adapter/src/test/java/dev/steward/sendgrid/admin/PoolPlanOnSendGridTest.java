package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.ippool.ApplyResult;
import dev.steward.ippool.ApplyResult.Status;
import dev.steward.ippool.InMemoryPoolAssignmentStore;
import dev.steward.ippool.IpAddress;
import dev.steward.ippool.IpNotReadyException;
import dev.steward.ippool.IpWarmup;
import dev.steward.ippool.MoveReason;
import dev.steward.ippool.PoolAssignment;
import dev.steward.ippool.PoolAssignmentStore;
import dev.steward.ippool.PoolChange;
import dev.steward.ippool.PoolMove;
import dev.steward.ippool.PoolName;
import dev.steward.ippool.PoolPlan;
import dev.steward.ippool.PoolPlanApplier;
import dev.steward.ippool.Stream;
import dev.steward.ippool.Tier;
import dev.steward.ippool.WarmupSchedule;
import dev.steward.model.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Core's PoolPlanApplier through SendGridIpPoolAdmin against the stateful IP API fake over
 * MockWebServer, end to end: the pool made once, its IP added once its reverse DNS is valid, the
 * tenants' subusers given its IPs; a plan cut short by SendGrid's failure or by a crash between
 * SendGrid's change and the store's record completes when run again, with nothing done twice.
 */
class PoolPlanOnSendGridTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId BETA = TenantId.of("beta");
  private static final PoolName WARMUP = PoolName.of("warmup");
  private static final IpAddress IP = IpAddress.of("192.0.2.10");
  private static final MoveReason NEW =
      MoveReason.of(MoveReason.Cause.ONBOARDING, "a new tenant warms up");

  private final MockWebServer server = new MockWebServer();
  private final FakeIpApi fake = new FakeIpApi();
  private SendGridAdmin sendGrid;
  private SendGridIpPoolAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(fake);
    server.start();
    sendGrid = AdminFixtures.admin(server, new AdminFixtures.Waits());
    admin =
        SendGridIpPoolAdmin.of(
            sendGrid, TenantSubusers.of(Map.of(ACME, "tenant-acme", BETA, "tenant-beta")));
    fake.readyIp("192.0.2.10", "o1.mail.isv.example");
  }

  @AfterEach
  void stop() throws Exception {
    sendGrid.close();
    server.shutdown();
    assertThat(fake.problems).as("requests outside SendGrid's OpenAPI files").isEmpty();
  }

  private static PoolPlan plan() {
    return PoolPlan.of(
        AdminFixtures.NOW,
        List.of(
            new PoolMove(ACME, Stream.MARKETING, Optional.empty(), WARMUP, Tier.WARMUP, 0, NEW),
            new PoolMove(BETA, Stream.MARKETING, Optional.empty(), WARMUP, Tier.WARMUP, 0, NEW)));
  }

  private PoolPlanApplier applier(PoolAssignmentStore store) {
    return PoolPlanApplier.builder(admin, store, AdminFixtures.CLOCK).build();
  }

  @Test
  void aPlanIsAppliedOnceAndAppliedAgainChangesNothing() {
    InMemoryPoolAssignmentStore store = InMemoryPoolAssignmentStore.of();
    PoolPlanApplier applier = applier(store);

    applier.addIp(WARMUP, IP);
    ApplyResult first = applier.apply(plan());

    assertThat(first.complete()).isTrue();
    assertThat(first.count(Status.APPLIED)).isEqualTo(2);
    assertThat(fake.pools).containsEntry("warmup", java.util.Set.of("192.0.2.10"));
    assertThat(fake.subusersOf("192.0.2.10"))
        .containsExactlyInAnyOrder("tenant-acme", "tenant-beta");
    assertThat(store.find(ACME, Stream.MARKETING)).map(PoolAssignment::pool).contains(WARMUP);
    assertThat(store.find(BETA, Stream.MARKETING)).map(PoolAssignment::pool).contains(WARMUP);

    ApplyResult again = applier.apply(plan());
    applier.addIp(WARMUP, IP);

    assertThat(again.count(Status.ALREADY_APPLIED)).isEqualTo(2);
    assertThat(fake.count("POST /v3/ips/pools")).isEqualTo(1);
    assertThat(fake.count("POST /v3/ips/pools/warmup/ips")).isEqualTo(1);
    assertThat(fake.count("PUT /v3/subusers/tenant-acme/ips")).isEqualTo(1);
    assertThat(fake.count("PUT /v3/subusers/tenant-beta/ips")).isEqualTo(1);
  }

  @Test
  void anIpWhoseReverseDnsSendGridHasNotValidatedCannotJoinAndThePlanIsBlocked() {
    fake.ips.get("192.0.2.10").whitelabeled = false;
    InMemoryPoolAssignmentStore store = InMemoryPoolAssignmentStore.of();
    PoolPlanApplier applier = applier(store);

    assertThatThrownBy(() -> applier.addIp(WARMUP, IP))
        .isInstanceOf(IpNotReadyException.class)
        .hasMessageContaining("o1.mail.isv.example");
    fake.pool("warmup", "192.0.2.10");
    ApplyResult r = applier.apply(plan());

    assertThat(r.count(Status.BLOCKED)).isEqualTo(2);
    assertThat(fake.requests).noneMatch(q -> q.startsWith("PUT ") || q.startsWith("POST "));
    assertThat(store.find(ACME, Stream.MARKETING)).isEmpty();
  }

  @Test
  void aPlanStoppedBySendGridsFailureCompletesWhenRunAgain() {
    InMemoryPoolAssignmentStore store = InMemoryPoolAssignmentStore.of();
    PoolPlanApplier applier = applier(store);
    applier.addIp(WARMUP, IP);
    for (int i = 0; i < 3; i++) {
      fake.failNext("PUT /v3/subusers/tenant-beta/ips", new MockResponse().setResponseCode(503));
    }

    ApplyResult cut = applier.apply(plan());

    assertThat(cut.outcomes())
        .extracting(ApplyResult.MoveOutcome::status)
        .containsExactly(Status.APPLIED, Status.FAILED);
    assertThat(cut.outcomes().get(1).detail().orElseThrow()).contains("503", "after 3 tries");
    assertThat(fake.subusersOf("192.0.2.10")).containsExactly("tenant-acme");
    assertThat(store.find(BETA, Stream.MARKETING)).isEmpty();

    ApplyResult resumed = applier.apply(plan());

    assertThat(resumed.outcomes())
        .extracting(ApplyResult.MoveOutcome::status)
        .containsExactly(Status.ALREADY_APPLIED, Status.APPLIED);
    assertThat(fake.subusersOf("192.0.2.10"))
        .containsExactlyInAnyOrder("tenant-acme", "tenant-beta");
    assertThat(fake.count("POST /v3/ips/pools")).isEqualTo(1);
    assertThat(fake.count("PUT /v3/subusers/tenant-acme/ips")).isEqualTo(1);
    assertThat(store.changes(BETA, 10)).hasSize(1);
  }

  @Test
  void aCrashAfterSendGridChangedAndBeforeTheRecordIsResumedWithoutASecondChange() {
    InMemoryPoolAssignmentStore inner = InMemoryPoolAssignmentStore.of();
    AtomicBoolean crashOnBeta = new AtomicBoolean(true);
    PoolAssignmentStore crashing =
        new PoolAssignmentStore() {
          @Override
          public Optional<PoolAssignment> find(TenantId tenant, Stream stream) {
            return inner.find(tenant, stream);
          }

          @Override
          public List<PoolAssignment> assignments(TenantId tenant) {
            return inner.assignments(tenant);
          }

          @Override
          public int countIn(PoolName pool) {
            return inner.countIn(pool);
          }

          @Override
          public boolean apply(PoolChange change) {
            if (change.tenant().equals(BETA) && crashOnBeta.getAndSet(false)) {
              throw new IllegalStateException("the process died here");
            }
            return inner.apply(change);
          }

          @Override
          public List<PoolChange> changes(TenantId tenant, int limit) {
            return inner.changes(tenant, limit);
          }

          @Override
          public int eraseTenant(TenantId tenant) {
            return inner.eraseTenant(tenant);
          }
        };
    PoolPlanApplier before = applier(crashing);
    before.addIp(WARMUP, IP);
    assertThatThrownBy(() -> before.apply(plan())).hasMessageContaining("the process died here");
    assertThat(fake.subusersOf("192.0.2.10"))
        .containsExactlyInAnyOrder("tenant-acme", "tenant-beta");
    assertThat(inner.find(BETA, Stream.MARKETING)).isEmpty();

    // a new process, the same plan
    ApplyResult resumed = applier(inner).apply(plan());

    assertThat(resumed.complete()).isTrue();
    assertThat(resumed.outcomes())
        .extracting(ApplyResult.MoveOutcome::status)
        .containsExactly(Status.ALREADY_APPLIED, Status.APPLIED);
    assertThat(inner.find(BETA, Stream.MARKETING)).map(PoolAssignment::pool).contains(WARMUP);
    assertThat(fake.count("POST /v3/ips/pools")).isEqualTo(1);
    assertThat(fake.count("PUT /v3/subusers/tenant-beta/ips")).isEqualTo(1);
  }

  @Test
  void aColdIpIsPutIntoSendGridsWarmUpOnce() {
    PoolPlanApplier applier = applier(InMemoryPoolAssignmentStore.of());
    applier.addIp(WARMUP, IP);
    IpWarmup warmup = IpWarmup.of(WarmupSchedule.sendGridAutomated());

    assertThat(applier.rewarmColdIps(warmup)).containsExactly(IP);
    assertThat(applier.rewarmColdIps(warmup)).isEmpty();

    assertThat(fake.count("POST /v3/ips/warmup")).isEqualTo(1);
    assertThat(fake.ips.get("192.0.2.10").warmup).isTrue();
  }
}
