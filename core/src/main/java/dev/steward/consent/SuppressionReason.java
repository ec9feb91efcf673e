package dev.steward.consent;

import dev.steward.model.MessageKind;

/** Why a tenant must not mail an address; decides which kinds of mail the suppression stops. */
public enum SuppressionReason {
  /** The recipient unsubscribed from all marketing mail; account mail still goes. */
  UNSUBSCRIBE,
  /** The recipient unsubscribed from one category (SendGrid's group); names the category. */
  GROUP_UNSUBSCRIBE,
  /**
   * The recipient reported a message as spam: only transactional mail still goes, and that only
   * where the consent gate allows it (its default).
   */
  SPAM_REPORT,
  /** The receiving server said the address does not exist (type "bounce"): nothing goes. */
  HARD_BOUNCE,
  /** The provider refused the address as invalid: nothing goes. */
  INVALID_ADDRESS;

  /** True for the one reason that concerns a single category. */
  public boolean namesCategory() {
    return this == GROUP_UNSUBSCRIBE;
  }

  /**
   * True when mail of {@code kind} must not go to an address suppressed for this reason, whatever
   * its category, with transactional mail to a spam-reporting address decided by {@code
   * spamReportStopsTransactional}. A group unsubscribe stops non-account mail of its category only,
   * which this method cannot know: it answers for the category named.
   */
  public boolean stops(MessageKind kind, boolean spamReportStopsTransactional) {
    switch (this) {
      case HARD_BOUNCE:
      case INVALID_ADDRESS:
        return true;
      case SPAM_REPORT:
        return kind != MessageKind.TRANSACTIONAL || spamReportStopsTransactional;
      case UNSUBSCRIBE:
      case GROUP_UNSUBSCRIBE:
        return !kind.isAccountMail();
      default:
        throw new AssertionError(this);
    }
  }
}
