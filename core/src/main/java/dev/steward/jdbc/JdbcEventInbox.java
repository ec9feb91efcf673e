package dev.steward.jdbc;

import dev.steward.delivery.EventInbox;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InvalidWorkException;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkStore;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * An {@link EventInbox} in PostgreSQL or H2: one transaction inserts the batch's rows of {@code
 * steward_event_seen} (insert-if-absent, in sorted id order, so two instances taking in overlapping
 * batches wait for each other instead of deadlocking) and the {@code steward_work} rows of the new
 * events, so a crash keeps both or neither. Its {@link #work()} is a {@link JdbcWorkStore} over the
 * same database.
 */
public final class JdbcEventInbox implements EventInbox {
  private static final String SEEN = "steward_event_seen";
  private static final String[] SEEN_KEY = {"event_id"};
  private static final String[] SEEN_COLUMNS = {"event_id", "seen_at"};

  private final Jdbc jdbc;
  private final JdbcWorkStore work;

  JdbcEventInbox(Jdbc jdbc) {
    this.jdbc = jdbc;
    this.work = new JdbcWorkStore(jdbc, JdbcWorkStore.DEFAULT_VACUUM_AFTER);
  }

  /** An inbox over the tables in {@code dataSource}'s database. */
  public static JdbcEventInbox of(DataSource dataSource) {
    return new JdbcEventInbox(new Jdbc(dataSource));
  }

  @Override
  public Set<String> accept(
      List<String> ids, Instant at, Function<Set<String>, List<WorkItem>> plan) {
    Check.notNull(ids, "event ids");
    Check.notNull(plan, "plan");
    long when = EpochNanos.of(at, "at");
    TreeSet<String> sorted = new TreeSet<>();
    for (String id : ids) {
      sorted.add(Check.id(id, "event id"));
    }
    if (sorted.isEmpty()) {
      return Set.of();
    }
    Set<String> won =
        jdbc.inTransaction(
            "accepting " + sorted.size() + " events",
            c -> {
              Set<String> fresh = markSeen(c, sorted, when);
              if (fresh.isEmpty()) {
                return fresh;
              }
              List<WorkItem> items = plan.apply(Collections.unmodifiableSet(inOrder(ids, fresh)));
              for (WorkItem item : items) {
                if (item == null) {
                  // refused as the in-memory inbox refuses it; the transaction rolls back
                  throw new InvalidWorkException("work item must not be null");
                }
                JdbcWorkStore.write(c, jdbc.dialect(), item, IfExists.KEEP);
              }
              return fresh;
            });
    return inOrder(ids, won);
  }

  /**
   * Marks the ids seen, in sorted order (so concurrent batches lock marks in one order); returns
   * those that were new. PostgreSQL: one statement for the whole batch (a round trip per id cost a
   * 1,000-event batch 1,000 round trips); H2: one insert-if-absent per id.
   */
  private Set<String> markSeen(java.sql.Connection c, TreeSet<String> sorted, long when)
      throws java.sql.SQLException {
    Set<String> fresh = new HashSet<>();
    if (jdbc.dialect() == JdbcDialect.POSTGRESQL) {
      try (java.sql.PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO "
                  + SEEN
                  + " (event_id, seen_at) SELECT id, ? FROM unnest(?::varchar[]) WITH ORDINALITY"
                  + " AS u(id, n) ORDER BY n ON CONFLICT (event_id) DO NOTHING RETURNING event_id")) {
        ps.setLong(1, when);
        ps.setArray(2, c.createArrayOf("varchar", sorted.toArray()));
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            fresh.add(rs.getString(1));
          }
        }
      }
      return fresh;
    }
    for (String id : sorted) {
      if (jdbc.dialect().insertIfAbsent(c, SEEN, SEEN_KEY, SEEN_COLUMNS, id, when)) {
        fresh.add(id);
      }
    }
    return fresh;
  }

  private static Set<String> inOrder(List<String> ids, Set<String> chosen) {
    Set<String> out = new LinkedHashSet<>();
    for (String id : ids) {
      if (chosen.contains(id)) {
        out.add(id);
      }
    }
    return out;
  }

  @Override
  public int purgeSeenBefore(Instant cutoff) {
    long before = EpochNanos.bound(cutoff, "cutoff");
    return jdbc.withConnection(
        "purging event ids seen before " + cutoff,
        c ->
            Jdbc.update(
                c,
                "DELETE FROM " + SEEN + " WHERE seen_at " + EpochNanos.before(cutoff) + " ?",
                before));
  }

  /**
   * One DELETE of a batch, oldest first through the seen_at index; the outer condition is checked
   * again on each row as it is deleted.
   */
  @Override
  public int purgeSeenBefore(Instant cutoff, int max) {
    long before = EpochNanos.bound(cutoff, "cutoff");
    if (max <= 0) {
      return 0;
    }
    return jdbc.withConnection(
        "purging event ids seen before " + cutoff,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.update(
                c,
                "DELETE FROM "
                    + SEEN
                    + " WHERE event_id IN (SELECT event_id FROM "
                    + SEEN
                    + " WHERE seen_at "
                    + EpochNanos.before(cutoff)
                    + " ? ORDER BY seen_at LIMIT ?) AND seen_at "
                    + EpochNanos.before(cutoff)
                    + " ?",
                before,
                max,
                before));
  }

  @Override
  public WorkStore work() {
    return work;
  }
}
