/**
 * The SendGrid adapter: mail transport, signed Event Webhook, subusers, IP pools.
 *
 * <p>Not built yet. This module exists so that the build layout of the design is in place; the
 * adapter itself is planned work (see the README's feature list).
 */
package dev.steward.sendgrid;
