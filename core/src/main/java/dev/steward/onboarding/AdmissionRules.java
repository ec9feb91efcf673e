package dev.steward.onboarding;

import static dev.steward.onboarding.GateSupport.last;
import static dev.steward.onboarding.GateSupport.reason;

import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.governance.Level;
import dev.steward.governance.Standing;
import dev.steward.model.TenantId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The {@link TenantGate}'s admission rules: which onboarding states may send (and whether a tenant
 * with no onboarding record may), and what a governance level lets through.
 */
final class AdmissionRules {
  private final boolean allowUnenrolled;

  AdmissionRules(boolean allowUnenrolled) {
    this.allowUnenrolled = allowUnenrolled;
  }

  /**
   * Adds the onboarding rule's reason for the tenant's record (or its absence) to {@code reasons};
   * false if it refuses the tenant's mail. {@code erased} (asked only of a tenant with no record,
   * when unenrolled tenants may send) says whether its record was erased.
   */
  boolean admits(
      TenantId tenant,
      Optional<OnboardingRecord> record,
      BooleanSupplier erased,
      List<Reason> reasons) {
    if (record.isEmpty()) {
      if (allowUnenrolled && erased.getAsBoolean()) {
        // not a tenant that predates onboarding: one whose record was erased (the end of service
        // after a termination, or a person), which must be enrolled again to send
        reasons.add(
            reason(
                "not-enrolled",
                Outcome.SUPPRESS,
                "tenant "
                    + tenant
                    + " is not enrolled in onboarding: its record was erased (after its"
                    + " termination, or by a person); it must be enrolled again to send"));
        return false;
      }
      if (!allowUnenrolled) {
        reasons.add(
            reason(
                "not-enrolled",
                Outcome.SUPPRESS,
                "tenant "
                    + tenant
                    + " is not enrolled in onboarding: no mail until it has passed vetting,"
                    + " sender-domain verification and content review"));
        return false;
      }
      reasons.add(
          reason(
              "not-enrolled",
              Outcome.ALLOW,
              "tenant "
                  + tenant
                  + " is not enrolled in onboarding; unenrolled tenants may send (allowUnenrolled)"));
      return true;
    }
    OnboardingState state = record.get().state();
    if (!state.maySend()) {
      reasons.add(reason(stateRule(state), Outcome.SUPPRESS, refusal(tenant, state)));
      return false;
    }
    reasons.add(
        reason(
            stateRule(state),
            Outcome.ALLOW,
            "tenant " + tenant + " is in " + state + " (" + phaseText(state.phase()) + ")"));
    return true;
  }

  /** The higher of the tenant's governance level and its onboarding governance state's. */
  static Level effectiveLevel(Level standing, Optional<OnboardingState> state) {
    Level onboarding = state.map(AdmissionRules::levelOf).orElse(Level.NONE);
    return standing.compareTo(onboarding) >= 0 ? standing : onboarding;
  }

  /** True if mail at {@code level} is refused outright (suspend and terminate). */
  static boolean refuses(Level level) {
    return level.compareTo(Level.SUSPEND) >= 0;
  }

  /** The standing rule's reason at the tenant's effective {@code level}. */
  static Reason standingReason(TenantId tenant, Standing standing, Level level) {
    String why = standing.history().isEmpty() ? "" : ": " + last(standing.history()).explanation();
    String rule = "standing-" + level.jsonName();
    return switch (level) {
      case NONE -> reason(rule, Outcome.ALLOW, "tenant " + tenant + " is in good standing");
      case WARN ->
          reason(
              rule,
              Outcome.ALLOW,
              "tenant " + tenant + " is warned since " + standing.since() + why);
      case RESTRICT ->
          reason(
              rule,
              Outcome.ALLOW,
              "tenant "
                  + tenant
                  + " is restricted since "
                  + standing.since()
                  + " (ramp frozen, daily cap cut)"
                  + why);
      case QUARANTINE ->
          reason(
              rule,
              Outcome.ALLOW,
              "tenant "
                  + tenant
                  + " is quarantined since "
                  + standing.since()
                  + ": its mail belongs in the quarantine pool"
                  + why);
      case SUSPEND ->
          reason(
              rule,
              Outcome.SUPPRESS,
              "tenant "
                  + tenant
                  + " is suspended since "
                  + standing.since()
                  + ": no mail until a person has reviewed it"
                  + why);
      case TERMINATE ->
          reason(
              rule, Outcome.SUPPRESS, "tenant " + tenant + " is terminated: service ended" + why);
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

  private static String stateRule(OnboardingState state) {
    return "state-" + state.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String phaseText(OnboardingPhase phase) {
    return "phase "
        + (phase.ordinal() + 1)
        + ", "
        + phase.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  private static String refusal(TenantId tenant, OnboardingState state) {
    String where = "tenant " + tenant + " is in " + state + " (" + phaseText(state.phase()) + ")";
    return switch (state) {
      case REJECTED -> where + ": it was rejected during onboarding; only a person reopens it";
      case SUSPENDED -> where + ": no mail until a person lifts the suspension";
      case TERMINATED -> where + ": service ended";
      default ->
          where
              + ": no mail until it has passed vetting, sender-domain verification and content"
              + " review";
    };
  }
}
