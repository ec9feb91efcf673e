package dev.steward.onboarding;

/**
 * Hears that a tenant was flagged for outreach (onboarding's phase 7): enrol it in a journey,
 * create a customer-success task. Called once per episode, after the tenant's move to {@link
 * OnboardingState#OUTREACH} is stored, on the evaluating thread; an exception is logged and ignored
 * (the flag stands).
 */
@FunctionalInterface
public interface OutreachListener {
  /** A tenant was flagged, with the metrics that caused it. */
  void onFlagged(OutreachFlag flag);

  /**
   * The tenant's episode ended: its standing is back to none and its mail no longer goes mostly to
   * unengaged addresses. Does nothing by default.
   */
  default void onCleared(OutreachFlag.Cleared cleared) {}
}
