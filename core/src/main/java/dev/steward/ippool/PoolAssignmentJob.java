package dev.steward.ippool;

import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.IllegalTransitionException;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.OnboardingStore;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.WorkRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Onboarding's phase 5 as recurring work: every period (hourly by default) plans the pools of every
 * tenant onboarding lets send ({@link OnboardingState#maySend()}) with the {@link PoolPlanner},
 * from the standings governance's evaluation stored, applies the plan with the {@link
 * PoolPlanApplier}, and moves each tenant waiting in {@link OnboardingState#POOL_ASSIGNMENT} whose
 * every stream now has its pool to {@link OnboardingState#ACTIVE} (monitoring), by {@link #RULE},
 * with the pools in the reason.
 *
 * <p>One item ({@value #KIND} under {@link Recurring#SYSTEM_TENANT}) whatever the number of
 * instances, so it runs once per period across them. Tenants are planned a page at a time (the
 * planner orders each page's moves: quarantine first). Running again is harmless: a plan is made
 * from the current assignments, moves already applied are skipped by their versions, and a tenant
 * moved to ACTIVE by another run is left alone.
 */
public final class PoolAssignmentJob {
  private static final Logger log = LoggerFactory.getLogger(PoolAssignmentJob.class);

  /** The recurring work kind. */
  public static final String KIND = "steward.ippool.assign";

  /** How often it runs unless told otherwise. */
  public static final Duration DEFAULT_EVERY = Duration.ofHours(1);

  /** The shortest period. */
  public static final Duration MIN_EVERY = Duration.ofMinutes(5);

  /** The default page of tenants planned together. */
  public static final int DEFAULT_PAGE = 500;

  /** The actor of the moves to {@link OnboardingState#ACTIVE}. */
  public static final Actor RULE = Actor.rule("pool-assignment");

  private static final List<OnboardingState> STATES =
      List.of(OnboardingState.values()).stream().filter(OnboardingState::maySend).toList();

  private final PoolPlanner planner;
  private final PoolPlanApplier applier;
  private final OnboardingStateMachine machine;
  private final Duration every;
  private final int page;
  private final Recurring recurring;
  // the listing's place between batches of one run; a run continued elsewhere starts again,
  // which plans from the current assignments and so repeats nothing
  private int state;
  private Optional<TenantId> after = Optional.empty();

  private PoolAssignmentJob(Builder b) {
    this.planner = b.planner;
    this.applier = b.applier;
    this.machine = b.machine;
    this.every = b.every;
    this.page = b.page;
    this.recurring =
        Recurring.builder(KIND, this::batch)
            .every(every)
            .batchSize(page)
            .budget(Recurring.DEFAULT_BUDGET)
            .build();
  }

  /**
   * A builder: plan with {@code planner}, apply with {@code applier}, move tenants on {@code
   * machine}.
   */
  public static Builder builder(
      PoolPlanner planner, PoolPlanApplier applier, OnboardingStateMachine machine) {
    return new Builder(planner, applier, machine);
  }

  /** How often it runs. */
  public Duration every() {
    return every;
  }

  /** The recurring work that runs it. */
  public Recurring recurring() {
    return recurring;
  }

  /**
   * Adds the job to {@code runner} and makes sure its item is stored (once, however many instances
   * register); returns {@code runner}.
   */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    return recurring.register(InvalidIpPoolException.requireNonNull(runner, "runner"));
  }

  /**
   * Plans, applies and graduates every tenant now, on the calling thread; how many were planned.
   */
  public long runOnce() {
    return recurring.runOnce().done();
  }

  /** Plans and applies the next page of at most {@code max} tenants; how many it planned. */
  synchronized int batch(int max) {
    List<TenantId> tenants = new ArrayList<>();
    List<TenantId> waiting = new ArrayList<>();
    while (tenants.size() < max && state < STATES.size()) {
      OnboardingState s = STATES.get(state);
      int want = max - tenants.size();
      List<TenantId> found = machine.tenants(s, after, Math.min(want, OnboardingStore.MAX_PAGE));
      tenants.addAll(found);
      if (s == OnboardingState.POOL_ASSIGNMENT) {
        waiting.addAll(found);
      }
      if (found.size() < Math.min(want, OnboardingStore.MAX_PAGE)) {
        state++;
        after = Optional.empty();
      } else {
        after = Optional.of(found.get(found.size() - 1));
      }
    }
    if (!tenants.isEmpty()) {
      PoolPlan plan = planner.plan(tenants);
      ApplyResult result = plan.isEmpty() ? null : applier.apply(plan);
      if (result != null) {
        log.info(
            "pool plan {} for {} tenants: {} moves, {} applied, complete {}",
            plan.id(),
            tenants.size(),
            plan.moves().size(),
            result.count(ApplyResult.Status.APPLIED),
            result.complete());
      }
      for (TenantId t : waiting) {
        graduate(t, result);
      }
    }
    if (tenants.size() < max) {
      state = 0;
      after = Optional.empty();
    }
    return tenants.size();
  }

  /** Moves a tenant in POOL_ASSIGNMENT whose every stream has its pool to ACTIVE. */
  private void graduate(TenantId t, ApplyResult result) {
    if (result != null) {
      boolean pending =
          result.outcomes().stream()
              .anyMatch(
                  o ->
                      o.move().tenant().equals(t)
                          && o.status() != ApplyResult.Status.APPLIED
                          && o.status() != ApplyResult.Status.ALREADY_APPLIED);
      if (pending) {
        log.info("tenant {} waits for its pools: a move did not apply", t);
        return;
      }
    }
    TenantView view = planner.view(t);
    Set<Stream> missing = EnumSet.noneOf(Stream.class);
    for (Stream s : view.streams()) {
      if (view.assignment(s).isEmpty()) {
        missing.add(s);
      }
    }
    if (!missing.isEmpty()) {
      log.info("tenant {} waits for its pools: no pool yet for {}", t, missing);
      return;
    }
    String pools =
        view.streams().stream()
            .sorted()
            .map(
                s -> {
                  PoolAssignment a = view.assignment(s).orElseThrow();
                  return s + " -> " + a.pool() + " (" + a.tier() + ")";
                })
            .collect(Collectors.joining(", "));
    try {
      machine.transition(
          t, OnboardingState.ACTIVE, RULE, "pool assignment applied: " + pools + "; monitoring");
    } catch (IllegalTransitionException e) {
      // moved meanwhile, by another instance's run or a person: nothing to do
      log.debug("tenant {} not moved to ACTIVE: {}", t, e.getMessage());
    }
  }

  /** Configures a {@link PoolAssignmentJob}. */
  public static final class Builder {
    private final PoolPlanner planner;
    private final PoolPlanApplier applier;
    private final OnboardingStateMachine machine;
    private Duration every = DEFAULT_EVERY;
    private int page = DEFAULT_PAGE;

    private Builder(PoolPlanner planner, PoolPlanApplier applier, OnboardingStateMachine machine) {
      this.planner = InvalidIpPoolException.requireNonNull(planner, "planner");
      this.applier = InvalidIpPoolException.requireNonNull(applier, "applier");
      this.machine = InvalidIpPoolException.requireNonNull(machine, "machine");
    }

    /** How often it runs: {@link #DEFAULT_EVERY} unless set; at least {@link #MIN_EVERY}. */
    public Builder every(Duration every) {
      if (every == null || every.compareTo(MIN_EVERY) < 0) {
        throw new InvalidIpPoolException(
            "pool assignment every must be at least " + MIN_EVERY + ", was " + every);
      }
      this.every = every;
      return this;
    }

    /** Tenants planned together: 1 to {@link OnboardingStore#MAX_PAGE}; {@value #DEFAULT_PAGE}. */
    public Builder page(int page) {
      if (page < 1 || page > OnboardingStore.MAX_PAGE) {
        throw new InvalidIpPoolException(
            "pool assignment page must be 1 to " + OnboardingStore.MAX_PAGE + ", was " + page);
      }
      this.page = page;
      return this;
    }

    /** The job. */
    public PoolAssignmentJob build() {
      return new PoolAssignmentJob(this);
    }
  }
}
