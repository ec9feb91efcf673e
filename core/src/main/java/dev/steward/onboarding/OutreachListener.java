package dev.steward.onboarding;

/**
 * Hears that a tenant was flagged for outreach (onboarding's phase 7): enrol it in a journey,
 * create a customer-success task. Told at least once per episode, after the tenant's move to {@link
 * OnboardingState#OUTREACH} is stored, as due work on a runner's thread ({@link OutreachMonitor}):
 * an exception fails the delivery, which is retried with back-off and told to every listener again,
 * so a listener that must act once de-duplicates on {@link OutreachFlag#noticeId()}.
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
