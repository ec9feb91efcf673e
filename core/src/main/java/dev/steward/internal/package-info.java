/** Internal: helpers shared by Steward's capabilities. Not API; it may change in any release. */
package dev.steward.internal;
