package dev.steward.sendgrid.webhook;

/**
 * A webhook body is not a well-formed JSON array of SendGrid events, or an event lacks what every
 * event must carry; the message names the place (line and column, or the event's index) without
 * quoting addresses. Answer the request 4xx and apply nothing.
 */
public final class MalformedEventsException extends WebhookException {
  private static final long serialVersionUID = 1L;

  MalformedEventsException(String message) {
    super(message);
  }

  MalformedEventsException(String message, Throwable cause) {
    super(message, cause);
  }
}
