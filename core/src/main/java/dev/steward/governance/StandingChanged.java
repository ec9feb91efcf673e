package dev.steward.governance;

import dev.steward.model.TenantId;
import java.time.Instant;

/**
 * A typed event: a tenant's level changed (or a termination review was called for), with the
 * explanation.
 */
public record StandingChanged(
    TenantId tenant,
    Instant at,
    Level from,
    Level to,
    Cause cause,
    String explanation,
    Standing standing) {}
