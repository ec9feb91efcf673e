package dev.steward.journey;

import dev.steward.calendar.CalendarConflict;
import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CommunicationCalendar;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journeys on the communication calendar (issue 14): each enrolment whose next step is a send has
 * one SCHEDULED entry, id {@code journey:<enrolment id>}, at the step's due time, with the
 * journey's team, the step's kind, category and channel, and {@code <journey>/<step>} as its
 * campaign, so every team sees renewal sequences beside its manual campaigns. The entry follows the
 * enrolment: after every change the scheduler records (a step run, a re-anchoring, a migration, an
 * exit) it is written again as version {@code seq} of its plan, in one row-level write without the
 * calendar's lock, which the store refuses when a later seq's plan is stored, so of two instances
 * the entry that stays is the later plan's; it is cancelled when the next step is no send or the
 * enrolment has ended (nothing is written when there is no entry to cancel). When the send step
 * runs, the calendar's conflict rules are asked first, and a conflicting send is skipped with the
 * rules named; a message handed to the pipeline is recorded under its own id (SENT, or SCHEDULED at
 * the time it was deferred to).
 */
final class JourneyCalendar {
  private static final Logger LOG = LoggerFactory.getLogger(JourneyCalendar.class);

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
   * Brings the enrolment's entry in line with the enrolment as changed: writes its next send as
   * version {@code seq} of the entry's plan ({@link CommunicationCalendar#plan}), or cancels the
   * entry when the next step is no send, the enrolment has ended, or the contact has no profile (no
   * account known). Neither takes the calendar's lock or reads the calendar: the store keeps the
   * later plan's entry whatever the order of two instances' writes, and writes nothing when the
   * entry already stands as planned (a cancel of an entry that does not exist). An active enrolment
   * on a version of its journey this instance does not know (a rolling deploy) is left alone, as is
   * its entry: an instance that knows the version syncs it.
   */
  void sync(Enrolment changed) {
    TenantId tenant = changed.tenant();
    String id = entryId(changed.id());
    Enrolment e = changed;
    for (int attempt = 0; attempt < MAX_SYNC_ATTEMPTS; attempt++) {
      JourneyDefinition d = null;
      if (e.state() == EnrolmentState.ACTIVE) {
        d = journeys.apply(e.journey(), e.version()).orElse(null);
        if (d == null) {
          // rcal (c): a version this instance does not know (a rolling deploy: an instance that
          // knows it made the change). Its next step cannot be told here, and a cancel or a plan
          // at its seq would undo what that instance planned: the entry is left to it
          LOG.debug(
              "calendar entry of enrolment {} left alone: version {} of journey {} is unknown here",
              e.id(),
              e.version(),
              e.journey());
          return;
        }
      }
      Optional<Step.Send> send = nextSend(e, d);
      Optional<AccountId> account =
          send.isEmpty()
              ? Optional.empty()
              : profile(tenant, e.contact()).map(ContactProfile::account);
      if (account.isEmpty()) {
        // a cancel never writes a row that is not there, so it can bring nothing back: done
        calendar.cancelPlan(tenant, id, e.seq());
        return;
      }
      CalendarEntry planned = entry(id, e, d, send.get(), account.get(), e.dueAt());
      if (!calendar.plan(planned, e.seq())) {
        return; // the store kept a later plan's entry, or this one's as it stands
      }
      // Written: a later change of the enrolment whose sync found no entry to cancel (it ran
      // before this write) would leave this plan standing, and a contact erased (its calendar
      // first, then its journeys) after the plan was read got its entry back. The enrolment read
      // after the write settles both: its sync ran before, so this one writes its plan instead.
      if (store.holdsInUnit(e)) {
        // pgstep: the unit open on this thread wrote e (its compare-and-set) and holds its row
        // until it commits, with this plan. No later change of the enrolment can run before that
        // commit, so none ran its sync before this write; an erasure's journeys wait for it too,
        // and its calendar pass after the journeys (Steward's) finds this plan. A read here
        // could only answer the unit's own e (JourneyCalendarHeldPlanPostgresTest races both)
        return;
      }
      if (store.seqOf(tenant, e.id()).orElse(-1) == e.seq()) {
        return; // as below when found unchanged, without the enrolment made (mem5)
      }
      Optional<Enrolment> after = store.find(tenant, e.id());
      if (after.isEmpty()) {
        // Erased after the plan was read (enrolments go only with their contact or tenant): a
        // cancelled entry would still name the erased contact, so it goes. When the contact is
        // there again (erased and put back meanwhile), only this write goes, with its seq: a
        // cancel would keep the erased enrolment's entry, and its seq would refuse every plan of
        // an enrolment made again under the same keyed id. Only the entry as written goes (rcal
        // b): that enrolment, made again, may have had its plan written at the same seq since
        if (store.contact(tenant, e.contact()).isEmpty()) {
          calendar.erase(tenant, e.contact());
        } else {
          calendar.erasePlan(planned, e.seq());
        }
        return;
      }
      if (after.get().seq() == e.seq()) {
        return;
      }
      if (after.get().seq() < e.seq()) {
        // One enrolment's seq only grows: this is one made again under the same keyed id after an
        // erasure (rb6). The entry as written is the erased one's send, and its seq would refuse
        // the new enrolment's plans and cancels up to it; only it goes, as above, then the new
        // enrolment is synced
        calendar.erasePlan(planned, e.seq());
      }
      e = after.get();
    }
  }

