/**
 * SendGrid's signed Event Webhook: {@link dev.steward.sendgrid.webhook.EventWebhookVerifier} checks
 * a request's ECDSA signature (Steward's own P-256 verifier, with tables precomputed for the fixed
 * key) and timestamp, and {@link dev.steward.sendgrid.webhook.SendGridEvents} parses its JSON body
 * into core's {@code EmailEvent}s, ready for {@code Steward.accept}.
 */
package dev.steward.sendgrid.webhook;
