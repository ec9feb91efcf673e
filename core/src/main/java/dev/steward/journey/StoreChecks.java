package dev.steward.journey;

import dev.steward.model.TenantId;
import java.util.Collection;

/** Checks of store arguments that every journey store makes alike. */
final class StoreChecks {
  private StoreChecks() {}

  /** The keys of a read of many ({@link JourneyStore#findAll}): no null tenant, list or key. */
  static void keys(TenantId tenant, Collection<?> keys, String what) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(keys, what);
    for (Object k : keys) {
      if (k == null) {
        throw new InvalidJourneyException(what + " must not hold null");
      }
    }
  }
}
