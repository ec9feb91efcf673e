package dev.steward.consent;

import dev.steward.model.Message;
import java.time.Instant;
import java.util.Objects;

/**
 * A contact's choice for one category: subscribed or not, and how often.
 *
 * @param category a category as {@link Message#category(String)} normalises it
 * @param updatedAt when the contact last changed this choice
 */
public record Subscription(
    String category, boolean subscribed, Frequency frequency, Instant updatedAt) {
  public Subscription {
    category = Message.category(category);
    Objects.requireNonNull(frequency, "frequency");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
