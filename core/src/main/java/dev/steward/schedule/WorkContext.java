package dev.steward.schedule;

import dev.steward.internal.Sized;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

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
  private final Lease lease;

  /** Renews leases as the heartbeat does; answers those still held. */
  private final UnaryOperator<List<Lease>> renew;

  WorkContext(
      WorkItem item,
      P payload,
      WorkType<P> type,
      Instant startedAt,
      Lease lease,
      UnaryOperator<List<Lease>> renew) {
    this.item = item;
    this.payload = payload;
    this.type = type;
    this.startedAt = startedAt;
    this.lease = lease;
    this.renew = renew;
  }

  /**
   * Whether this run's claim still stands in the store: false once the item was cancelled (an
   * erasure, an opt-out, a caller's cancel) or another runner took it after this one's lease
   * lapsed. A handler about to do what it cannot undo (send mail) asks first. It renews the lease
   * as the heartbeat does, so it costs one store round trip.
   */
  public boolean claimHeld() {
    return !renew.apply(List.of(lease)).isEmpty();
  }

  /**
   * Those of {@code work} whose claim still stands (see {@link #claimHeld}), in their order: the
   * claims of one runner are renewed in one store round trip, so a batch handler about to send for
   * many items asks once instead of once per item.
   */
  public static <P> List<WorkContext<P>> claimsHeld(List<WorkContext<P>> work) {
    Objects.requireNonNull(work, "work");
    Map<UnaryOperator<List<Lease>>, List<Lease>> byRunner = new IdentityHashMap<>();
    for (WorkContext<P> w : work) {
      byRunner.computeIfAbsent(w.renew, r -> new ArrayList<>()).add(w.lease);
    }
    Set<Lease> held = new HashSet<>(Sized.capacity(work.size()));
    byRunner.forEach((r, leases) -> held.addAll(r.apply(leases)));
    List<WorkContext<P>> out = new ArrayList<>(work.size());
    for (WorkContext<P> w : work) {
      if (held.contains(w.lease)) {
        out.add(w);
      }
    }
    return out;
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
