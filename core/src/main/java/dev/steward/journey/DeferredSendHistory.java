package dev.steward.journey;

import dev.steward.delivery.DeferredMessage;
import dev.steward.delivery.DispatchListener;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.Reason;
import dev.steward.model.Message;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes into a journey enrolment's history what became of its message after its send step handed
 * it to the dispatcher deferred (the journey went on meanwhile): dropped because the caps deferred
 * it again past the step's deadline (SKIPPED), or moved back because a higher-priority message took
 * the slot it waited for (DEFERRED, naming that message and the new time). The entry is one more
 * change of the enrolment (its seq moves on; its step, state and due time stay), named after the
 * send step.
 *
 * <p>Limits: a finished enrolment takes no more entries, and one due now is left alone (its run may
 * be under way, and a change under it would make the run start over); both are logged. Analytics
 * counts these from its own dispatch listener.
 */
final class DeferredSendHistory implements DispatchListener {
  private static final Logger log = LoggerFactory.getLogger(DeferredSendHistory.class);
  private static final int ATTEMPTS = 4;

  private final JourneyStore store;
  private final Clock clock;

  DeferredSendHistory(JourneyStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public void onResult(DispatchResult r) {
    if (r.status() != DispatchStatus.SUPPRESSED || !StepExecutor.pastSendBy(r)) {
      return;
    }
    // a first dispatch's refusal is the step's own outcome: only a deferred message's is late
    if (r.decision().reasons().stream().noneMatch(DeferredSendHistory::lateDrop)) {
      return;
    }
    String why =
        r.decision().reasons().stream()
            .filter(x -> x.gate().equals(Dispatcher.SEND_BY))
            .map(Reason::detail)
            .findFirst()
            .orElse("");
    append(r.message(), StepOutcome.SKIPPED, "message " + r.message().id() + ": " + why);
  }

  @Override
  public void onDisplaced(DeferredMessage displaced, Message by) {
    Message m = displaced.message();
    append(
        m,
        StepOutcome.DEFERRED,
        "message "
            + m.id()
            + " displaced by "
            + by.id()
            + " (priority "
            + by.priority()
            + "), now "
            + displaced.dueAt());
  }

  /** A send-by reason of a message that had been deferred before. */
  private static boolean lateDrop(Reason x) {
    return x.gate().equals(Dispatcher.SEND_BY) && x.rule().equals(Dispatcher.SEND_BY_DEFERRED_RULE);
  }

  /** Appends an entry to the history of the enrolment {@code m} belongs to, if it can. */
  void append(Message m, StepOutcome outcome, String detail) {
    if (!m.source().isJourney()) {
      return;
    }
    Optional<String> enrolment = JourneyMessageIds.enrolmentOf(m.id().value());
    if (enrolment.isEmpty() || enrolment.get().length() > Enrolment.MAX_ID) {
      return;
    }
    String js = m.source().journeyStep();
    String step = js.substring(js.indexOf('/') + 1);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<Enrolment> found = store.find(m.tenant(), enrolment.get());
      if (found.isEmpty() || found.get().state().finished()) {
        log.debug("journey message {}: its enrolment is gone or finished; not recorded", m.id());
        return;
      }
      Enrolment e = found.get();
      Instant now = clock.instant();
      if (!e.dueAt().isAfter(now)) {
        log.info(
            "journey message {}: enrolment {} is due now, its history not changed under its run:"
                + " {}",
            m.id(),
            e.id(),
            detail);
        return;
      }
      Enrolment next =
          new Enrolment(
              e.tenant(),
              e.id(),
              e.contact(),
              e.journey(),
              e.version(),
              e.step(),
              e.seq() + 1,
              e.state(),
              e.dueAt(),
              e.enteredAt(),
              now,
              e.lastMessage(),
              e.exitReason());
      if (store.advance(next, new HistoryEntry(next.seq(), step, now, outcome, detail))) {
        return;
      }
    }
    log.warn("journey message {}: its enrolment kept changing; not recorded: {}", m.id(), detail);
  }
}
