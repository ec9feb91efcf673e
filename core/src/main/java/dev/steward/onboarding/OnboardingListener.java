package dev.steward.onboarding;

/**
 * Observes onboarding changes, called after each is stored. A listener that throws neither undoes
 * nor blocks the change: the failure is logged and the next listener is called.
 */
@FunctionalInterface
public interface OnboardingListener {
  /** Called once for each stored change. */
  void onEvent(OnboardingEvent event);
}
