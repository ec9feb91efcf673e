package dev.steward.journey;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one {@link JourneyScheduler#migrate} call did: the enrolments it moved, and those of the old
 * version it left where they were, each with the reason (due now and perhaps running, waiting on a
 * human task, moved meanwhile by another migration, ...). A skipped enrolment can be migrated by
 * calling again: one moved already is not moved twice.
 *
 * @param migration the migration's {@link JourneyMigration#name()}
 * @param moved ids of the enrolments this call moved, in the order it moved them
 * @param skipped ids of the enrolments it left, with the reason, in id order
 */
public record MigrationReport(String migration, List<String> moved, Map<String, String> skipped) {
  public MigrationReport {
    InvalidJourneyException.requireNonNull(migration, "migration");
    moved = List.copyOf(moved);
    skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
  }
}