  /** The contact's profile: the one the step running on this thread read, else the store's. */
  private Optional<ContactProfile> profile(TenantId tenant, ContactId contact) {
    return StepScope.profile(tenant, contact).or(() -> store.contact(tenant, contact)); // pgtx
  }

  /** How often a sync writes again when the enrolment keeps changing under it. */
  private static final int MAX_SYNC_ATTEMPTS = 8;

  /**
   * The send step an active enrolment's next step is in {@code d}, its version's definition (null
   * when the enrolment is not active); empty if it is no send.
   */
  private static Optional<Step.Send> nextSend(Enrolment e, JourneyDefinition d) {
    if (d == null || !(d.stepOrNull(e.step()) instanceof Step.Send x)) {
      return Optional.empty();
    }
    return Optional.of(x);
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

  private CalendarEntry entry(
      Enrolment e, JourneyDefinition d, Step.Send x, AccountId account, Instant at) {
    return entry(entryId(e.id()), e, d, x, account, at);
  }

  /** As above, with the entry's id ({@link #entryId}) at hand. */
  private CalendarEntry entry(
      String id, Enrolment e, JourneyDefinition d, Step.Send x, AccountId account, Instant at) {
    StepParts p = parts(e.journey(), d, x);
    return new CalendarEntry(
        e.tenant(),
        id,
        CalendarEntry.Type.COMMUNICATION,
        CalendarEntry.Status.SCHEDULED,
        account,
        Optional.ofNullable(e.contact()),
        p.team(),
        p.kind(),
        p.category(),
        p.channel(),
        p.campaign(),
        at);
  }

  /**
   * The parts of a send step's entry that are the same for every enrolment (memsend): its team,
   * kind, category, channel and campaign, each in the Optional the entry holds, made once per step
   * instead of once per entry (twice a send step: its conflicts, then the next step's plan).
   */
  private record StepParts(
      String journey,
      JourneyDefinition definition,
      Step.Send step,
      Optional<String> team,
      Optional<MessageKind> kind,
      Optional<String> category,
      Optional<Channel> channel,
      Optional<String> campaign) {}

  /** Slots of recently used steps' parts, by the step's identity; a race only costs a miss. */
  private final StepParts[] recent = new StepParts[RECENT_STEPS];

  private static final int RECENT_STEPS = 32;

  private StepParts parts(String journey, JourneyDefinition d, Step.Send x) {
    int slot = System.identityHashCode(x) & (RECENT_STEPS - 1);
    StepParts p = recent[slot];
    if (p != null && p.step() == x && p.definition() == d && p.journey().equals(journey)) {
      return p;
    }
    p =
        new StepParts(
            journey,
            d,
            x,
            Optional.ofNullable(d.team()),
            Optional.ofNullable(x.kind()),
            Optional.ofNullable(x.category()),
            Optional.ofNullable(x.channel()),
            Optional.of(journey + "/" + x.id()));
    recent[slot] = p;
    return p;
  }

  /** Whether the calendar has rules that a send step must ask (a read of the calendar). */
  boolean hasRules() {
    return !calendar.rules().isEmpty();
  }

  /**
   * What the calendar's rules say of sending step {@code x} of {@code e} now, to the contact of
   * {@code account}; its own upcoming entry is not held against it.
   */
  List<CalendarConflict> conflicts(
      Enrolment e, JourneyDefinition d, Step.Send x, AccountId account, Instant now) {
    if (calendar.rules().isEmpty()) {
      return List.of(); // memsend: no rule to ask, so no entry to build (its values are valid)
    }
    return calendar.conflicts(entry(e, d, x, account, now));
  }

  /**
   * After a run found its enrolment gone once its step ran: the contact (or tenant) was erased
   * meanwhile. A message the step handed over was recorded on the calendar ({@link
   * #recordHandedOver}) perhaps after both of the erasure's calendar passes (before and after the
   * journeys), naming the erased contact and account, and with the enrolment gone nothing erases it
   * again. When the contact has no profile either, it was erased, and its entries go now. When it
   * has one, it was erased and put back meanwhile: only the message of the step run on {@code e}
   * goes (its id is the enrolment's and the step's), since the contact's other entries may be the
   * new profile's.
   */
  void gone(Enrolment e) {
    if (store.contact(e.tenant(), e.contact()).isEmpty()) {
      calendar.erase(e.tenant(), e.contact());
    } else {
      calendar.eraseEntry(e.tenant(), e.contact(), JourneyMessageIds.of(e.id(), e.seq()));
    }
  }

  /**
   * Records a message the step handed to the pipeline: SENT now, or SCHEDULED when deferred. While
   * this thread runs a batch's first steps ({@link #keepingSent}), a SENT record is kept for the
   * batch to write with the others ({@link #recordKept}); a SCHEDULED one is written at once, as
   * alone, since the deferred message may go out before the batch's writes.
   */
  void recordHandedOver(Message m, boolean sent, Instant at) {
    List<Handed> kept = keeping.get();
    if (sent && kept != null) {
      kept.add(new Handed(m, at));
      return;
    }
    calendar.record(m, sent ? CalendarEntry.Status.SENT : CalendarEntry.Status.SCHEDULED, at);
  }

  /** A message a step handed over and the pipeline sent, whose SENT record a batch keeps. */
  record Handed(Message message, Instant at) {}

  /** The SENT records the batch on this thread keeps instead of writing; null when none does. */
  private final ThreadLocal<List<Handed>> keeping = new ThreadLocal<>();

  /**
   * Runs {@code body} with the SENT records of the messages it hands over added to {@code kept}
   * instead of written (a batch's steps); the batch writes them with {@link #recordKept}; its
   * answer.
   */
  <T> T keepingSent(List<Handed> kept, java.util.function.Supplier<T> body) {
    List<Handed> before = keeping.get();
    keeping.set(kept);
    try {
      return body.get();
    } finally {
      if (before == null) {
        keeping.remove();
      } else {
        keeping.set(before);
      }
    }
  }

  /**
   * Writes the SENT records a batch kept, as {@link #recordHandedOver} would have one by one: one
   * set-based write per instant ({@link CommunicationCalendar#recordAll}; the batch's first steps
   * share theirs). A record already SENT stays as it is, so writing one again changes nothing.
   */
  void recordKept(List<Handed> kept) {
    java.util.Map<Instant, List<Message>> byAt = new java.util.LinkedHashMap<>();
    for (Handed h : kept) {
      byAt.computeIfAbsent(h.at(), a -> new java.util.ArrayList<>()).add(h.message());
    }
    byAt.forEach((at, messages) -> calendar.recordAll(messages, CalendarEntry.Status.SENT, at));
  }

  /** Writes one SENT record a batch kept, alone, as {@link #recordHandedOver} would have. */
  void recordKeptAlone(Handed h) {
    calendar.record(h.message(), CalendarEntry.Status.SENT, h.at());
  }
}
