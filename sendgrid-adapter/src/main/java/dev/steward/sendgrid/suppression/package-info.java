/**
 * Suppressions kept in step between SendGrid and Steward, as due work on core's {@code WorkRunner}:
 * {@link dev.steward.sendgrid.suppression.SuppressionSync} reads SendGrid's lists page by page into
 * the tenant's {@code SuppressionStore}, resuming from its last page after a crash; {@link
 * dev.steward.sendgrid.suppression.SuppressionPush} pushes Steward's opt-outs to SendGrid once.
 */
package dev.steward.sendgrid.suppression;
