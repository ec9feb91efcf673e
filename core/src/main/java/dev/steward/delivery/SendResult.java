package dev.steward.delivery;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link MailTransport} says of one send.
 *
 * @param status the outcome class, which decides what the dispatcher does next
 * @param providerMessageId the provider's id for an accepted message (SendGrid's X-Message-Id)
 * @param retryAfter for RETRYABLE: when the provider allows the next try; null means "soon"
 * @param detail a sentence for logs and results; never a secret
 */
public record SendResult(
    Status status, String providerMessageId, Instant retryAfter, String detail) {

  public SendResult {
    Objects.requireNonNull(status, "status");
    detail = detail == null ? "" : detail;
  }

  public static SendResult accepted(String providerMessageId) {
    return new SendResult(Status.ACCEPTED, providerMessageId, null, "accepted");
  }

  public static SendResult retryable(Instant retryAfter, String detail) {
    return new SendResult(Status.RETRYABLE, null, retryAfter, detail);
  }

  public static SendResult rejected(String detail) {
    return new SendResult(Status.REJECTED, null, null, detail);
  }

  public static SendResult unknown(String detail) {
    return new SendResult(Status.UNKNOWN, null, null, detail);
  }

  /** The outcome classes of a send. */
  public enum Status {
    /** The provider took the message. */
    ACCEPTED,
    /** The provider refused for now (429, 5xx, connection refused before sending): try again. */
    RETRYABLE,
    /** The provider refused for good (400, 401, 403, 413): do not try again. */
    REJECTED,
    /** The request may or may not have left (a time-out after writing): reconcile, never resend. */
    UNKNOWN
  }
}
