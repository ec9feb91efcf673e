package dev.steward.calendar;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.StoreLimits;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Store of calendar entries, queried by account or contact over a time range. Every implementation
 * refuses the same bad arguments the same way: call {@link Checks} first.
 */
public interface CalendarStore {

  /** Adds the entry, or replaces the one with the same id. */
  void put(CalendarEntry entry);

  /** The entry with this id. */
  Optional<CalendarEntry> find(String id);

  /** The entries of an account with {@code from <= at < to}, in time order. */
  List<CalendarEntry> forAccount(AccountId account, Instant from, Instant to);

  /** The entries of a contact with {@code from <= at < to}, in time order. */
  List<CalendarEntry> forContact(ContactId contact, Instant from, Instant to);

  /** Deletes every entry of a contact (erasure); the number deleted. */
  int eraseContact(ContactId contact);

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
