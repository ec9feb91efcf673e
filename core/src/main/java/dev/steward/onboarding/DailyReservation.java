package dev.steward.onboarding;

/**
 * What a {@link PilotStore} answered to a reservation of one message against a tenant's day.
 *
 * @param granted true if the message is counted (now, or already before)
 * @param used how many messages the day held before this one
 */
public record DailyReservation(boolean granted, long used) {
  public DailyReservation {
    if (used < 0) {
      throw new InvalidOnboardingInputException("used must not be negative, was " + used);
    }
  }
}
