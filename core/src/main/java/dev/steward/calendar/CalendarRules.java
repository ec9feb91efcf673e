package dev.steward.calendar;

import dev.steward.model.MessageKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Helpers of the built-in rules. */
final class CalendarRules {
  private CalendarRules() {}

  static void notNull(Object value, String rule, String field) {
    if (value == null) {
      throw new InvalidCalendarException(rule + ": " + field + " must not be null");
    }
  }

  static void positive(Duration d, String rule, String field) {
    notNull(d, rule, field);
    if (d.isZero() || d.isNegative()) {
      throw new InvalidCalendarException(rule + ": " + field + " must be positive, was " + d);
    }
  }

  static Set<MessageKind> kinds(Set<MessageKind> kinds, String rule) {
    notNull(kinds, rule, "kinds");
    if (kinds.isEmpty() || kinds.stream().anyMatch(k -> k == null)) {
      throw new InvalidCalendarException(rule + ": kinds must name at least one kind, and no null");
    }
    return Set.copyOf(kinds);
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The entries in range that reach the candidate's contact (its own and account-wide ones) when
   * {@code perContact}, else every entry of the candidate's account; in time order.
   */
  static List<CalendarEntry> reaching(
      CalendarEntry candidate,
      boolean perContact,
      ConflictRule.View view,
      Instant from,
      Instant to) {
    if (!perContact) {
      return view.forAccount(candidate.account(), from, to);
    }
    Set<CalendarEntry> all =
        new LinkedHashSet<>(view.forContact(candidate.contact().orElse(null), from, to));
    for (CalendarEntry e : view.forAccount(candidate.account(), from, to)) {
      if (e.contact().isEmpty()) {
        all.add(e);
      }
    }
    return all.stream()
        .sorted(Comparator.comparing(CalendarEntry::at).thenComparing(CalendarEntry::id))
        .toList();
  }
}
