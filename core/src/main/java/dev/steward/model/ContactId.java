package dev.steward.model;

/** Identifies a person at an account: a recipient. */
public record ContactId(String value) implements Comparable<ContactId> {
  public ContactId {
    Ids.check("ContactId", value);
  }

  /** Shorthand for {@code new ContactId(value)}. */
  public static ContactId of(String value) {
    return new ContactId(value);
  }

  @Override
  public int compareTo(ContactId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
