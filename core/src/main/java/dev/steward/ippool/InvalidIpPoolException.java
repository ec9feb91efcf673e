package dev.steward.ippool;

import dev.steward.StewardException;

/** The IP-pool strategy was given input it cannot use; the message names what is wrong. */
public class InvalidIpPoolException extends StewardException {
  private static final long serialVersionUID = 1L;

  public InvalidIpPoolException(String message) {
    super(message);
  }

  static <T> T requireNonNull(T value, String what) {
    if (value == null) {
      throw new InvalidIpPoolException(what + " must not be null");
    }
    return value;
  }
}
