package dev.steward.calendar;

import dev.steward.calendar.CalendarEntry.Status;
import dev.steward.calendar.CalendarEntry.Type;
import dev.steward.calendar.internal.CalendarChecks;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of every communication scheduled and sent to each account and contact, across teams,
 * with the complaints that later communications must keep away from; checks a candidate against its
 * {@link ConflictRule}s before it is scheduled.
 *
 * <p>Scheduling never stores a conflicting entry: {@link #scheduleIfClear} returns the conflicts
 * instead, {@link #schedule} throws them. {@link #record(Message, Status)} stores what the send
 * pipeline already decided, without checks. Cancelled entries never conflict.
 *
 * <p>The check and the write are one atomic step through {@link CalendarStore#update}: the store
 * locks the candidate's account and contact (and those of the entry's earlier version, when it is
 * rescheduled), the rules read the calendar under that lock, and the entry is written before it is
 * released. Two conflicting entries scheduled at the same moment, through one calendar or through
 * several application instances sharing a JDBC store, never both pass: one is scheduled, the other
 * is refused with its conflicts. A custom rule that reads other accounts or contacts than the
 * candidate's sees committed entries that may change meanwhile. Marking sent and cancelling take
 * the same lock, so neither overwrites a change made meanwhile by another instance. Recording a
 * message the pipeline handled ({@link #record(Message, Status, Instant)}) and keeping an entry in
 * step with a plan ({@link #plan}, {@link #cancelPlan}) check no rules and take no lock: each is
 * one row-level write that the store guards (a SENT entry stays SENT; an older plan never
 * overwrites a later one).
 */
public final class CommunicationCalendar {
  private static final Logger log = LoggerFactory.getLogger(CommunicationCalendar.class);
  private static final int MAX_TEAM_LENGTH = 200;
  private static final int MAX_MOVED_ATTEMPTS = 100;

  private final CalendarStore store;
  private final Clock clock;
  private final ConflictRule.Zones zones;
  private final List<ConflictRule> rules;

  /** The widest reach of the rules; empty when a rule does not say (or there is none). */
  private final Optional<Duration> reach;

  private CommunicationCalendar(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    this.zones = b.zones;
    this.rules = List.copyOf(b.rules);
    Optional<Duration> widest = Optional.empty();
    for (ConflictRule r : rules) {
      Optional<Duration> own = r.reach();
      if (own == null) {
        throw new InvalidCalendarException("rule '" + r.id() + "' answered null for its reach");
      }
      if (own.isEmpty() || own.get().isNegative()) {
        widest = Optional.empty();
        break;
      }
      widest = Optional.of(widest.filter(w -> w.compareTo(own.get()) >= 0).orElse(own.get()));
    }
    this.reach = widest;
  }

  /** A builder over the store; clock system UTC, zones UTC and no rules by default. */
  public static Builder builder(CalendarStore store, Clock clock) {
    return new Builder(store, clock);
  }

  /** The rules, in the order they are checked. */
  public List<ConflictRule> rules() {
    return rules;
  }

  // ---- conflict detection and scheduling ----------------------------------------------------

  /**
   * The conflicts a candidate communication would have, rule by rule; empty when clear. An earlier
   * version of the same entry (same id) is not held against it; a cancelled candidate has none.
   */
  public List<CalendarConflict> conflicts(CalendarEntry candidate) {
    CalendarEntry c = communication(candidate);
    if (c.status() == Status.CANCELLED) {
      return List.of();
    }
    return check(c, unlocked(c.tenant()));
  }

  /** The rules' conflicts of a validated candidate, read through {@code reads}. */
  private List<CalendarConflict> check(CalendarEntry c, CalendarStore.LockedView reads) {
    if (rules.isEmpty()) {
      return List.of(); // memsend: no view and no list for a calendar without rules
    }
    ConflictRule.View view = new StoreView(reads, c.tenant(), c.id(), c.at());
    List<CalendarConflict> out = null;
    for (ConflictRule rule : rules) {
      List<CalendarConflict> found = rule.check(c, view);
      if (!found.isEmpty()) {
        if (out == null) {
          out = new ArrayList<>();
        }
        out.addAll(found);
      }
    }
    return out == null ? List.of() : List.copyOf(out);
  }

  /**
   * Stores a SCHEDULED communication if no rule objects; otherwise stores nothing and returns the
   * conflicts. Rescheduling an entry (same id, still SCHEDULED or CANCELLED) replaces it.
   */
  public ScheduleResult scheduleIfClear(CalendarEntry entry) {
    CalendarEntry e = schedulable(entry);
    ScheduleResult result =
        locked(
            e.tenant(),
            e.id(),
            e,
            (current, reads) -> {
              checkNotDone(e, current);
              List<CalendarConflict> conflicts = check(e, reads);
              if (!conflicts.isEmpty()) {
                return CalendarChange.unchanged(new ScheduleResult(e, false, conflicts));
              }
              return CalendarChange.write(new ScheduleResult(e, true, List.of()), e);
            });
    if (!result.scheduled()) {
      log.debug(
          "calendar entry {} of tenant {} not scheduled: {}",
          e.id(),
          e.tenant(),
          result.conflicts());
    }
    return result;
  }

  /**
   * Stores a SCHEDULED communication; returns what was stored.
   *
   * @throws CalendarConflictException with every conflict, when a rule objects (nothing stored)
   */
  public CalendarEntry schedule(CalendarEntry entry) {
    ScheduleResult result = scheduleIfClear(entry);
    if (!result.scheduled()) {
      throw new CalendarConflictException(result.entry(), result.conflicts());
    }
    return result.entry();
  }

  /**
   * Marks the tenant's scheduled communication as sent at {@code at}; sending it twice changes
   * nothing.
   */
  public CalendarEntry markSent(TenantId tenant, String id, Instant at) {
    tenant(tenant);
    if (at == null) {
      throw new InvalidCalendarException("at must not be null");
    }
    return locked(
        tenant,
        id(id),
        null,
        (current, reads) -> {
          CalendarEntry e = existing(current, id);
          if (e.status() == Status.SENT) {
            return CalendarChange.unchanged(e);
          }
          if (e.status() == Status.CANCELLED) {
            throw new InvalidCalendarException(
                "calendar entry '" + id + "' was cancelled; it cannot be marked sent");
          }
          CalendarEntry sent = e.with(Status.SENT, at);
          return CalendarChange.write(sent, sent);
        });
  }

  /** Cancels the tenant's scheduled communication; cancelling twice changes nothing. */
  public CalendarEntry cancel(TenantId tenant, String id) {
    tenant(tenant);
    return locked(
        tenant,
        id(id),
        null,
        (current, reads) -> {
          CalendarEntry e = existing(current, id);
          if (e.status() == Status.CANCELLED) {
            return CalendarChange.unchanged(e);
          }
          if (e.status() == Status.SENT) {
            throw new InvalidCalendarException(
                "calendar entry '" + id + "' was already sent; it cannot be cancelled");
          }
          CalendarEntry cancelled = e.with(Status.CANCELLED, e.at());
          return CalendarChange.write(cancelled, cancelled);
        });
  }

  /**
   * Keeps one SCHEDULED communication in step with a plan kept elsewhere, such as a journey's next
   * send: under the calendar's lock of {@code account} and {@code contact} (and of the entry as it
   * stands), asks {@code plan} for the entry as it should stand now and writes it without conflict
   * checks (the sender applies the rules when it sends), or, when the plan has none, cancels the
   * entry of this id if it is still SCHEDULED. An entry already SENT, or a complaint, is left
   * alone. Because the plan is read under the lock, of two instances syncing one entry the later
   * reads the later plan, so an older plan never overwrites a newer one. {@code plan} may run more
   * than once and must only read; the entry it answers must have this tenant, id, account and
   * contact.
   *
   * @return the entry as it stands afterwards, if there is one
   */
  public Optional<CalendarEntry> sync(
      TenantId tenant,
      String id,
      AccountId account,
      ContactId contact,
      Supplier<Optional<CalendarEntry>> plan) {
    tenant(tenant);
    id(id);
    if (account == null || contact == null || plan == null) {
      throw new InvalidCalendarException("account, contact and plan must not be null");
    }
    return locked(
        tenant,
        id,
        null,
        account,
        contact,
        (current, reads) -> {
          if (current.isPresent()
              && (current.get().type() == Type.COMPLAINT
                  || current.get().status() == Status.SENT)) {
            return CalendarChange.unchanged(current);
          }
          Optional<CalendarEntry> planned = plan.get();
          if (planned.isPresent()) {
            CalendarEntry e = schedulable(planned.get());
            if (!e.tenant().equals(tenant)
                || !e.id().equals(id)
                || !e.account().equals(account)
                || !e.contact().equals(Optional.of(contact))) {
              throw new InvalidCalendarException(
                  "planned entry '"
                      + e.id()
                      + "' must have the tenant, id, account and contact it is synced under");
            }
            return e.equals(current.orElse(null))
                ? CalendarChange.unchanged(Optional.of(e))
                : CalendarChange.write(Optional.of(e), e);
          }
          if (current.isPresent() && current.get().status() == Status.SCHEDULED) {
            CalendarEntry cancelled = current.get().with(Status.CANCELLED, current.get().at());
            return CalendarChange.write(Optional.of(cancelled), cancelled);
          }
          return CalendarChange.unchanged(current);
        });
  }

  /**
   * Writes a SCHEDULED communication that follows version {@code seq} of a plan kept elsewhere
   * (such as a journey's next send, whose seq rises with every change), without conflict checks
   * (the sender applies the rules when it sends) and without the calendar's lock: one row-level
   * write through {@link CalendarStore#putPlanned}, which leaves alone an entry that was SENT, a
   * complaint, written by a later plan, or already as planned. Of two instances writing plans of
   * one entry, the later plan's stays whatever the order of their writes. Because no lock is taken,
   * a {@link #scheduleIfClear} of the same account or contact at the same moment may not see this
   * entry.
   *
   * @return true if the entry was written; false if the store kept what it had
   * @throws InvalidCalendarException if the entry is no valid SCHEDULED communication or {@code
   *     seq} is negative (nothing written)
   */
  public boolean plan(CalendarEntry entry, long seq) {
    CalendarEntry e = schedulable(entry);
    return store.putPlanned(e, seq);
  }

  /**
   * Cancels the tenant's SCHEDULED entry of this id for version {@code seq} of its plan (see {@link
   * #plan}), without the calendar's lock, unless a later plan wrote it; an entry that does not
   * exist, or is not SCHEDULED, is left alone and nothing is written. Inside a unit of work of a
   * JDBC store (a journey step's) the cancel is written with the unit's others just before it
   * commits, and the answer is false (see {@code JdbcCalendarStore#cancelPlanned}).
   *
   * @return true if an entry was cancelled
   */
  public boolean cancelPlan(TenantId tenant, String id, long seq) {
    tenant(tenant);
    return store.cancelPlanned(tenant, id(id), seq);
  }

  /**
   * Erases the entry {@code written} that version {@code seq} of its plan wrote (see {@link
   * #plan}), without the calendar's lock: for a plan whose subject was erased after the plan was
   * read. Only that write goes: an entry written since (by a later plan, by a plan of the same seq
   * with other values, by a cancel or a send) is left alone (see {@link
   * CalendarStore#erasePlanned}).
   *
   * @return true if the entry was erased
   * @throws InvalidCalendarException if {@code written} is no valid SCHEDULED communication or
   *     {@code seq} is negative (nothing written)
   */
  public boolean erasePlan(CalendarEntry written, long seq) {
    return store.erasePlanned(schedulable(written), seq);
  }

  /**
   * Deletes the tenant's entry of this id if it names {@code contact}, whatever its status: for one
   * record of a contact written after its erasure once the contact is back (see {@link
   * CalendarStore#eraseEntry}).
   *
   * @return true if an entry was deleted
   */
  public boolean eraseEntry(TenantId tenant, ContactId contact, String id) {
    tenant(tenant);
    if (contact == null) {
      throw new InvalidCalendarException("contact must not be null");
    }
    return store.eraseEntry(tenant, contact, id(id));
  }

  // ---- recording ----------------------------------------------------------------------------

  /**
   * Records a complaint (a spam report) of the tenant's contact, or of the account when {@code
   * contact} is null. The id is derived from who and when, so the same complaint recorded twice is
   * stored once.
   */
  public CalendarEntry recordComplaint(
      TenantId tenant, AccountId account, ContactId contact, Instant at) {
    tenant(tenant);
    if (account == null) {
      throw new InvalidCalendarException("account must not be null");
    }
    if (at == null) {
      throw new InvalidCalendarException("at must not be null");
    }
    String id = complaintId(account, contact, at);
    CalendarEntry complaint =
        CalendarEntry.of(
            tenant,
            id,
            Type.COMPLAINT,
            Status.SENT,
            account,
            contact,
            null,
            null,
            null,
            null,
            null,
            at);
    store.put(complaint);
    log.debug(
        "complaint recorded for tenant {} account {} contact {} at {}",
        tenant,
        account,
        contact,
        at);
    return complaint;
  }

  /**
   * The id of a complaint: a hash of who and when, so it has the same 74 characters whatever the
   * ids' lengths (two ids of up to 200 characters and an instant would not fit any store's id), and
   * the same complaint always gets the same id. Ids are unique within a tenant, so the tenant is no
   * part of it. The parts are length-prefixed, so no two different (account, contact, instant)
   * triples hash the same input.
   */
  static String complaintId(AccountId account, ContactId contact, Instant at) {
    String who = contact == null ? "" : contact.value();
    String input =
        account.value().length()
            + ":"
            + account.value()
            + (contact == null ? "-" : who.length() + ":" + who)
            + at;
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
      return "complaint:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Records a message the pipeline scheduled or sent, dated now (see the three-argument form). */
  public CalendarEntry record(Message message, Status status) {
    return record(message, status, clock.instant());
  }

  /**
   * Records a message the pipeline scheduled or sent, without conflict checks (the pipeline already
   * decided). The entry's id is the message id; a SENT entry is never set back to SCHEDULED. It is
   * one row-level write ({@link CalendarStore#putUnlessSent}) without the calendar's lock, so a
   * {@link #scheduleIfClear} of the same account or contact at the same moment may not see it.
   */
  public CalendarEntry record(Message message, Status status, Instant at) {
    if (message == null) {
      throw new InvalidCalendarException("message must not be null");
    }
    checkRecord(status, at);
    CalendarEntry entry = recorded(message, status, at);
    // no lock: no rule checks a record, so one row-level write that never undoes a SENT entry
    if (store.putUnlessSent(entry)) {
      return entry;
    }
    return store.find(entry.tenant(), entry.id()).orElse(entry);
  }

  /**
   * Records each message as {@link #record(Message, Status, Instant)} does, with one status and
   * instant for all, in as few writes as the store can make ({@link
   * CalendarStore#putAllUnlessSent}): how a batch of sends is recorded. A message whose entry is
   * SENT already keeps it.
   *
   * @return how many entries were written
   * @throws InvalidCalendarException if the list or a message is null, two messages have the same
   *     tenant and id, the status is neither SCHEDULED nor SENT, or {@code at} is null (nothing
   *     written)
   */
  public int recordAll(List<Message> messages, Status status, Instant at) {
    if (messages == null) {
      throw new InvalidCalendarException("messages must not be null");
    }
    checkRecord(status, at);
    List<CalendarEntry> entries = new ArrayList<>(messages.size());
    for (Message m : messages) {
      if (m == null) {
        throw new InvalidCalendarException("messages must not hold null");
      }
      entries.add(recorded(m, status, at));
    }
    return store.putAllUnlessSent(entries);
  }

  /**
   * Records a message as {@link #record(Message, Status, Instant)} does, only while the calendar
   * holds a SCHEDULED entry of it (how the send pipeline's listener moves a scheduled message), as
   * one guarded write without a read first ({@link CalendarStore#putIfScheduled}).
   */
  void recordIfScheduled(Message message, Status status, Instant at) {
    if (message == null) {
      throw new InvalidCalendarException("message must not be null");
    }
    checkRecord(status, at);
    if (store instanceof InMemoryCalendarStore memory
        && !memory.holdsScheduled(message.tenant(), message.id().value())) {
      // memstep: a store in memory tells at once that there is no SCHEDULED entry to write (a
      // step's send, every time): no entry is made and checked for a write that cannot happen. A
      // JDBC store's one guarded write stays without a read first
      return;
    }
    store.putIfScheduled(recorded(message, status, at));
  }

  /** The instant the calendar's clock reads now. */
  Instant now() {
    return clock.instant();
  }

  private static void checkRecord(Status status, Instant at) {
    if (status == null || status == Status.CANCELLED) {
      throw new InvalidCalendarException(
          "status must be SCHEDULED or SENT to record a message, was " + status);
    }
    if (at == null) {
      throw new InvalidCalendarException("at must not be null");
    }
  }

  /**
   * The entry that records {@code message} with this status at this instant. Its kind, channel,
   * team and category are the few values messages share: their Optionals are kept, not made for
   * every record (memstep).
   */
  private CalendarEntry recorded(Message message, Status status, Instant at) {
    return new CalendarEntry(
        message.tenant(),
        message.id().value(),
        Type.COMMUNICATION,
        status,
        message.account(),
        Optional.ofNullable(message.contact()),
        teams.of(message.source().team()),
        message.kind() == null ? Optional.empty() : KINDS.get(message.kind().ordinal()),
        categories.of(message.category()),
        message.channel() == null ? Optional.empty() : CHANNELS.get(message.channel().ordinal()),
        Optional.empty(),
        at);
  }

  private static final List<Optional<MessageKind>> KINDS =
      Arrays.stream(MessageKind.values()).map(Optional::of).toList();

  private static final List<Optional<Channel>> CHANNELS =
      Arrays.stream(Channel.values()).map(Optional::of).toList();

  // per calendar, not per process: no state is shared between Steward instances in one JVM
  private final Present teams = new Present();
  private final Present categories = new Present();

  /**
   * Optionals of strings lately seen, by the string's identity: a team or category is the same few
   * instances message after message (a journey step's source, its category). A slot holds one; a
   * race or a collision costs only an Optional made.
   */
  private static final class Present {
    private static final int SLOTS = 64;
    private final Held[] slots = new Held[SLOTS];

    private record Held(String value, Optional<String> present) {}

    /** {@code value} in an Optional; empty for null. */
    Optional<String> of(String value) {
      if (value == null) {
        return Optional.empty();
      }
      int i = System.identityHashCode(value) & (SLOTS - 1);
      Held h = slots[i];
      if (h == null || h.value() != value) {
        h = new Held(value, Optional.of(value));
        slots[i] = h;
      }
      return h.present();
    }
  }

  // ---- queries and erasure ------------------------------------------------------------------

  /** The tenant's entry with this id. */
  public Optional<CalendarEntry> find(TenantId tenant, String id) {
    tenant(tenant);
    if (id == null) {
      throw new InvalidCalendarException("id must not be null");
    }
    return store.find(tenant, id);
  }

  /**
   * Every entry of the tenant's account with {@code from <= at < to}, cancelled ones too, in time
   * order.
   */
  public List<CalendarEntry> forAccount(
      TenantId tenant, AccountId account, Instant from, Instant to) {
    tenant(tenant);
    if (account == null) {
      throw new InvalidCalendarException("account must not be null");
    }
    range(from, to);
    return store.forAccount(tenant, account, from, to);
  }

  /**
   * Every entry of the tenant's contact with {@code from <= at < to}, cancelled ones too, in time
   * order.
   */
  public List<CalendarEntry> forContact(
      TenantId tenant, ContactId contact, Instant from, Instant to) {
    tenant(tenant);
    if (contact == null) {
      throw new InvalidCalendarException("contact must not be null");
    }
    range(from, to);
    return store.forContact(tenant, contact, from, to);
  }

  /**
   * Deletes every entry of the tenant's contact (erasure); the number deleted. Fits an erasure
   * listener.
   */
  public int erase(TenantId tenant, ContactId contact) {
    tenant(tenant);
    if (contact == null) {
      throw new InvalidCalendarException("contact must not be null");
    }
    return store.eraseContact(tenant, contact);
  }

  /** Deletes every entry of the tenant; the number deleted. */
  public int eraseTenant(TenantId tenant) {
    tenant(tenant);
    return store.eraseTenant(tenant);
  }

  // ---- internals ----------------------------------------------------------------------------

  private static void tenant(TenantId tenant) {
    if (tenant == null) {
      throw new InvalidCalendarException("tenant must not be null");
    }
  }

  private static void range(Instant from, Instant to) {
    if (from == null || to == null) {
      throw new InvalidCalendarException("from and to must not be null");
    }
    if (!from.isBefore(to)) {
      throw new InvalidCalendarException("from " + from + " must be before to " + to);
    }
  }

  /** Validates a candidate communication and normalises its team to lower case. */
  private static CalendarEntry communication(CalendarEntry e) {
    if (e == null) {
      throw new InvalidCalendarException("entry must not be null");
    }
    if (e.type() != Type.COMMUNICATION) {
      throw new InvalidCalendarException(
          "entry '"
              + e.id()
              + "' type must be COMMUNICATION, was "
              + e.type()
              + " (record complaints with recordComplaint)");
    }
    // a COMMUNICATION always has a team (CalendarEntry requires it)
    String original = e.team().orElseThrow();
    String team = original.strip();
    if (team.isEmpty()) {
      throw new InvalidCalendarException("entry '" + e.id() + "' team must not be blank");
    }
    if (team.length() > MAX_TEAM_LENGTH) {
      throw new InvalidCalendarException(
          "entry '"
              + e.id()
              + "' team is "
              + team.length()
              + " characters; at most "
              + MAX_TEAM_LENGTH);
    }
    team = team.toLowerCase(Locale.ROOT);
    if (team.equals(original)) {
      return e;
    }
    return new CalendarEntry(
        e.tenant(),
        e.id(),
        e.type(),
        e.status(),
        e.account(),
        e.contact(),
        Optional.of(team),
        e.kind(),
        e.category(),
        e.channel(),
        e.campaign(),
        e.at());
  }

  private static CalendarEntry schedulable(CalendarEntry entry) {
    CalendarEntry e = communication(entry);
    if (e.status() != Status.SCHEDULED) {
      throw new InvalidCalendarException(
          "entry '" + e.id() + "' status must be SCHEDULED to schedule it, was " + e.status());
    }
    if (e.id().isBlank()) {
      throw new InvalidCalendarException("entry id must not be blank");
    }
    if (e.campaign().isPresent() && e.campaign().get().isBlank()) {
      throw new InvalidCalendarException("entry '" + e.id() + "' campaign must not be blank");
    }
    return e;
  }

  private static void checkNotDone(CalendarEntry e, Optional<CalendarEntry> current) {
    if (current.isPresent()) {
      CalendarEntry c = current.get();
      if (c.type() == Type.COMPLAINT || c.status() == Status.SENT) {
        throw new InvalidCalendarException(
            "entry '"
                + e.id()
                + "' already exists as a "
                + c.status()
                + " "
                + c.type()
                + "; use a new id");
      }
    }
  }

  private static String id(String id) {
    if (id == null) {
      throw new InvalidCalendarException("id must not be null");
    }
    return id;
  }

  /**
   * Runs {@code work} under the store's lock of the scopes of {@code next} (the entry to be
   * written, or null) and of the entry with this id as it stands, which {@code work} receives as
   * read under the lock. The entry's scopes are read before the lock is taken; if another instance
   * moved the entry to another account or contact meanwhile, the lock does not cover it, so the
   * attempt writes nothing and runs again with the new scopes.
   */
  private <R> R locked(
      TenantId tenant,
      String id,
      CalendarEntry next,
      BiFunction<Optional<CalendarEntry>, CalendarStore.LockedView, CalendarChange<R>> work) {
    return locked(tenant, id, next, null, null, work);
  }

  /** {@link #locked}, locking {@code account} and {@code contact} too when not null. */
  private <R> R locked(
      TenantId tenant,
      String id,
      CalendarEntry next,
      AccountId account,
      ContactId contact,
      BiFunction<Optional<CalendarEntry>, CalendarStore.LockedView, CalendarChange<R>> work) {
    for (int attempt = 1; ; attempt++) {
      Optional<CalendarEntry> seen = store.find(tenant, id);
      // at most three of each (the given one, next's and seen's): sized so (cpu14)
      Set<AccountId> accounts = new HashSet<>(4);
      Set<ContactId> contacts = new HashSet<>(4);
      if (account != null) {
        accounts.add(account);
      }
      if (contact != null) {
        contacts.add(contact);
      }
      for (CalendarEntry e : new CalendarEntry[] {next, seen.orElse(null)}) {
        if (e != null) {
          accounts.add(e.account());
          e.contact().ifPresent(contacts::add);
        }
      }
      if (accounts.isEmpty()) {
        // nothing to lock: no such entry, and none to write; work answers for the missing entry
        return work.apply(Optional.empty(), unlocked(tenant)).result();
      }
      Attempt<R> a =
          store.update(
              tenant,
              accounts,
              contacts,
              reads -> {
                Optional<CalendarEntry> current = reads.find(id);
                if (current.isPresent()
                    && (!accounts.contains(current.get().account())
                        || (current.get().contact().isPresent()
                            && !contacts.contains(current.get().contact().get())))) {
                  return CalendarChange.unchanged(new Attempt<R>(true, null));
                }
                CalendarChange<R> change = work.apply(current, reads);
                Attempt<R> done = new Attempt<>(false, change.result());
                return change.write().isPresent()
                    ? CalendarChange.write(done, change.write().get())
                    : CalendarChange.unchanged(done);
              });
      if (!a.moved()) {
        return a.result();
      }
      if (attempt >= MAX_MOVED_ATTEMPTS) {
        throw new IllegalStateException(
            "calendar entry '" + id + "' kept moving between accounts while being changed");
      }
    }
  }

  /** One run under the lock: its result, or that the entry had moved out of the locked scopes. */
  private record Attempt<R>(boolean moved, R result) {}

  /** The store's reads of a tenant without a lock: for checks that write nothing. */
  private CalendarStore.LockedView unlocked(TenantId tenant) {
    return new CalendarStore.LockedView() {
      @Override
      public Optional<CalendarEntry> find(String id) {
        return store.find(tenant, id);
      }

      @Override
      public List<CalendarEntry> forAccount(AccountId account, Instant from, Instant to) {
        return store.forAccount(tenant, account, from, to);
      }

      @Override
      public List<CalendarEntry> forContact(ContactId contact, Instant from, Instant to) {
        return store.forContact(tenant, contact, from, to);
      }
    };
  }

  private static CalendarEntry existing(Optional<CalendarEntry> current, String id) {
    CalendarEntry e =
        current.orElseThrow(
            () -> new InvalidCalendarException("no calendar entry with id '" + id + "'"));
    if (e.type() != Type.COMMUNICATION) {
      throw new InvalidCalendarException(
          "calendar entry '" + id + "' is a complaint, not a communication");
    }
    return e;
  }

  /**
   * The rules' view of the store: no cancelled entries, and not the candidate's earlier self. Each
   * account's and contact's entries are read once over the rules' widest {@link #reach} around the
   * candidate (and whatever a read asks beyond it), and every read within is served from that.
   */
  private final class StoreView implements ConflictRule.View {
    private final CalendarStore.LockedView reads;
    private final TenantId tenant;
    private final String candidateId;
    private final Instant candidateAt;
    // made on a rule's first read of each kind (memsend): most checks read one kind, or none
    private Map<AccountId, Fetched> accounts;
    private Map<ContactId, Fetched> contacts;

    StoreView(
        CalendarStore.LockedView reads, TenantId tenant, String candidateId, Instant candidateAt) {
      this.reads = reads;
      this.tenant = tenant;
      this.candidateId = candidateId;
      this.candidateAt = candidateAt;
    }

    @Override
    public List<CalendarEntry> forAccount(AccountId account, Instant from, Instant to) {
      if (accounts == null) {
        accounts = new HashMap<>();
      }
      return visible(
          fetch(accounts, account, from, to, (lo, hi) -> reads.forAccount(account, lo, hi)),
          from,
          to);
    }

    @Override
    public List<CalendarEntry> forContact(ContactId contact, Instant from, Instant to) {
      if (contacts == null) {
        contacts = new HashMap<>();
      }
      return visible(
          fetch(contacts, contact, from, to, (lo, hi) -> reads.forContact(contact, lo, hi)),
          from,
          to);
    }

    @Override
    public ZoneId zone(AccountId account, ContactId contact) {
      return Objects.requireNonNull(zones.zone(tenant, account, contact), "zones returned null");
    }

    /** The entries fetched for {@code key} over a window holding {@code [from, to)}. */
    private <K> List<CalendarEntry> fetch(
        Map<K, Fetched> fetched,
        K key,
        Instant from,
        Instant to,
        BiFunction<Instant, Instant, List<CalendarEntry>> read) {
      if (from == null || to == null) {
        return read.apply(from, to); // the store refuses it, naming the bound
      }
      Fetched f = fetched.get(key);
      if (f != null && !from.isBefore(f.from()) && !to.isAfter(f.to())) {
        return f.entries();
      }
      Instant lo = from;
      Instant hi = to;
      if (f != null) {
        lo = earlier(lo, f.from());
        hi = later(hi, f.to());
      } else if (reach.isPresent()) {
        lo = earlier(lo, shifted(candidateAt, reach.get().negated()));
        hi = later(hi, shifted(candidateAt, reach.get().plusSeconds(1)));
      }
      Fetched read2 = new Fetched(lo, hi, read.apply(lo, hi));
      fetched.put(key, read2);
      return read2.entries();
    }

    private List<CalendarEntry> visible(List<CalendarEntry> entries, Instant from, Instant to) {
      return entries.stream()
          .filter(e -> !e.at().isBefore(from) && e.at().isBefore(to))
          .filter(e -> e.status() != Status.CANCELLED)
          .filter(e -> !e.id().equals(candidateId))
          .toList();
    }
  }

  /** What a check read of one account or contact: every entry with {@code from <= at < to}. */
  private record Fetched(Instant from, Instant to, List<CalendarEntry> entries) {}

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** {@code at + by}, held within Instant's range. */
  private static Instant shifted(Instant at, Duration by) {
    try {
      return at.plus(by);
    } catch (java.time.DateTimeException | ArithmeticException e) {
      return by.isNegative() ? Instant.MIN : Instant.MAX;
    }
  }

  /**
   * What {@link #scheduleIfClear} did.
   *
   * @param entry the entry as it was (or would have been) stored
   * @param scheduled true when it was stored
   * @param conflicts why it was not; empty when scheduled
   */
  public record ScheduleResult(
      CalendarEntry entry, boolean scheduled, List<CalendarConflict> conflicts) {
    public ScheduleResult {
      Objects.requireNonNull(entry, "entry");
      conflicts = List.copyOf(conflicts);
    }
  }

  /** Configures a {@link CommunicationCalendar}. */
  public static final class Builder {
    private final CalendarStore store;
    private final Clock clock;
    private ConflictRule.Zones zones = ConflictRule.Zones.UTC;
    private final List<ConflictRule> rules = new ArrayList<>();

    private Builder(CalendarStore store, Clock clock) {
      this.store = CalendarChecks.notNull(store, "store");
      this.clock = CalendarChecks.notNull(clock, "clock");
    }

    /**
     * Where contacts' and accounts' time zones come from; default {@link ConflictRule.Zones#UTC}.
     */
    public Builder zones(ConflictRule.Zones zones) {
      this.zones = CalendarChecks.notNull(zones, "zones");
      return this;
    }

    /** Adds a conflict rule; rules are checked in the order added. */
    public Builder rule(ConflictRule rule) {
      if (rule == null) {
        throw new InvalidCalendarException("rule must not be null");
      }
      for (ConflictRule r : rules) {
        if (r.id().equals(rule.id())) {
          throw new InvalidCalendarException("rule '" + rule.id() + "' was already added");
        }
      }
      rules.add(rule);
      return this;
    }

    public CommunicationCalendar build() {
      return new CommunicationCalendar(this);
    }
  }
}
