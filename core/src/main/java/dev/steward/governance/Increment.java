package dev.steward.governance;

import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * One provider event as a {@link GovernanceMetricsStore} counts it: once per tenant and event id,
 * in the buckets holding {@code at}, for the tenant, and for the pool and the tenant in the pool
 * when the pool is known.
 *
 * @param eventId the provider's event id: a repeat of it counts nothing
 * @param counter what the event counts as
 * @param toInactive for a {@link Counter#PROCESSED} event, whether it went to an inactive address
 *     (counted as {@link Counter#SENT_TO_INACTIVE} too); false for any other
 */
public record Increment(
    TenantId tenant,
    String eventId,
    Optional<String> pool,
    Counter counter,
    boolean toInactive,
    Instant at) {
  /** The longest event id. */
  public static final int MAX_EVENT_ID_LENGTH = 256;

  public Increment {
    InvalidGovernanceException.requireNonNull(tenant, "increment tenant");
    String problem = StoreLimits.textProblem(eventId, MAX_EVENT_ID_LENGTH);
    if (problem != null) {
      throw new InvalidGovernanceException("increment event id " + problem);
    }
    // messages built only on failure: an increment is made for every provider event
    if (pool == null) {
      throw new InvalidGovernanceException(
          "increment pool of event " + eventId + " must not be null");
    }
    pool.ifPresent(MetricsKey::checkPool);
    if (counter == null) {
      throw new InvalidGovernanceException(
          "increment counter of event " + eventId + " must not be null");
    }
    if (toInactive && counter != Counter.PROCESSED) {
      throw new InvalidGovernanceException(
          "event " + eventId + ": only a PROCESSED event can be sent to an inactive address");
    }
    if (counter == Counter.SENT_TO_INACTIVE) {
      throw new InvalidGovernanceException(
          "event " + eventId + ": count SENT_TO_INACTIVE as PROCESSED with toInactive");
    }
    problem = StoreLimits.instantProblem(at);
    if (problem != null) {
      throw new InvalidGovernanceException("increment time of event " + eventId + " " + problem);
    }
  }

  /** An increment without a pool. */
  public static Increment of(TenantId tenant, String eventId, Counter counter, Instant at) {
    return new Increment(tenant, eventId, Optional.empty(), counter, false, at);
  }
}
