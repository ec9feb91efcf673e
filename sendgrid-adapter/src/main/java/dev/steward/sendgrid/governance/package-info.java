/**
 * SendGrid bound to Steward's governance: a tenant's subuser disabled while governance suspends or
 * terminates it ({@link dev.steward.sendgrid.governance.SubuserSuspension}), and governance metrics
 * back-filled from SendGrid's statistics for days the Event Webhook missed ({@link
 * dev.steward.sendgrid.governance.StatsBackfill}), and a warning when a subuser's reputation drops
 * below a threshold ({@link dev.steward.sendgrid.governance.ReputationWatch}).
 */
package dev.steward.sendgrid.governance;
