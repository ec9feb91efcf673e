package dev.steward.governance;

/**
 * An escalation {@link Ladder} is not valid: thresholds that overlap or fall as the level rises, a
 * negative or impossible threshold, an unknown metric or level in JSON. The message names the rungs
 * and metrics concerned.
 */
public class InvalidLadderException extends InvalidGovernanceException {
  private static final long serialVersionUID = 1L;

  public InvalidLadderException(String message) {
    super(message);
  }
}
