package dev.steward.consent;

import dev.steward.StewardException;

/**
 * One or more {@link ErasureListener}s failed while erasing a contact; the others still ran. The
 * failures are attached as suppressed exceptions. Erasing again is safe.
 */
public class ErasureException extends StewardException {
  private static final long serialVersionUID = 1L;

  public ErasureException(String message) {
    super(message);
  }
}
