package dev.steward.ippool;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where each tenant stream's pool assignment and the audit of its changes are kept, so that
 * instances agree on where mail goes. {@link #apply} is a compare-and-set on the assignment's
 * version: of two instances applying one move, exactly one records it, and the audit never holds a
 * change twice. A null argument is refused with an {@link InvalidIpPoolException} before anything
 * is written. Implementations: {@link InMemoryPoolAssignmentStore}, and {@code
 * dev.steward.jdbc.JdbcPoolAssignmentStore}.
 */
public interface PoolAssignmentStore {

  /** The most audit entries {@link #changes} returns. */
  int MAX_CHANGES = 1000;

  /** The stream's assignment, if it has one. */
  Optional<PoolAssignment> find(TenantId tenant, Stream stream);

  /** The tenant's assignments, in stream order. */
  List<PoolAssignment> assignments(TenantId tenant);

  /** How many tenant streams are assigned to {@code pool}. */
  int countIn(PoolName pool);

  /**
   * Records {@code change} if the stream's assignment still has version {@code change.version() -
   * 1} (no assignment counts as version 0): the assignment becomes the change's, and the change
   * joins the audit, both or neither. False, and nothing written, if the version has moved on.
   */
  boolean apply(PoolChange change);

  /**
   * The tenant's latest changes, oldest first (at one instant by stream, then version), at most
   * {@code limit} (up to {@value #MAX_CHANGES}).
   */
  List<PoolChange> changes(TenantId tenant, int limit);

  /**
   * Deletes the tenant's assignments and audit; how many assignments there were. Idempotent. The
   * stores shipped keep an undated tombstone, which the first {@link #erasedAt(TenantId, Instant)}
   * dates: a plan made before the erasure is then stale (and so, harmlessly, is one made between
   * the erasure and that first look: the next plan proposes its moves again).
   */
  int eraseTenant(TenantId tenant);

  /**
   * Deletes the tenant's assignments and audit and keeps a tombstone dated {@code erasedAt} (the
   * later one if the tenant has one), so that a plan made at or before the erasure and applied
   * after it is stale ({@link PoolPlanApplier}) and writes nothing of the tenant again. The default
   * keeps no tombstone.
   */
  default int eraseTenant(TenantId tenant, Instant erasedAt) {
    return eraseTenant(tenant);
  }

  /**
   * When the tenant's assignments were last erased, if the store keeps a tombstone of it; an
   * undated tombstone ({@link #eraseTenant(TenantId)}) is dated {@code now} by the first call and
   * keeps that date. The default keeps none.
   */
  default Optional<Instant> erasedAt(TenantId tenant, Instant now) {
    return Optional.empty();
  }

  /**
   * Forgets at most {@code max} erasure tombstones dated before {@code cutoff}; how many. An
   * undated tombstone is dated {@code now} first (as {@link #erasedAt(TenantId, Instant)} would),
   * so it goes one retention period later. Run by {@link PoolErasureRetention}. The default keeps
   * no tombstones and forgets none.
   *
   * @throws InvalidIpPoolException if an argument is null or {@code max} is below 1
   */
  default int purgeErasuresBefore(Instant cutoff, Instant now, int max) {
    PoolErasureRetention.check(cutoff, now, max);
    return 0;
  }
}
