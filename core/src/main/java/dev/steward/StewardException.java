package dev.steward;

/** Root of every exception Steward throws; each capability throws a specific subclass. */
public class StewardException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StewardException(String message) {
    super(message);
  }

  public StewardException(String message, Throwable cause) {
    super(message, cause);
  }
}
