package dev.steward.onboarding;

import java.util.List;

/**
 * The results of a checklist (vetting, domain verification or content review) and the verdict they
 * add up to: the worst of them, or FAIL when there are none.
 *
 * @param phase the gate phase the checklist belongs to
 * @param results one per check, in the order run
 */
public record CheckReport(OnboardingPhase phase, List<CheckResult> results) {
  public CheckReport {
    Checks.notNull("phase", phase);
    results = List.copyOf(Checks.notNull("results", results));
  }

  /** The worst verdict of the results; FAIL for an empty checklist (nothing was shown). */
  public Verdict verdict() {
    if (results.isEmpty()) {
      return Verdict.FAIL;
    }
    Verdict v = Verdict.PASS;
    for (CheckResult r : results) {
      v = v.worse(r.verdict());
    }
    return v;
  }

  /** The results that did not pass. */
  public List<CheckResult> problems() {
    return results.stream().filter(r -> r.verdict() != Verdict.PASS).toList();
  }

  /** One line per result, for a verdict's findings. */
  public List<String> lines() {
    return results.stream().map(CheckResult::line).toList();
  }
}
