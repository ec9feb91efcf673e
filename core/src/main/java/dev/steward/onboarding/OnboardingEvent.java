package dev.steward.onboarding;

import dev.steward.model.TenantId;

/** What the onboarding state machine tells its listeners, after the change was stored. */
public sealed interface OnboardingEvent
    permits OnboardingEvent.Enrolled,
        OnboardingEvent.PhaseChanged,
        OnboardingEvent.VerdictRecorded {

  /** The tenant concerned. */
  TenantId tenant();

  /** The record as stored by the change. */
  OnboardingRecord record();

  /**
   * A tenant was enrolled, in {@link OnboardingState#VETTING}.
   *
   * @param tenant the tenant
   * @param record its new record
   */
  record Enrolled(TenantId tenant, OnboardingRecord record) implements OnboardingEvent {}

  /**
   * A tenant moved.
   *
   * @param tenant the tenant
   * @param transition the move, with who, when and why
   * @param record the record after it
   */
  record PhaseChanged(TenantId tenant, Transition transition, OnboardingRecord record)
      implements OnboardingEvent {}

  /**
   * A verdict was recorded on a gate phase.
   *
   * @param tenant the tenant
   * @param verdict the verdict
   * @param record the record after it
   */
  record VerdictRecorded(TenantId tenant, PhaseVerdict verdict, OnboardingRecord record)
      implements OnboardingEvent {}
}
