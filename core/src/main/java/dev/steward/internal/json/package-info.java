/**
 * Internal: the strict JSON reader shared by every capability that reads JSON. Not API; it may
 * change in any release.
 */
package dev.steward.internal.json;
