package dev.steward.schedule;

import java.time.Instant;
import java.util.Objects;

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

  WorkContext(WorkItem item, P payload, WorkType<P> type, Instant startedAt) {
    this.item = item;
    this.payload = payload;
    this.type = type;
    this.startedAt = startedAt;
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
