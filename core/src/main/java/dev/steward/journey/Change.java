package dev.steward.journey;

import dev.steward.model.MessageId;
import java.time.Instant;
import java.util.Optional;

/**
 * A change of an enrolment and its history entry, as a run, an event or a task outcome makes it;
 * applied with {@link JourneyStore#advance}.
 */
record Change(Enrolment next, HistoryEntry entry) {

  /**
   * Moves {@code e} past step {@code s} to {@code next}, due at {@code dueAt}; without a next step
   * the enrolment completes.
   */
  static Change go(
      Enrolment e,
      Step s,
      Optional<String> next,
      Instant dueAt,
      Instant now,
      StepOutcome outcome,
      String detail) {
    return go(e, e.lastMessage(), s, next, dueAt, now, outcome, detail);
  }

  /** As above, for a send step that dispatched {@code sent}: the enrolment's last message now. */
  static Change go(
      Enrolment e,
      Optional<MessageId> sent,
      Step s,
      Optional<String> next,
      Instant dueAt,
      Instant now,
      StepOutcome outcome,
      String detail) {
    Enrolment n =
        next.isPresent()
            ? e.next(next.get(), EnrolmentState.ACTIVE, dueAt, now, sent)
            : e.next(s.id(), EnrolmentState.COMPLETED, now, now, sent);
    String d = next.isPresent() ? detail : detail + "; journey completed";
    return new Change(n, new HistoryEntry(n.seq(), s.id(), now, outcome, d));
  }

  /** Ends {@code e} at step {@code stepId} for {@code reason}. */
  static Change exit(Enrolment e, String stepId, Instant now, String reason) {
    Enrolment n = e.next(stepId, EnrolmentState.EXITED, now, now).withExitReason(reason);
    return new Change(n, new HistoryEntry(n.seq(), stepId, now, StepOutcome.EXITED, reason));
  }
}
