package dev.steward.model;

import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code Optional} per recipient zone, shared by every message in that zone: a platform has a
 * few hundred zones and millions of messages, and a message read for a decision then finds its zone
 * in an object every other message also reads, not in one of its own (a cache miss per decision
 * when many messages are in flight).
 */
final class SharedZones {
  /** Enough for every region id and offset in use; past it, messages keep their own. */
  private static final int MAX = 4096;

  private static final ConcurrentHashMap<ZoneId, Optional<ZoneId>> SHARED =
      new ConcurrentHashMap<>();

  private SharedZones() {}

  static Optional<ZoneId> shared(Optional<ZoneId> zone) {
    if (zone.isEmpty()) {
      return Optional.empty();
    }
    Optional<ZoneId> s = SHARED.get(zone.get());
    if (s != null) {
      return s;
    }
    if (SHARED.size() >= MAX) {
      return zone;
    }
    s = SHARED.putIfAbsent(zone.get(), zone);
    return s == null ? zone : s;
  }
}
