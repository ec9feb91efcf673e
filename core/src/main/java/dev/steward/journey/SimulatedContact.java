package dev.steward.journey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A contact of a {@link JourneySimulation}: its profile (address, zone, attributes), the journeys
 * it enters and how long after the simulation's start, and how it engages.
 *
 * <pre>{@code
 * SimulatedContact.of(profile)
 *     .enters("onboarding", Duration.ZERO)
 *     .enters("adoption", Duration.ofDays(30))
 *     .engagement(SimulatedEngagement.opens(0.25));
 * }</pre>
 *
 * @param entries the journeys entered, each by the journey's re-entry rule and the limit of
 *     journeys at once, as a live enrolment would be
 */
public record SimulatedContact(
    ContactProfile profile, List<Entry> entries, SimulatedEngagement engagement) {

  public SimulatedContact {
    InvalidJourneyException.requireNonNull(profile, "simulated contact: profile");
    InvalidJourneyException.requireNonNull(
        entries, "simulated contact " + profile.contact() + ": entries");
    for (Entry e : entries) {
      InvalidJourneyException.requireNonNull(
          e, "simulated contact " + profile.contact() + ": an entry");
    }
    entries = List.copyOf(entries);
    InvalidJourneyException.requireNonNull(
        engagement, "simulated contact " + profile.contact() + ": engagement");
  }

  /** A contact that enters no journey yet and engages with nothing. */
  public static SimulatedContact of(ContactProfile profile) {
    return new SimulatedContact(profile, List.of(), SimulatedEngagement.NONE);
  }

  /** A copy that also enters {@code journey} {@code after} the simulation's start. */
  public SimulatedContact enters(String journey, Duration after) {
    List<Entry> all = new ArrayList<>(entries);
    all.add(new Entry(journey, after));
    return new SimulatedContact(profile, all, engagement);
  }

  /** A copy that engages as {@code engagement} says. */
  public SimulatedContact engagement(SimulatedEngagement engagement) {
    return new SimulatedContact(profile, entries, engagement);
  }

  /** An entry into a journey (its newest registered version) at an offset from the start. */
  public record Entry(String journey, Duration after) {
    public Entry {
      JourneyDefinition.checkJourneyId(journey);
      InvalidJourneyException.requireNonNull(after, "the offset of an entry into " + journey);
      if (after.isNegative()) {
        throw new InvalidJourneyException(
            "an entry into journey '" + journey + "' must not be before the start, was " + after);
      }
    }
  }
}
