package dev.steward.sendgrid.webhook;

/**
 * A webhook request failed verification (answer it 4xx, apply nothing); {@link #verification()}
 * says why.
 */
public final class WebhookRejectedException extends WebhookException {
  private static final long serialVersionUID = 1L;

  private final Verification verification;

  WebhookRejectedException(Verification verification) {
    super("Event Webhook request rejected: " + verification.description());
    this.verification = verification;
  }

  /** Why the request was rejected; never {@link Verification#VALID}. */
  public Verification verification() {
    return verification;
  }
}
