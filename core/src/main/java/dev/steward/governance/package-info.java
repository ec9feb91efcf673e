/**
 * Sending governance: reputation metrics per tenant and pool from the provider's events, kept in
 * hourly and daily buckets of a {@link dev.steward.governance.GovernanceMetricsStore}; an
 * escalation {@link dev.steward.governance.Ladder} as data (warn, restrict, quarantine, suspend,
 * terminate) with defaults anchored on published limits; and the {@link
 * dev.steward.governance.GovernanceEvaluator}, which re-evaluates a tenant as due work and keeps
 * its {@link dev.steward.governance.Standing} in a {@link dev.steward.governance.StandingStore},
 * every decision explained by the metric, value, threshold and window that caused it.
 */
package dev.steward.governance;
