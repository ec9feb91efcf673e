package dev.steward.health;

import dev.steward.StewardException;

/** A scorecard (or a part of one) is not valid; the message names the field and the problem. */
public class InvalidScorecardException extends StewardException {
  private static final long serialVersionUID = 1L;

  public InvalidScorecardException(String message) {
    super(message);
  }

  public InvalidScorecardException(String message, Throwable cause) {
    super(message, cause);
  }
}
