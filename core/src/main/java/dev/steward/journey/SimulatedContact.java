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
 * @param consent the contact's consent at the start: the consent gate reads it from the first send
 */
public record SimulatedContact(
    ContactProfile profile,
    List<Entry> entries,
    SimulatedEngagement engagement,
    StartingConsent consent) {

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
    InvalidJourneyException.requireNonNull(
        consent, "simulated contact " + profile.contact() + ": consent");
  }

  /** A contact that enters no journey yet and engages with nothing. */
  public static SimulatedContact of(ContactProfile profile) {
    return new SimulatedContact(profile, List.of(), SimulatedEngagement.NONE, StartingConsent.NONE);
  }

  /** A copy that also enters {@code journey} {@code after} the simulation's start. */
  public SimulatedContact enters(String journey, Duration after) {
    List<Entry> all = new ArrayList<>(entries);
    all.add(new Entry(journey, after));
    return new SimulatedContact(profile, all, engagement, consent);
  }

  /** A copy that engages as {@code engagement} says. */
  public SimulatedContact engagement(SimulatedEngagement engagement) {
    return new SimulatedContact(profile, entries, engagement, consent);
  }

  /**
   * A copy that starts opted out of all non-account mail: every journey or campaign send of that
   * kind is suppressed by the consent gate from the first.
   */
  public SimulatedContact startsOptedOut() {
    return new SimulatedContact(
        profile, entries, engagement, new StartingConsent(true, consent.unsubscribed()));
  }

  /** A copy that starts unsubscribed from {@code category}: its sends there are suppressed. */
  public SimulatedContact startsUnsubscribedFrom(String category) {
    InvalidJourneyException.requireNonNull(
        category, "simulated contact " + profile.contact() + ": unsubscribed category");
    java.util.Set<String> all = new java.util.TreeSet<>(consent.unsubscribed());
    all.add(category);
    return new SimulatedContact(
        profile, entries, engagement, new StartingConsent(consent.optedOut(), all));
  }

  /**
   * The consent a contact starts with, written to the simulation's consent store at its start.
   *
   * @param optedOut opted out of all non-account mail
   * @param unsubscribed the categories it is unsubscribed from
   */
  public record StartingConsent(boolean optedOut, java.util.Set<String> unsubscribed) {
    /** Consent to everything: nothing recorded. */
    public static final StartingConsent NONE = new StartingConsent(false, java.util.Set.of());

    public StartingConsent {
      InvalidJourneyException.requireNonNull(unsubscribed, "starting consent: categories");
      for (String c : unsubscribed) {
        if (c == null || c.isBlank()) {
          throw new InvalidJourneyException(
              "starting consent: an unsubscribed category must not be blank, was '" + c + "'");
        }
      }
      unsubscribed = java.util.Set.copyOf(new java.util.TreeSet<>(unsubscribed));
    }
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
