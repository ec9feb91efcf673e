package dev.steward.onboarding;

/** What a check, a review or a reviewer says. */
public enum Verdict {
  /** Nothing stands in the way. */
  PASS,
  /** A person must look before the tenant goes on. */
  NEEDS_REVIEW,
  /** The tenant does not meet the requirement. */
  FAIL;

  /** The worse of two verdicts (FAIL over NEEDS_REVIEW over PASS). */
  public Verdict worse(Verdict other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
