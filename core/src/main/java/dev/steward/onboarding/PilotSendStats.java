package dev.steward.onboarding;

/**
 * Counts from a tenant's first pilot sends, against which its declared list quality is checked:
 * filled in from the ingested events (bounce of type bounce, and those whose reason says the user
 * is unknown) once the pilot has sent.
 *
 * @param sent messages accepted by the provider
 * @param hardBounces hard bounces (type bounce)
 * @param unknownUsers hard bounces saying the mailbox does not exist (550 5.1.1 and the like)
 */
public record PilotSendStats(long sent, long hardBounces, long unknownUsers) {
  public PilotSendStats {
    if (sent < 0 || hardBounces < 0 || unknownUsers < 0) {
      throw new InvalidOnboardingInputException(
          "pilot send counts must not be negative: sent="
              + sent
              + ", hardBounces="
              + hardBounces
              + ", unknownUsers="
              + unknownUsers);
    }
    if (hardBounces > sent) {
      throw new InvalidOnboardingInputException(
          "hardBounces (" + hardBounces + ") must not exceed sent (" + sent + ")");
    }
    if (unknownUsers > hardBounces) {
      throw new InvalidOnboardingInputException(
          "unknownUsers (" + unknownUsers + ") must not exceed hardBounces (" + hardBounces + ")");
    }
  }

  /** Hard bounces per message sent; 0 when nothing was sent. */
  public double hardBounceRate() {
    return sent == 0 ? 0 : (double) hardBounces / sent;
  }

  /** Unknown-user bounces per message sent; 0 when nothing was sent. */
  public double unknownUserRate() {
    return sent == 0 ? 0 : (double) unknownUsers / sent;
  }
}
