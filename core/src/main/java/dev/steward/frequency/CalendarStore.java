package dev.steward.frequency;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Store of calendar entries, queried by account or contact over a time range. */
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
}
