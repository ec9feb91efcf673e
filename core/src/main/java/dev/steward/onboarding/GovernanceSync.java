package dev.steward.onboarding;

import dev.steward.governance.Cause;
import dev.steward.governance.GovernanceDecision;
import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.HumanOverride;
import dev.steward.governance.Level;
import dev.steward.governance.Standing;
import dev.steward.governance.StandingChange;
import dev.steward.governance.StandingChanged;
import dev.steward.governance.StandingListener;
import dev.steward.model.TenantId;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps phase 8 of onboarding (restricted, quarantined, suspended, terminated) in step with the
 * governance ladder. Governance's {@link Standing} is the source of truth; the onboarding state
 * follows it:
 *
 * <ul>
 *   <li>restrict, quarantine, suspend and terminate are {@link OnboardingState#RESTRICTED}, {@link
 *       OnboardingState#QUARANTINED}, {@link OnboardingState#SUSPENDED} and {@link
 *       OnboardingState#TERMINATED} (a termination with an end, a person's timed override, is
 *       {@link OnboardingState#SUSPENDED}: onboarding's termination is final and ends the service);
 *       none and warn are the state the tenant escalated from (a step-down after the ladder's clean
 *       days moves the record back), and leave a tenant that is not in phase 8 where it is;
 *   <li>each move is recorded on the onboarding audit trail as governance decided it: by the rule
 *       {@link #LADDER} with the ladder's explanation (metric, value, threshold, window), or by the
 *       person whose override set the level, with the override's reason;
 *   <li>a person's move into, out of or between phase-8 states made in onboarding (a human override
 *       made there, which governance did not see) is carried into governance as an override by the
 *       same person with the same reason: upwards as an override without end (a person lifts it),
 *       downwards as an override cleared at once, so that the ladder judges again from the level
 *       the person chose (a clearing lost to a crash or an outage is finished at the next sync).
 *       The same is done for a phase-8 state of a tenant governance holds no standing for (erased
 *       there, or never judged) and for a termination, which onboarding keeps for good.
 * </ul>
 *
 * <p>It listens to both sides: as a {@link StandingListener} of the {@link GovernanceEvaluator}
 * (every decision, changed or not, so that a move lost to a crash between the two stores is made at
 * the tenant's next evaluation) and as an {@link OnboardingListener} of the {@link
 * OnboardingStateMachine}. Every call re-reads both sides and acts only where they disagree, so it
 * is idempotent: a repeated or late event, or two instances at once, records nothing twice. {@link
 * #sync} may also be called directly (a sweep over tenants).
 */
public final class GovernanceSync implements StandingListener, OnboardingListener {
  private static final Logger LOG = LoggerFactory.getLogger(GovernanceSync.class);

  /** The actor of onboarding moves made because the ladder moved the tenant. */
  public static final Actor LADDER = Actor.rule("governance-ladder");

  /** How an override carried from onboarding's reason starts. */
  private static final String CARRIED = "set in onboarding (";

  /** The longest "by" of a governance override. */
  private static final int MAX_BY = 200;

  private final OnboardingStateMachine onboarding;
  private final GovernanceEvaluator governance;

  private GovernanceSync(OnboardingStateMachine onboarding, GovernanceEvaluator governance) {
    this.onboarding = onboarding;
    this.governance = governance;
  }

  /**
   * A sync between the two; add it as a listener to both (the evaluator's builder and the state
   * machine's builder), through a forwarding listener where one is built before the other.
   */
  public static GovernanceSync of(
      OnboardingStateMachine onboarding, GovernanceEvaluator governance) {
    return new GovernanceSync(
        Checks.notNull("onboarding", onboarding), Checks.notNull("governance", governance));
  }

  @Override
  public void onChange(StandingChanged event) {
    sync(event.tenant());
  }

  @Override
  public void onDecision(GovernanceDecision decision) {
    sync(decision.tenant());
  }

  @Override
  public void onEvent(OnboardingEvent event) {
    if (event instanceof OnboardingEvent.PhaseChanged pc) {
      sync(pc.tenant(), Optional.of(pc.transition()));
    }
  }

  /**
   * Brings the tenant's two sides in step, as described above; what was done. Does nothing for a
   * tenant not enrolled in onboarding, or in one of its gates (vetting, domain verification,
   * content review) or rejected: there the tenant gate refuses its mail already.
   */
  public Outcome sync(TenantId tenant) {
    return sync(tenant, Optional.empty());
  }

  /**
   * As {@link #sync(TenantId)}; {@code justMade} is the move the state machine has just told of,
   * newer than anything governance holds whatever the clocks say.
   */
  private Outcome sync(TenantId tenant, Optional<Transition> justMade) {
    Checks.notNull("tenant", tenant);
    Optional<OnboardingRecord> found = onboarding.find(tenant);
    if (found.isEmpty() || !followed(found.get().state())) {
      return Outcome.NOTHING;
    }
    OnboardingRecord r = found.get();
    Optional<Standing> read = governance.storedStanding(tenant);
    if (read.isPresent() && unfinishedLowering(read.get())) {
      // a lowering carried before whose clearing was lost (a crash or an outage between the two
      // writes): left alone it would hold the ladder at the person's level for good
      HumanOverride o = read.get().override().orElseThrow();
      governance.clearOverride(tenant, o.reason(), o.by());
      LOG.info(
          "tenant {}: a lowering carried from onboarding finished (its override cleared)", tenant);
      read = governance.storedStanding(tenant);
    }
    Optional<Standing> stored = read;
    Level level = stored.map(GovernanceSync::followedLevel).orElse(Level.NONE);
    if (inStep(level, r.state())) {
      return Outcome.IN_STEP;
    }
    Optional<Transition> last = lastMove(r);
    boolean carry =
        r.state() == OnboardingState.TERMINATED
            || (stored.isEmpty() && r.state().isGovernance())
            || last.map(t -> byPersonAfter(t, stored.get(), justMade)).orElse(false);
    if (carry && last.isPresent()) {
      return carryIntoGovernance(tenant, r.state(), last.get(), level);
    }
    if (r.state() == OnboardingState.TERMINATED) {
      return Outcome.NOTHING; // terminated with no move on record: nothing to carry
    }
    Optional<OnboardingState> target = target(level, r);
    if (target.isEmpty()) {
      return Outcome.IN_STEP;
    }
    Standing s = stored.orElseThrow(); // a standing of NONE without a store is in step
    Actor by = LADDER;
    String why = explain(s);
    Optional<HumanOverride> o = s.override().filter(x -> x.level() == s.level());
    if (o.isPresent()) {
      by = Actor.human(o.get().by());
      why =
          "governance override to "
              + s.level().jsonName()
              + (level != s.level()
                  ? " until " + o.get().until().orElseThrow() + " (suspended)"
                  : "")
              + ": "
              + o.get().reason();
    }
    try {
      onboarding.follow(tenant, target.get(), by, cut(why));
      LOG.info(
          "tenant {}: onboarding moved from {} to {} after governance's {}",
          tenant,
          r.state(),
          target.get(),
          s.level().jsonName());
      return Outcome.ONBOARDING_FOLLOWED;
    } catch (IllegalTransitionException e) {
      Optional<OnboardingRecord> now = onboarding.find(tenant);
      if (now.isPresent()
          && inStep(followedLevel(governance.standing(tenant)), now.get().state())) {
        return Outcome.IN_STEP; // another instance or call moved it first
      }
      LOG.warn(
          "tenant {}: onboarding cannot follow governance's {} from {}: {}",
          tenant,
          s.level().jsonName(),
          r.state(),
          e.getMessage());
      return Outcome.REFUSED;
    }
  }

  /** What {@link #sync} did. */
  public enum Outcome {
    /** The tenant is not followed (not enrolled, in a gate, rejected). */
    NOTHING,
    /** The two sides already agree. */
    IN_STEP,
    /** The onboarding state was moved to the governance standing. */
    ONBOARDING_FOLLOWED,
    /** A person's onboarding move was carried into governance as an override. */
    GOVERNANCE_OVERRIDDEN,
    /** The move governance calls for is not one onboarding allows (logged). */
    REFUSED
  }

  private Outcome carryIntoGovernance(
      TenantId tenant, OnboardingState state, Transition move, Level current) {
    Level want = levelOf(state);
    // an override's "by" holds at most 200 characters, as an actor's name does: a rule's kind
    // before a name of 200 would not fit
    String by = cut(move.by().isHuman() ? move.by().name() : move.by().toString(), MAX_BY);
    String reason = cut(CARRIED + state + "): " + move.reason());
    governance.override(tenant, want, reason, by, Optional.empty());
    if (!want.isAbove(current) && want != Level.TERMINATE) {
      // a person lowered the level: the ladder judges again from there, as after any override
      governance.clearOverride(tenant, reason, by);
    }
    LOG.info(
        "tenant {}: governance set to {} as onboarding's {} by a {}",
        tenant,
        want.jsonName(),
        state,
        move.by().kind());
    return Outcome.GOVERNANCE_OVERRIDDEN;
  }

  /**
   * True if {@code s} holds an override without end that {@link #carryIntoGovernance} set to lower
   * the level (the last override change did not raise it) and should have cleared at once.
   */
  private static boolean unfinishedLowering(Standing s) {
    Optional<HumanOverride> o = s.override();
    if (o.isEmpty()
        || o.get().until().isPresent()
        || o.get().level() == Level.TERMINATE
        || !o.get().reason().startsWith(CARRIED)) {
      return false;
    }
    List<StandingChange> h = s.history();
    for (int i = h.size() - 1; i >= 0; i--) {
      StandingChange c = h.get(i);
      if (c.cause() == Cause.OVERRIDDEN) {
        return !c.to().isAbove(c.from());
      }
    }
    return false;
  }

  /** True if a person made {@code t}, in or out of phase 8, after the standing last changed. */
  private static boolean byPersonAfter(Transition t, Standing s, Optional<Transition> justMade) {
    if (!t.by().isHuman() || !(t.to().isGovernance() || t.from().isGovernance())) {
      return false;
    }
    if (justMade.isPresent() && justMade.get().equals(t)) {
      return true;
    }
    // only a change of level or a person's decision counts: a standing that never changed (stored
    // at its first evaluation, in good standing) or only recorded warnings beside its level decided
    // nothing the person's move could be older than
    List<StandingChange> h = s.history();
    for (int i = h.size() - 1; i >= 0; i--) {
      StandingChange c = h.get(i);
      if (c.from() != c.to()
          || c.cause() == Cause.OVERRIDDEN
          || c.cause() == Cause.OVERRIDE_ENDED) {
        return t.at().isAfter(c.at());
      }
    }
    return true;
  }

  private static Optional<Transition> lastMove(OnboardingRecord r) {
    List<Transition> t = r.transitions();
    return t.isEmpty() ? Optional.empty() : Optional.of(t.get(t.size() - 1));
  }

  /** The state the record should be in under {@code level}; empty to leave it as it is. */
  private static Optional<OnboardingState> target(Level level, OnboardingRecord r) {
    return switch (level) {
      case RESTRICT -> Optional.of(OnboardingState.RESTRICTED);
      case QUARANTINE -> Optional.of(OnboardingState.QUARANTINED);
      case SUSPEND -> Optional.of(OnboardingState.SUSPENDED);
      case TERMINATE -> Optional.of(OnboardingState.TERMINATED);
      case NONE, WARN -> r.state().isGovernance() ? r.resumeTo() : Optional.empty();
    };
  }

  /**
   * The level onboarding follows for {@code s}: its level, except that a termination with an end (a
   * person's timed override, which governance ends) is a suspension to onboarding, whose
   * termination is final and ends the service (notice, erasure); stopping the mail is the same.
   */
  private static Level followedLevel(Standing s) {
    boolean timedTermination =
        s.level() == Level.TERMINATE
            && s.override()
                .map(o -> o.level() == Level.TERMINATE && o.until().isPresent())
                .orElse(false);
    return timedTermination ? Level.SUSPEND : s.level();
  }

  /** True if the onboarding state says what the level says. */
  static boolean inStep(Level level, OnboardingState state) {
    return switch (level) {
      case NONE, WARN -> !state.isGovernance();
      case RESTRICT -> state == OnboardingState.RESTRICTED;
      case QUARANTINE -> state == OnboardingState.QUARANTINED;
      case SUSPEND -> state == OnboardingState.SUSPENDED;
      case TERMINATE -> state == OnboardingState.TERMINATED;
    };
  }

  private static Level levelOf(OnboardingState state) {
    return switch (state) {
      case RESTRICTED -> Level.RESTRICT;
      case QUARANTINED -> Level.QUARANTINE;
      case SUSPENDED -> Level.SUSPEND;
      case TERMINATED -> Level.TERMINATE;
      default -> Level.NONE;
    };
  }

  /** The states that follow governance: those after the gates, phase 8 included. */
  private static boolean followed(OnboardingState state) {
    return switch (state) {
      case VETTING, DOMAIN_VERIFICATION, CONTENT_REVIEW, REJECTED -> false;
      default -> true;
    };
  }

  private static String explain(Standing s) {
    List<StandingChange> h = s.history();
    for (int i = h.size() - 1; i >= 0; i--) {
      if (h.get(i).to() == s.level()) {
        return "governance standing "
            + s.level().jsonName()
            + " ("
            + h.get(i).cause().name().toLowerCase(java.util.Locale.ROOT)
            + "): "
            + h.get(i).explanation();
      }
    }
    return "governance standing " + s.level().jsonName();
  }

  private static String cut(String s) {
    return cut(s, HumanOverride.MAX_REASON);
  }

  /** The first {@code max} UTF-16 units of {@code s}, never ending in half a surrogate pair. */
  private static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }
}
