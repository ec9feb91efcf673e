package dev.steward.delivery;

import dev.steward.model.ContactId;
import dev.steward.model.MessageId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link DeferredQueue} in memory, for one process and for tests. Thread-safe. */
public final class InMemoryDeferredQueue implements DeferredQueue {

  private static final Comparator<Entry> BY_DUE =
      Comparator.comparing((Entry e) -> e.deferred.dueAt())
          .thenComparing(e -> e.deferred.message().id());

  private final Map<MessageId, Entry> entries = new HashMap<>();

  @Override
  public synchronized void defer(DeferredMessage deferred) {
    entries.put(deferred.message().id(), new Entry(deferred, null, null));
  }

  @Override
  public synchronized boolean reschedule(DeferredMessage deferred) {
    MessageId id = deferred.message().id();
    if (!entries.containsKey(id)) {
      return false;
    }
    entries.put(id, new Entry(deferred, null, null));
    return true;
  }

  @Override
  public synchronized List<DeferredMessage> claimDue(
      Instant now, int max, String owner, Duration lease) {
    if (max <= 0) {
      return List.of();
    }
    Instant until = now.plus(lease);
    List<Entry> due = new ArrayList<>();
    for (Entry e : entries.values()) {
      boolean free = e.owner == null || !e.leaseUntil.isAfter(now);
      if (free && !e.deferred.dueAt().isAfter(now)) {
        due.add(e);
      }
    }
    due.sort(BY_DUE);
    List<DeferredMessage> claimed = new ArrayList<>(Math.min(max, due.size()));
    for (Entry e : due.subList(0, Math.min(max, due.size()))) {
      entries.put(e.deferred.message().id(), new Entry(e.deferred, owner, until));
      claimed.add(e.deferred);
    }
    return claimed;
  }

  @Override
  public synchronized boolean complete(MessageId id) {
    return entries.remove(id) != null;
  }

  @Override
  public synchronized int cancelContact(ContactId contact) {
    int before = entries.size();
    entries.values().removeIf(e -> e.deferred.message().contact().equals(contact));
    return before - entries.size();
  }

  @Override
  public synchronized Optional<DeferredMessage> find(MessageId id) {
    Entry e = entries.get(id);
    return e == null ? Optional.empty() : Optional.of(e.deferred);
  }

  @Override
  public synchronized List<DeferredMessage> pendingFor(ContactId contact) {
    return entries.values().stream()
        .filter(e -> e.deferred.message().contact().equals(contact))
        .sorted(BY_DUE)
        .map(e -> e.deferred)
        .toList();
  }

  @Override
  public synchronized int size() {
    return entries.size();
  }

  private record Entry(DeferredMessage deferred, String owner, Instant leaseUntil) {}
}
