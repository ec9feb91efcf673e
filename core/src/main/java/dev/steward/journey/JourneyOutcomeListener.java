package dev.steward.journey;

import java.util.Optional;

/**
 * Observes every change the {@link JourneyScheduler} records: an enrolment entered (its {@link
 * StepOutcome#ENTERED} entry), and each step's outcome once the store has applied it. Journey
 * analytics ({@link JourneyAnalytics#outcomeListener()}) is one. Called after the change is stored
 * (a change applied by a run that dies before the call is not told again); an exception thrown by a
 * listener is logged and changes nothing in the journey.
 *
 * <p>Where the journey store runs a step's writes as one unit ({@link JourneyStore#together}: the
 * JDBC store on PostgreSQL), the listener is called inside the unit, before it commits, so that its
 * own writes to the same database commit with the change. A unit that then fails (its commit, or a
 * write kept for it) is rolled back, the change with it, and stored again alone: the listener is
 * then told of it again. A batch of steps stores its first changes in one unit, so one such failure
 * tells each change of the batch again. Write a listener so that a repeat changes nothing (the
 * analytics count a fact once by its mark), or write through the same database.
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
