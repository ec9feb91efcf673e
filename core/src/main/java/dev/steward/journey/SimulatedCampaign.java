package dev.steward.journey;

import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import dev.steward.model.Source;
import java.time.Duration;
import java.util.Optional;

/**
 * A team's own message in a {@link JourneySimulation}, not a journey's: a campaign sent at an
 * offset from the start to every simulated contact with an address (or those whose attributes match
 * {@link #audience}), through the same dispatcher and caps, so that it competes with the journeys
 * for each contact's budget as marketing's newsletter competes with the CSM team's onboarding. Its
 * timeline entries carry the journey name {@code campaign:<id>}, version 0 and the campaign's id as
 * the step.
 *
 * @param id unique within the simulation; also the template id
 * @param team the sending team (kept in lower case)
 * @param after when it is sent, from the simulation's start
 * @param audience the contacts it goes to; empty for every contact
 */
public record SimulatedCampaign(
    String id,
    String team,
    Duration after,
    MessageKind kind,
    String category,
    Priority priority,
    Optional<Condition> audience) {

  /** The journey name of a campaign's timeline entries: this prefix and the campaign's id. */
  public static final String JOURNEY_PREFIX = "campaign:";

  public SimulatedCampaign {
    try {
      JourneyDefinition.checkJourneyId(id);
    } catch (InvalidJourneyException bad) {
      throw new InvalidJourneyException("campaign id: " + bad.getMessage(), bad);
    }
    String what = "campaign '" + id + "'";
    try {
      team = Source.team(team).team();
      category =
          Message.category(InvalidJourneyException.requireNonNull(category, what + ": category"));
    } catch (dev.steward.StewardException e) {
      throw new InvalidJourneyException(what + ": " + e.getMessage(), e);
    }
    InvalidJourneyException.requireNonNull(after, what + ": offset");
    if (after.isNegative()) {
      throw new InvalidJourneyException(what + ": offset must not be negative, was " + after);
    }
    InvalidJourneyException.requireNonNull(kind, what + ": kind");
    InvalidJourneyException.requireNonNull(priority, what + ": priority");
    audience = audience == null ? Optional.empty() : audience;
  }

  /** A campaign of normal priority to every contact. */
  public static SimulatedCampaign of(
      String id, String team, Duration after, MessageKind kind, String category) {
    return new SimulatedCampaign(
        id, team, after, kind, category, Priority.NORMAL, Optional.empty());
  }

  /** A copy sent with {@code priority}. */
  public SimulatedCampaign withPriority(Priority priority) {
    return new SimulatedCampaign(id, team, after, kind, category, priority, audience);
  }

  /** A copy sent only to contacts whose attributes match {@code audience}. */
  public SimulatedCampaign to(Condition audience) {
    return new SimulatedCampaign(
        id,
        team,
        after,
        kind,
        category,
        priority,
        Optional.of(InvalidJourneyException.requireNonNull(audience, "campaign audience")));
  }

  /** The journey name of this campaign's timeline entries. */
  String journeyName() {
    return JOURNEY_PREFIX + id;
  }
}
