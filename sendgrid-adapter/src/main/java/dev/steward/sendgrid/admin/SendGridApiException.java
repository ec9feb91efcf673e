package dev.steward.sendgrid.admin;

import dev.steward.StewardException;
import dev.steward.sendgrid.mail.FieldError;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A call to SendGrid's account API (webhook settings, subusers, API keys, suppressions) that
 * failed: its {@link ApiFailureKind}, the HTTP status when there was one, SendGrid's field errors,
 * and for a rate limit the reset. The message names the operation, never an API key, a password or
 * an address.
 */
public class SendGridApiException extends StewardException {
  private static final long serialVersionUID = 1L;

  private final ApiFailureKind kind;
  private final int httpStatus;
  private final transient List<FieldError> fieldErrors;
  private final transient Instant retryAfter;

  /** A failure of {@code kind}; {@code httpStatus} 0 when there was no answer. */
  public SendGridApiException(
      ApiFailureKind kind,
      String message,
      int httpStatus,
      List<FieldError> fieldErrors,
      Instant retryAfter,
      Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.httpStatus = httpStatus;
    this.fieldErrors = List.copyOf(fieldErrors);
    this.retryAfter = retryAfter;
  }

  /** Why it failed. */
  public ApiFailureKind kind() {
    return kind;
  }

  /** True when trying again later may succeed. */
  public boolean isRetryable() {
    return kind.retryable();
  }

  /** The HTTP status of SendGrid's answer, when there was one. */
  public OptionalInt httpStatus() {
    return httpStatus == 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
  }

  /** SendGrid's field errors (empty when it gave none). */
  public List<FieldError> fieldErrors() {
    return fieldErrors == null ? List.of() : fieldErrors;
  }

  /** For a rate limit: when SendGrid said it resets. */
  public Optional<Instant> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
