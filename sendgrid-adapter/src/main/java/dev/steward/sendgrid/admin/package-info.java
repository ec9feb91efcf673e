/**
 * SendGrid's account API for Steward, with the parent key: the signed Event Webhook's settings
 * ({@link dev.steward.sendgrid.admin.EventWebhooks}), one subuser per tenant with its suspension
 * and daily credit limit ({@link dev.steward.sendgrid.admin.Subusers}), each tenant's sending key
 * ({@link dev.steward.sendgrid.admin.ApiKeys}) and the suppression lists ({@link
 * dev.steward.sendgrid.admin.SuppressionLists}). Build them from one {@link
 * dev.steward.sendgrid.admin.SendGridAdmin}.
 */
package dev.steward.sendgrid.admin;
