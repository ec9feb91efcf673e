package dev.steward.journey;

/** What happened at one change of an enrolment, as recorded in its history. */
public enum StepOutcome {
  /** The contact entered the journey. */
  ENTERED,
  /** A send step's message was accepted by the transport (or had been, by an earlier run). */
  SENT,
  /** A send step's message was deferred by a gate; the dispatcher sends it later. */
  DEFERRED,
  /** A send step's message was refused for good (consent, suppression) and skipped. */
  SUPPRESSED,
  /** A send step's message failed, or could not be built (no address). */
  FAILED,
  /**
   * A send or task step was skipped: reached after its {@link Deadline}, or its message deferred by
   * the caps past it (dropped by the dispatcher for its send-by, at its first dispatch or, recorded
   * as a later change of the enrolment, after it had been deferred).
   */
  SKIPPED,
  /** A send step's outcome is unknown; the dispatcher settles it from provider events. */
  UNKNOWN,
  /** A wait was set: the next step is due later. */
  WAITING,
  /** A wait for an event began. */
  WAITING_FOR_EVENT,
  /** The awaited event happened. */
  EVENT,
  /** The wait for an event timed out. */
  TIMED_OUT,
  /** A human task was created. */
  TASK_CREATED,
  /** A human task's owner reported what they did with it. */
  TASK_DONE,
  /** A human task was not done in time. */
  TASK_OVERDUE,
  /** A branch chose its way. */
  BRANCHED,
  /** An attribute was set or removed. */
  UPDATED,
  /** An enrol step asked for an enrolment in another journey. */
  ENROLLED_ELSEWHERE,
  /** The enrolment left the journey. */
  EXITED,
  /** The enrolment ran off the end of the journey. */
  COMPLETED,
  /** The enrolment moved to another version of its journey by a {@link JourneyMigration}. */
  MIGRATED;

  /**
   * True for the outcomes of a send step (SENT, DEFERRED, SUPPRESSED, FAILED, UNKNOWN, SKIPPED):
   * the changes after which an enrolment's last message may be a new one, so that the signals
   * remembered for its earlier messages can be forgotten ({@link JourneyStore#advance}).
   */
  public boolean ofSend() {
    return switch (this) {
      case SENT, DEFERRED, SUPPRESSED, FAILED, UNKNOWN, SKIPPED -> true;
      default -> false;
    };
  }
}
