package dev.steward.schedule;

import dev.steward.model.TenantId;
import java.time.Instant;

/**
 * A kind whose payload is at version 2 and cannot read version 1, with one item of each stored: the
 * runner tests' unreadable-payload case, for the single and the batch handler alike.
 */
final class VersionedPayloads {
  private VersionedPayloads() {}

  /** Numbers as {@code {"n":N}} at payload version 2; version 1 is refused. */
  static WorkType<Integer> numbers(String kind) {
    return WorkType.of(
        kind,
        2,
        n -> "{\"n\":" + n + "}",
        (json, version) -> {
          if (version != 2) {
            throw new IllegalArgumentException("cannot read version " + version);
          }
          return Integer.parseInt(json.replaceAll("\\D", ""));
        });
  }

  /** Stores item {@code old} (n = 1) at version 1 and {@code new2..new4} at version 2, due at. */
  static void scheduleOldAndNew(WorkStore store, TenantId tenant, String kind, Instant due) {
    store.schedule(
        WorkItem.builder(tenant, kind, "old")
            .payload("{\"n\":1}")
            .payloadVersion(1)
            .dueAt(due)
            .build(),
        IfExists.KEEP);
    for (int i = 2; i <= 4; i++) {
      store.schedule(
          WorkItem.builder(tenant, kind, "new" + i)
              .payload("{\"n\":" + i + "}")
              .payloadVersion(2)
              .dueAt(due)
              .build(),
          IfExists.KEEP);
    }
  }
}
