package dev.steward.frequency;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import java.util.Objects;

/** Whose send log a cap counts: one contact's or one account's. */
public record SubjectKey(String value) implements Comparable<SubjectKey> {
  public SubjectKey {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty() || value.length() > 256) {
      throw new IllegalArgumentException("subject key must have 1 to 256 characters: " + value);
    }
  }

  public static SubjectKey contact(ContactId contact) {
    return new SubjectKey("c:" + contact.value());
  }

  public static SubjectKey account(AccountId account) {
    return new SubjectKey("a:" + account.value());
  }

  @Override
  public int compareTo(SubjectKey o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
