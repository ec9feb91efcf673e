package dev.steward.schedule;

import java.time.Instant;

/**
 * What a runner writes back for one claimed item. Applied only while the lease is still held (see
 * {@link Lease}); stores apply a list of them in one round trip.
 */
public sealed interface Completion {
  /** The lease the item was claimed under. */
  Lease lease();

  /** The work is finished: the item leaves the store. */
  record Done(Lease lease) implements Completion {
    public Done {
      Checks.notNull(lease, "lease");
    }
  }

  /**
   * The work goes on later: due again at {@code dueAt} with {@code payload} (a new step's state),
   * attempts back to 0; the lease is dropped.
   */
  record Reschedule(Lease lease, Instant dueAt, String payload) implements Completion {
    public Reschedule {
      Checks.notNull(lease, "lease");
      Checks.storable(dueAt, "due time");
      Payloads.check(lease.key(), payload);
    }
  }

  /** The attempt failed: due again at {@code dueAt}, attempts one more, the error kept. */
  record Retry(Lease lease, Instant dueAt, String error) implements Completion {
    public Retry {
      Checks.notNull(lease, "lease");
      Checks.storable(dueAt, "due time");
      error = WorkItem.trimError(error);
    }
  }

  /** Given up: the item is kept DEAD with its error, attempts one more, for operators. */
  record Dead(Lease lease, String error) implements Completion {
    public Dead {
      Checks.notNull(lease, "lease");
      error = WorkItem.trimError(error);
    }
  }
}
