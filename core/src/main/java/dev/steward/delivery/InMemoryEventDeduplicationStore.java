package dev.steward.delivery;

import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** An {@link EventDeduplicationStore} in memory, for one process and for tests. Thread-safe. */
final class InMemoryEventDeduplicationStore implements EventDeduplicationStore {

  private final ConcurrentMap<String, Instant> seen = new ConcurrentHashMap<>();

  @Override
  public Set<String> claim(Collection<String> ids, Instant at) {
    Set<String> fresh = new LinkedHashSet<>();
    for (String id : ids) {
      if (seen.putIfAbsent(id, at) == null) {
        fresh.add(id);
      }
    }
    return fresh;
  }

  @Override
  public void release(Collection<String> ids) {
    ids.forEach(seen::remove);
  }

  /** Forgets at most {@code max} ids seen before {@code cutoff}; how many. */
  int purgeSeenBefore(Instant cutoff, int max) {
    int removed = 0;
    for (Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator();
        it.hasNext() && removed < max; ) {
      if (it.next().getValue().isBefore(cutoff)) {
        it.remove();
        removed++;
      }
    }
    return removed;
  }

  @Override
  public int purgeSeenBefore(Instant cutoff) {
    int[] removed = {0};
    seen.entrySet()
        .removeIf(
            e -> {
              boolean old = e.getValue().isBefore(cutoff);
              if (old) {
                removed[0]++;
              }
              return old;
            });
    return removed[0];
  }
}
