package dev.steward.journey;

import java.time.Instant;
import java.util.OptionalDouble;

/**
 * One owner's human tasks: how many are open and overdue now, and how those closed within {@code
 * [from, to)} ended.
 *
 * @param open open tasks (OPEN, REMINDED or ESCALATED) the owner holds now
 * @param overdue of those, the ones past their due time now
 * @param sentAsSuggested closed in the period by sending the suggested email
 * @param sentEdited closed in the period by sending an edited email
 * @param dismissed closed in the period by a dismissal
 * @param expired expired in the period (nobody acted before the journey went on)
 */
public record TaskReport(
    String owner,
    Instant from,
    Instant to,
    long open,
    long overdue,
    long sentAsSuggested,
    long sentEdited,
    long dismissed,
    long expired) {

  /** Tasks the owner completed in the period: sent either way or dismissed. */
  public long done() {
    return sentAsSuggested + sentEdited + dismissed;
  }

  /** Tasks whose email the owner sent in the period, as suggested or edited. */
  public long sent() {
    return sentAsSuggested + sentEdited;
  }

  /** Sent edited over sent, 0 to 1; empty when nothing was sent. */
  public OptionalDouble editedShare() {
    long sent = sent();
    return sent == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) sentEdited / sent);
  }
}
