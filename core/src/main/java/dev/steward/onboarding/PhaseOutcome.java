package dev.steward.onboarding;

/**
 * What running a gate's checklist did: the report, and the tenant's record afterwards (moved to the
 * next phase when the report passed, otherwise still in the gate with the verdict recorded).
 *
 * @param report the checklist's results
 * @param record the tenant's record after the verdict (and the move, if any)
 */
public record PhaseOutcome(CheckReport report, OnboardingRecord record) {
  public PhaseOutcome {
    Checks.notNull("report", report);
    Checks.notNull("record", record);
  }

  /** True when the tenant moved on to the next phase. */
  public boolean advanced() {
    return record.state() != OnboardingRecord.gateState(report.phase());
  }
}
