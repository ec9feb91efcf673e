package dev.steward.model;

import java.util.Locale;

/** The normalised types of event that can happen to a sent email. */
public enum EmailEventType {
  PROCESSED,
  DELIVERED,
  DEFERRED,
  BOUNCE,
  BLOCKED,
  DROPPED,
  OPEN,
  CLICK,
  SPAM_REPORT,
  UNSUBSCRIBE,
  GROUP_UNSUBSCRIBE,
  GROUP_RESUBSCRIBE;

  /** Parses a type by name, case-insensitively, naming the value when it is not a known type. */
  public static EmailEventType parse(String name) {
    if (name == null) {
      throw new InvalidModelException("event type must not be null");
    }
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidModelException("event type '" + name + "' is not a known event type");
    }
  }

  /** True for the events by which a recipient says they want no more mail. */
  public boolean isOptOut() {
    return this == UNSUBSCRIBE || this == SPAM_REPORT;
  }
}
