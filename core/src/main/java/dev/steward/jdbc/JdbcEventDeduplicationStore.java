package dev.steward.jdbc;

import dev.steward.delivery.EventDeduplicationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * An {@link EventDeduplicationStore} in a database table ({@code steward_event_seen}): one row per
 * event id, claimed by insert-if-absent, so of two instances taking in the same event exactly one
 * claims it. A batch is claimed in one transaction, in sorted id order, so that two batches with
 * overlapping ids wait for each other instead of deadlocking. Ids have at most 200 characters.
 */
public final class JdbcEventDeduplicationStore implements EventDeduplicationStore {
  private static final String TABLE = "steward_event_seen";
  private static final String[] KEY = {"event_id"};
  private static final String[] COLUMNS = {"event_id", "seen_at"};

  private final Jdbc jdbc;

  JdbcEventDeduplicationStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A store over the tables in {@code dataSource}'s database. */
  public static JdbcEventDeduplicationStore of(DataSource dataSource) {
    return new JdbcEventDeduplicationStore(new Jdbc(dataSource));
  }

  @Override
  public Set<String> claim(Collection<String> ids, Instant at) {
    List<String> sorted = checked(ids);
    long when = EpochNanos.of(at, "at");
    if (sorted.isEmpty()) {
      return Set.of();
    }
    Set<String> won =
        jdbc.inTransaction(
            "claiming " + sorted.size() + " event ids",
            c -> {
              Set<String> fresh = new HashSet<>();
              for (String id : sorted) {
                if (jdbc.dialect().insertIfAbsent(c, TABLE, KEY, COLUMNS, id, when)) {
                  fresh.add(id);
                }
              }
              return fresh;
            });
    Set<String> inOrder = new LinkedHashSet<>();
    for (String id : ids) {
      if (won.contains(id)) {
        inOrder.add(id);
      }
    }
    return inOrder;
  }

  @Override
  public void release(Collection<String> ids) {
    List<String> sorted = checked(ids);
    if (sorted.isEmpty()) {
      return;
    }
    jdbc.inTransaction(
        "releasing " + sorted.size() + " event ids",
        c -> {
          for (String id : sorted) {
            Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE event_id = ?", id);
          }
          return null;
        });
  }

  @Override
  public int purgeSeenBefore(Instant cutoff) {
    long before = EpochNanos.bound(cutoff, "cutoff");
    return jdbc.withConnection(
        "purging event ids seen before " + cutoff,
        c -> Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE seen_at < ?", before));
  }

  /** The ids, each checked, sorted and distinct; fails before anything is written. */
  private static List<String> checked(Collection<String> ids) {
    Check.notNull(ids, "event ids");
    List<String> list = new ArrayList<>(ids.size());
    for (String id : ids) {
      list.add(Check.id(id, "event id"));
    }
    return new ArrayList<>(new TreeSet<>(list));
  }
}
