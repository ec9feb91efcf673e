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

  /**
   * The changes of {@link JourneyStore#advanceAll}: no null list or change, no enrolment twice (its
   * changes would race each other in one statement).
   */
  static void advances(java.util.List<JourneyStore.Advance> changes) {
    InvalidJourneyException.requireNonNull(changes, "changes");
    java.util.Set<java.util.List<String>> seen = new java.util.HashSet<>();
    for (JourneyStore.Advance a : changes) {
      if (a == null) {
        throw new InvalidJourneyException("changes must not hold null");
      }
      if (!seen.add(java.util.List.of(a.next().tenant().value(), a.next().id()))) {
        throw new InvalidJourneyException(
            "changes hold enrolment "
                + a.next().id()
                + " of tenant "
                + a.next().tenant()
                + " twice; one call advances an enrolment once");
      }
    }
  }
}
