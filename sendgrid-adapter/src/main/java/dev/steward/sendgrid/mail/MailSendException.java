package dev.steward.sendgrid.mail;

import dev.steward.StewardException;
import dev.steward.delivery.SendResult;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A send to SendGrid that did not end in acceptance, with a {@link FailureKind} to inspect, the
 * HTTP status when there was one, SendGrid's field errors for a 400, and for a retryable failure
 * the time the next try is allowed. {@link SendGridTransport#send} answers these as a {@link
 * SendResult}; {@link SendGridTransport#deliver} fails with them. The message never holds the API
 * key nor a recipient's address.
 */
public class MailSendException extends StewardException {
  private static final long serialVersionUID = 1L;

  private final FailureKind kind;
  private final int httpStatus;
  private final transient Instant retryAfter;
  private final transient List<FieldError> fieldErrors;
  private final int attempts;

  /** A failure of the given kind; {@code httpStatus} 0 when there was no response. */
  public MailSendException(
      FailureKind kind,
      String message,
      int httpStatus,
      Instant retryAfter,
      List<FieldError> fieldErrors,
      int attempts,
      Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.httpStatus = httpStatus;
    this.retryAfter = retryAfter;
    this.fieldErrors = List.copyOf(fieldErrors);
    this.attempts = attempts;
  }

  /** Why it failed. */
  public FailureKind kind() {
    return kind;
  }

  /** RETRYABLE, REJECTED or UNKNOWN, by the kind. */
  public SendResult.Status outcome() {
    return kind.outcome();
  }

  /** True when trying again later may succeed. */
  public boolean isRetryable() {
    return kind.outcome() == SendResult.Status.RETRYABLE;
  }

  /** The HTTP status of SendGrid's answer, when there was one. */
  public OptionalInt httpStatus() {
    return httpStatus == 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
  }

  /**
   * For a retryable failure: when the next try is allowed (the rate limit's reset, or a back-off).
   */
  public Optional<Instant> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** SendGrid's field errors of a 400 (empty otherwise). */
  public List<FieldError> fieldErrors() {
    return fieldErrors == null ? List.of() : fieldErrors;
  }

  /** How many requests were made (0 when none was). */
  public int attempts() {
    return attempts;
  }

  /** This failure as core's result; the detail starts with the kind's name. */
  public SendResult toSendResult() {
    String detail = kind + ": " + getMessage();
    return new SendResult(kind.outcome(), null, isRetryable() ? retryAfter : null, detail);
  }
}
