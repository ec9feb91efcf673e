package dev.steward.sendgrid.admin;

/** SendGrid's suppression lists read by time window and page ({@code /v3/suppression/...}). */
public enum SuppressionList {
  /** Global unsubscribes ({@code /v3/suppression/unsubscribes}). */
  GLOBAL_UNSUBSCRIBES("unsubscribes"),
  /** Bounces ({@code /v3/suppression/bounces}). */
  BOUNCES("bounces"),
  /** Blocks ({@code /v3/suppression/blocks}): reputation, not the address; they do not suppress. */
  BLOCKS("blocks"),
  /** Spam reports ({@code /v3/suppression/spam_reports}). */
  SPAM_REPORTS("spam_reports"),
  /** Invalid emails ({@code /v3/suppression/invalid_emails}). */
  INVALID_EMAILS("invalid_emails");

  private final String segment;

  SuppressionList(String segment) {
    this.segment = segment;
  }

  /** The list's path segment after {@code /v3/suppression/}. */
  public String segment() {
    return segment;
  }
}
