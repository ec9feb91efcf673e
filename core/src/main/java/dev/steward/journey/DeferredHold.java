package dev.steward.journey;

import dev.steward.delivery.DeliveryStatus;
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
   * stopped working must not hold the journey for ever) unless the dispatcher is running it at this
   * moment (its send under way).
   */
  Optional<WorkItem> heldMessage(JourneyDefinition d, Enrolment e, Instant now) {
    if (dispatcher.isEmpty()
        || e.state().finished()
        || e.lastMessage().isEmpty()
        || !(d.stepOrNull(e.step()) instanceof Step.WaitForEvent w)
        || !w.onMessage()) {
      return Optional.empty();
    }
    MessageId message = e.lastMessage().get();
    Optional<WorkItem> deferral =
        dispatcher
            .get()
            .workStore()
            .find(WorkKey.of(e.tenant(), Dispatcher.DEFERRED_KIND, message.value()))
            .filter(i -> i.state() == WorkState.READY);
    if (e.state() == EnrolmentState.WAITING) {
      // the wait began while the message looked stranded (its deferral overdue, not yet running)
      // and the caps then deferred it again: it times out only once the message has gone out
      return deferral.filter(i -> i.dueAt().isAfter(now));
    }
    if (deferral.isEmpty()
        || deferral.get().dueAt().isAfter(now.minus(JourneyScheduler.STRANDED_AFTER))) {
      return deferral;
    }
    // overdue for long: stranded, unless the dispatcher is running it right now (a backlog made
    // it late, and its send is under way); the wait begins once that send has ended
    return running(e, message, now) ? deferral : Optional.empty();
  }

  /**
   * Whether the dispatcher is sending the message at this moment: its ledger holds the intent
   * (SENDING), written lately, so not one left behind by a crash (the stuck-send sweep settles
   * those).
   */
  private boolean running(Enrolment e, MessageId message, Instant now) {
    return dispatcher
        .get()
        .ledger()
        .findByMessage(message)
        .filter(r -> r.tenant().equals(e.tenant()))
        .filter(r -> r.status() == DeliveryStatus.SENDING)
        .filter(r -> r.updatedAt().isAfter(now.minus(JourneyScheduler.STRANDED_AFTER)))
        .isPresent();
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
