package dev.steward.journey;

/**
 * A human task, its email, a completion or a query argument cannot be accepted; the message names
 * the task or the field and what is wrong with it. Thrown before anything is written or sent.
 */
public class InvalidTaskException extends InvalidJourneyException {
  private static final long serialVersionUID = 1L;

  public InvalidTaskException(String message) {
    super(message);
  }

  /** Returns {@code value}, or throws this exception saying that {@code what} must not be null. */
  public static <T> T require(T value, String what) {
    if (value == null) {
      throw new InvalidTaskException(what + " must not be null");
    }
    return value;
  }

  /**
   * Checks a one-line text of at most {@code max} characters: not blank, no control character (NUL
   * included), no half of a surrogate pair; returns it.
   */
  static String line(String value, String what, int max) {
    String problem = dev.steward.model.StoreLimits.textProblem(value, max);
    if (problem != null) {
      throw new InvalidTaskException(what + " " + problem);
    }
    return value;
  }

  /**
   * Checks a free text (an email's body: line breaks and tabs allowed) of at most {@code max}
   * characters: not blank, no NUL or other control character but CR, LF and TAB, no half of a
   * surrogate pair; returns it.
   */
  static String text(String value, String what, int max) {
    require(value, what);
    if (value.length() > max) {
      throw new InvalidTaskException(
          what + " is " + value.length() + " characters long; at most " + max + " fit");
    }
    if (value.isBlank()) {
      throw new InvalidTaskException(what + " must not be blank");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
        throw new InvalidTaskException(
            what
                + " contains a control character (U+"
                + String.format("%04X", (int) c)
                + ") at "
                + i);
      }
    }
    int half = dev.steward.model.StoreLimits.unpairedSurrogateAt(value);
    if (half >= 0) {
      throw new InvalidTaskException(what + " has half a surrogate pair at index " + half);
    }
    return value;
  }
}
