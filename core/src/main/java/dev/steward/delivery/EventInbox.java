package dev.steward.delivery;

import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkStore;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Where webhook events are accepted durably: in one atomic step, the de-duplication marks of a
 * batch's events and the work items that will process the new ones are written together, so a crash
 * either keeps both (the work runs later) or neither (the provider's retry brings the batch again).
 * The {@link EventIngestor} holds the logic (validation, encoding, splitting); a backend implements
 * only this primitive.
 *
 * <p>Implementations: {@link InMemoryEventInbox}, and {@code dev.steward.jdbc.JdbcEventInbox} for
 * H2 and PostgreSQL, which pass one contract suite.
 */
public interface EventInbox {

  /**
   * Atomically marks each of {@code ids} (distinct) as seen at {@code at} unless it was seen
   * before, and stores the work items {@code plan} makes from the ids that were new (as {@link
   * WorkStore#schedule} with {@code KEEP}). If {@code plan} throws or a write fails, nothing is
   * stored and the exception propagates. {@code plan} may run more than once and must not have side
   * effects.
   *
   * @return the new ids, in the order given
   */
  Set<String> accept(List<String> ids, Instant at, Function<Set<String>, List<WorkItem>> plan);

  /** Forgets ids seen before {@code cutoff} (a provider retries for a bounded time); how many. */
  int purgeSeenBefore(Instant cutoff);

  /**
   * Forgets at most {@code max} of the ids seen before {@code cutoff}, how many; fewer than {@code
   * max} means none is left. Bounded, so that a purge run as recurring work never holds locks on a
   * large backlog at once. {@code max} below 1 forgets nothing.
   *
   * <p>The default refuses, for inboxes written before bounded purges existed.
   *
   * @throws UnsupportedOperationException if the inbox cannot purge in batches
   */
  default int purgeSeenBefore(Instant cutoff, int max) {
    throw new UnsupportedOperationException(
        getClass().getName() + " cannot purge in batches; implement purgeSeenBefore(cutoff, max)");
  }

  /**
   * The work store the accepted work goes into: run a {@link dev.steward.schedule.WorkRunner} over
   * it.
   */
  WorkStore work();
}
