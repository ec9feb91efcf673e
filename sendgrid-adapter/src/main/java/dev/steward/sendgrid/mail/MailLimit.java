package dev.steward.sendgrid.mail;

/** SendGrid's documented Mail Send limits, checked before a request is written. */
public enum MailLimit {
  /** At most 1,000 recipients (personalizations) per request. */
  RECIPIENTS(1_000),
  /** At most 10 categories per message. */
  CATEGORIES(10),
  /** A category of at most 255 characters. */
  CATEGORY_LENGTH(255),
  /** At most 25 unsubscribe groups to display. */
  GROUPS_TO_DISPLAY(25),
  /** Custom args of one recipient under 10,000 bytes (as JSON). */
  CUSTOM_ARGS_BYTES(10_000),
  /** A request of at most 30 MB. */
  MESSAGE_BYTES(30 * 1024 * 1024),
  /** {@code send_at} at most 72 hours ahead. */
  SEND_AT_HOURS(72),
  /** An IP pool name of 2 to 64 characters. */
  IP_POOL_NAME_LENGTH(64),
  /** Each recipient at most once per request. */
  DUPLICATE_RECIPIENT(1);

  private final long max;

  MailLimit(long max) {
    this.max = max;
  }

  /** The limit's number (for {@link #DUPLICATE_RECIPIENT}: once). */
  public long max() {
    return max;
  }
}
