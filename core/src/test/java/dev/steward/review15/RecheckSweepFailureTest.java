package dev.steward.review15;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.DnsBlocklist;
import dev.steward.onboarding.InMemoryOnboardingStore;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingRechecks;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.PhaseVerdict;
import dev.steward.onboarding.Verdict;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.Completion;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.Lease;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.SettableClock;
import dev.steward.testing.StaticDnsResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The re-check sweep whose store fails while it creates the tenants' items: its retry must create
 * them, not skip the tenants it had listed before the failure until the next period.
 */
class RecheckSweepFailureTest {
  private static final Actor RULE = Actor.rule("test");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));

  /** A work store whose next scheduleAll of re-check items fails. */
  static final class FailingWork implements WorkStore {
    final InMemoryWorkStore inner;
    final AtomicBoolean failNext = new AtomicBoolean();

    FailingWork(InMemoryWorkStore inner) {
      this.inner = inner;
    }

    @Override
    public boolean schedule(WorkItem item, IfExists ifExists) {
      return inner.schedule(item, ifExists);
    }

    @Override
    public int scheduleAll(Collection<WorkItem> items, IfExists ifExists) {
      if (failNext.compareAndSet(true, false)) {
        throw new IllegalStateException("connection reset");
      }
      return inner.scheduleAll(items, ifExists);
    }

    @Override
    public List<ClaimedWork> claim(ClaimRequest request) {
      return inner.claim(request);
    }

    @Override
    public List<Lease> renew(Collection<Lease> leases, Duration lease) {
      return inner.renew(leases, lease);
    }

    @Override
    public List<Completion> complete(List<Completion> completions) {
      return inner.complete(completions);
    }

    @Override
    public int release(Collection<Lease> leases) {
      return inner.release(leases);
    }

    @Override
    public boolean cancel(WorkKey key) {
      return inner.cancel(key);
    }

    @Override
    public int cancelSubject(TenantId tenant, String subject) {
      return inner.cancelSubject(tenant, subject);
    }

    @Override
    public int cancelTenant(TenantId tenant) {
      return inner.cancelTenant(tenant);
    }

    @Override
    public Optional<WorkItem> find(WorkKey key) {
      return inner.find(key);
    }

    @Override
    public List<WorkItem> findBySubject(TenantId tenant, String subject, String kind) {
      return inner.findBySubject(tenant, subject, kind);
    }

    @Override
    public List<WorkItem> dead(int max) {
      return inner.dead(max);
    }

    @Override
    public boolean retryDead(WorkKey key, Instant at) {
      return inner.retryDead(key, at);
    }

    @Override
    public long count(WorkState state) {
      return inner.count(state);
    }
  }

  private void active(OnboardingStateMachine m, TenantId t) {
    m.enrol(t, RULE);
    OnboardingPhase[] gates = {
      OnboardingPhase.VETTING,
      OnboardingPhase.SENDER_DOMAIN_VERIFICATION,
      OnboardingPhase.CONTENT_REVIEW
    };
    OnboardingState[] next = {
      OnboardingState.DOMAIN_VERIFICATION, OnboardingState.CONTENT_REVIEW, OnboardingState.PILOT
    };
    for (int i = 0; i < 3; i++) {
      m.recordVerdict(
          t, new PhaseVerdict(gates[i], Verdict.PASS, RULE, clock.instant(), "ok", List.of()));
      m.transition(t, next[i], RULE, "passed");
    }
  }

  @Test
  void aSweepWhoseStoreFailsCreatesTheItemsOnItsRetry() {
    FailingWork work = new FailingWork(InMemoryWorkStore.of(clock));
    OnboardingStateMachine machine =
        OnboardingStateMachine.builder(clock, InMemoryOnboardingStore.of()).build();
    GovernanceEvaluator governance =
        GovernanceEvaluator.builder(
                InMemoryGovernanceMetricsStore.of(), InMemoryStandingStore.of(), clock)
            .build();
    OnboardingRechecks rechecks =
        OnboardingRechecks.builder(machine, governance, t -> Set.of(t.value() + ".example"))
            .blocklists(StaticDnsResolver.of(), List.of(DnsBlocklist.of("dbl.example.org")))
            .build();
    List<TenantId> tenants = List.of(TenantId.of("a"), TenantId.of("b"), TenantId.of("c"));
    tenants.forEach(t -> active(machine, t));
    WorkRunner runner = rechecks.register(WorkRunner.builder(work, clock)).build();

    work.failNext.set(true);
    runner.runDue(); // the sweep fails while storing the items
    clock.advance(Duration.ofMinutes(5)); // its retry
    runner.runDue();

    for (TenantId t : tenants) {
      assertThat(work.find(WorkKey.of(t, OnboardingRechecks.KIND, OnboardingRechecks.ITEM_ID)))
          .as("the re-check item of %s, made by the retried sweep", t)
          .isPresent();
    }
  }
}
