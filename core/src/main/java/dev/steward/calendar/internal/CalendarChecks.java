package dev.steward.calendar.internal;

import dev.steward.calendar.CalendarChange;
import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CalendarStore;
import dev.steward.calendar.InvalidCalendarException;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * The argument checks every {@link CalendarStore} makes before anything else, so that the in-memory
 * and the JDBC stores refuse the same inputs with an {@link InvalidCalendarException} naming the
 * argument. Entries need no check beyond non-null: {@link CalendarEntry} holds only storable
 * values.
 */
public final class CalendarChecks {
  private CalendarChecks() {}

  /** Fails unless {@code value} is non-null. */
  public static <T> T notNull(T value, String argument) {
    if (value == null) {
      throw new InvalidCalendarException(argument + " must not be null");
    }
    return value;
  }

  /** Fails unless {@code id} could be an entry's id. */
  public static String id(String id) {
    String problem = StoreLimits.textProblem(id, StoreLimits.MAX_ID_LENGTH);
    if (problem != null) {
      throw new InvalidCalendarException("id " + problem);
    }
    return id;
  }

  /**
   * Fails unless {@code entries} is a list with no null entry and no two entries of the same tenant
   * and id: what a set-based write of entries takes.
   */
  public static java.util.List<CalendarEntry> distinct(java.util.List<CalendarEntry> entries) {
    notNull(entries, "entries");
    java.util.Set<java.util.List<String>> seen = new java.util.HashSet<>();
    for (CalendarEntry e : entries) {
      if (e == null) {
        throw new InvalidCalendarException("entries must not hold null");
      }
      if (!seen.add(java.util.List.of(e.tenant().value(), e.id()))) {
        throw new InvalidCalendarException(
            "entries hold entry '" + e.id() + "' of tenant " + e.tenant() + " twice");
      }
    }
    return entries;
  }

  /**
   * Fails unless an update's scopes are sets with no null that name at least one account or
   * contact, and its change is non-null.
   */
  public static void update(
      TenantId tenant,
      Collection<AccountId> accounts,
      Collection<ContactId> contacts,
      Object change) {
    notNull(tenant, "tenant");
    notNull(accounts, "accounts");
    notNull(contacts, "contacts");
    notNull(change, "change");
    // cpu14: loops, not streams: this runs on every calendar write of every journey step
    for (AccountId a : accounts) {
      if (a == null) {
        throw new InvalidCalendarException("accounts must not hold null");
      }
    }
    for (ContactId c : contacts) {
      if (c == null) {
        throw new InvalidCalendarException("contacts must not hold null");
      }
    }
    if (accounts.isEmpty() && contacts.isEmpty()) {
      throw new InvalidCalendarException(
          "accounts and contacts must name at least one scope to lock");
    }
  }

  /**
   * Fails unless a change's answer is non-null and writes, if anything, an entry of the tenant
   * whose account and contact were locked; the answer.
   */
  public static <R> CalendarChange<R> change(
      CalendarChange<R> change,
      TenantId tenant,
      Collection<AccountId> accounts,
      Collection<ContactId> contacts) {
    if (change == null) {
      throw new InvalidCalendarException("change returned null");
    }
    Optional<CalendarEntry> write = change.write();
    if (write.isPresent()) {
      CalendarEntry e = write.get();
      if (!e.tenant().equals(tenant)) {
        throw new InvalidCalendarException(
            "change wrote entry '"
                + e.id()
                + "' of tenant "
                + e.tenant()
                + " under a lock of tenant "
                + tenant);
      }
      if (!accounts.contains(e.account())
          || (e.contact().isPresent() && !contacts.contains(e.contact().get()))) {
        throw new InvalidCalendarException(
            "change wrote entry '"
                + e.id()
                + "' outside the locked scopes: its account and contact must be locked");
      }
    }
    return change;
  }

  /**
   * Fails unless a planned entry is non-null, a SCHEDULED communication with a storable id, and its
   * plan's sequence number is not negative.
   */
  public static CalendarEntry planned(CalendarEntry entry, long seq) {
    notNull(entry, "entry");
    // its id is storable: CalendarEntry refuses any other (memstep: not checked again here)
    if (entry.type() != CalendarEntry.Type.COMMUNICATION
        || entry.status() != CalendarEntry.Status.SCHEDULED) {
      throw new InvalidCalendarException(
          "planned entry '"
              + entry.id()
              + "' must be a SCHEDULED COMMUNICATION, was "
              + entry.status()
              + " "
              + entry.type());
    }
    seq(seq);
    return entry;
  }

  /** Fails unless a plan's sequence number is not negative. */
  public static long seq(long seq) {
    if (seq < 0) {
      throw new InvalidCalendarException("seq must not be negative, was " + seq);
    }
    return seq;
  }

  /** Fails unless both bounds of a range query are non-null (any instant may bound a query). */
  public static void range(Instant from, Instant to) {
    notNull(from, "from");
    notNull(to, "to");
  }
}
