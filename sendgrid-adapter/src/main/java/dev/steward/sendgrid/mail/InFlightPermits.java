package dev.steward.sendgrid.mail;

import dev.steward.model.TenantId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The transport's bound on open sends: at most {@code overall} at once, and at most {@code
 * perTenant} for one tenant. A send takes a permit before its first request and gives it back
 * exactly once when it ends, whatever the ending.
 */
final class InFlightPermits {
  private final int overall;
  private final int perTenant;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<TenantId, Integer> byTenant = new ConcurrentHashMap<>();

  InFlightPermits(int overall, int perTenant) {
    this.overall = overall;
    this.perTenant = perTenant;
  }

  /**
   * Takes a permit for one send of {@code tenant}; false (nothing taken) when either bound is met.
   * The tenant's slot is taken first and the overall one after it (the tenant's given back if the
   * overall bound is met): a tenant over its own bound never counts against the overall bound, so
   * its burst cannot get other tenants' sends refused.
   */
  boolean acquire(TenantId tenant) {
    boolean[] taken = {false};
    byTenant.compute(
        tenant,
        (t, n) -> {
          int held = n == null ? 0 : n;
          if (held >= perTenant) {
            return n;
          }
          taken[0] = true;
          return held + 1;
        });
    if (!taken[0]) {
      return false;
    }
    if (open.incrementAndGet() > overall) {
      open.decrementAndGet();
      byTenant.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
      return false;
    }
    return true;
  }

  /** Gives back the permit of one ended send of {@code tenant}. */
  void release(TenantId tenant) {
    byTenant.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
    open.decrementAndGet();
  }

  /** Sends open now. */
  int open() {
    return open.get();
  }

  /** The overall bound. */
  int overall() {
    return overall;
  }

  /** The per-tenant bound. */
  int perTenant() {
    return perTenant;
  }
}
