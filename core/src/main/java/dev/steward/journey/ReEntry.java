package dev.steward.journey;

/**
 * Whether a contact may enter a journey again after an earlier enrolment in it (of any version). A
 * contact already active in a journey is never enrolled in it a second time, whatever the rule.
 *
 * @param rule the rule
 * @param days for {@link Rule#ONCE_PER_DAYS}, the days that must pass since the last entry; else 0
 */
public record ReEntry(Rule rule, int days) {
  /** The three rules. */
  public enum Rule {
    /** Never again once entered. */
    ONCE_EVER,
    /**
     * Again once {@code days} have passed since the last entry, counted in the contact's zone (UTC
     * if its profile has none): the same local time {@code days} later, across DST changes.
     */
    ONCE_PER_DAYS,
    /** Again whenever the last enrolment has ended. */
    ALWAYS
  }

  public ReEntry {
    InvalidJourneyException.requireNonNull(rule, "re-entry rule");
    if (rule == Rule.ONCE_PER_DAYS && (days < 1 || days > Step.MAX_OFFSET_DAYS)) {
      throw new InvalidJourneyException(
          "re-entry once per " + days + " days: days lie between 1 and " + Step.MAX_OFFSET_DAYS);
    }
    if (rule != Rule.ONCE_PER_DAYS && days != 0) {
      throw new InvalidJourneyException("re-entry rule " + rule + " takes no days");
    }
  }

  /** Enter once, never again. */
  public static ReEntry onceEver() {
    return new ReEntry(Rule.ONCE_EVER, 0);
  }

  /** Enter again once {@code days} have passed since the last entry. */
  public static ReEntry oncePerDays(int days) {
    return new ReEntry(Rule.ONCE_PER_DAYS, days);
  }

  /** Enter again whenever not active in the journey. */
  public static ReEntry always() {
    return new ReEntry(Rule.ALWAYS, 0);
  }
}
