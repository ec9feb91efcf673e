package dev.steward.frequency;

import dev.steward.StewardException;

/**
 * Stored send-log bytes ({@link SendLog#fromBytes}) are not a send log this version can read: an
 * unknown format or entry type, a kind or channel byte out of range, or bytes that end early. The
 * message names what is wrong and where. Nothing is read from such bytes.
 */
public final class CorruptSendLogException extends StewardException {
  private static final long serialVersionUID = 1L;

  /** The stored bytes are no readable send log, for the reason {@code message} gives. */
  public CorruptSendLogException(String message) {
    super(message);
  }

  /** As above, with the failure that showed it. */
  public CorruptSendLogException(String message, Throwable cause) {
    super(message, cause);
  }
}
