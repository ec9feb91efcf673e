package dev.steward.sendgrid.webhook;

/** The outcome of checking one Event Webhook request: valid, or the one thing found wrong. */
public enum Verification {
  /** The signature matches the timestamp and body, and the timestamp is recent. */
  VALID("the signature is valid"),
  /** No {@value EventWebhookVerifier#SIGNATURE_HEADER} header, or a blank one. */
  MISSING_SIGNATURE("the " + EventWebhookVerifier.SIGNATURE_HEADER + " header is missing"),
  /** No {@value EventWebhookVerifier#TIMESTAMP_HEADER} header, or a blank one. */
  MISSING_TIMESTAMP("the " + EventWebhookVerifier.TIMESTAMP_HEADER + " header is missing"),
  /** The timestamp header is not a number of seconds since the epoch. */
  MALFORMED_TIMESTAMP(
      "the " + EventWebhookVerifier.TIMESTAMP_HEADER + " header is not a unix time in seconds"),
  /** The timestamp is older than the verifier's maximum age: a replay, or a very late retry. */
  STALE_TIMESTAMP("the timestamp is older than the allowed maximum age"),
  /** The timestamp lies further ahead of this clock than the allowed clock skew. */
  FUTURE_TIMESTAMP("the timestamp lies in the future beyond the allowed clock skew"),
  /** The signature header is not base64, or not a DER-encoded ECDSA signature. */
  MALFORMED_SIGNATURE(
      "the " + EventWebhookVerifier.SIGNATURE_HEADER + " header is not a base64 DER signature"),
  /** The signature does not match the timestamp and body under the configured key. */
  BAD_SIGNATURE("the signature does not match the timestamp and body for the configured key");

  private final String description;

  Verification(String description) {
    this.description = description;
  }

  /** True only for {@link #VALID}. */
  public boolean isValid() {
    return this == VALID;
  }

  /** What was found, in words fit for a log line or a 4xx answer (never key material). */
  public String description() {
    return description;
  }
}
