package dev.steward.journey;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.util.List;
import java.util.Optional;

/**
 * What enrols a contact in a journey, as data. The scheduler enrols on {@link
 * JourneyScheduler#enrol}; the triggers say which causes the journey is meant for, so that the
 * parts that watch events, dates and segments can act on them.
 */
public sealed interface EntryTrigger {

  /** Enrolled by hand (an API call, a CSM's click). */
  record Manual() implements EntryTrigger {}

  /**
   * Enrolled when the named event happens to the contact ("account-onboarded"); a provider event is
   * named {@code email.} and its type ({@code email.bounce}, see {@link ContactEvent}).
   */
  record OnEvent(String event) implements EntryTrigger {
    public OnEvent {
      if (event == null || event.isBlank()) {
        throw new InvalidJourneyException("an event trigger must name its event");
      }
      ContactEvent.checkName(event); // an unknown provider event type is refused
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
   * Enrolled when the contact enters a segment: when its attributes and events come to satisfy the
   * predicate, not again while they go on satisfying it (see {@link JourneyTriggers}).
   */
  record InSegment(Segment when) implements EntryTrigger {
    public InSegment {
      InvalidJourneyException.requireNonNull(when, "the predicate of a segment trigger");
    }

    /** A segment of the contacts whose attributes satisfy {@code when}. */
    public InSegment(Condition when) {
      this(Segment.where(InvalidJourneyException.requireNonNull(when, "segment condition")));
    }
  }

  /**
   * Enrolled on a recurring schedule (quarterly NPS, a monthly value report): on {@code anchor} and
   * every {@code every} after it, at {@code time} in the contact's zone, if the contact's
   * attributes satisfy {@code when}. A day of the month the month lacks falls on its last day.
   */
  record OnSchedule(Period every, LocalDate anchor, LocalTime time, Optional<Condition> when)
      implements EntryTrigger {
    /** The latest first date: a day before the last storable instant, in any zone. */
    static final LocalDate LAST_ANCHOR =
        LocalDate.ofInstant(dev.steward.model.StoreLimits.MAX_INSTANT, java.time.ZoneOffset.UTC)
            .minusDays(1);

    public OnSchedule {
      InvalidJourneyException.requireNonNull(every, "period of a recurring trigger");
      if (every.isNegative()
          || every.isZero()
          || every.toTotalMonths() > 120
          || every.getDays() > Step.MAX_OFFSET_DAYS
          || (every.toTotalMonths() != 0 && every.getDays() != 0)) {
        throw new InvalidJourneyException(
            "a recurring trigger every "
                + every
                + ": use whole days (P7D, at most "
                + Step.MAX_OFFSET_DAYS
                + ") or whole months (P1M, P3M, at most P10Y)");
      }
      InvalidJourneyException.requireNonNull(anchor, "first date of a recurring trigger");
      time = time == null ? LocalTime.of(9, 0) : time;
      // review14t: an anchor after the last storable day could never fire; its timers were
      // refused by the work store on every evaluation of every contact instead
      if (anchor.isAfter(LAST_ANCHOR)) {
        throw new InvalidJourneyException(
            "a recurring trigger every "
                + every
                + " from "
                + anchor
                + ": the first date must be at most "
                + LAST_ANCHOR
                + ", the last day a due time can be stored");
      }
      when = when == null ? Optional.empty() : when;
    }
  }

  /**
   * Enrolled when the health score of the contact's account enters band {@code to} ("dropped to
   * red"), from band {@code from} if given (see {@code dev.steward.health.HealthListener}).
   */
  record OnHealthBand(String to, Optional<String> from) implements EntryTrigger {
    public OnHealthBand {
      if (to == null || to.isBlank()) {
        throw new InvalidJourneyException("a health trigger must name the band entered");
      }
      ContactProfile.checkAttribute(to, "band of a health trigger");
      from = from == null ? Optional.empty() : from;
      from.ifPresent(f -> ContactProfile.checkAttribute(f, "band left of a health trigger"));
    }
  }
}
