package dev.steward.health;

/** What an account did with (or was sent) email: the kinds an {@link EngagementStore} keeps. */
public enum EngagementKind {
  /** Mail reached the account: a provider's delivered event, or the CSM's own mail. */
  SENT,
  /** A message was opened (counted once per message). */
  OPENED,
  /** A link in a message was clicked (counted once per message). */
  CLICKED,
  /** The account replied; the reply's text, if kept, feeds the sentiment measure. */
  REPLIED,
  /** The account unsubscribed (from all mail or a group). */
  UNSUBSCRIBED,
  /** The account reported a message as spam. */
  SPAM_REPORTED
}
