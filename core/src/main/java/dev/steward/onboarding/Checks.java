package dev.steward.onboarding;

/** Argument checks that name the field, shared by the package's values and builders. */
final class Checks {
  private Checks() {}

  static <T> T notNull(String field, T value) {
    if (value == null) {
      throw new InvalidOnboardingInputException(field + " must not be null");
    }
    return value;
  }

  static String text(String field, String value, int max) {
    if (value == null) {
      throw new InvalidOnboardingInputException(field + " must not be null");
    }
    String v = value.strip();
    if (v.isEmpty()) {
      throw new InvalidOnboardingInputException(field + " must not be blank");
    }
    if (v.length() > max) {
      throw new InvalidOnboardingInputException(
          field + " is " + v.length() + " characters long; at most " + max + " allowed");
    }
    return v;
  }
}
