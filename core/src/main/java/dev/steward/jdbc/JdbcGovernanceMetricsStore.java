package dev.steward.jdbc;

import dev.steward.governance.ActivityTouch;
import dev.steward.governance.Counter;
import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.Granularity;
import dev.steward.governance.Increment;
import dev.steward.governance.InvalidGovernanceException;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricsKey;
import dev.steward.governance.RecipientActivity;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * A {@link GovernanceMetricsStore} in database tables: {@code steward_governance_bucket} (one row
 * per key, granularity and bucket, added to by an upsert that adds, so instances lose no count),
 * {@code steward_governance_mark} (the events counted, by tenant and event id) and {@code
 * steward_governance_recipient}. {@link #add} is one transaction: the marks of new events and the
 * sums of their buckets commit together, so an event is counted exactly once whichever instance
 * applies it and however often. Rows are written in key order, so concurrent instances do not
 * deadlock on each other.
 *
 * <p>A tenant's tombstone ({@link #eraseTenant(TenantId, Instant)}) is a mark with the empty event
 * id (which no event has) and the erasure time: purged with the marks, read by {@link #add} and
 * {@link #touch} in their transaction. An event applied in the same instant as the erasure's commit
 * may still count once.
 */
public final class JdbcGovernanceMetricsStore implements GovernanceMetricsStore {
  private static final String BUCKETS = "steward_governance_bucket";
  private static final String MARKS = "steward_governance_mark";
  private static final String RECIPIENTS = "steward_governance_recipient";
  private static final String[] COUNT_COLUMNS = {
    "processed",
    "delivered",
    "hard_bounce",
    "blocked",
    "invalid",
    "spam_report",
    "unsubscribe",
    "deferred",
    "sent_to_inactive"
  };
  private static final int C = COUNT_COLUMNS.length;
  private static final int IN_LIST = 500;
  private static final String TOMBSTONE = "";

  private final Jdbc jdbc;

  JdbcGovernanceMetricsStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A store over the tables in {@code dataSource}'s database. */
  public static JdbcGovernanceMetricsStore of(DataSource dataSource) {
    return new JdbcGovernanceMetricsStore(new Jdbc(dataSource));
  }

  private record Row(String tenant, String pool, String granularity, long bucket) {}

  private static final Comparator<Row> ROW_ORDER =
      Comparator.comparing(Row::tenant)
          .thenComparing(Row::pool)
          .thenComparing(Row::granularity)
          .thenComparingLong(Row::bucket);

  private static String code(Granularity g) {
    return g.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public int add(Collection<Increment> increments) {
    if (increments == null) {
      throw new InvalidGovernanceException("increments must not be null");
    }
    List<Increment> sorted = new ArrayList<>(increments.size());
    for (Increment i : increments) {
      if (i == null) {
        throw new InvalidGovernanceException("increment must not be null");
      }
      EpochNanos.of(i.at(), "increment time of event " + i.eventId());
      sorted.add(i);
    }
    if (sorted.isEmpty()) {
      return 0;
    }
    sorted.sort(
        Comparator.comparing((Increment i) -> i.tenant().value())
            .thenComparing(Increment::eventId));
    return jdbc.inTransaction(
        "counting " + sorted.size() + " governance events",
        c -> {
          Map<String, Long> tombs = tombstones(c, sorted.stream().map(i -> i.tenant().value()));
          List<Increment> alive = sorted;
          if (!tombs.isEmpty()) {
            alive = new ArrayList<>(sorted.size());
            for (Increment i : sorted) {
              if (!erased(tombs, i.tenant().value(), i.at())) {
                alive.add(i);
              }
            }
          }
          List<Increment> fresh = alive.isEmpty() ? alive : mark(c, alive);
          Map<Row, long[]> rows = new TreeMap<>(ROW_ORDER);
          for (Increment i : fresh) {
            for (Granularity g : Granularity.values()) {
              long b = g.index(i.at());
              String t = i.tenant().value();
              bump(rows, new Row(t, "", code(g), b), i);
              if (i.pool().isPresent()) {
                bump(rows, new Row(t, i.pool().get(), code(g), b), i);
                bump(rows, new Row("", i.pool().get(), code(g), b), i);
              }
            }
          }
          upsert(c, rows);
          return fresh.size();
        });
  }

  /** The tombstones of the tenants, by tenant: the erasure times in nanoseconds. */
  private static Map<String, Long> tombstones(Connection c, java.util.stream.Stream<String> tenants)
      throws SQLException {
    List<String> distinct = tenants.distinct().toList();
    Map<String, Long> found = new HashMap<>();
    for (int from = 0; from < distinct.size(); from += IN_LIST) {
      List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + IN_LIST));
      Object[] params = new Object[chunk.size() + 1];
      params[0] = TOMBSTONE;
      for (int k = 0; k < chunk.size(); k++) {
        params[k + 1] = chunk.get(k);
      }
      Jdbc.query(
          c,
          "SELECT tenant_id, occurred_at FROM "
              + MARKS
              + " WHERE event_id = ? AND tenant_id IN ("
              + Jdbc.placeholders(chunk.size())
              + ")",
          rs -> {
            found.put(rs.getString(1), rs.getLong(2));
            return 0;
          },
          params);
    }
    return found;
  }

  private static boolean erased(Map<String, Long> tombs, String tenant, Instant at) {
    Long erasedAt = tombs.get(tenant);
    return erasedAt != null && EpochNanos.of(at, "time") <= erasedAt;
  }

  private static void bump(Map<Row, long[]> rows, Row row, Increment i) {
    long[] counts = rows.computeIfAbsent(row, r -> new long[C]);
    counts[i.counter().ordinal()]++;
    if (i.toInactive()) {
      counts[Counter.SENT_TO_INACTIVE.ordinal()]++;
    }
  }

  /** Inserts the marks; the increments whose mark was new (a repeat within the list is not). */
  private List<Increment> mark(Connection c, List<Increment> sorted) throws SQLException {
    List<Increment> fresh = new ArrayList<>(sorted.size());
    String[] keys = {"tenant_id", "event_id"};
    String[] cols = {"tenant_id", "event_id", "occurred_at"};
    if (jdbc.dialect() == JdbcDialect.POSTGRESQL) {
      // one statement that answers which keys it inserted: batch counts cannot be trusted, since
      // a driver with reWriteBatchedInserts=true answers SUCCESS_NO_INFO for every row
      String[] tenants = new String[sorted.size()];
      String[] ids = new String[sorted.size()];
      Long[] times = new Long[sorted.size()];
      for (int k = 0; k < sorted.size(); k++) {
        Increment i = sorted.get(k);
        tenants[k] = i.tenant().value();
        ids[k] = i.eventId();
        times[k] = EpochNanos.of(i.at(), "time");
      }
      java.util.Set<Row> inserted = new java.util.HashSet<>();
      try (var ps =
          c.prepareStatement(
              "INSERT INTO "
                  + MARKS
                  + " (tenant_id, event_id, occurred_at) SELECT * FROM unnest(?::varchar[],"
                  + " ?::varchar[], ?::bigint[]) ON CONFLICT (tenant_id, event_id) DO NOTHING"
                  + " RETURNING tenant_id, event_id")) {
        ps.setArray(1, c.createArrayOf("varchar", tenants));
        ps.setArray(2, c.createArrayOf("varchar", ids));
        ps.setArray(3, c.createArrayOf("bigint", times));
        try (var rs = ps.executeQuery()) {
          while (rs.next()) {
            inserted.add(new Row(rs.getString(1), rs.getString(2), "", 0));
          }
        }
      }
      for (Increment i : sorted) {
        // a repeat within the list finds its key already taken by the first
        if (inserted.remove(new Row(i.tenant().value(), i.eventId(), "", 0))) {
          fresh.add(i);
        }
      }
      return fresh;
    }
    for (Increment i : sorted) {
      if (jdbc.dialect()
          .insertIfAbsent(
              c,
              MARKS,
              keys,
              cols,
              i.tenant().value(),
              i.eventId(),
              EpochNanos.of(i.at(), "time"))) {
        fresh.add(i);
      }
    }
    return fresh;
  }

  private void upsert(Connection c, Map<Row, long[]> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    StringBuilder cols = new StringBuilder("tenant_id, pool, granularity, bucket");
    StringBuilder sets = new StringBuilder();
    for (String col : COUNT_COLUMNS) {
      cols.append(", ").append(col);
      sets.append(sets.length() == 0 ? "" : ", ")
          .append(col)
          .append(" = ")
          .append(BUCKETS)
          .append('.')
          .append(col)
          .append(" + ")
          .append(jdbc.dialect() == JdbcDialect.POSTGRESQL ? "EXCLUDED" : "s")
          .append('.')
          .append(col);
    }
    String sql;
    if (jdbc.dialect() == JdbcDialect.POSTGRESQL) {
      sql =
          "INSERT INTO "
              + BUCKETS
              + " ("
              + cols
              + ") VALUES ("
              + Jdbc.placeholders(4 + C)
              + ") ON CONFLICT (tenant_id, pool, granularity, bucket) DO UPDATE SET "
              + sets;
    } else {
      StringBuilder values = new StringBuilder();
      for (String col :
          ("tenant_id, pool, granularity, bucket, " + String.join(", ", COUNT_COLUMNS))
              .split(", ")) {
        values.append(values.length() == 0 ? "" : ", ").append("s.").append(col);
      }
      sql =
          "MERGE INTO "
              + BUCKETS
              + " USING (VALUES ("
              + Jdbc.placeholders(4 + C)
              + ")) AS s("
              + cols
              + ") ON "
              + BUCKETS
              + ".tenant_id = s.tenant_id AND "
              + BUCKETS
              + ".pool = s.pool AND "
              + BUCKETS
              + ".granularity = s.granularity AND "
              + BUCKETS
              + ".bucket = s.bucket WHEN MATCHED THEN UPDATE SET "
              + sets
              + " WHEN NOT MATCHED THEN INSERT ("
              + cols
              + ") VALUES ("
              + values
              + ")";
    }
    List<Object[]> params = new ArrayList<>(rows.size());
    for (Map.Entry<Row, long[]> e : rows.entrySet()) {
      Object[] p = new Object[4 + C];
      p[0] = e.getKey().tenant();
      p[1] = e.getKey().pool();
      p[2] = e.getKey().granularity();
      p[3] = e.getKey().bucket();
      for (int k = 0; k < C; k++) {
        p[4 + k] = e.getValue()[k];
      }
      params.add(p);
    }
    if (jdbc.dialect() == JdbcDialect.POSTGRESQL) {
      Jdbc.batch(c, sql, params);
      return;
    }
    for (Object[] p : params) {
      try {
        Jdbc.update(c, sql, p);
      } catch (SQLException e) {
        if (!JdbcDialect.UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw e;
        }
        // another connection inserted the row first; now it exists and MERGE adds to it
        Jdbc.update(c, sql, p);
      }
    }
  }

  @Override
  public MetricCounts counts(MetricsKey key, Granularity granularity, Instant from, Instant to) {
    if (key == null || granularity == null || from == null || to == null) {
      throw new InvalidGovernanceException("key, granularity, from and to must not be null");
    }
    StringBuilder sums = new StringBuilder();
    for (String col : COUNT_COLUMNS) {
      sums.append(sums.length() == 0 ? "" : ", ")
          .append("COALESCE(SUM(")
          .append(col)
          .append("), 0)");
    }
    return jdbc.withConnection(
        "reading the governance counts of " + key,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.queryOne(
                    c,
                    "SELECT "
                        + sums
                        + " FROM "
                        + BUCKETS
                        + " WHERE tenant_id = ? AND pool = ? AND granularity = ?"
                        + " AND bucket >= ? AND bucket < ?",
                    rs -> {
                      long[] v = new long[C];
                      for (int k = 0; k < C; k++) {
                        v[k] = rs.getLong(k + 1);
                      }
                      return new MetricCounts(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
                    },
                    key.tenant().map(TenantId::value).orElse(""),
                    key.pool().orElse(""),
                    code(granularity),
                    granularity.ceilIndex(from),
                    granularity.ceilIndex(to))
                .orElse(MetricCounts.ZERO));
  }

  @Override
  public Map<EmailAddress, RecipientActivity> activity(
      TenantId tenant, Collection<EmailAddress> addresses) {
    if (tenant == null || addresses == null) {
      throw new InvalidGovernanceException("tenant and addresses must not be null");
    }
    List<String> values = new ArrayList<>(addresses.size());
    for (EmailAddress a : addresses) {
      if (a == null) {
        throw new InvalidGovernanceException("address must not be null");
      }
      values.add(a.value());
    }
    Map<EmailAddress, RecipientActivity> found = new HashMap<>();
    if (values.isEmpty()) {
      return found;
    }
    return jdbc.withConnection(
        "reading recipient activity of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          for (int from = 0; from < values.size(); from += IN_LIST) {
            List<String> chunk = values.subList(from, Math.min(values.size(), from + IN_LIST));
            Object[] params = new Object[chunk.size() + 1];
            params[0] = tenant.value();
            for (int k = 0; k < chunk.size(); k++) {
              params[k + 1] = chunk.get(k);
            }
            Jdbc.query(
                c,
                "SELECT address, first_sent, last_engaged FROM "
                    + RECIPIENTS
                    + " WHERE tenant_id = ? AND address IN ("
                    + Jdbc.placeholders(chunk.size())
                    + ")",
                rs -> {
                  Long engaged = Jdbc.getLong(rs, "last_engaged");
                  found.put(
                      EmailAddress.of(rs.getString(1)),
                      new RecipientActivity(
                          EpochNanos.toInstant(rs.getLong(2)),
                          Optional.ofNullable(engaged).map(EpochNanos::toInstant)));
                  return 0;
                },
                params);
          }
          return found;
        });
  }

  @Override
  public void touch(Collection<ActivityTouch> touches) {
    if (touches == null) {
      throw new InvalidGovernanceException("touches must not be null");
    }
    List<ActivityTouch> sorted = new ArrayList<>(touches.size());
    for (ActivityTouch t : touches) {
      if (t == null) {
        throw new InvalidGovernanceException("touch must not be null");
      }
      EpochNanos.of(t.at(), "activity time");
      sorted.add(t);
    }
    if (sorted.isEmpty()) {
      return;
    }
    sorted.sort(
        Comparator.comparing((ActivityTouch t) -> t.tenant().value())
            .thenComparing(t -> t.address().value()));
    jdbc.inTransaction(
        "recording recipient activity",
        Jdbc.Repeat.SAFE,
        c -> {
          Map<String, Long> tombs = tombstones(c, sorted.stream().map(t -> t.tenant().value()));
          for (ActivityTouch t : sorted) {
            if (erased(tombs, t.tenant().value(), t.at())) {
              continue; // an erased tenant's recipient, from before its erasure
            }
            long at = EpochNanos.of(t.at(), "activity time");
            boolean inserted =
                jdbc.dialect()
                    .insertIfAbsent(
                        c,
                        RECIPIENTS,
                        new String[] {"tenant_id", "address"},
                        new String[] {"tenant_id", "address", "first_sent", "last_engaged"},
                        t.tenant().value(),
                        t.address().value(),
                        at,
                        t.engaged() ? (Object) at : Jdbc.TypedNull.BIGINT);
            if (inserted) {
              continue;
            }
            Jdbc.update(
                c,
                "UPDATE "
                    + RECIPIENTS
                    + " SET first_sent = ? WHERE tenant_id = ? AND address = ? AND first_sent > ?",
                at,
                t.tenant().value(),
                t.address().value(),
                at);
            if (t.engaged()) {
              Jdbc.update(
                  c,
                  "UPDATE "
                      + RECIPIENTS
                      + " SET last_engaged = ? WHERE tenant_id = ? AND address = ?"
                      + " AND (last_engaged IS NULL OR last_engaged < ?)",
                  at,
                  t.tenant().value(),
                  t.address().value(),
                  at);
            }
          }
          return null;
        });
  }

  @Override
  public int purgeBefore(Granularity granularity, Instant cutoff, int max) {
    if (granularity == null || cutoff == null) {
      throw new InvalidGovernanceException("granularity and cutoff must not be null");
    }
    checkMax(max);
    return jdbc.withConnection(
        "purging governance buckets",
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.update(
                c,
                "DELETE FROM "
                    + BUCKETS
                    + " WHERE (tenant_id, pool, granularity, bucket) IN (SELECT tenant_id, pool,"
                    + " granularity, bucket FROM "
                    + BUCKETS
                    + " WHERE granularity = ? AND bucket < ? LIMIT "
                    + max
                    + ")",
                code(granularity),
                granularity.ceilIndex(cutoff)));
  }

  @Override
  public int purgeMarksBefore(Instant cutoff, int max) {
    if (cutoff == null) {
      throw new InvalidGovernanceException("cutoff must not be null");
    }
    checkMax(max);
    return jdbc.withConnection(
        "purging governance event marks",
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.update(
                c,
                "DELETE FROM "
                    + MARKS
                    + " WHERE (tenant_id, event_id) IN (SELECT tenant_id, event_id FROM "
                    + MARKS
                    + " WHERE occurred_at "
                    + EpochNanos.before(cutoff)
                    + " ? LIMIT "
                    + max
                    + ")",
                EpochNanos.bound(cutoff, "cutoff")));
  }

  @Override
  public boolean eraseAddress(TenantId tenant, EmailAddress address) {
    if (tenant == null || address == null) {
      throw new InvalidGovernanceException("tenant and address must not be null");
    }
    return jdbc.withConnection(
            "erasing a recipient of tenant " + tenant,
            Jdbc.Repeat.SAFE,
            c ->
                Jdbc.update(
                    c,
                    "DELETE FROM " + RECIPIENTS + " WHERE tenant_id = ? AND address = ?",
                    tenant.value(),
                    address.value()))
        > 0;
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    if (tenant == null) {
      throw new InvalidGovernanceException("tenant must not be null");
    }
    return jdbc.inTransaction(
        "erasing the governance metrics of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          Jdbc.update(c, "DELETE FROM " + MARKS + " WHERE tenant_id = ?", tenant.value());
          Jdbc.update(c, "DELETE FROM " + RECIPIENTS + " WHERE tenant_id = ?", tenant.value());
          return Jdbc.update(c, "DELETE FROM " + BUCKETS + " WHERE tenant_id = ?", tenant.value());
        });
  }

  @Override
  public int eraseTenant(TenantId tenant, Instant erasedAt) {
    if (tenant == null || erasedAt == null) {
      throw new InvalidGovernanceException("tenant and erasedAt must not be null");
    }
    long at = EpochNanos.of(erasedAt, "erasedAt");
    return jdbc.inTransaction(
        "erasing the governance metrics of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          // the tombstone first, so that what is applied from now on meets it
          Jdbc.update(
              c,
              "DELETE FROM " + MARKS + " WHERE tenant_id = ? AND event_id = ? AND occurred_at < ?",
              tenant.value(),
              TOMBSTONE,
              at);
          jdbc.dialect()
              .insertIfAbsent(
                  c,
                  MARKS,
                  new String[] {"tenant_id", "event_id"},
                  new String[] {"tenant_id", "event_id", "occurred_at"},
                  tenant.value(),
                  TOMBSTONE,
                  at);
          Jdbc.update(
              c,
              "DELETE FROM " + MARKS + " WHERE tenant_id = ? AND event_id <> ?",
              tenant.value(),
              TOMBSTONE);
          Jdbc.update(c, "DELETE FROM " + RECIPIENTS + " WHERE tenant_id = ?", tenant.value());
          return Jdbc.update(c, "DELETE FROM " + BUCKETS + " WHERE tenant_id = ?", tenant.value());
        });
  }

  private static void checkMax(int max) {
    if (max < 1) {
      throw new InvalidGovernanceException("max must be at least 1, was " + max);
    }
  }
}
