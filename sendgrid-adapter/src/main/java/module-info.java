/**
 * Steward's SendGrid adapter: the mail transport over OkHttp ({@code dev.steward.sendgrid.mail})
 * and verification and parsing of SendGrid's signed Event Webhook ({@code
 * dev.steward.sendgrid.webhook}).
 */
@SuppressWarnings("requires-automatic") // OkHttp 4 ships an Automatic-Module-Name, no module-info
module dev.steward.sendgrid {
  requires transitive dev.steward.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires okhttp3;

  exports dev.steward.sendgrid.mail;
  exports dev.steward.sendgrid.webhook;
}
