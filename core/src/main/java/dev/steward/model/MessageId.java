package dev.steward.model;

/** Identifies one message, unique across the whole system. */
public record MessageId(String value) implements Comparable<MessageId> {
  public MessageId {
    Ids.check("MessageId", value);
  }

  /** Shorthand for {@code new MessageId(value)}. */
  public static MessageId of(String value) {
    return new MessageId(value);
  }

  /** A new random identifier. */
  public static MessageId random() {
    return new MessageId(java.util.UUID.randomUUID().toString());
  }

  @Override
  public int compareTo(MessageId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
