package dev.steward.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * What a handler gets: the stored item, its decoded payload, and when the run started.
 *
 * @param <P> the payload's type
 */
public final class WorkContext<P> {
  private final WorkItem item;
  private final P payload;
  private final WorkType<P> type;
  private final Instant startedAt;
  private final BooleanSupplier claim;

  WorkContext(
      WorkItem item, P payload, WorkType<P> type, Instant startedAt, BooleanSupplier claim) {
    this.item = item;
    this.payload = payload;
    this.type = type;
    this.startedAt = startedAt;
    this.claim = claim;
  }

  /**
   * Whether this run's claim still stands in the store: false once the item was cancelled (an
   * erasure, an opt-out, a caller's cancel) or another runner took it after this one's lease
   * lapsed. A handler about to do what it cannot undo (send mail) asks first. It renews the lease
   * as the heartbeat does, so it costs one store round trip.
   */
  public boolean claimHeld() {
    return claim.getAsBoolean();
  }

  /** The item as it was claimed (attempts counts earlier failures). */
  public WorkItem item() {
    return item;
  }

  /** The decoded payload. */
  public P payload() {
    return payload;
  }

  /** The runner's clock when this run started. */
  public Instant startedAt() {
    return startedAt;
  }

  /** Run again at {@code at} with a new payload, encoded by this kind's type. */
  public Next rescheduleAt(Instant at, P newPayload) {
    return Next.rescheduleAt(at, type.encode(Objects.requireNonNull(newPayload, "newPayload")));
  }
}
