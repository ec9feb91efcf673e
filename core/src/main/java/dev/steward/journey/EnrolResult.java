package dev.steward.journey;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The answer to an enrolment request.
 *
 * @param enrolment the new enrolment (ENROLLED) or the existing one of the same id
 *     (ALREADY_ENROLLED)
 * @param reason why not, for a refusal
 */
public record EnrolResult(Status status, Optional<Enrolment> enrolment, String reason) {
  /** The possible answers. */
  public enum Status {
    /** Enrolled now. */
    ENROLLED,
    /** An enrolment of the same id exists (a re-run of the same request). */
    ALREADY_ENROLLED,
    /** The contact is active in the journey already. */
    ALREADY_ACTIVE,
    /** The journey's re-entry rule refuses another entry. */
    RE_ENTRY_REFUSED,
    /** The contact is in as many journeys at once as allowed. */
    TOO_MANY_JOURNEYS
  }

  public EnrolResult {
    InvalidJourneyException.requireNonNull(status, "status");
    enrolment = enrolment == null ? Optional.empty() : enrolment;
    reason = reason == null ? "" : reason;
  }

  /**
   * The rule every {@link JourneyStore} applies under its per-contact lock: given the new enrolment
   * and all of the contact's enrolments (of every journey), the refusal, or empty to enrol. Stores
   * call it so that they all decide alike.
   */
  public static Optional<EnrolResult> refusal(
      Enrolment candidate, List<Enrolment> contactEnrolments, ReEntry reEntry, int maxActive) {
    return refusal(candidate, contactEnrolments, reEntry, maxActive, ZoneOffset.UTC);
  }

  /**
   * As {@link #refusal(Enrolment, List, ReEntry, int)}, counting the days of {@link
   * ReEntry.Rule#ONCE_PER_DAYS} in {@code zone} (the contact's): N days after an entry at 09:00
   * local is 09:00 local N days later, across a DST change (a weekly 09:00 schedule is 7 days less
   * an hour apart in spring). Stores pass the zone of the contact's profile, UTC without one.
   */
  public static Optional<EnrolResult> refusal(
      Enrolment candidate,
      List<Enrolment> contactEnrolments,
      ReEntry reEntry,
      int maxActive,
      ZoneId zone) {
    InvalidJourneyException.requireNonNull(zone, "zone");
    InvalidJourneyException.requireNonNull(candidate, "enrolment");
    InvalidJourneyException.requireNonNull(reEntry, "re-entry rule");
    if (maxActive < 1) {
      throw new InvalidJourneyException(
          "the most active journeys must be at least 1, was " + maxActive);
    }
    for (Enrolment e : contactEnrolments) {
      if (e.id().equals(candidate.id())) {
        return Optional.of(
            new EnrolResult(
                Status.ALREADY_ENROLLED, Optional.of(e), "enrolment " + e.id() + " exists"));
      }
    }
    Enrolment last = null;
    int active = 0;
    for (Enrolment e : contactEnrolments) {
      boolean isActive = !e.state().finished();
      if (isActive) {
        active++;
      }
      if (e.journey().equals(candidate.journey())) {
        if (isActive) {
          return Optional.of(
              new EnrolResult(
                  Status.ALREADY_ACTIVE,
                  Optional.of(e),
                  "the contact is in journey '"
                      + e.journey()
                      + "' already (enrolment "
                      + e.id()
                      + ")"));
        }
        if (last == null || e.enteredAt().isAfter(last.enteredAt())) {
          last = e;
        }
      }
    }
    if (last != null) {
      if (reEntry.rule() == ReEntry.Rule.ONCE_EVER) {
        return Optional.of(
            new EnrolResult(
                Status.RE_ENTRY_REFUSED,
                Optional.empty(),
                "journey '"
                    + candidate.journey()
                    + "' is entered once ever; entered at "
                    + last.enteredAt()));
      }
      if (reEntry.rule() == ReEntry.Rule.ONCE_PER_DAYS
          && againFrom(last.enteredAt(), reEntry.days(), zone).isAfter(candidate.enteredAt())) {
        return Optional.of(
            new EnrolResult(
                Status.RE_ENTRY_REFUSED,
                Optional.empty(),
                "journey '"
                    + candidate.journey()
                    + "' is entered once per "
                    + reEntry.days()
                    + " days; last entered at "
                    + last.enteredAt()));
      }
    }
    if (active >= maxActive) {
      return Optional.of(
          new EnrolResult(
              Status.TOO_MANY_JOURNEYS,
              Optional.empty(),
              "the contact is in " + active + " journeys; at most " + maxActive + " at once"));
    }
    return Optional.empty();
  }

  /**
   * When a contact last entered at {@code entered} may enter again: {@code days} later in {@code
   * zone}, the same local time (review14t: 24-hour days refused a weekly 09:00 entry after the
   * spring change); past the storable range, never.
   */
  private static Instant againFrom(Instant entered, int days, ZoneId zone) {
    try {
      return entered.atZone(zone).plusDays(days).toInstant();
    } catch (java.time.DateTimeException beyond) {
      return Instant.MAX;
    }
  }

  /** The history entry a store writes with a new enrolment. */
  public static HistoryEntry entered(Enrolment e) {
    return new HistoryEntry(
        0, e.step(), e.enteredAt(), StepOutcome.ENTERED, "version " + e.version());
  }

  /** Checks that {@code e} is a new enrolment: seq 0, ACTIVE, not finished. */
  public static void checkNew(Enrolment e) {
    InvalidJourneyException.requireNonNull(e, "enrolment");
    if (e.seq() != 0 || e.state() != EnrolmentState.ACTIVE) {
      throw new InvalidJourneyException(
          "a new enrolment has seq 0 and is ACTIVE; "
              + e.id()
              + " has seq "
              + e.seq()
              + ", "
              + e.state());
    }
  }

  /** Checks a change for {@link JourneyStore#advance}: numbers that agree. */
  public static void checkAdvance(Enrolment next, HistoryEntry entry) {
    InvalidJourneyException.requireNonNull(next, "enrolment");
    InvalidJourneyException.requireNonNull(entry, "history entry");
    if (next.seq() < 1 || entry.seq() != next.seq()) {
      throw new InvalidJourneyException(
          "a change of enrolment "
              + next.id()
              + " has seq "
              + next.seq()
              + " and its history entry "
              + entry.seq()
              + "; both must be the same, at least 1");
    }
  }

  /** True for ENROLLED. */
  public boolean enrolled() {
    return status == Status.ENROLLED;
  }
}
