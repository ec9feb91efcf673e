package dev.steward.onboarding;

/**
 * A warm-up plan or a tenant gate was configured with a value it cannot use (no stages, a stage
 * that does not rise, a zero cap, a fraction outside 0..1); the message names the setting.
 */
public class InvalidWarmUpPlanException extends InvalidOnboardingInputException {
  private static final long serialVersionUID = 1L;

  public InvalidWarmUpPlanException(String message) {
    super(message);
  }
}
