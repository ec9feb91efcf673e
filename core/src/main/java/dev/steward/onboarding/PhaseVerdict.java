package dev.steward.onboarding;

import java.time.Instant;
import java.util.List;

/**
 * A verdict recorded on one of the gate phases: by the checklist (a rule) or by a reviewer.
 *
 * @param phase the gate phase it concerns
 * @param verdict what was decided
 * @param by the rule or the reviewer
 * @param at when
 * @param reason why
 * @param findings the evidence behind it (one line per check, say); may be empty
 */
public record PhaseVerdict(
    OnboardingPhase phase,
    Verdict verdict,
    Actor by,
    Instant at,
    String reason,
    List<String> findings) {
  public PhaseVerdict {
    Checks.notNull("phase", phase);
    if (!phase.isGate()) {
      throw new InvalidOnboardingInputException(
          "phase " + phase + " takes no verdict; only " + gates() + " do");
    }
    Checks.notNull("verdict", verdict);
    Checks.notNull("by", by);
    Checks.notNull("at", at);
    reason = Checks.text("reason", reason, 2000);
    Checks.notNull("findings", findings);
    findings = List.copyOf(findings);
    for (int i = 0; i < findings.size(); i++) {
      Checks.text("findings[" + i + "]", findings.get(i), 2000);
    }
  }

  private static List<OnboardingPhase> gates() {
    return java.util.Arrays.stream(OnboardingPhase.values())
        .filter(OnboardingPhase::isGate)
        .toList();
  }
}
