package dev.steward.model;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code Optional} per region zone, shared by every message in that zone: a platform has a few
 * hundred zones and millions of messages, and a message read for a decision then finds its zone in
 * an object every other message also reads, not in one of its own (a cache miss per decision when
 * many messages are in flight). The map is built once from the JDK's zone ids and never changes; a
 * zone outside it (an offset, a zone added by a custom rules provider) keeps its own.
 */
final class SharedZones {
  private static final Map<ZoneId, Optional<ZoneId>> SHARED = regions();

  private SharedZones() {}

  private static Map<ZoneId, Optional<ZoneId>> regions() {
    Map<ZoneId, Optional<ZoneId>> m = new HashMap<>();
    for (String id : ZoneId.getAvailableZoneIds()) {
      ZoneId zone = ZoneId.of(id);
      m.put(zone, Optional.of(zone));
    }
    m.put(ZoneOffset.UTC, Optional.of(ZoneOffset.UTC));
    return Map.copyOf(m);
  }

  static Optional<ZoneId> shared(Optional<ZoneId> zone) {
    if (zone.isEmpty()) {
      return zone;
    }
    Optional<ZoneId> s = SHARED.get(zone.get());
    return s != null ? s : zone;
  }
}
