package dev.steward.internal.json;

import dev.steward.StewardException;

/** A stored JSON document cannot be read back (unknown format, bad syntax, missing type tag). */
public class MalformedJsonException extends StewardException {
  private static final long serialVersionUID = 1L;

  public MalformedJsonException(String message) {
    super(message);
  }

  public MalformedJsonException(String message, Throwable cause) {
    super(message, cause);
  }
}
