package dev.steward.delivery;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;

/**
 * Store of the event ids already taken in, so that a provider's repeated delivery of an event
 * (SendGrid delivers at least once) is processed once.
 */
interface EventDeduplicationStore {

  /**
   * Marks the ids as seen at {@code at}, atomically per id, and returns those that were not seen
   * before (by this or any other instance). Ids within {@code ids} are distinct.
   */
  Set<String> claim(Collection<String> ids, Instant at);

  /** Forgets ids claimed by a batch whose processing failed, so a retry processes them. */
  void release(Collection<String> ids);

  /** Forgets ids seen before {@code cutoff} (a provider retries for a bounded time); the count. */
  int purgeSeenBefore(Instant cutoff);
}
