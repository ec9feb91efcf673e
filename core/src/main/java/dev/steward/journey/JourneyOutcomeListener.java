package dev.steward.journey;

import java.util.Optional;

/**
 * Observes every change the {@link JourneyScheduler} records: an enrolment entered (its {@link
 * StepOutcome#ENTERED} entry), and each step's outcome once the store has applied it. Journey
 * analytics ({@link JourneyAnalytics#outcomeListener()}) is one. Called after the change is stored,
 * at most once (a change applied by a run that dies before the call is not told again); an
 * exception thrown by a listener is logged and changes nothing in the journey.
 */
@FunctionalInterface
public interface JourneyOutcomeListener {

  /** A listener that does nothing. */
  JourneyOutcomeListener NONE = (definition, enrolment, entry) -> {};

  /**
   * An enrolment changed.
   *
   * @param definition the enrolment's journey version, when the scheduler registers it
   * @param enrolment the enrolment after the change
   * @param entry the change, as recorded in the enrolment's history
   */
  void onOutcome(Optional<JourneyDefinition> definition, Enrolment enrolment, HistoryEntry entry);
}
