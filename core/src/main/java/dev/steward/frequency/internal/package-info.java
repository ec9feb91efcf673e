/**
 * Internal: the argument checks every store of this capability makes (in memory and JDBC alike).
 * Not exported; it may change in any release.
 */
package dev.steward.frequency.internal;
