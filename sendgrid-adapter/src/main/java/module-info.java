/**
 * Steward's SendGrid adapter: the mail transport over OkHttp ({@code dev.steward.sendgrid.mail}),
 * verification and parsing of SendGrid's signed Event Webhook ({@code
 * dev.steward.sendgrid.webhook}), the account API (webhook settings, subusers, sending keys,
 * suppression lists: {@code dev.steward.sendgrid.admin}) and suppressions kept in step with Steward
 * as due work ({@code dev.steward.sendgrid.suppression}), and governance's ties to SendGrid
 * (subuser suspension, stats back-fill: {@code dev.steward.sendgrid.governance}). {@code
 * dev.steward.sendgrid.internal} is not exported.
 */
@SuppressWarnings("requires-automatic") // OkHttp 4 ships an Automatic-Module-Name, no module-info
module dev.steward.sendgrid {
  requires transitive dev.steward.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires okhttp3;

  exports dev.steward.sendgrid.admin;
  exports dev.steward.sendgrid.governance;
  exports dev.steward.sendgrid.mail;
  exports dev.steward.sendgrid.suppression;
  exports dev.steward.sendgrid.webhook;
}
