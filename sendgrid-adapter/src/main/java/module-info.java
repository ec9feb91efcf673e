/**
 * Steward's SendGrid adapter. Built so far: verification of SendGrid's signed Event Webhook and
 * parsing of its events into core's {@code EmailEvent}s ({@code dev.steward.sendgrid.webhook}).
 */
module dev.steward.sendgrid {
  requires transitive dev.steward.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.steward.sendgrid.webhook;
}
