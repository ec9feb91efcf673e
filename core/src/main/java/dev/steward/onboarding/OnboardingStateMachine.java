package dev.steward.onboarding;

import dev.steward.model.TenantId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable onboarding state machine: enrols tenants, moves them under the guards of the
 * framework and records gate verdicts, each change stored atomically over the version it was
 * computed from and then told to the listeners. Safe from several threads and from several
 * instances over one JDBC store: of two moves of one tenant computed from the same version, one is
 * stored and the other is re-checked against the new state (and, if the move no longer applies,
 * refused with {@link IllegalTransitionException}).
 */
public final class OnboardingStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(OnboardingStateMachine.class);
  private static final int ATTEMPTS = 8;

  // actors are logged by kind only: a reviewer's identifier may be an email address

  private final Clock clock;
  private final OnboardingStore store;
  private final List<OnboardingListener> listeners;

  private OnboardingStateMachine(Builder b) {
    this.clock = b.clock;
    this.store = b.store;
    this.listeners = List.copyOf(b.listeners);
  }

  /** A builder over {@code store}, telling time by {@code clock}. */
  public static Builder builder(Clock clock, OnboardingStore store) {
    return new Builder(clock, store);
  }

  /** The tenant's record, if enrolled. */
  public Optional<OnboardingRecord> find(TenantId tenant) {
    return store.find(Checks.notNull("tenant", tenant));
  }

  /**
   * Enrols a tenant in {@link OnboardingState#VETTING}; if it was already enrolled, returns its
   * record unchanged (and tells no listener).
   */
  public OnboardingRecord enrol(TenantId tenant, Actor by) {
    Checks.notNull("tenant", tenant);
    Checks.notNull("by", by);
    OnboardingRecord fresh = OnboardingRecord.enrolled(tenant, by, clock.instant());
    if (store.insert(fresh)) {
      // the store may have stored it past an erased enrolment's version: answer what it holds
      OnboardingRecord stored = store.find(tenant).orElse(fresh);
      LOG.info("tenant {} enrolled in onboarding by a {}", tenant, by.kind());
      publish(new OnboardingEvent.Enrolled(tenant, stored));
      return stored;
    }
    return require(tenant);
  }

  /**
   * Moves the tenant to {@code to}; the stored record.
   *
   * @throws IllegalTransitionException if the move is not allowed from the tenant's state or its
   *     guard refuses it
   * @throws InvalidOnboardingInputException if the tenant is not enrolled
   */
  public OnboardingRecord transition(TenantId tenant, OnboardingState to, Actor by, String reason) {
    return transition(tenant, to, by, reason, false);
  }

  /**
   * Moves the tenant to {@code to} as governance's standing says (see {@link GovernanceSync}): the
   * guards of {@link #transition}, except that a rule may lift a suspension governance lifted.
   */
  OnboardingRecord follow(TenantId tenant, OnboardingState to, Actor by, String reason) {
    return transition(tenant, to, by, reason, true);
  }

  private OnboardingRecord transition(
      TenantId tenant, OnboardingState to, Actor by, String reason, boolean following) {
    Checks.notNull("tenant", tenant);
    Checks.notNull("to", to);
    Checks.notNull("by", by);
    String why = Checks.text("reason", reason, 2000);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      OnboardingRecord current = require(tenant, to);
      Optional<String> refusal = TransitionRules.refusal(current, to, by, following);
      if (refusal.isPresent()) {
        throw new IllegalTransitionException(tenant, current.state(), to, refusal.get());
      }
      Transition t = new Transition(current.state(), to, by, clock.instant(), why);
      OnboardingRecord next = current.moved(t, TransitionRules.resumeAfter(current, to));
      if (store.replace(current.version(), next)) {
        LOG.info("tenant {} moved from {} to {} by a {}", tenant, t.from(), to, by.kind());
        publish(new OnboardingEvent.PhaseChanged(tenant, t, next));
        return next;
      }
    }
    OnboardingRecord now = require(tenant, to);
    throw new IllegalTransitionException(
        tenant, now.state(), to, "other changes kept winning the race over " + ATTEMPTS + " tries");
  }

  /**
   * Records a verdict on the gate {@code verdict.phase()}; the tenant must be in that gate's state.
   * A verdict alone moves nobody: callers move the tenant once the gate is cleared.
   *
   * @throws IllegalTransitionException if the tenant is not in the verdict's gate
   */
  public OnboardingRecord recordVerdict(TenantId tenant, PhaseVerdict verdict) {
    Checks.notNull("tenant", tenant);
    Checks.notNull("verdict", verdict);
    OnboardingState gate = OnboardingRecord.gateState(verdict.phase());
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      OnboardingRecord current = require(tenant, gate);
      if (current.state() != gate) {
        throw new IllegalTransitionException(
            tenant,
            current.state(),
            gate,
            "a verdict on " + verdict.phase() + " needs the tenant in " + gate);
      }
      OnboardingRecord next = current.withVerdict(verdict);
      if (store.replace(current.version(), next)) {
        LOG.info(
            "tenant {}: {} verdict {} by a {}",
            tenant,
            verdict.phase(),
            verdict.verdict(),
            verdict.by().kind());
        publish(new OnboardingEvent.VerdictRecorded(tenant, verdict, next));
        return next;
      }
    }
    throw new IllegalTransitionException(
        tenant, gate, gate, "other changes kept winning the race over " + ATTEMPTS + " tries");
  }

  /**
   * Records the verdict of a re-check of a gate the tenant has already cleared (a blocklist or
   * sender-domain re-check, see {@link OnboardingRechecks}) on its audit trail, beside the gate's
   * own verdicts. It moves nobody and, the tenant having left the gate, clears or blocks nothing.
   *
   * @throws IllegalTransitionException if the tenant has not cleared the verdict's gate (it is in
   *     the gate or before it, rejected or terminated)
   */
  OnboardingRecord recordRecheck(TenantId tenant, PhaseVerdict verdict) {
    Checks.notNull("tenant", tenant);
    Checks.notNull("verdict", verdict);
    OnboardingState gate = OnboardingRecord.gateState(verdict.phase());
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      OnboardingRecord current = require(tenant, gate);
      if (!pastGate(current.state(), verdict.phase())) {
        throw new IllegalTransitionException(
            tenant,
            current.state(),
            current.state(),
            "a re-check of " + verdict.phase() + " needs a tenant that has cleared it");
      }
      OnboardingRecord next = current.withVerdict(verdict);
      if (store.replace(current.version(), next)) {
        LOG.info("tenant {}: re-check of {} gave {}", tenant, verdict.phase(), verdict.verdict());
        publish(new OnboardingEvent.VerdictRecorded(tenant, verdict, next));
        return next;
      }
    }
    throw new IllegalTransitionException(
        tenant, gate, gate, "other changes kept winning the race over " + ATTEMPTS + " tries");
  }

  /**
   * True if a tenant in {@code state} has cleared the gate {@code phase} and is not stopped for
   * good.
   */
  static boolean pastGate(OnboardingState state, OnboardingPhase phase) {
    return switch (state) {
      case VETTING, REJECTED, TERMINATED -> false;
      case DOMAIN_VERIFICATION -> phase == OnboardingPhase.VETTING;
      case CONTENT_REVIEW -> phase != OnboardingPhase.CONTENT_REVIEW;
      default -> true;
    };
  }

  /**
   * Tenants in {@code state}, in tenant order, after {@code after}, at most {@code limit} (1 to
   * {@link OnboardingStore#MAX_PAGE}): for jobs that visit every tenant in a phase.
   */
  public List<TenantId> tenants(OnboardingState state, Optional<TenantId> after, int limit) {
    Checks.notNull("state", state);
    Checks.notNull("after", after);
    if (limit < 1 || limit > OnboardingStore.MAX_PAGE) {
      throw new InvalidOnboardingInputException(
          "limit must be 1 to " + OnboardingStore.MAX_PAGE + ", was " + limit);
    }
    return store.list(state, after, limit);
  }

  /** The states {@code tenant} may move to now, guards aside. */
  public Set<OnboardingState> possibleMoves(TenantId tenant) {
    return TransitionRules.moves(require(tenant));
  }

  /** Why {@code by} may not move the tenant to {@code to} now; empty if it may. */
  public Optional<String> refusal(TenantId tenant, OnboardingState to, Actor by) {
    return TransitionRules.refusal(require(tenant), Checks.notNull("to", to), by);
  }

  /** Deletes the tenant's onboarding record; true if there was one. */
  public boolean eraseTenant(TenantId tenant) {
    return store.eraseTenant(Checks.notNull("tenant", tenant));
  }

  /** True if the tenant's record was erased and it was not enrolled again. */
  boolean erased(TenantId tenant) {
    return store.erased(tenant);
  }

  /** The clock this machine tells time by. */
  Clock clock() {
    return clock;
  }

  private OnboardingRecord require(TenantId tenant) {
    return store
        .find(tenant)
        .orElseThrow(
            () ->
                new InvalidOnboardingInputException(
                    "tenant " + tenant + " is not enrolled in onboarding"));
  }

  private OnboardingRecord require(TenantId tenant, OnboardingState to) {
    Optional<OnboardingRecord> r = store.find(tenant);
    if (r.isEmpty()) {
      // not an illegal move from some state: the tenant is in no state at all
      throw new InvalidOnboardingInputException(
          "tenant " + tenant + " is not enrolled in onboarding, so it cannot move to " + to);
    }
    return r.get();
  }

  private void publish(OnboardingEvent event) {
    for (OnboardingListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn(
            "onboarding listener {} failed on {} for tenant {}; the change stands",
            l.getClass().getName(),
            event.getClass().getSimpleName(),
            event.tenant(),
            e);
      }
    }
  }

  /** Configures an {@link OnboardingStateMachine}. */
  public static final class Builder {
    private final Clock clock;
    private final OnboardingStore store;
    private final List<OnboardingListener> listeners = new ArrayList<>();

    private Builder(Clock clock, OnboardingStore store) {
      this.clock = Checks.notNull("clock", clock);
      this.store = Checks.notNull("store", store);
    }

    /** Adds a listener, called in the order added. */
    public Builder listener(OnboardingListener listener) {
      listeners.add(Checks.notNull("listener", listener));
      return this;
    }

    /** The state machine. */
    public OnboardingStateMachine build() {
      return new OnboardingStateMachine(this);
    }
  }
}
