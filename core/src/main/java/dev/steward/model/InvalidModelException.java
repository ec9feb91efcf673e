package dev.steward.model;

import dev.steward.StewardException;

/** A value type was given input it cannot hold; the message names the field and the problem. */
public class InvalidModelException extends StewardException {
  private static final long serialVersionUID = 1L;

  public InvalidModelException(String message) {
    super(message);
  }
}
