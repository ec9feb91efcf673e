package dev.steward.calendar;

import dev.steward.delivery.DeferredMessage;
import dev.steward.delivery.DispatchListener;
import dev.steward.delivery.DispatchResult;
import dev.steward.model.Message;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the calendar's SCHEDULED entries of messages (entry id = message id, as {@link
 * CommunicationCalendar#record(Message, CalendarEntry.Status, java.time.Instant)} writes them, and
 * as a journey records a send the pipeline deferred) in step with the send pipeline: a message sent
 * is marked SENT, one deferred again (by the caps, or displaced by a higher-priority message) moves
 * to its new time, one suppressed or failed is cancelled. Messages the calendar holds no SCHEDULED
 * entry of are not written. Register it on the {@link dev.steward.delivery.Dispatcher} ({@code
 * Steward} does).
 */
public final class CalendarDispatchListener implements DispatchListener {
  private static final Logger log = LoggerFactory.getLogger(CalendarDispatchListener.class);

  private final CommunicationCalendar calendar;

  private CalendarDispatchListener(CommunicationCalendar calendar) {
    if (calendar == null) {
      throw new InvalidCalendarException("calendar must not be null");
    }
    this.calendar = calendar;
  }

  /** A listener over {@code calendar}. */
  public static CalendarDispatchListener of(CommunicationCalendar calendar) {
    return new CalendarDispatchListener(calendar);
  }

  @Override
  public void onResult(DispatchResult result) {
    Message m = result.message();
    switch (result.status()) {
      // no read first: one write guarded by the entry being SCHEDULED, which a JDBC unit of work
      // (the dispatcher's, for a group of sends) keeps and writes set-based before it commits
      case SENT -> calendar.recordIfScheduled(m, CalendarEntry.Status.SENT, calendar.now());
      case DEFERRED ->
          result
              .decision()
              .notBefore()
              .ifPresent(at -> calendar.recordIfScheduled(m, CalendarEntry.Status.SCHEDULED, at));
      case SUPPRESSED, FAILED -> {
        if (scheduled(m).isPresent()) {
          calendar.cancel(m.tenant(), m.id().value());
        }
      }
      default ->
          // nothing to keep in step (the first dispatch did; an unknown outcome is reconciled)
          log.debug("calendar entry of message {} left as it is ({})", m.id(), result.status());
    }
  }

  @Override
  public void onDisplaced(DeferredMessage displaced, Message by) {
    calendar.recordIfScheduled(
        displaced.message(), CalendarEntry.Status.SCHEDULED, displaced.dueAt());
  }

  private Optional<CalendarEntry> scheduled(Message m) {
    return calendar
        .find(m.tenant(), m.id().value())
        .filter(e -> e.status() == CalendarEntry.Status.SCHEDULED);
  }
}
