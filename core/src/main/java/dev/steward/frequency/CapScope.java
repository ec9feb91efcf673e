package dev.steward.frequency;

/** Whose sends a rule counts: the recipient contact's, or those of the contact's whole account. */
public enum CapScope {
  CONTACT,
  ACCOUNT;

  /** The word used in derived rule ids ("contact", "account"). */
  String word() {
    return this == CONTACT ? "contact" : "account";
  }
}
