package dev.steward.calendar;

import dev.steward.StewardException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@link CommunicationCalendar#schedule} refused an entry because it conflicts; nothing was stored.
 */
public class CalendarConflictException extends StewardException {
  private static final long serialVersionUID = 1L;

  // transient: conflicts hold entries, which are not serialisable; the message keeps the sentences
  private final transient List<CalendarConflict> conflicts;

  public CalendarConflictException(CalendarEntry entry, List<CalendarConflict> conflicts) {
    super(
        "calendar entry '"
            + entry.id()
            + "' conflicts: "
            + conflicts.stream().map(CalendarConflict::toString).collect(Collectors.joining("; ")));
    this.conflicts = List.copyOf(conflicts);
  }

  /** The conflicts, each with its rule, the entries it conflicts with and a sentence. */
  public List<CalendarConflict> conflicts() {
    return conflicts == null ? List.of() : conflicts;
  }
}
