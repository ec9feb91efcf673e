package dev.steward.sendgrid.mail;

import dev.steward.delivery.SendResult;

/** Why a send to SendGrid failed, and so what the dispatcher may do next. */
public enum FailureKind {
  /** The mail breaks a SendGrid limit or lacks a part; nothing was sent. */
  INVALID_MAIL(SendResult.Status.REJECTED),
  /** The tenant has no key. */
  NO_CREDENTIALS(SendResult.Status.REJECTED),
  /** The credentials SPI failed; nothing was sent. */
  CREDENTIALS_UNAVAILABLE(SendResult.Status.RETRYABLE),
  /** Too many requests in flight, overall or for the tenant; nothing was sent. */
  BUSY(SendResult.Status.RETRYABLE),
  /** 400: SendGrid refused the request; see the field errors. */
  BAD_REQUEST(SendResult.Status.REJECTED),
  /** 401: the key is wrong or revoked. */
  AUTHENTICATION(SendResult.Status.REJECTED),
  /** 403: the key lacks the scope, or the from address is not a verified sender identity. */
  FORBIDDEN(SendResult.Status.REJECTED),
  /** 413: the request is too large. */
  PAYLOAD_TOO_LARGE(SendResult.Status.REJECTED),
  /** 429 after the allowed tries or wait: try again at the rate limit's reset. */
  RATE_LIMITED(SendResult.Status.RETRYABLE),
  /** 5xx after the allowed tries. */
  SERVER_ERROR(SendResult.Status.RETRYABLE),
  /** Another HTTP status SendGrid does not document for Mail Send. */
  UNEXPECTED_STATUS(SendResult.Status.REJECTED),
  /** A failure before the request was written (connect refused, DNS, TLS) after the tries. */
  NETWORK(SendResult.Status.RETRYABLE),
  /**
   * A failure after the request was written (time-out, connection dropped): SendGrid may have taken
   * the mail. Never resent; the {@code processed} event settles it.
   */
  AMBIGUOUS(SendResult.Status.UNKNOWN);

  private final SendResult.Status outcome;

  FailureKind(SendResult.Status outcome) {
    this.outcome = outcome;
  }

  /** The outcome class this failure is reported as. */
  public SendResult.Status outcome() {
    return outcome;
  }
}
