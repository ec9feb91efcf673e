package dev.steward.calendar;

import java.util.List;
import java.util.Objects;

/**
 * Why a candidate entry would clash with the calendar: the rule, the entries it clashes with, and a
 * sentence a person can read.
 *
 * @param rule the rule's id, as {@link ConflictRule#id()} gives it
 * @param entries the existing entries (communications or complaints) the candidate clashes with, in
 *     time order
 * @param detail a sentence naming who, when and what the rule allows
 */
public record CalendarConflict(String rule, List<CalendarEntry> entries, String detail) {
  public CalendarConflict {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(detail, "detail");
    entries = List.copyOf(entries);
  }

  /** The ids of the entries the candidate clashes with. */
  public List<String> entryIds() {
    return entries.stream().map(CalendarEntry::id).toList();
  }

  @Override
  public String toString() {
    return rule + ": " + detail;
  }
}
