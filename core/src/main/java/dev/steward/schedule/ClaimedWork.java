package dev.steward.schedule;

/** A work item a runner claimed, with the lease it holds it under. */
public record ClaimedWork(WorkItem item, Lease lease) {
  public ClaimedWork {
    Checks.notNull(item, "item");
    Checks.notNull(lease, "lease");
  }
}
