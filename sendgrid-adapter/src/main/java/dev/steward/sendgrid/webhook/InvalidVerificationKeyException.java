package dev.steward.sendgrid.webhook;

/**
 * The Event Webhook verification key is not a base64 X.509 SubjectPublicKeyInfo of a P-256 key. The
 * message says which; it never holds the key.
 */
public final class InvalidVerificationKeyException extends WebhookException {
  private static final long serialVersionUID = 1L;

  InvalidVerificationKeyException(String message) {
    super(message);
  }
}
