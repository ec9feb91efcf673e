package dev.steward.journey;

import dev.steward.model.ContactId;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Durable state of journeys: contact profiles, enrolments and their histories, every key scoped by
 * tenant. The scheduler's rules run in core; a store offers the few atomic primitives they need (an
 * enrolment checked against re-entry and concurrency under one lock per contact; a change of an
 * enrolment applied only if nobody changed it since).
 *
 * <p>Implementations: {@link InMemoryJourneyStore}, and {@code dev.steward.jdbc.JdbcJourneyStore}
 * for H2 and PostgreSQL. All pass one contract suite and refuse the same inputs with {@link
 * InvalidJourneyException}.
 */
public interface JourneyStore {

  /** Stores a contact's profile, replacing any earlier one. */
  void putContact(ContactProfile profile);

  /** A contact's profile. */
  Optional<ContactProfile> contact(TenantId tenant, ContactId contact);

  /**
   * Profiles of all tenants in the order of tenant and contact ids (compared as strings), those
   * after the tenant and contact of {@code after} only, at most {@code max}: pages for the
   * scheduled re-evaluation of entry triggers, which must see every contact, not only those a
   * trigger has seen before (a journey registered after its contacts were put).
   *
   * @throws InvalidJourneyException if {@code max} is under 1
   */
  List<ContactProfile> contacts(Optional<ContactProfile> after, int max);

  /**
   * Sets an attribute of a contact, or removes it when {@code value} is empty; false if the contact
   * has no profile.
   */
  boolean setAttribute(TenantId tenant, ContactId contact, String name, Optional<String> value);

  /**
   * Stores a new enrolment (seq 0) and its ENTERED history entry, atomically checked, per contact,
   * against: an enrolment of the same id ({@code ALREADY_ENROLLED}, nothing written); an active
   * (ACTIVE or WAITING) enrolment of the contact in the same journey, any version ({@code
   * ALREADY_ACTIVE}); the re-entry rule against the contact's last entry into the journey, judged
   * at the enrolment's entry time ({@code RE_ENTRY_REFUSED}); and {@code maxActive} active
   * enrolments of the contact in all journeys ({@code TOO_MANY_JOURNEYS}). Decided by {@link
   * EnrolResult#refusal}, so that every store decides alike.
   *
   * @throws InvalidJourneyException if the contact has no profile, or the enrolment is not new
   */
  EnrolResult enrol(Enrolment enrolment, ReEntry reEntry, int maxActive);

  /** An enrolment by id. */
  Optional<Enrolment> find(TenantId tenant, String enrolmentId);

  /**
   * The enrolments of {@code tenant} among {@code enrolmentIds}, by id (an unknown id has no
   * entry): what a batch of step runs reads in one go. The default finds them one by one; the
   * stores read them in one round trip (the JDBC store one statement per few hundred ids).
   *
   * @throws InvalidJourneyException if the tenant, the ids or one of them is null
   */
  default java.util.Map<String, Enrolment> findAll(
      TenantId tenant, java.util.Collection<String> enrolmentIds) {
    StoreChecks.keys(tenant, enrolmentIds, "enrolment ids");
    java.util.Map<String, Enrolment> out = new java.util.HashMap<>();
    for (String id : enrolmentIds) {
      find(tenant, id).ifPresent(e -> out.put(id, e));
    }
    return out;
  }

  /**
   * The profiles of {@code tenant}'s contacts among {@code contacts}, by contact (one without a
   * profile has no entry): what a batch of step runs reads in one go. The default reads them one by
   * one; the stores read them in one round trip (the JDBC store one statement per few hundred).
   *
   * @throws InvalidJourneyException if the tenant, the contacts or one of them is null
   */
  default java.util.Map<ContactId, ContactProfile> contacts(
      TenantId tenant, java.util.Collection<ContactId> contacts) {
    StoreChecks.keys(tenant, contacts, "contacts");
    java.util.Map<ContactId, ContactProfile> out = new java.util.HashMap<>();
    for (ContactId c : contacts) {
      contact(tenant, c).ifPresent(p -> out.put(c, p));
    }
    return out;
  }

  /** A contact's enrolments, earliest entered first. */
  List<Enrolment> enrolments(TenantId tenant, ContactId contact);

  /**
   * Replaces an enrolment by {@code next} and appends {@code entry} (whose seq is {@code
   * next.seq()}), only if the stored enrolment's seq is {@code next.seq() - 1} and it is not
   * finished; true if applied (its version too: a {@link JourneyMigration} moves it). A change of a
   * send step ({@link StepOutcome#ofSend}) forgets, in the same transaction, the signals remembered
   * for the enrolment's messages other than {@code next.lastMessage()}: every wait asks about the
   * last message only, so that a journey that loops through a send keeps the signals of one
   * message, not of every message it ever sent.
   */
  boolean advance(Enrolment next, HistoryEntry entry);

