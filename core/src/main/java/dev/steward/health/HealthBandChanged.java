package dev.steward.health;

import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.time.Instant;

/**
 * A tenant's account's score crossed into another alert band and stayed there long enough to count.
 *
 * @param from the band it left
 * @param to the band it entered
 * @param score the evaluation that confirmed the change
 */
public record HealthBandChanged(
    TenantId tenant,
    AccountId account,
    String from,
    String to,
    boolean worsened,
    Instant at,
    HealthScore score) {}
