package dev.steward.delivery;

import dev.steward.model.EmailEvent;
import java.util.List;

/**
 * Receives the new (de-duplicated) events the {@link EventIngestor} accepted: the ledger, consent,
 * the calendar, health measures, and later governance and journeys.
 *
 * <p><b>Every listener must be idempotent.</b> Events are applied as due work, which runs at least
 * once: after a crash (or an Error, or a lost lease) a batch is applied again, including to the
 * listeners that had already applied it; a listener that throws on a batch is then given the same
 * events one at a time; and an event it still fails on is retried alone, later, after events that
 * arrived after it. Applying an event a second time, or a batch after a part of it, must leave the
 * same state as applying it once: key effects by event id or by what the event says (the message,
 * the contact and the event's time), never count invocations, and date changes by the event rather
 * than by the clock.
 *
 * <p>A listener should throw only when it cannot apply an event now (a store is down); the event is
 * then retried with back-off and, if it keeps failing, kept DEAD for an operator.
 */
@FunctionalInterface
public interface EmailEventListener {

  /** Applies new events, in the order they arrived; may be called again with the same events. */
  void onEvents(List<EmailEvent> events);
}
