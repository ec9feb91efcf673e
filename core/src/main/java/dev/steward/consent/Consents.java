package dev.steward.consent;

import dev.steward.model.ContactId;
import dev.steward.model.InvalidModelException;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Validation and the pure rules over a {@link ContactConsent}, shared by the centre and the gate.
 */
final class Consents {
  static final int MAX_SOURCE_LENGTH = 200;

  private Consents() {}

  static TenantId tenant(TenantId tenant) {
    if (tenant == null) {
      throw new InvalidConsentException("tenant must not be null");
    }
    return tenant;
  }

  static ContactId contact(ContactId contact) {
    if (contact == null) {
      throw new InvalidConsentException("contact must not be null");
    }
    return contact;
  }

  static String category(String category) {
    try {
      return Message.category(category);
    } catch (InvalidModelException e) {
      throw new InvalidConsentException("category is invalid: " + e.getMessage(), e);
    }
  }

  static String source(String source) {
    if (source == null || source.isBlank()) {
      throw new InvalidConsentException("source must not be null or blank");
    }
    String s = source.strip();
    if (s.length() > MAX_SOURCE_LENGTH) {
      throw new InvalidConsentException(
          "source is "
              + s.length()
              + " characters long; at most "
              + MAX_SOURCE_LENGTH
              + " allowed");
    }
    if (s.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidConsentException("source '" + s + "' contains a control character");
    }
    return s;
  }

  static <T> T required(T value, String field) {
    if (value == null) {
      throw new InvalidConsentException(field + " must not be null");
    }
    return value;
  }

  static Instant notAfter(Instant at, Instant now, String field) {
    required(at, field);
    if (at.isAfter(now)) {
      throw new InvalidConsentException(
          field + " " + at + " is in the future (now is " + now + ")");
    }
    return at;
  }

  /** The newest record of a scope (a category, or null for the global scope). */
  static Optional<ConsentRecord> latest(ContactConsent consent, String category) {
    List<ConsentRecord> records = consent.records();
    for (int i = records.size() - 1; i >= 0; i--) {
      if (Objects.equals(records.get(i).category().orElse(null), category)) {
        return Optional.of(records.get(i));
      }
    }
    return Optional.empty();
  }

  /** True when the scope holds a record dated after {@code at}: a change at {@code at} is stale. */
  static boolean stale(ContactConsent consent, String category, Instant at) {
    return latest(consent, category).map(r -> r.at().isAfter(at)).orElse(false);
  }

  /** True when the contact has said anything: an opt-out, a subscription or a record. */
  static boolean said(ContactConsent consent) {
    return consent.optedOut() || !consent.subscriptions().isEmpty() || !consent.records().isEmpty();
  }

  /**
   * True when the contact was erased at or after {@code at}: a change that happened at {@code at}
   * happened before the person asked to be forgotten, and must not bring them back.
   */
  static boolean erasedSince(ContactConsent consent, Instant at) {
    return consent.erasedAt().map(erased -> !at.isAfter(erased)).orElse(false);
  }

  /** True when the category's newest record is a double opt-in confirmation. */
  static boolean confirmed(ContactConsent consent, String category) {
    return latest(consent, category)
        .map(r -> r.action() == ConsentRecord.Action.CONFIRMED)
        .orElse(false);
  }

  /** True when the contact explicitly unsubscribed from the category. */
  static boolean unsubscribed(ContactConsent consent, String category) {
    return consent.subscription(category).map(s -> !s.subscribed()).orElse(false);
  }

  /**
   * The records with {@code record} inserted after every record not newer than it (oldest first).
   */
  static List<ConsentRecord> with(List<ConsentRecord> records, ConsentRecord record) {
    List<ConsentRecord> out = new ArrayList<>(records.size() + 1);
    int at = records.size();
    while (at > 0 && records.get(at - 1).at().isAfter(record.at())) {
      at--;
    }
    out.addAll(records.subList(0, at));
    out.add(record);
    out.addAll(records.subList(at, records.size()));
    return out;
  }
}
