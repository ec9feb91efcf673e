package dev.steward.ippool;

import dev.steward.StewardException;

/** An IP address may not join a pool yet: its reverse DNS is not validated, or it is unknown. */
public class IpNotReadyException extends StewardException {
  private static final long serialVersionUID = 1L;

  public IpNotReadyException(String message) {
    super(message);
  }
}
