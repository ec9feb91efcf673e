package dev.steward.frequency;

import dev.steward.delivery.Decision;
import dev.steward.model.Message;
import java.time.Instant;

/**
 * Observes a {@link FrequencyCapLimiter}: typed callbacks with no-op defaults, so metrics and audit
 * bindings stay out of core. Called on the deciding thread after the store was written; keep it
 * quick. An exception it throws is logged at WARN and ignored, so it can never hide a reservation
 * that was made.
 */
public interface LimiterListener {
  /** A listener that does nothing. */
  LimiterListener NOOP = new LimiterListener() {};

  /** {@code decide} answered; {@code reserved} is true when a slot was written. */
  default void onDecision(Message message, Decision decision, boolean reserved) {}

  /** A reservation was released; {@code released} is false when there was none to undo. */
  default void onRelease(Message message, Instant decidedAt, boolean released) {}

  /** An activity that may start cool-downs was recorded. */
  default void onActivity(SubjectKey subject, String activity, Instant at) {}
}
