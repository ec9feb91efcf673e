package dev.steward.journey;

import java.time.LocalTime;
import java.util.List;

/**
 * What enrols a contact in a journey, as data. The scheduler enrols on {@link
 * JourneyScheduler#enrol}; the triggers say which causes the journey is meant for, so that the
 * parts that watch events, dates and segments can act on them.
 */
public sealed interface EntryTrigger {

  /** Enrolled by hand (an API call, a CSM's click). */
  record Manual() implements EntryTrigger {}

  /** Enrolled when the named event happens to the contact ("account-onboarded"). */
  record OnEvent(String event) implements EntryTrigger {
    public OnEvent {
      if (event == null || event.isBlank()) {
        throw new InvalidJourneyException("an event trigger must name its event");
      }
    }
  }

  /**
   * Enrolled at offsets from a date attribute of the contact (renewal at -90, -60, -30 days), at
   * {@code time} in the contact's zone.
   */
  record OnDate(String attribute, List<Integer> offsetsDays, LocalTime time)
      implements EntryTrigger {
    public OnDate {
      if (attribute == null || attribute.isBlank()) {
        throw new InvalidJourneyException("a date trigger must name its attribute");
      }
      if (offsetsDays == null || offsetsDays.isEmpty()) {
        throw new InvalidJourneyException("the date trigger on '" + attribute + "' has no offset");
      }
      for (Integer d : offsetsDays) {
        if (d == null || Math.abs((long) d) > Step.MAX_OFFSET_DAYS) {
          throw new InvalidJourneyException(
              "the date trigger on '"
                  + attribute
                  + "' has the offset "
                  + d
                  + " days; offsets lie within "
                  + Step.MAX_OFFSET_DAYS
                  + " days of the date");
        }
      }
      offsetsDays = List.copyOf(offsetsDays);
      time = time == null ? LocalTime.of(9, 0) : time;
    }
  }

  /**
   * Enrolled when the contact enters a segment: when its attributes come to satisfy the condition.
   */
  record InSegment(Condition when) implements EntryTrigger {
    public InSegment {
      InvalidJourneyException.requireNonNull(when, "the condition of a segment trigger");
    }
  }
}
