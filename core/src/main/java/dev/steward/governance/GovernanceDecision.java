package dev.steward.governance;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * What one evaluation of a tenant decided, and why.
 *
 * @param previous the level before
 * @param cause what happened ({@link Cause#UNCHANGED} and {@link Cause#INSUFFICIENT_DATA} change
 *     nothing)
 * @param breaches every metric at or above a rung's threshold, highest rung first
 * @param readings the windows read, with their counts
 * @param explanation the decision in words, naming metric, value, threshold and window
 * @param standing the standing after the decision
 */
public record GovernanceDecision(
    TenantId tenant,
    Instant at,
    Level previous,
    Cause cause,
    List<Breach> breaches,
    List<WindowReading> readings,
    String explanation,
    Standing standing) {

  public GovernanceDecision {
    breaches = List.copyOf(breaches);
    readings = List.copyOf(readings);
  }

  /** The level after the decision. */
  public Level level() {
    return standing.level();
  }

  /** True if the level changed. */
  public boolean changed() {
    return previous != standing.level();
  }
}
