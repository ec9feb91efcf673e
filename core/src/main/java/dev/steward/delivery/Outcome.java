package dev.steward.delivery;

/** What a gate, or the whole pipeline, says of a message. */
public enum Outcome {
  /** Go on: the message may be sent now. */
  ALLOW,
  /** Not now: keep the message and try again at the decision's {@code notBefore}. */
  DEFER,
  /** Never: the message must not be sent (opt-out, no slot within the horizon, ...). */
  SUPPRESS
}
