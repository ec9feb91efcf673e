package dev.steward.frequency;

import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import java.util.Objects;

/**
 * One line of a subject's send log: a reserved send, an activity that starts a cool-down, or an
 * active journey.
 *
 * @param epochSecond when it happened (sends, activities) or began (journeys)
 * @param kind the message kind of a send; null for other entry types
 * @param channel the channel of a send; null for other entry types
 * @param label the category of a send, the activity name, or the journey id
 * @param team the source team of a send; null for other entry types
 */
public record LedgerEntry(
    Type type, long epochSecond, MessageKind kind, Channel channel, String label, String team) {

  public LedgerEntry {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(label, "label");
    if (type == Type.SEND) {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(team, "team");
    }
  }

  /** The kinds of entry in a send log. */
  public enum Type {
    SEND,
    ACTIVITY,
    JOURNEY
  }
}
