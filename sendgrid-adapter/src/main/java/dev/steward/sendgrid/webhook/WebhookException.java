package dev.steward.sendgrid.webhook;

import dev.steward.StewardException;

/** Root of the exceptions thrown while verifying or parsing SendGrid's Event Webhook. */
public class WebhookException extends StewardException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message naming what is wrong. */
  public WebhookException(String message) {
    super(message);
  }

  /** An exception with a message naming what is wrong, and its cause. */
  public WebhookException(String message, Throwable cause) {
    super(message, cause);
  }
}
