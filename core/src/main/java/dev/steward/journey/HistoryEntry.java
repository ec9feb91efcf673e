package dev.steward.journey;

import dev.steward.model.StoreLimits;
import java.time.Instant;

/**
 * One change of an enrolment, numbered as the enrolment's {@link Enrolment#seq} after it.
 *
 * @param step the step that made the change
 * @param detail what happened, for people (template, branch taken, reason)
 */
public record HistoryEntry(int seq, String step, Instant at, StepOutcome outcome, String detail) {
  /** The longest detail kept; longer ones are cut. */
  public static final int MAX_DETAIL = 1000;

  public HistoryEntry {
    if (seq < 0) {
      throw new InvalidJourneyException("history seq must not be negative, was " + seq);
    }
    InvalidJourneyException.requireNonNull(step, "step of a history entry");
    String problem = StoreLimits.instantProblem(at); // cpu14: the message built only on failure
    if (problem != null) {
      throw new InvalidJourneyException("time of history entry " + seq + " " + problem);
    }
    InvalidJourneyException.requireNonNull(outcome, "outcome of a history entry");
    detail = detail == null ? "" : readable(detail);
    if (detail.length() > MAX_DETAIL) {
      int cut = MAX_DETAIL - 3;
      if (Character.isHighSurrogate(detail.charAt(cut - 1))) {
        cut--; // never keep half of a pair: a database would store it as '?'
      }
      detail = detail.substring(0, cut) + "...";
    }
  }

  /**
   * The detail with what no store keeps (a NUL, half a surrogate pair: a gate's reason cut in the
   * middle of an emoji) shown as U+FFFD: a detail is for people, and PostgreSQL refuses a NUL.
   */
  private static String readable(String detail) {
    if (detail.indexOf('\u0000') < 0 && StoreLimits.unpairedSurrogateAt(detail) < 0) {
      return detail;
    }
    StringBuilder b = new StringBuilder(detail.length());
    for (int i = 0; i < detail.length(); i++) {
      char c = detail.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < detail.length()
          && Character.isLowSurrogate(detail.charAt(i + 1))) {
        b.append(c).append(detail.charAt(++i));
      } else {
        b.append(c == '\u0000' || Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return b.toString();
  }
}
