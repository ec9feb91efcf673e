package dev.steward.model;

/**
 * Identifies a person at an account: a recipient.
 *
 * <p>A final class rather than a record so that it can keep its value's hash: the frequency limiter
 * keys every decision by contact or account, and a hash held here saves reading the id string
 * itself when the ledger finds the same id object it stored (a cache miss per decision on a large
 * working set). Equality and ordering are by value.
 */
public final class ContactId implements Comparable<ContactId> {
  private final String value;
  private final int hash;

  private ContactId(String value) {
    this.value = Ids.check("ContactId", value);
    this.hash = value.hashCode();
  }

  /**
   * The id {@code value}: 1 to 200 characters, not blank, no control characters.
   *
   * @throws InvalidModelException naming what is wrong with {@code value}
   */
  public static ContactId of(String value) {
    return new ContactId(value);
  }

  /** The id as given. */
  public String value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof ContactId other && value.equals(other.value));
  }

  /** The value's {@link String#hashCode()}, kept from construction. */
  @Override
  public int hashCode() {
    return hash;
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
