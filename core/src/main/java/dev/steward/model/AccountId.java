package dev.steward.model;

/** Identifies an organisation that receives communications and has a health score. */
public record AccountId(String value) implements Comparable<AccountId> {
  public AccountId {
    Ids.check("AccountId", value);
  }

  /** Shorthand for {@code new AccountId(value)}. */
  public static AccountId of(String value) {
    return new AccountId(value);
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
