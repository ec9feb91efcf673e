package dev.steward.sendgrid.mail;

import java.util.List;
import java.util.Optional;

/**
 * A message the transport refuses before writing anything: it breaks one of SendGrid's documented
 * limits ({@link #limit()} names it) or lacks what Mail Send needs (a from address, a template or
 * content, an unsubscribe route for promotional mail).
 */
public class InvalidMailException extends MailSendException {
  private static final long serialVersionUID = 1L;

  private final MailLimit limit;

  /** A message breaking the given limit, or lacking a part when {@code limit} is null. */
  public InvalidMailException(MailLimit limit, String message) {
    super(FailureKind.INVALID_MAIL, message, 0, null, List.of(), 0, null);
    this.limit = limit;
  }

  /** A message lacking a part or holding a bad value. */
  public InvalidMailException(String message) {
    this(null, message);
  }

  /** The SendGrid limit broken, if that is the problem. */
  public Optional<MailLimit> limit() {
    return Optional.ofNullable(limit);
  }
}
