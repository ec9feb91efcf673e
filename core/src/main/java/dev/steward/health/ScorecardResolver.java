package dev.steward.health;

import dev.steward.health.SegmentedScorecards.Choice;
import dev.steward.model.TenantId;
import java.util.Map;

/**
 * Chooses the scorecard for a tenant's account: {@link SegmentedScorecards} (one set of segments,
 * which may match on the tenant) or {@link TenantScorecards} (each tenant its own segments).
 * Implementations are immutable and thread-safe.
 */
@FunctionalInterface
public interface ScorecardResolver {

  /**
   * The segment and scorecard for the tenant's account with these attributes.
   *
   * @throws InvalidHealthInputException if the tenant or the attributes are null
   */
  Choice choose(TenantId tenant, Map<String, String> attributes);
}
