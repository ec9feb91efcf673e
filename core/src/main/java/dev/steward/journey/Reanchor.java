package dev.steward.journey;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves pending waits until a date attribute when the attribute changes (a renewal moved): every
 * unfinished enrolment of the contact whose current due time was set by a {@link
 * Step.WaitUntilDate} on that attribute, and is still to come, is due again at the new date's
 * instant in the contact's zone (09:00 stays 09:00 local across a DST change), or now if that
 * instant has passed.
 *
 * <p>Only a wait still to come moves: an enrolment already due may be running on another instance
 * (a send under way), and a change of its sequence number then would make that send's step run
 * again under a new message id. A wait that is still to come is not run by anyone, so moving it is
 * a compare-and-set on the enrolment that either wins or finds it changed and looks again.
 */
final class Reanchor {
  private static final Logger log = LoggerFactory.getLogger(JourneyScheduler.class);

  /** How often one enrolment is looked at again after a concurrent change. */
  private static final int ATTEMPTS = 5;

  private final Clock clock;
  private final JourneyStore store;
  private final Journeys journeys;
  private final JourneyWork work;
  private final Optional<ZoneId> defaultZone;
  private final BurstSpread spread;

  private final java.util.function.BiConsumer<Enrolment, HistoryEntry> recorded;

  Reanchor(
      Clock clock,
      JourneyStore store,
      Journeys journeys,
      JourneyWork work,
      Optional<ZoneId> defaultZone,
      BurstSpread spread,
      java.util.function.BiConsumer<Enrolment, HistoryEntry> recorded) {
    this.recorded = recorded; // analytics hook (issue 14)
    this.clock = clock;
    this.store = store;
    this.journeys = journeys;
    this.work = work;
    this.defaultZone = defaultZone;
    this.spread = spread;
  }

  /**
   * Re-anchors the contact's pending waits on {@code attribute} (on every date attribute when
   * empty); how many moved.
   */
  int contact(TenantId tenant, ContactId contact, Optional<String> attribute) {
    int moved = 0;
    for (Enrolment e : store.enrolments(tenant, contact)) {
      if (!e.state().finished() && enrolment(e, attribute)) {
        moved++;
      }
    }
    return moved;
  }

  private boolean enrolment(Enrolment first, Optional<String> attribute) {
    Enrolment e = first;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<Change> c = change(e, attribute);
      if (c.isEmpty()) {
        return false;
      }
      if (store.advance(c.get().next(), c.get().entry())) {
        recorded.accept(c.get().next(), c.get().entry()); // analytics hook (issue 14)
        work.replace(c.get().next());
        return true;
      }
      Optional<Enrolment> again = store.find(e.tenant(), e.id());
      if (again.isEmpty()) {
        return false;
      }
      e = again.get();
    }
    log.warn("journey enrolment {} kept changing; its date wait was not re-anchored", e.id());
    return false;
  }

  /** The move of {@code e}'s pending date wait, if it waits on {@code attribute} and must move. */
  private Optional<Change> change(Enrolment e, Optional<String> attribute) {
    Instant now = clock.instant();
    if (e.state() != EnrolmentState.ACTIVE || !e.dueAt().isAfter(now)) {
      return Optional.empty();
    }
    Optional<JourneyDefinition> d = journeys.of(e);
    if (d.isEmpty() || !ledInto(d.get(), e.step(), attribute)) {
      return Optional.empty();
    }
    Optional<Step.WaitUntilDate> wait = anchoredBy(d.get(), e);
    if (wait.isEmpty()) {
      return Optional.empty();
    }
    Step.WaitUntilDate w = wait.get();
    if (attribute.isPresent() && !attribute.get().equals(w.attribute())) {
      return Optional.empty();
    }
    Optional<ContactProfile> p = store.contact(e.tenant(), e.contact());
    String raw = p.map(x -> x.attributes().get(w.attribute())).orElse(null);
    Optional<ZoneId> zone = p.flatMap(ContactProfile::zone).or(() -> defaultZone);
    if (raw == null || zone.isEmpty()) {
      return Optional.empty(); // removed, or no zone: the wait stays as it was set
    }
    LocalDate date;
    try {
      date = LocalDate.parse(raw.strip());
    } catch (DateTimeParseException bad) {
      return Optional.empty();
    }
    // rbatch: a date moved beyond what a store keeps threw here, after the attribute was set
    Optional<Instant> when = StepExecutor.dateAt(date, w.offsetDays(), w.time(), zone.get());
    if (when.isEmpty()) {
      return Optional.empty(); // the wait stays as it was set, as for a value that is no date
    }
    Instant at = spread.spread(when.get(), e);
    Instant due = at.isAfter(now) ? at : now;
    if (due.equals(e.dueAt())) {
      return Optional.empty();
    }
    Enrolment next = e.next(e.step(), EnrolmentState.ACTIVE, due, now);
    String detail =
        "re-anchored: "
            + w.attribute()
            + " is "
            + raw.strip()
            + (at.isAfter(now) ? ", until " + at : ", and " + at + " has passed: now")
            + " (was until "
            + e.dueAt()
            + ")";
    return Optional.of(
        new Change(next, new HistoryEntry(next.seq(), w.id(), now, StepOutcome.WAITING, detail)));
  }

  /** Whether some wait until a date ({@code attribute}, or any) leads into {@code stepId}. */
  private static boolean ledInto(JourneyDefinition d, String stepId, Optional<String> attribute) {
    for (Step s : d.steps()) {
      if (s instanceof Step.WaitUntilDate w
          && w.next().equals(Optional.of(stepId))
          && attribute.map(a -> a.equals(w.attribute())).orElse(true)) {
        return true;
      }
    }
    return false;
  }

  /** The wait until a date that set {@code e}'s due time: its latest change, if a wait made it. */
  private Optional<Step.WaitUntilDate> anchoredBy(JourneyDefinition d, Enrolment e) {
    List<HistoryEntry> history = store.history(e.tenant(), e.id());
    for (int i = history.size() - 1; i >= 0; i--) {
      HistoryEntry h = history.get(i);
      if (h.seq() != e.seq()) {
        continue;
      }
      if (h.outcome() == StepOutcome.WAITING
          && d.step(h.step()).orElse(null) instanceof Step.WaitUntilDate w
          && w.next().equals(Optional.of(e.step()))) {
        return Optional.of(w);
      }
      return Optional.empty();
    }
    return Optional.empty();
  }
}
