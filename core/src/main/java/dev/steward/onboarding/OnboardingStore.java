package dev.steward.onboarding;

import dev.steward.model.TenantId;
import java.util.List;
import java.util.Optional;

/**
 * Keeps one {@link OnboardingRecord} per tenant. The state machine computes each change and asks
 * the store to apply it only over the version it read ({@link #replace}), so of two instances
 * moving one tenant at once exactly one succeeds. Implementations: {@link InMemoryOnboardingStore},
 * and {@code dev.steward.jdbc.JdbcOnboardingStore}.
 */
public interface OnboardingStore {
  /** The largest page {@link #list} returns. */
  int MAX_PAGE = 1000;

  /** The tenant's record, if it was enrolled. */
  Optional<OnboardingRecord> find(TenantId tenant);

  /**
   * Stores {@code record} (version 1) for a tenant that has none; false (and nothing written) if
   * the tenant already has one. A tenant enrolled again after {@link #eraseTenant} continues from
   * the erased record's version (the record is stored one version past it, as {@link #find} then
   * answers), so versions of a tenant never repeat and a change computed from the erased record can
   * never apply to the new one.
   */
  boolean insert(OnboardingRecord record);

  /**
   * Replaces the tenant's record by {@code next} if the stored one still has version {@code
   * expectedVersion}; false (and nothing written) otherwise. {@code next} must have version {@code
   * expectedVersion + 1}.
   */
  boolean replace(long expectedVersion, OnboardingRecord next);

  /** Tenants in {@code state}, in tenant order, after {@code after}, at most {@code limit}. */
  List<TenantId> list(OnboardingState state, Optional<TenantId> after, int limit);

  /**
   * Deletes the tenant's record; true if there was one. Only its version stays behind (see {@link
   * #insert}): the audit trail, verdicts and who enrolled it are gone.
   */
  boolean eraseTenant(TenantId tenant);

  /**
   * True if the tenant's record was erased ({@link #eraseTenant}) and it has not been enrolled
   * again: the tenant gate does not take such a tenant for one that predates onboarding ({@link
   * TenantGate.Builder#allowUnenrolled()}), so a terminated tenant erased after its retention sends
   * nothing more. The default answers false, for a store that keeps nothing of an erased record.
   */
  default boolean erased(TenantId tenant) {
    return false;
  }
}
