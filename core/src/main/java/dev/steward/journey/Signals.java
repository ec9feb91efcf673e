package dev.steward.journey;

import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events and signals that resume waits for an event: provider opens and clicks matched by message
 * id, replies and custom events signalled for a contact, and opens or clicks remembered as {@link
 * MessageSignal}s for a wait that begins later.
 */
final class Signals {
  private static final Logger log = LoggerFactory.getLogger(JourneyScheduler.class);

  private final Clock clock;
  private final JourneyStore store;
  private final Journeys journeys;
  private final JourneyWork work;

  private final java.util.function.BiConsumer<Enrolment, HistoryEntry> recorded;

  Signals(
      Clock clock,
      JourneyStore store,
      Journeys journeys,
      JourneyWork work,
      java.util.function.BiConsumer<Enrolment, HistoryEntry> recorded) {
    this.recorded = recorded; // analytics hook (issue 14)
    this.clock = clock;
    this.store = store;
    this.journeys = journeys;
    this.work = work;
  }

  /** See {@link JourneyScheduler#signal}. */
  int signal(TenantId tenant, ContactId contact, String event) {
    InvalidJourneyException.requireNonNull(event, "event");
    String e = event.strip().toLowerCase(Locale.ROOT);
    // opened and clicked belong to one message and come from the provider's events (see
    // emailEventListener); a signal naming them, or an event no step can wait for, is a mistake
    if (!e.equals(Step.REPLIED) && !(e.startsWith("custom:") && e.length() > "custom:".length())) {
      throw new InvalidJourneyException(
          "signal '"
              + event
              + "': only replied or custom:<name> can be signalled; opens and clicks arrive as"
              + " provider events for the message a step sent");
    }
    int n = 0;
    for (Enrolment x : store.enrolments(tenant, contact)) {
      if (resume(x, w -> w.event().equals(e), "signal '" + e + "'")) {
        n++;
      }
    }
    return n;
  }

  /** Opens and clicks from the provider: see {@link JourneyScheduler#emailEventListener}. */
  void onEvents(List<EmailEvent> events) {
    for (EmailEvent ev : events) {
      if ((ev.type() != EmailEventType.OPEN && ev.type() != EmailEventType.CLICK)
          || ev.messageId().isEmpty()
          || ev.tenant().isEmpty()) {
        continue;
      }
      MessageId message = ev.messageId().get();
      Optional<String> named = JourneyMessageIds.enrolmentOf(message.value());
      if (named.isEmpty()) {
        continue;
      }
      String enrolmentId = named.get();
      TenantId tenant = ev.tenant().get();
      Optional<Enrolment> found = store.find(tenant, enrolmentId);
      if (found.isEmpty() || found.get().state().finished()) {
        continue;
      }
      boolean click = ev.type() == EmailEventType.CLICK;
      if (resumeOnEvent(found.get(), message, click, ev.occurredAt())) {
        continue;
      }
      if (olderThanLast(found.get(), message)) {
        continue; // a late open of an earlier message: no wait will ask about it again
      }
      // not waiting for it yet (a pause first, or the send step not recorded yet): remember it
      // for the wait, then look again, since the wait may have begun meanwhile; the run that
      // begins a wait looks for what was remembered before it (signalledBefore)
      MessageSignal signal;
      try {
        signal =
            new MessageSignal(
                tenant, enrolmentId, message, click ? Step.CLICKED : Step.OPENED, ev.occurredAt());
      } catch (InvalidJourneyException unstorable) { // a time no store keeps: nothing to wait for
        log.debug(
            "event {} not remembered for enrolment {}", ev.eventId(), enrolmentId, unstorable);
        continue;
      }
      if (store.recordSignal(signal)) {
        store
            .find(tenant, enrolmentId)
            .ifPresent(again -> resumeOnEvent(again, message, click, ev.occurredAt()));
      }
    }
  }

  /**
   * Whether {@code message} was sent by an earlier change of {@code e} than its last message: both
   * ids end in the sequence number of the change that sent them.
   */
  static boolean olderThanLast(Enrolment e, MessageId message) {
    if (e.lastMessage().isEmpty()) {
      return false;
    }
    long seq = seqOf(message);
    long last = seqOf(e.lastMessage().get());
    return seq >= 0 && last >= 0 && seq < last;
  }

  /** The sequence number at the end of a journey message id; -1 if it has none. */
  private static long seqOf(MessageId message) {
    String id = message.value();
    String tail = id.substring(id.lastIndexOf('-') + 1);
    if (tail.isEmpty() || tail.length() > 9 || !tail.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Long.parseLong(tail);
  }

  /** Resumes {@code e} if it waits for the open (or click) of {@code message}; true if it did. */
  private boolean resumeOnEvent(Enrolment e, MessageId message, boolean click, Instant at) {
    if (!e.lastMessage().equals(Optional.of(message))) {
      return false;
    }
    return resume(
        e,
        w -> w.onMessage() && (w.event().equals(Step.OPENED) || click) && !at.isAfter(e.dueAt()),
        (click ? "clicked" : "opened") + " at " + at);
  }

  /**
   * The change that moves {@code e}, which has just begun to wait for the open or click of its last
   * message, down the event path at once when that happened before the wait began.
   */
  Optional<Change> signalledBefore(Enrolment e, Instant now) {
    if (e.state() != EnrolmentState.WAITING || e.lastMessage().isEmpty()) {
      return Optional.empty();
    }
    if (!(journeys.stepOf(e).orElse(null) instanceof Step.WaitForEvent w) || !w.onMessage()) {
      return Optional.empty();
    }
    for (MessageSignal s : store.signals(e.tenant(), e.id(), e.lastMessage().get())) {
      if (s.event().equals(Step.CLICKED) || w.event().equals(Step.OPENED)) {
        return Optional.of(
            Change.go(
                e,
                w,
                w.onEvent(),
                now,
                now,
                StepOutcome.EVENT,
                s.event() + " at " + s.at() + ", before the wait began"));
      }
    }
    return Optional.empty();
  }

  /**
   * An open or click that satisfies the wait of {@code e} for its last message, dated by the wait's
   * due time, and remembered as a signal after the wait began: by an instance of a rolling deploy
   * that does not register the enrolment's version and so could not resume it. Read before the
   * timeout path is taken.
   */
  Optional<MessageSignal> signalInTime(Enrolment e, Step.WaitForEvent w) {
    if (!w.onMessage() || e.lastMessage().isEmpty()) {
      return Optional.empty();
    }
    return store.signals(e.tenant(), e.id(), e.lastMessage().get()).stream()
        .filter(x -> x.event().equals(Step.CLICKED) || w.event().equals(Step.OPENED))
        .filter(x -> !x.at().isAfter(e.dueAt()))
        .findFirst();
  }

  /** Moves a waiting enrolment down its event path if {@code matches} its step; true if moved. */
  private boolean resume(Enrolment e, Predicate<Step.WaitForEvent> matches, String what) {
    if (e.state() != EnrolmentState.WAITING) {
      work.ensureDue(e); // moved by an earlier event whose reschedule may have failed
      return false;
    }
    if (!(journeys.stepOf(e).orElse(null) instanceof Step.WaitForEvent w) || !matches.test(w)) {
      return false;
    }
    Instant now = clock.instant();
    Change c = Change.go(e, w, w.onEvent(), now, now, StepOutcome.EVENT, what);
    if (!store.advance(c.next(), c.entry())) {
      return false;
    }
    recorded.accept(c.next(), c.entry()); // analytics hook (issue 14)
    work.after(c.next());
    return true;
  }
}
