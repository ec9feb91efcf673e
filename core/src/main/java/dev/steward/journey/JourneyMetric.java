package dev.steward.journey;

/**
 * What journey analytics counts per journey, version and step. Each is counted at most once per
 * subject: a message for the message kinds, an enrolment for {@link #ENTERED}, {@link #EXITED} and
 * {@link #GOAL_REACHED}, so replayed or duplicated events never count twice.
 */
public enum JourneyMetric {
  /** A contact entered the journey (counted at its first step). */
  ENTERED,
  /** A send step's message went to the provider. */
  SENT,
  /** A send step's message was deferred by a gate (the reason: the deferring rule). */
  DEFERRED,
  /** A send step's message was not sent: suppressed, refused or failed (the reason says which). */
  SKIPPED,
  /** The provider delivered the message. */
  DELIVERED,
  /** The contact opened the message (a click counts as an open too: images may be off). */
  OPENED,
  /** The contact clicked a link in the message. */
  CLICKED,
  /** The contact replied to the message. */
  REPLIED,
  /** The message bounced, was blocked or dropped by the provider (the reason says which). */
  BOUNCED,
  /** The contact reported the message as spam. */
  SPAM_REPORTED,
  /** The contact unsubscribed from the message (globally or from its group). */
  UNSUBSCRIBED,
  /** The enrolment left the journey at this step (the reason: the exit criterion). */
  EXITED,
  /** The enrolment reached a goal while at this step (the reason: the goal). */
  GOAL_REACHED;

  /** Whether this is counted once per message (else once per enrolment). */
  public boolean perMessage() {
    return this != ENTERED && this != EXITED && this != GOAL_REACHED;
  }
}
