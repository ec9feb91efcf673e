package dev.steward.delivery;

import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkStore;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * An {@link EventInbox} in memory, over an {@link InMemoryEventDeduplicationStore} and an {@link
 * InMemoryWorkStore}, for one process and for tests. Acceptance is atomic under one lock: the marks
 * are taken back if the work cannot be stored. Thread-safe.
 */
public final class InMemoryEventInbox implements EventInbox {
  private final InMemoryEventDeduplicationStore seen;
  private final InMemoryWorkStore work;

  private InMemoryEventInbox(InMemoryEventDeduplicationStore seen, InMemoryWorkStore work) {
    this.seen = Objects.requireNonNull(seen, "seen");
    this.work = Objects.requireNonNull(work, "work");
  }

  /** An inbox whose accepted events are scheduled as work in {@code work}. */
  public static InMemoryEventInbox of(InMemoryWorkStore work) {
    return new InMemoryEventInbox(new InMemoryEventDeduplicationStore(), work);
  }

  @Override
  public synchronized Set<String> accept(
      List<String> ids, Instant at, Function<Set<String>, List<WorkItem>> plan) {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(plan, "plan");
    Set<String> fresh = seen.claim(ids, at);
    if (fresh.isEmpty()) {
      return fresh;
    }
    try {
      List<WorkItem> items = plan.apply(Collections.unmodifiableSet(fresh));
      work.scheduleAll(items, IfExists.KEEP);
    } catch (RuntimeException | Error e) {
      // nothing stays half-written: the provider's retry must find these ids new again
      seen.release(fresh);
      throw e;
    }
    return fresh;
  }

  @Override
  public synchronized int purgeSeenBefore(Instant cutoff) {
    return seen.purgeSeenBefore(Objects.requireNonNull(cutoff, "cutoff"));
  }

  @Override
  public synchronized int purgeSeenBefore(Instant cutoff, int max) {
    Objects.requireNonNull(cutoff, "cutoff");
    return max <= 0 ? 0 : seen.purgeSeenBefore(cutoff, max);
  }

  @Override
  public WorkStore work() {
    return work;
  }
}
