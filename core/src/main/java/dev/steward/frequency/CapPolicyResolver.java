package dev.steward.frequency;

import dev.steward.model.TenantId;

/**
 * Gives the cap policy of a tenant; the limiter asks it on every decision, so a changed policy
 * applies to the next decision without a restart. Return the same {@link CapPolicy} instance while
 * a tenant's policy is unchanged (hold them in a map, and swap the map's entry on a change): the
 * limiter compiles each policy once and finds it again by identity first, then by equality (a fresh
 * but equal instance is found too, at the cost of comparing it). Must be thread-safe and quick; it
 * must not return null.
 */
@FunctionalInterface
public interface CapPolicyResolver {
  /** The policy of {@code tenant}; never null. */
  CapPolicy policyFor(TenantId tenant);

  /** The same policy for every tenant. */
  static CapPolicyResolver of(CapPolicy policy) {
    if (policy == null) {
      throw new InvalidLimiterArgumentException("policy must not be null");
    }
    return tenant -> policy;
  }
}
