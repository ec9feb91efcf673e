/** Internals of the onboarding workflow shared with the JDBC stores; not exported. */
package dev.steward.onboarding.internal;
