package dev.steward.model;

import java.util.Locale;

/**
 * Who sends a message: a team (marketing, sales, support, CSM, product, billing, or any team name
 * of the user's) and, for a journey, which journey step. Team names are kept in lower case.
 */
public record Source(String team, String journeyStep) {
  public static final Source MARKETING = team("marketing");
  public static final Source SALES = team("sales");
  public static final Source SUPPORT = team("support");
  public static final Source CSM = team("csm");
  public static final Source PRODUCT = team("product");
  public static final Source BILLING = team("billing");

  public Source {
    team = Ids.check("source team", team).strip().toLowerCase(Locale.ROOT);
    if (journeyStep != null) {
      Ids.check("journey step", journeyStep);
    }
  }

  /** A team's own message, not part of a journey. */
  public static Source team(String team) {
    return new Source(team, null);
  }

  /** A message sent by a journey step, on behalf of a team. */
  public static Source journey(String team, String journeyId, String stepId) {
    return new Source(
        team, Ids.check("journey id", journeyId) + "/" + Ids.check("step id", stepId));
  }

  /** True when a journey step sent this message. */
  public boolean isJourney() {
    return journeyStep != null;
  }

  @Override
  public String toString() {
    return journeyStep == null ? team : team + " (journey " + journeyStep + ")";
  }
}
