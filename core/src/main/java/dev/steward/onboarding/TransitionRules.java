package dev.steward.onboarding;

import static dev.steward.onboarding.OnboardingState.ACTIVE;
import static dev.steward.onboarding.OnboardingState.CONTENT_REVIEW;
import static dev.steward.onboarding.OnboardingState.DOMAIN_VERIFICATION;
import static dev.steward.onboarding.OnboardingState.OUTREACH;
import static dev.steward.onboarding.OnboardingState.PILOT;
import static dev.steward.onboarding.OnboardingState.POOL_ASSIGNMENT;
import static dev.steward.onboarding.OnboardingState.QUARANTINED;
import static dev.steward.onboarding.OnboardingState.REJECTED;
import static dev.steward.onboarding.OnboardingState.RESTRICTED;
import static dev.steward.onboarding.OnboardingState.SUSPENDED;
import static dev.steward.onboarding.OnboardingState.TERMINATED;
import static dev.steward.onboarding.OnboardingState.VETTING;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The moves of the state machine and their guards. Forward through the gates only when the gate is
 * cleared; escalation through the governance states from any sending state; stepping down only to
 * the state the tenant escalated from; out of suspension, out of rejection and into termination
 * only by a person.
 */
final class TransitionRules {
  private static final Map<OnboardingState, Set<OnboardingState>> MOVES =
      new EnumMap<>(OnboardingState.class);

  static {
    Set<OnboardingState> escalations = EnumSet.of(RESTRICTED, QUARANTINED, SUSPENDED, TERMINATED);
    MOVES.put(VETTING, EnumSet.of(DOMAIN_VERIFICATION, REJECTED));
    MOVES.put(DOMAIN_VERIFICATION, EnumSet.of(CONTENT_REVIEW, REJECTED));
    MOVES.put(CONTENT_REVIEW, EnumSet.of(PILOT, REJECTED));
    MOVES.put(PILOT, union(EnumSet.of(POOL_ASSIGNMENT), escalations));
    MOVES.put(POOL_ASSIGNMENT, union(EnumSet.of(ACTIVE), escalations));
    MOVES.put(ACTIVE, union(EnumSet.of(OUTREACH), escalations));
    MOVES.put(OUTREACH, union(EnumSet.of(ACTIVE), escalations));
    MOVES.put(RESTRICTED, EnumSet.of(QUARANTINED, SUSPENDED, TERMINATED));
    MOVES.put(QUARANTINED, EnumSet.of(RESTRICTED, SUSPENDED, TERMINATED));
    MOVES.put(SUSPENDED, EnumSet.of(RESTRICTED, QUARANTINED, TERMINATED));
    MOVES.put(TERMINATED, EnumSet.noneOf(OnboardingState.class));
    MOVES.put(REJECTED, EnumSet.of(VETTING));
  }

  private TransitionRules() {}

  private static Set<OnboardingState> union(Set<OnboardingState> a, Set<OnboardingState> b) {
    Set<OnboardingState> u = EnumSet.copyOf(a);
    u.addAll(b);
    return u;
  }

  /** Why {@code by} may not move {@code record} to {@code to}; empty if it may. */
  static Optional<String> refusal(OnboardingRecord record, OnboardingState to, Actor by) {
    return refusal(record, to, by, false);
  }

  /**
   * As {@link #refusal(OnboardingRecord, OnboardingState, Actor)}; with {@code followingGovernance}
   * a rule may move a tenant out of suspension as governance's standing did (the standing is the
   * source of truth of phase 8, and a suspension it lifted was lifted by its own rules or a
   * person's override there). Termination stays a person's.
   */
  static Optional<String> refusal(
      OnboardingRecord record, OnboardingState to, Actor by, boolean followingGovernance) {
    OnboardingState from = record.state();
    if (from == TERMINATED) {
      return Optional.of("TERMINATED is final");
    }
    if (from == to) {
      return Optional.of(
          "the tenant is already in " + to + " (another instance may have moved it)");
    }
    boolean stepDown =
        from.isGovernance() && record.resumeTo().isPresent() && record.resumeTo().get() == to;
    if (!MOVES.get(from).contains(to) && !stepDown) {
      return Optional.of("no such move; from " + from + " a tenant may move to " + moves(record));
    }
    if (from != REJECTED
        && from.phase().isGate()
        && to != REJECTED
        && !record.cleared(from.phase())) {
      return Optional.of(
          "the "
              + from.phase()
              + " gate is not cleared: "
              + record
                  .latestVerdict(from.phase())
                  .filter(v -> !v.at().isBefore(record.enteredAt(from).orElseThrow()))
                  .map(
                      v ->
                          "the newest verdict is "
                              + v.verdict()
                              + " by "
                              + v.by()
                              + (v.verdict() == Verdict.PASS
                                  ? ", but an earlier verdict failed or asked for review, so a"
                                      + " person must pass it"
                                  : "")
                              + " ("
                              + v.reason()
                              + ")")
                  .orElse("no verdict recorded yet"));
    }
    if (!by.isHuman()) {
      if (to == TERMINATED) {
        return Optional.of(
            "only a person may terminate a tenant (a rule asked: "
                + by
                + "); a rule may suspend it for review");
      }
      if (from == SUSPENDED && !followingGovernance) {
        return Optional.of("only a person may lift a suspension (a rule asked: " + by + ")");
      }
      if (from == REJECTED) {
        return Optional.of("only a person may reopen a rejected tenant (a rule asked: " + by + ")");
      }
    }
    return Optional.empty();
  }

  /** The states a tenant in {@code record} may move to, guards aside. */
  static Set<OnboardingState> moves(OnboardingRecord record) {
    Set<OnboardingState> m = EnumSet.noneOf(OnboardingState.class);
    m.addAll(MOVES.get(record.state()));
    if (record.state().isGovernance() && record.state() != TERMINATED) {
      record.resumeTo().ifPresent(m::add);
    }
    return m;
  }

  /** The state a governance state steps down to after {@code from} moves to {@code to}. */
  static Optional<OnboardingState> resumeAfter(OnboardingRecord record, OnboardingState to) {
    OnboardingState from = record.state();
    if (!to.isGovernance()) {
      return Optional.empty();
    }
    if (from.isGovernance()) {
      return record.resumeTo();
    }
    return Optional.of(from);
  }
}
