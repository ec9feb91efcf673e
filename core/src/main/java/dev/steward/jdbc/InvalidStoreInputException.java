package dev.steward.jdbc;

import dev.steward.StewardException;

/**
 * A JDBC store was given a value it cannot hold (null, too long, out of range); the message names
 * the field and the problem. Thrown before anything is written.
 */
public class InvalidStoreInputException extends StewardException {
  private static final long serialVersionUID = 1L;

  public InvalidStoreInputException(String message) {
    super(message);
  }
}
