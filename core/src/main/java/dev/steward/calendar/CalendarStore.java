package dev.steward.calendar;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Store of calendar entries, queried by account or contact over a time range. Everything is scoped
 * by tenant: an entry is keyed by its tenant and id, and the same account or contact id under two
 * tenants is two different subjects that no read, write or erasure ever mixes. Every implementation
 * refuses the same bad arguments the same way: call {@link Checks} first.
 */
public interface CalendarStore {

  /** Adds the entry, or replaces the one of the same tenant with the same id. */
  void put(CalendarEntry entry);

  /** The tenant's entry with this id. */
  Optional<CalendarEntry> find(TenantId tenant, String id);

  /** The entries of the tenant's account with {@code from <= at < to}, in time order. */
  List<CalendarEntry> forAccount(TenantId tenant, AccountId account, Instant from, Instant to);

  /** The entries of the tenant's contact with {@code from <= at < to}, in time order. */
  List<CalendarEntry> forContact(TenantId tenant, ContactId contact, Instant from, Instant to);

  /** Deletes every entry of the tenant's contact (erasure); the number deleted. Idempotent. */
  int eraseContact(TenantId tenant, ContactId contact);

  /** Deletes everything the store holds for the tenant; the number of entries deleted. */
  int eraseTenant(TenantId tenant);

  /**
   * The argument checks every {@link CalendarStore} makes before anything else, so that the
   * in-memory and the JDBC stores refuse the same inputs with an {@link InvalidCalendarException}
   * naming the argument. Entries need no check beyond non-null: {@link CalendarEntry} holds only
   * storable values.
   */
  final class Checks {
    private Checks() {}

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

    /** Fails unless both bounds of a range query are non-null (any instant may bound a query). */
    public static void range(Instant from, Instant to) {
      notNull(from, "from");
      notNull(to, "to");
    }
  }
}
