package dev.steward.journey;

/** Where an enrolment stands. */
public enum EnrolmentState {
  /** Its current step runs at its due time. */
  ACTIVE,
  /** Its current step waits for an event, or for its timeout at the due time. */
  WAITING,
  /** It ran off the end of the journey. */
  COMPLETED,
  /** It left by an exit step or an exit criterion. */
  EXITED;

  /** True for COMPLETED and EXITED. */
  public boolean finished() {
    return this == COMPLETED || this == EXITED;
  }
}
