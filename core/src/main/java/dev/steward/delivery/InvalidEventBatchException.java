package dev.steward.delivery;

import dev.steward.StewardException;

/** A batch of events was refused as a whole before anything was written; the message says why. */
public class InvalidEventBatchException extends StewardException {
  private static final long serialVersionUID = 1L;

  public InvalidEventBatchException(String message) {
    super(message);
  }

  public InvalidEventBatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
