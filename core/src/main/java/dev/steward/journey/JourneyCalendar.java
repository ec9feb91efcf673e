package dev.steward.journey;

import dev.steward.calendar.CalendarConflict;
import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CommunicationCalendar;
import dev.steward.model.AccountId;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Journeys on the communication calendar (issue 14): each enrolment whose next step is a send has
 * one SCHEDULED entry, id {@code journey:<enrolment id>}, at the step's due time, with the
 * journey's team, the step's kind, category and channel, and {@code <journey>/<step>} as its
 * campaign, so every team sees renewal sequences beside its manual campaigns. The entry follows the
 * enrolment: after every change the scheduler records (a step run, a re-anchoring, a migration, an
 * exit) it is written again from the enrolment as stored, under the calendar's lock of the contact,
 * and written again if the enrolment changed meanwhile, so of two instances the last write is the
 * later plan's; it is cancelled when the next step is no send or the enrolment has ended. When the
 * send step runs, the calendar's conflict rules are asked first, and a conflicting send is skipped
 * with the rules named; a message handed to the pipeline is recorded under its own id (SENT, or
 * SCHEDULED at the time it was deferred to).
 */
final class JourneyCalendar {
  /** The prefix of the ids of journeys' upcoming-send entries. */
  static final String PREFIX = "journey:";

  private final CommunicationCalendar calendar;
  private final JourneyStore store;
  private final BiFunction<String, Integer, Optional<JourneyDefinition>> journeys;

  JourneyCalendar(
      CommunicationCalendar calendar,
      JourneyStore store,
      BiFunction<String, Integer, Optional<JourneyDefinition>> journeys) {
    this.calendar = calendar;
    this.store = store;
    this.journeys = journeys;
  }

  /** The id of an enrolment's upcoming-send entry. */
  static String entryId(String enrolmentId) {
    return PREFIX + enrolmentId;
  }

  /**
   * Brings the enrolment's entry in line with the enrolment as stored now. A contact without a
   * profile (no account known) has no entry written; an entry it had is cancelled.
   */
  void sync(Enrolment changed) {
    TenantId tenant = changed.tenant();
    String id = entryId(changed.id());
    Optional<AccountId> account =
        store.contact(tenant, changed.contact()).map(ContactProfile::account);
    if (account.isEmpty()) {
      calendar
          .find(tenant, id)
          .filter(e -> e.status() == CalendarEntry.Status.SCHEDULED)
          .ifPresent(e -> calendar.cancel(tenant, id));
      return;
    }
    // The enrolment is read outside the calendar's lock, never inside it: on a database the lock
    // is a transaction holding a connection, and a read inside it takes a second one, which
    // deadlocks a pool as soon as as many threads do it as the pool has connections. Instead the
    // plan written is checked against the enrolment read again after the write: a writer that put
    // an older plan (another instance wrote a later one meanwhile) sees the later change and
    // writes again, so the last write is the stored plan's.
    Optional<Enrolment> read = store.find(tenant, changed.id());
    for (int attempt = 0; attempt < MAX_SYNC_ATTEMPTS; attempt++) {
      Optional<CalendarEntry> plan = read.flatMap(e -> planned(e, account.get()));
      calendar.sync(tenant, id, account.get(), changed.contact(), () -> plan);
      Optional<Enrolment> after = store.find(tenant, changed.id());
      if (after.isEmpty()
          && read.isPresent()
          && store.contact(tenant, changed.contact()).isEmpty()) {
        // the contact was erased (its calendar first, then its journeys) between the read and the
        // write, which put its entry back: a cancelled entry would still name it, so it goes
        calendar.erase(tenant, changed.contact());
        return;
      }
      if (seqOf(after) == seqOf(read)) {
        return;
      }
      read = after;
    }
  }

  /** How often a sync writes again when the enrolment keeps changing under it. */
  private static final int MAX_SYNC_ATTEMPTS = 8;

  private static int seqOf(Optional<Enrolment> e) {
    return e.map(Enrolment::seq).orElse(-1);
  }

  /** The entry an enrolment's next send should have; empty if its next step is no send. */
  Optional<CalendarEntry> planned(Enrolment e, AccountId account) {
    if (e.state() != EnrolmentState.ACTIVE) {
      return Optional.empty();
    }
    Optional<JourneyDefinition> d = journeys.apply(e.journey(), e.version());
    if (d.isEmpty() || !(d.get().step(e.step()).orElse(null) instanceof Step.Send x)) {
      return Optional.empty();
    }
    return Optional.of(entry(e, d.get(), x, account, e.dueAt()));
  }

  private static CalendarEntry entry(
      Enrolment e, JourneyDefinition d, Step.Send x, AccountId account, Instant at) {
    return CalendarEntry.of(
        e.tenant(),
        entryId(e.id()),
        CalendarEntry.Type.COMMUNICATION,
        CalendarEntry.Status.SCHEDULED,
        account,
        e.contact(),
        d.team(),
        x.kind(),
        x.category(),
        x.channel(),
        e.journey() + "/" + x.id(),
        at);
  }

  /**
   * What the calendar's rules say of sending step {@code x} of {@code e} now, to the contact of
   * {@code account}; its own upcoming entry is not held against it.
   */
  List<CalendarConflict> conflicts(
      Enrolment e, JourneyDefinition d, Step.Send x, AccountId account, Instant now) {
    return calendar.conflicts(entry(e, d, x, account, now));
  }

  /** Records a message the step handed to the pipeline: SENT now, or SCHEDULED when deferred. */
  void recordHandedOver(Message m, boolean sent, Instant at) {
    calendar.record(m, sent ? CalendarEntry.Status.SENT : CalendarEntry.Status.SCHEDULED, at);
  }
}
