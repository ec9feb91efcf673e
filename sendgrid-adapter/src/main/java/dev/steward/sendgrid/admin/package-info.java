/**
 * SendGrid's account API for Steward, with the parent key: the signed Event Webhook's settings
 * ({@link dev.steward.sendgrid.admin.EventWebhooks}), one subuser per tenant with its suspension
 * and daily credit limit ({@link dev.steward.sendgrid.admin.Subusers}), each tenant's sending key
 * ({@link dev.steward.sendgrid.admin.ApiKeys}), the suppression lists ({@link
 * dev.steward.sendgrid.admin.SuppressionLists}), domain authentication ({@link
 * dev.steward.sendgrid.admin.DomainAuthentications}, and core's onboarding SPI on it: {@link
 * dev.steward.sendgrid.admin.SendGridSenderAuthentication}), single-sender verification ({@link
 * dev.steward.sendgrid.admin.VerifiedSenders}), IP pools, IP warm-up and subusers' IPs ({@link
 * dev.steward.sendgrid.admin.IpPools}, and core's IP-pool SPI on them: {@link
 * dev.steward.sendgrid.admin.SendGridIpPoolAdmin}) and statistics ({@link
 * dev.steward.sendgrid.admin.Stats}). Build them from one {@link
 * dev.steward.sendgrid.admin.SendGridAdmin}; {@link dev.steward.sendgrid.admin.TenantSubusers} says
 * which subuser a tenant is.
 */
package dev.steward.sendgrid.admin;
