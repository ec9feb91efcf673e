/**
 * SendGrid's signed Event Webhook: {@link dev.steward.sendgrid.webhook.EventWebhookVerifier} checks
 * a request's ECDSA signature and timestamp with the JDK alone, and {@link
 * dev.steward.sendgrid.webhook.SendGridEvents} parses its JSON body into core's {@code
 * EmailEvent}s, ready for {@code Steward.accept}.
 */
package dev.steward.sendgrid.webhook;
