package dev.steward.journey;

/**
 * One step of one version of a journey: what analytics counts against.
 *
 * @param journey the journey's id
 * @param version the journey's version
 * @param step the step's id
 */
public record JourneyStepRef(String journey, int version, String step) {
  public JourneyStepRef {
    JourneyDefinition.checkJourneyId(journey);
    if (version < 1) {
      throw new InvalidJourneyException(
          "journey '" + journey + "' has version " + version + "; versions start at 1");
    }
    if (step == null || step.isBlank() || step.length() > Step.MAX_ID) {
      throw new InvalidJourneyException(
          "step id of journey '"
              + journey
              + "' must be 1 to "
              + Step.MAX_ID
              + " characters, was "
              + step);
    }
  }

  @Override
  public String toString() {
    return "step '" + step + "' of journey '" + journey + "' v" + version;
  }
}
