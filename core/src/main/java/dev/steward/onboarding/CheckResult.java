package dev.steward.onboarding;

import java.util.List;

/**
 * What one vetting, domain or content check found.
 *
 * @param check the check's name
 * @param verdict pass, fail or needs review
 * @param summary one sentence a reviewer reads
 * @param evidence the facts behind it (values found, records looked up, thresholds); may be empty
 */
public record CheckResult(String check, Verdict verdict, String summary, List<String> evidence) {
  public CheckResult {
    check = Checks.text("check", check, 200);
    Checks.notNull("verdict", verdict);
    summary = Checks.text("summary", summary, 2000);
    evidence = List.copyOf(Checks.notNull("evidence", evidence));
  }

  /** A passing result. */
  public static CheckResult pass(String check, String summary, List<String> evidence) {
    return new CheckResult(check, Verdict.PASS, summary, evidence);
  }

  /** A failing result. */
  public static CheckResult fail(String check, String summary, List<String> evidence) {
    return new CheckResult(check, Verdict.FAIL, summary, evidence);
  }

  /** A result a person must look at. */
  public static CheckResult review(String check, String summary, List<String> evidence) {
    return new CheckResult(check, Verdict.NEEDS_REVIEW, summary, evidence);
  }

  /** One line: name, verdict and summary. */
  public String line() {
    return check + ": " + verdict + " - " + summary;
  }
}
