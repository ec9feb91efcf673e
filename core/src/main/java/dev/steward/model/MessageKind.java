package dev.steward.model;

/** The five kinds of message; the kind decides which consent and caps apply. */
public enum MessageKind {
  /**
   * Triggered by the recipient's own action (receipt, password reset); exempt from caps by default.
   */
  TRANSACTIONAL,
  /** Teaches the product (tips, onboarding how-tos). */
  EDUCATIONAL,
  /** Keeps the relationship (CSM check-ins, business reviews, renewals). */
  RELATIONSHIP,
  /** Sells (campaigns, offers, upsell). */
  PROMOTIONAL,
  /** Tells about the account's service (outages, billing, security notices). */
  OPERATIONAL;

  /** True for the kinds that still reach a contact who opted out of marketing mail. */
  public boolean isAccountMail() {
    return this == TRANSACTIONAL || this == OPERATIONAL;
  }
}
