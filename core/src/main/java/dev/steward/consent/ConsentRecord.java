package dev.steward.consent;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Evidence of consent given, confirmed or withdrawn, kept so the sender can show when and how a
 * contact agreed.
 *
 * @param category the category it concerns, or null for all marketing mail
 * @param action what happened
 * @param source where it happened ("signup-form", "preference-centre", "sendgrid-unsubscribe", ...)
 * @param at when it happened
 */
public record ConsentRecord(Optional<String> category, Action action, String source, Instant at) {
  public ConsentRecord {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(at, "at");
  }

  /** A record of {@code category}, or of all mail when it is null. */
  public static ConsentRecord of(String category, Action action, String source, Instant at) {
    return new ConsentRecord(Optional.ofNullable(category), action, source, at);
  }

  /** What a consent record says happened. */
  public enum Action {
    /** The contact asked for mail (single opt-in). */
    GRANTED,
    /** The contact confirmed by clicking the double opt-in link. */
    CONFIRMED,
    /** The contact withdrew consent (unsubscribe, opt-out, spam report). */
    WITHDRAWN
  }
}