  /**
   * One change {@link #advanceAll} applies: an enrolment's next state and its history entry, as
   * {@link #advance} takes them.
   *
   * @param next the enrolment as it becomes
   * @param entry its history entry, of seq {@code next.seq()}
   */
  record Advance(Enrolment next, HistoryEntry entry) {
    /**
     * Checks the change as {@link #advance} does.
     *
     * @throws InvalidJourneyException if either is null, or their seqs differ or are under 1
     */
    public Advance {
      EnrolResult.checkAdvance(next, entry);
    }
  }

  /**
   * Applies each change as {@link #advance} would, all at once where the store can: which were
   * applied, in their order. A change not applied (the enrolment changed meanwhile, or is gone) is
   * no failure; the caller re-reads it. The default advances them one by one; the JDBC store makes
   * one compare-and-set UPDATE and one history INSERT per few hundred changes. Inside {@link
   * #together} they commit with the unit.
   *
   * @throws InvalidJourneyException if the list or one of its changes is null, or two change the
   *     same enrolment (nothing is written then)
   */
  default List<Boolean> advanceAll(List<Advance> changes) {
    StoreChecks.advances(changes);
    List<Boolean> out = new java.util.ArrayList<>(changes.size());
    for (Advance a : changes) {
      out.add(advance(a.next(), a.entry()));
    }
    return out;
  }

  /** An enrolment's history, in order; empty for an unknown one. */
  List<HistoryEntry> history(TenantId tenant, String enrolmentId);

  /**
   * Unfinished enrolments due before {@code before} (WAITING ones by their timeout), across
   * tenants, in the order of due time, then enrolment id, then tenant id; only those after {@code
   * after} in that order (a keyset: the last enrolment of the previous page, as that page returned
   * it), at most {@code max}. For a sweep that finds enrolments whose work item was lost: it pages
   * on past enrolments it can do nothing for, so they never hide the ones behind them.
   */
  List<Enrolment> dueBefore(Instant before, Optional<Enrolment> after, int max);

  /**
   * Remembers an open or click of a message that an unfinished enrolment sent, the first of its
   * event for the message only, so that a wait for it that begins later is satisfied by it. False
   * if one was known already, or the enrolment is unknown or finished. Written under the
   * enrolment's lock, so that an erasure of the contact never leaves one behind; forgotten when the
   * enrolment finishes ({@link #advance} to a finished state) or sends another message.
   */
  boolean recordSignal(MessageSignal signal);

  /** The signals remembered for a message of an enrolment, earliest first; empty if none. */
  List<MessageSignal> signals(TenantId tenant, String enrolmentId, MessageId message);

  /** Forgets a contact: profile, enrolments and histories; how many enrolments. */
  int eraseContact(TenantId tenant, ContactId contact);

  /** Forgets a tenant: every profile, enrolment and history; how many enrolments. */
  int eraseTenant(TenantId tenant);

  /**
   * Runs {@code writes}, the writes of a step after its send (this store's change of the enrolment,
   * and the analytics' and the calendar's), as one unit where the store can: the JDBC store on
   * PostgreSQL runs them in one transaction that the JDBC stores on its data source join, committed
   * once, and runs them again each alone if that fails, so they must be safe to run twice (a
   * compare-and-set and idempotent writes). The default, and the in-memory and H2 stores, just run
   * them.
   */
  default <T> T together(java.util.function.Supplier<T> writes) {
    return writes.get();
  }

  /**
   * Whether the enrolment as {@code e} stands was written by this store in the unit of {@link
   * #together} open on this thread, which holds it against every other writer until the unit
   * commits: no other change or erasure of it can run before then, and a read of it in the unit
   * answers {@code e}. The default, and the in-memory and H2 stores (which hold nothing): false.
   */
  default boolean holdsInUnit(Enrolment e) {
    return false;
  }

  /**
   * The sequence number of the tenant's enrolment of this id as it stands; empty if there is none.
   * What {@link #find} answers of its seq, for a caller that needs no more of it (the calendar's
   * check that an enrolment did not change under its write). The default finds the enrolment.
   */
  default OptionalInt seqOf(TenantId tenant, String enrolmentId) {
    Optional<Enrolment> e = find(tenant, enrolmentId);
    return e.isEmpty() ? OptionalInt.empty() : OptionalInt.of(e.get().seq());
  }
}
