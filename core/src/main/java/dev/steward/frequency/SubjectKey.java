package dev.steward.frequency;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;

/**
 * Whose send log a cap counts: one contact's ({@code "c:<id>"}) or one account's ({@code
 * "a:<id>"}).
 *
 * <p>A key is held as its kind and the bare id, not as the concatenated {@link #value()}: the
 * limiter makes a key for every decision, and hashing the id's string (whose hash the string
 * caches) costs nothing, while a concatenated string would be built and hashed anew each time. Two
 * keys with the same {@link #value()} are equal however they were made.
 */
public final class SubjectKey implements Comparable<SubjectKey> {
  private static final int MAX_LENGTH = 256;

  /**
   * 'c' or 'a' for the two prefixed forms, 0 for any other value (then {@link #id} is all of it).
   */
  private final char kind;

  private final String id;

  /** The concatenated form, built on first use; a benign race, as for String's own hash. */
  private String value;

  /** A key from its full value, e.g. {@code "c:ada"}; 1 to 256 characters. */
  public SubjectKey(String value) {
    if (value == null) {
      throw new InvalidLimiterArgumentException("subject key must not be null");
    }
    if (value.isEmpty() || value.length() > MAX_LENGTH) {
      throw tooLong(value);
    }
    char k = value.length() >= 2 && value.charAt(1) == ':' ? value.charAt(0) : 0;
    if (k == 'c' || k == 'a') {
      this.kind = k;
      this.id = value.substring(2);
    } else {
      this.kind = 0;
      this.id = value;
    }
    this.value = value;
  }

  private SubjectKey(char kind, String id) {
    if (id.length() + 2 > MAX_LENGTH) {
      throw tooLong(kind + ":" + id);
    }
    this.kind = kind;
    this.id = id;
  }

  private static InvalidLimiterArgumentException tooLong(String value) {
    return new InvalidLimiterArgumentException(
        "subject key must have 1 to "
            + MAX_LENGTH
            + " characters (the store's column), has "
            + value.length()
            + ": '"
            + value.substring(0, Math.min(40, value.length()))
            + (value.length() > 40 ? "...'" : "'"));
  }

  /** The key of one contact's log. */
  public static SubjectKey contact(ContactId contact) {
    if (contact == null) {
      throw new InvalidLimiterArgumentException("contact must not be null");
    }
    return new SubjectKey('c', contact.value());
  }

  /** The key of one account's log. */
  public static SubjectKey account(AccountId account) {
    if (account == null) {
      throw new InvalidLimiterArgumentException("account must not be null");
    }
    return new SubjectKey('a', account.value());
  }

  /** The key as one string, {@code "c:<contact id>"} or {@code "a:<account id>"}. */
  public String value() {
    String v = value;
    if (v == null) {
      v = kind + ":" + id;
      value = v;
    }
    return v;
  }

  /** True for a contact's key; then {@link #id()} is the contact's id. */
  boolean isContact() {
    return kind == 'c';
  }

  /** The id after the kind's prefix, or the whole value for a key of neither kind. */
  String id() {
    return id;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof SubjectKey k && kind == k.kind && id.equals(k.id));
  }

  /**
   * From the id's own (cached) hash and the kind, so a fresh key for a known id hashes for free.
   */
  @Override
  public int hashCode() {
    return 31 * id.hashCode() + kind;
  }

  @Override
  public int compareTo(SubjectKey o) {
    return value().compareTo(o.value());
  }

  @Override
  public String toString() {
    return value();
  }
}
