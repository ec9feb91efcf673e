package dev.steward.model;

/**
 * Identifies an organisation that receives communications and has a health score.
 *
 * <p>A final class rather than a record so that it can keep its value's hash: the frequency limiter
 * keys every decision by contact or account, and a hash held here saves reading the id string
 * itself when the ledger finds the same id object it stored (a cache miss per decision on a large
 * working set). Equality and ordering are by value.
 */
public final class AccountId implements Comparable<AccountId> {
  private final String value;
  private final int hash;

  private AccountId(String value) {
    this.value = Ids.check("AccountId", value);
    this.hash = value.hashCode();
  }

  /**
   * The id {@code value}: 1 to 200 characters, not blank, no control characters.
   *
   * @throws InvalidModelException naming what is wrong with {@code value}
   */
  public static AccountId of(String value) {
    return new AccountId(value);
  }

  /** The id as given. */
  public String value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof AccountId other && value.equals(other.value));
  }

  /** The value's {@link String#hashCode()}, kept from construction. */
  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(AccountId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
