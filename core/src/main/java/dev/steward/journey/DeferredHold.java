package dev.steward.journey;

import dev.steward.delivery.Dispatcher;
import dev.steward.model.MessageId;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkState;
import java.time.Instant;
import java.util.Optional;

/**
 * Holds a wait for the open or click of a message while the dispatcher keeps that message deferred:
 * the wait's time counts from the send, not from the step that handed the message over.
 */
final class DeferredHold {
  private final Optional<Dispatcher> dispatcher;

  DeferredHold(Optional<Dispatcher> dispatcher) {
    this.dispatcher = dispatcher;
  }

  /**
   * The dispatcher's deferral of the message that the due step of {@code e}, a wait for its open or
   * click, is about, while the message has not gone out. None without a dispatcher, and none once
   * the deferral has been due for {@link JourneyScheduler#STRANDED_AFTER} (a dispatcher that
   * stopped working must not hold the journey for ever).
   */
  Optional<WorkItem> heldMessage(JourneyDefinition d, Enrolment e, Instant now) {
    if (dispatcher.isEmpty()
        || e.state() != EnrolmentState.ACTIVE
        || e.lastMessage().isEmpty()
        || !(d.step(e.step()).orElse(null) instanceof Step.WaitForEvent w)
        || !w.onMessage()) {
      return Optional.empty();
    }
    return dispatcher
        .get()
        .workStore()
        .find(WorkKey.of(e.tenant(), Dispatcher.DEFERRED_KIND, e.lastMessage().get().value()))
        .filter(i -> i.state() == WorkState.READY)
        .filter(i -> i.dueAt().isAfter(now.minus(JourneyScheduler.STRANDED_AFTER)));
  }

  /** Moves the start of {@code e}'s wait to when its deferred message is due to go out. */
  static Change holdFor(Enrolment e, WorkItem deferral, Instant now) {
    Enrolment next = e.next(e.step(), EnrolmentState.ACTIVE, deferral.dueAt(), now);
    return new Change(
        next,
        new HistoryEntry(
            next.seq(),
            e.step(),
            now,
            StepOutcome.WAITING,
            "until "
                + deferral.dueAt()
                + ": message "
                + e.lastMessage().map(MessageId::value).orElse("")
                + " is deferred until then, and the wait counts from its send"));
  }
}
