package dev.steward.calendar;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** A {@link CalendarStore} in memory, for one process and for tests. Thread-safe. */
public final class InMemoryCalendarStore implements CalendarStore {

  private static final Comparator<CalendarEntry> BY_TIME =
      Comparator.comparing(CalendarEntry::at).thenComparing(CalendarEntry::id);

  private final Map<String, CalendarEntry> entries = new HashMap<>();

  @Override
  public synchronized void put(CalendarEntry entry) {
    Checks.notNull(entry, "entry");
    entries.put(entry.id(), entry);
  }

  @Override
  public synchronized Optional<CalendarEntry> find(String id) {
    Checks.id(id);
    return Optional.ofNullable(entries.get(id));
  }

  @Override
  public List<CalendarEntry> forAccount(AccountId account, Instant from, Instant to) {
    Checks.notNull(account, "account");
    Checks.range(from, to);
    return select(e -> e.account().equals(account), from, to);
  }

  @Override
  public List<CalendarEntry> forContact(ContactId contact, Instant from, Instant to) {
    Checks.notNull(contact, "contact");
    Checks.range(from, to);
    return select(e -> contact.equals(e.contact()), from, to);
  }

  @Override
  public synchronized int eraseContact(ContactId contact) {
    Checks.notNull(contact, "contact");
    int before = entries.size();
    entries.values().removeIf(e -> contact.equals(e.contact()));
    return before - entries.size();
  }

  private synchronized List<CalendarEntry> select(
      Predicate<CalendarEntry> who, Instant from, Instant to) {
    return entries.values().stream()
        .filter(who)
        .filter(e -> !e.at().isBefore(from) && e.at().isBefore(to))
        .sorted(BY_TIME)
        .toList();
  }
}
