package dev.steward.onboarding;

/**
 * Hears that a tenant's service ended (it entered {@link OnboardingState#TERMINATED}), to disable
 * its SendGrid subuser and revoke its API keys. Told at least once, from due work: a listener that
 * throws is told again with back-off, so it de-duplicates on {@link EndOfServiceNotice#noticeId()}.
 */
@FunctionalInterface
public interface EndOfServiceListener {
  /** The tenant was terminated; see the notice for its grace and erasure dates. */
  void onTerminated(EndOfServiceNotice notice);
}
