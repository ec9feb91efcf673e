package dev.steward.frequency;

import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import dev.steward.model.StoreLimits;

/**
 * One line of a subject's send log: a reserved send, or an activity that starts a cool-down.
 * (Journey admissions are no longer entries: the journey scheduler keeps who is in which journey.)
 *
 * @param epochSecond when it happened
 * @param kind the message kind of a send; null for other entry types
 * @param channel the channel of a send; null for other entry types
 * @param label the category of a send, or the activity name
 * @param team the source team of a send; null for other entry types
 */
public record LedgerEntry(
    Type type, long epochSecond, MessageKind kind, Channel channel, String label, String team) {

  /** Checks every field against what every {@link CapLedgerStore} holds ({@link StoreLimits}). */
  public LedgerEntry {
    required(type, "type");
    name(label, "label");
    if (type == Type.SEND) {
      required(kind, "kind");
      required(channel, "channel");
      required(team, "team");
    }
    if (team != null) {
      name(team, "team");
    }
  }

  private static void required(Object value, String field) {
    if (value == null) {
      throw new InvalidLimiterArgumentException("ledger entry " + field + " must not be null");
    }
  }

  private static void name(String value, String field) {
    String problem = StoreLimits.textProblem(value, StoreLimits.MAX_NAME_LENGTH);
    if (problem != null) {
      throw new InvalidLimiterArgumentException("ledger entry " + field + " " + problem);
    }
  }

  /** The kinds of entry in a send log. */
  public enum Type {
    SEND,
    ACTIVITY
  }
}
