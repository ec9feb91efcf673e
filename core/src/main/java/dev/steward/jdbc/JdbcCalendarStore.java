package dev.steward.jdbc;

import dev.steward.calendar.CalendarChange;
import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CalendarStore;
import dev.steward.calendar.internal.CalendarChecks;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * A {@link CalendarStore} in a database table ({@code steward_calendar_entry}, schema version 8),
 * keyed by tenant and entry id, and indexed by tenant, account and time and by tenant, contact and
 * time for the range queries the conflict rules make.
 *
 * <p>An {@link #update} runs in one transaction: for each scope, in sorted order, it locks the
 * scope's row of {@code steward_calendar_lock} (inserting it the first time) by incrementing its
 * count of bookings; then it runs the change, whose reads go through the same transaction and so
 * see every entry committed by an update that held one of the scopes before; then it writes the
 * entry and commits, which releases the locks. An instance that dies mid-update leaves nothing
 * behind: the database rolls the transaction back and releases its locks. The UPDATE (rather than a
 * {@code SELECT ... FOR UPDATE}) keeps this right under REPEATABLE READ too, where PostgreSQL fails
 * an update that raced a committed one (and the store runs it again) rather than letting it read an
 * old snapshot; on H2 the default READ COMMITTED is assumed.
 *
 * <p>{@link #putPlanned}, {@link #cancelPlanned}, {@link #putUnlessSent} and {@link
 * #putIfScheduled} take no scope lock: each is one guarded statement on PostgreSQL (an upsert whose
 * {@code DO UPDATE ... WHERE} holds the guard, or a conditional UPDATE), and at most three on H2;
 * {@link #putAllUnlessSent} is one multi-row upsert per 500 entries on PostgreSQL. Inside a {@link
 * UnitOfWork}, cancels and replacements of SCHEDULED entries are kept and written set-based before
 * it commits. A planned entry's seq is kept in {@code plan_seq} (schema version 24).
 */
public final class JdbcCalendarStore implements CalendarStore {
  private static final String TABLE = "steward_calendar_entry";
  private static final String LOCKS = "steward_calendar_lock";
  private static final String[] KEY = {"tenant_id", "entry_id"};
  private static final String[] COLUMNS = {
    "tenant_id",
    "entry_id",
    "entry_type",
    "status",
    "account_id",
    "contact_id",
    "team",
    "kind",
    "category",
    "channel",
    "campaign",
    "occurs_at"
  };
  private static final String SELECT = "SELECT " + String.join(", ", COLUMNS) + " FROM " + TABLE;

  /** The columns of a planned entry: every column, and its plan's seq. */
  private static final String[] PLANNED = planned();

  /** The columns an entry is compared on: all but the key. */
  private static final String[] VALUES = Arrays.copyOfRange(COLUMNS, 2, COLUMNS.length);

  /**
   * Whether the stored row {@code e} may be replaced by a plan of seq {@code s} whose values are
   * {@code v}: it is a communication not yet sent, and its plan is older, or unknown, or the same
   * and the values differ.
   */
  private static String planGuard(String e, String s, String[] v) {
    StringBuilder differs = new StringBuilder();
    for (int i = 0; i < VALUES.length; i++) {
      differs
          .append(i == 0 ? "" : " OR ")
          .append(e)
          .append(VALUES[i])
          .append(" IS DISTINCT FROM ")
          .append(v[i]);
    }
    return e
        + "entry_type = 'COMMUNICATION' AND "
        + e
        + "status <> 'SENT' AND ("
        + e
        + "plan_seq IS NULL OR "
        + e
        + "plan_seq < "
        + s
        + " OR ("
        + e
        + "plan_seq = "
        + s
        + " AND ("
        + differs
        + ")))";
  }

  private static final String UNLESS_SENT_UPSERT =
      "INSERT INTO "
          + TABLE
          + " AS e ("
          + String.join(", ", COLUMNS)
          + ") VALUES ("
          + String.join(", ", Collections.nCopies(COLUMNS.length, "?"))
          + ") ON CONFLICT (tenant_id, entry_id) DO UPDATE SET "
          + String.join(
              ", ", Arrays.stream(VALUES).map(v -> v + " = EXCLUDED." + v).toArray(String[]::new))
          + " WHERE e.status <> 'SENT'";

  private static final String UNLESS_SENT_UPDATE =
      "UPDATE "
          + TABLE
          + " SET "
          + String.join(", ", Arrays.stream(VALUES).map(v -> v + " = ?").toArray(String[]::new))
          + " WHERE tenant_id = ? AND entry_id = ? AND status <> 'SENT'";

  private static final String PLANNED_UPSERT = plannedUpsert();

  private static final String PLANNED_UPDATE = plannedUpdate();

  private static String[] planned() {
    String[] p = Arrays.copyOf(COLUMNS, COLUMNS.length + 1);
    p[COLUMNS.length] = "plan_seq";
    return p;
  }

  private static String plannedUpsert() {
    StringBuilder set = new StringBuilder();
    String[] excluded = new String[VALUES.length];
    for (int i = 0; i < VALUES.length; i++) {
      set.append(VALUES[i]).append(" = EXCLUDED.").append(VALUES[i]).append(", ");
      excluded[i] = "EXCLUDED." + VALUES[i];
    }
    return "INSERT INTO "
        + TABLE
        + " AS e ("
        + String.join(", ", PLANNED)
        + ") VALUES ("
        + String.join(", ", Collections.nCopies(PLANNED.length, "?"))
        + ") ON CONFLICT (tenant_id, entry_id) DO UPDATE SET "
        + set
        + "plan_seq = EXCLUDED.plan_seq WHERE "
        + planGuard("e.", "EXCLUDED.plan_seq", excluded);
  }

  private static String plannedUpdate() {
    StringBuilder set = new StringBuilder();
    String[] params = new String[VALUES.length];
    for (int i = 0; i < VALUES.length; i++) {
      set.append(VALUES[i]).append(" = ?, ");
      params[i] = "?";
    }
    return "UPDATE "
        + TABLE
        + " SET "
        + set
        + "plan_seq = ? WHERE tenant_id = ? AND entry_id = ? AND "
        + planGuard("", "?", params);
  }

  private final Jdbc jdbc;

  JdbcCalendarStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A store over the tables in {@code dataSource}'s database. */
  public static JdbcCalendarStore of(DataSource dataSource) {
    return new JdbcCalendarStore(new Jdbc(dataSource));
  }

  @Override
  public void put(CalendarEntry entry) {
    writeKept();
    // the entry's own constructor made every field storable; the checks are shared with memory
    CalendarChecks.notNull(entry, "entry");
    EpochNanos.of(entry.at(), "calendar entry at");
    // an upsert of the whole row: repeating it after a lost connection changes nothing
    jdbc.withConnection(
        "storing calendar entry " + entry.id() + " of tenant " + entry.tenant(),
        Jdbc.Repeat.SAFE,
        c -> {
          upsert(c, entry);
          return null;
        });
  }

  private void upsert(Connection c, CalendarEntry entry) throws SQLException {
    jdbc.dialect().upsert(c, TABLE, KEY, COLUMNS, row(entry));
  }

  /** The entry's values in the order of {@link #COLUMNS}. */
  private static Object[] row(CalendarEntry entry) {
    return new Object[] {
      entry.tenant().value(),
      entry.id(),
      entry.type().name(),
      entry.status().name(),
      entry.account().value(),
      Jdbc.varchar(entry.contact().map(ContactId::value).orElse(null)),
      Jdbc.varchar(entry.team().orElse(null)),
      Jdbc.varchar(entry.kind().map(MessageKind::name).orElse(null)),
      Jdbc.varchar(entry.category().orElse(null)),
      Jdbc.varchar(entry.channel().map(Channel::name).orElse(null)),
      Jdbc.varchar(entry.campaign().orElse(null)),
      EpochNanos.of(entry.at(), "calendar entry at")
    };
  }

  /**
   * One statement on PostgreSQL ({@code INSERT ... ON CONFLICT DO UPDATE ... WHERE} the stored
   * entry is not SENT); on H2 an UPDATE of an entry not SENT, else an insert if absent, else that
   * UPDATE again. No scope lock is taken.
   */
  @Override
  public boolean putUnlessSent(CalendarEntry entry) {
    writeKept();
    CalendarChecks.notNull(entry, "entry");
    Object[] values = row(entry);
    // not repeated after a lost connection: a repeat of a SENT entry would answer false
    return jdbc.withConnection(
        "recording calendar entry " + entry.id() + " of tenant " + entry.tenant(),
        c -> {
          if (jdbc.dialect() == JdbcDialect.POSTGRESQL) {
            return Jdbc.update(c, UNLESS_SENT_UPSERT, values) == 1;
          }
          return putUnlessSentH2(c, values);
        });
  }

  /**
   * On H2: an UPDATE of an entry not SENT, else an insert if absent, else that UPDATE again (a
   * concurrent writer inserted first); true if written.
   */
  private boolean putUnlessSentH2(Connection c, Object[] values) throws SQLException {
    Object[] params = keyLast(values);
    for (int attempt = 0; attempt < 2; attempt++) {
      if (Jdbc.update(c, UNLESS_SENT_UPDATE, params) == 1) {
        return true;
      }
      if (attempt == 0 && jdbc.dialect().insertIfAbsent(c, TABLE, KEY, COLUMNS, values)) {
        return true;
      }
    }
    return false;
  }

  /** The order of the key columns ({@code COLLATE "C"}: code points), in which rows are locked. */
  private static final Comparator<CalendarEntry> KEY_ORDER =
      Comparator.comparing((CalendarEntry e) -> e.tenant().value(), JdbcDialect.CODE_POINTS)
          .thenComparing(CalendarEntry::id, JdbcDialect.CODE_POINTS);

  /** How many entries one statement of {@link #putAllUnlessSent} writes. */
  static final int RECORD_CHUNK = 500;

  /**
   * On PostgreSQL one multi-row {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE} the stored entry
   * is not SENT per {@value #RECORD_CHUNK} entries; on H2 each entry as {@link #putUnlessSent}
   * writes it, on one connection. No scope lock is taken.
   */
  @Override
  public int putAllUnlessSent(List<CalendarEntry> entries) {
    writeKept();
    CalendarChecks.distinct(entries);
    if (entries.isEmpty()) {
      return 0;
    }
    // not repeated after a lost connection: a repeat of a SENT entry would not count it
    return jdbc.withConnection(
        "recording " + entries.size() + " calendar entries",
        c -> {
          int written = 0;
          if (jdbc.dialect() == JdbcDialect.POSTGRESQL) {
            // upserted, so locked, in the key columns' order: two batches of the same entries in
            // two orders (two instances recording the same sends) deadlocked (rb5)
            List<CalendarEntry> sorted = new ArrayList<>(entries);
            sorted.sort(KEY_ORDER);
            for (int from = 0; from < sorted.size(); from += RECORD_CHUNK) {
              List<CalendarEntry> chunk =
                  sorted.subList(from, Math.min(sorted.size(), from + RECORD_CHUNK));
              written += Jdbc.update(c, UNLESS_SENT_UPSERT_ALL, columnArrays(c, chunk));
            }
            return written;
          }
          for (CalendarEntry e : entries) {
            written += putUnlessSentH2(c, row(e)) ? 1 : 0;
          }
          return written;
        });
  }

  /**
   * {@link #UNLESS_SENT_UPSERT} of any number of rows, each column one array parameter ({@link
   * #columnArrays}). A VALUES list of 100 rows was 1,200 parameters that PostgreSQL parsed and
   * planned on every call (1 ms of planning alone, a journey drain's largest after the lease
   * renewal's), in a text that changed with the number of rows; this text is one, and short.
   */
  private static final String UNLESS_SENT_UPSERT_ALL =
      UNLESS_SENT_UPSERT.replace(
          "VALUES (" + String.join(", ", Collections.nCopies(COLUMNS.length, "?")) + ")",
          "SELECT * FROM unnest("
              + String.join(", ", Collections.nCopies(COLUMNS.length - 1, "?::varchar[]"))
              + ", ?::bigint[])");

  /** The PostgreSQL element types of {@link #COLUMNS}' arrays: text, then occurs_at's bigint. */
  private static final String[] COLUMN_TYPES = columnTypes();

  private static String[] columnTypes() {
    String[] types = Collections.nCopies(COLUMNS.length, "varchar").toArray(new String[0]);
    types[COLUMNS.length - 1] = "bigint"; // occurs_at
    return types;
  }

  /** The {@link #row}s of {@code entries} as one array per column, in column order. */
  private static Object[] columnArrays(Connection c, List<CalendarEntry> entries)
      throws SQLException {
    List<Object[]> rows = new ArrayList<>(entries.size());
    entries.forEach(e -> rows.add(row(e)));
    return Jdbc.columnArrays(c, rows, COLUMN_TYPES);
  }

  /**
   * Outside a unit of work, one UPDATE of the row while it is SCHEDULED. Inside a {@link
   * UnitOfWork} over this store's data source, kept in the unit and written set-based with its
   * other kept writes just before it commits ({@link Kept}); the answer is then false.
   */
  @Override
  public boolean putIfScheduled(CalendarEntry entry) {
    CalendarChecks.notNull(entry, "entry");
    Object[] values = row(entry);
    Optional<UnitOfWork> unit = UnitOfWork.joining(jdbc.dataSource());
    if (unit.isPresent()) {
      Kept kept = unit.get().attach(this, Kept.class, Kept::new);
      if (kept.names(entry.tenant(), entry.id())) {
        writeKept(); // a second write of one entry follows the first, as it would alone
      }
      kept.replace(entry);
      return false;
    }
    // repeating it would answer false once it wrote SENT: not repeated after a lost connection
    return jdbc.withConnection(
        "replacing scheduled calendar entry " + entry.id() + " of tenant " + entry.tenant(),
        c -> Jdbc.update(c, IF_SCHEDULED_UPDATE, keyLast(values)) == 1);
  }

  /** The UPDATE of an entry while it is SCHEDULED: its values, then its key. */
  private static final String IF_SCHEDULED_UPDATE =
      "UPDATE "
          + TABLE
          + " SET "
          + String.join(", ", Arrays.stream(VALUES).map(v -> v + " = ?").toArray(String[]::new))
          + " WHERE tenant_id = ? AND entry_id = ? AND status = 'SCHEDULED'";

  /** A row's values with its key (the first two) moved last, for {@code SET ... WHERE key}. */
  private static Object[] keyLast(Object[] values) {
    Object[] params = new Object[values.length];
    System.arraycopy(values, 2, params, 0, values.length - 2);
    params[values.length - 2] = values[0];
    params[values.length - 1] = values[1];
    return params;
  }

  /**
   * One statement on PostgreSQL ({@code INSERT ... ON CONFLICT DO UPDATE ... WHERE} the guard); on
   * H2 a guarded UPDATE, else an insert if absent, else the guarded UPDATE again (a concurrent
   * writer inserted first). No scope lock is taken.
   */
  @Override
  public boolean putPlanned(CalendarEntry entry, long seq) {
    writeKept();
    CalendarChecks.planned(entry, seq);
    Object[] row = row(entry);
    Object[] values = Arrays.copyOf(row, row.length + 1);
    values[row.length] = seq;
    // not repeated after a lost connection: a repeat would find its own write and answer false
    return jdbc.withConnection(
        "planning calendar entry " + entry.id() + " of tenant " + entry.tenant(),
        c -> {
          if (jdbc.dialect() == JdbcDialect.POSTGRESQL) {
            return Jdbc.update(c, PLANNED_UPSERT, values) == 1;
          }
          for (int attempt = 0; attempt < 2; attempt++) {
            if (updatePlanned(c, values) == 1) {
              return true;
            }
            if (attempt == 0 && jdbc.dialect().insertIfAbsent(c, TABLE, KEY, PLANNED, values)) {
              return true;
            }
          }
          return false;
        });
  }

  /** The guarded UPDATE of a planned entry; the number of rows written (0 or 1). */
  private static int updatePlanned(Connection c, Object[] v) throws SQLException {
    // SET every column but the key; then the key; then the guard's seq twice and its values
    Object[] params = new Object[(COLUMNS.length - 2 + 1) + 2 + 2 + (COLUMNS.length - 2)];
    int k = 0;
    for (int i = 2; i < v.length; i++) {
      params[k++] = v[i];
    }
    params[k++] = v[0];
    params[k++] = v[1];
    params[k++] = v[v.length - 1];
    params[k++] = v[v.length - 1];
    for (int i = 2; i < COLUMNS.length; i++) {
      params[k++] = v[i];
    }
    return Jdbc.update(c, PLANNED_UPDATE, params);
  }

  /**
   * Outside a unit of work, one conditional UPDATE. Inside a {@link UnitOfWork} over this store's
   * data source, the cancel is kept in the unit and written set-based, with the unit's other kept
   * writes, just before the unit commits ({@link Kept}); the answer is then false, as whether an
   * entry is cancelled is known only then. Every other call of this store in the unit writes the
   * kept cancels first, so the unit's calls still run, and read, in the order made.
   */
  @Override
  public boolean cancelPlanned(TenantId tenant, String id, long seq) {
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.id(id);
    CalendarChecks.seq(seq);
    Optional<UnitOfWork> unit = UnitOfWork.joining(jdbc.dataSource());
    if (unit.isPresent()) {
      Kept kept = unit.get().attach(this, Kept.class, Kept::new);
      if (kept.names(tenant, id)) {
        writeKept(); // a second cancel of one entry follows the first, as it would alone
      }
      kept.cancel(tenant, id, seq);
      return false;
    }
    // repeating it changes nothing, but would answer false: not repeated after a lost connection
    return jdbc.withConnection(
        "cancelling planned calendar entry " + id + " of tenant " + tenant,
        c ->
            Jdbc.update(
                    c,
                    "UPDATE "
                        + TABLE
                        + " SET status = 'CANCELLED', plan_seq = ? WHERE tenant_id = ? AND"
                        + " entry_id = ? AND entry_type = 'COMMUNICATION' AND status = 'SCHEDULED'"
                        + " AND (plan_seq IS NULL OR plan_seq <= ?)",
                    seq,
                    tenant.value(),
                    id,
                    seq)
                == 1);
  }

  /** How many cancels one set-based statement writes. */
  static final int CANCEL_CHUNK = 500;

  /** Writes what is kept in the unit open on this thread, if any (before any other call). */
  private void writeKept() {
    Optional<UnitOfWork> unit = UnitOfWork.joining(jdbc.dataSource());
    if (unit.isEmpty()) {
      return;
    }
    Optional<Kept> kept = unit.get().attached(this, Kept.class);
    if (kept.isPresent() && !kept.get().isEmpty()) {
      jdbc.withConnection(
          "writing the calendar entries kept in a unit of work",
          c -> {
            kept.get().beforeCommit(c);
            return null;
          });
    }
  }

  /**
   * The writes kept in one unit of work, each entry at most once, written before it commits: the
   * plan cancels per tenant and {@value #CANCEL_CHUNK} entries one UPDATE, each row guarded by its
   * own seq as {@link #cancelPlanned} guards it alone; the replacements of SCHEDULED entries
   * ({@link #putIfScheduled}) per {@value #CANCEL_CHUNK} entries one UPDATE ... FROM (VALUES ...)
   * on PostgreSQL (the UPDATEs in one JDBC batch elsewhere), each row guarded by its own status. A
   * cancel and a replacement never name the same entry (a second write of one entry writes the kept
   * ones first), so their order does not matter.
   */
  private static final class Kept implements UnitOfWork.BeforeCommit {
    private final java.util.Map<TenantId, java.util.Map<String, Long>> cancels =
        new java.util.LinkedHashMap<>();
    private final java.util.Map<List<String>, CalendarEntry> replaced =
        new java.util.LinkedHashMap<>();

    boolean names(TenantId tenant, String id) {
      java.util.Map<String, Long> ids = cancels.get(tenant);
      return (ids != null && ids.containsKey(id))
          || replaced.containsKey(List.of(tenant.value(), id));
    }

    void cancel(TenantId tenant, String id, long seq) {
      cancels.computeIfAbsent(tenant, t -> new java.util.LinkedHashMap<>()).put(id, seq);
    }

    void replace(CalendarEntry entry) {
      replaced.put(List.of(entry.tenant().value(), entry.id()), entry);
    }

    boolean isEmpty() {
      return cancels.isEmpty() && replaced.isEmpty();
    }

    @Override
    public void beforeCommit(Connection c) throws SQLException {
      writeCancels(c);
      writeReplaced(c);
    }

    private void writeCancels(Connection c) throws SQLException {
      for (java.util.Map.Entry<TenantId, java.util.Map<String, Long>> t : cancels.entrySet()) {
        List<java.util.Map.Entry<String, Long>> all = List.copyOf(t.getValue().entrySet());
        for (int from = 0; from < all.size(); from += CANCEL_CHUNK) {
          List<java.util.Map.Entry<String, Long>> chunk =
              all.subList(from, Math.min(all.size(), from + CANCEL_CHUNK));
          StringBuilder seq = new StringBuilder("CASE entry_id");
          List<Object> params = new java.util.ArrayList<>(chunk.size() * 5 + 1);
          for (java.util.Map.Entry<String, Long> e : chunk) {
            seq.append(" WHEN ? THEN CAST(? AS BIGINT)");
            params.add(e.getKey());
            params.add(e.getValue());
          }
          seq.append(" END");
          params.add(t.getKey().value());
          for (java.util.Map.Entry<String, Long> e : chunk) {
            params.add(e.getKey());
          }
          for (java.util.Map.Entry<String, Long> e : chunk) {
            params.add(e.getKey());
            params.add(e.getValue());
          }
          Jdbc.update(
              c,
              "UPDATE "
                  + TABLE
                  + " SET status = 'CANCELLED', plan_seq = "
                  + seq
                  + " WHERE tenant_id = ? AND entry_id IN ("
                  + Jdbc.placeholders(chunk.size())
                  + ") AND entry_type = 'COMMUNICATION' AND status = 'SCHEDULED'"
                  + " AND (plan_seq IS NULL OR plan_seq <= "
                  + seq
                  + ")",
              params.toArray());
        }
      }
      cancels.clear();
    }

    private void writeReplaced(Connection c) throws SQLException {
      java.util.Map<TenantId, List<CalendarEntry>> byTenant = new java.util.LinkedHashMap<>();
      for (CalendarEntry e : replaced.values()) {
        byTenant.computeIfAbsent(e.tenant(), t -> new java.util.ArrayList<>()).add(e);
      }
      replaced.clear();
      for (java.util.Map.Entry<TenantId, List<CalendarEntry>> t : byTenant.entrySet()) {
        List<CalendarEntry> all = t.getValue();
        for (int from = 0; from < all.size(); from += CANCEL_CHUNK) {
          List<CalendarEntry> chunk = all.subList(from, Math.min(all.size(), from + CANCEL_CHUNK));
          replaceScheduled(c, t.getKey(), chunk);
        }
      }
    }
  }

  /** The row type of each column of {@link #VALUES}, for the CASE of each. */
  private static final String[] VALUE_TYPES = {
    "VARCHAR(16)",
    "VARCHAR(16)",
    "VARCHAR(200)",
    "VARCHAR(200)",
    "VARCHAR(200)",
    "VARCHAR(16)",
    "VARCHAR(200)",
    "VARCHAR(16)",
    "VARCHAR(200)",
    "BIGINT"
  };

  /**
   * One UPDATE of a tenant's entries while each is SCHEDULED: every value column set by a CASE on
   * the entry id, the rows found by key ({@code entry_id IN (...)}), so that the primary key finds
   * them whatever the table's statistics (a join with a VALUES list was planned as a scan of the
   * whole table where it was never analysed).
   */
  private static void replaceScheduled(Connection c, TenantId tenant, List<CalendarEntry> chunk)
      throws SQLException {
    StringBuilder set = new StringBuilder();
    List<Object> params = new java.util.ArrayList<>(chunk.size() * (VALUES.length * 2 + 1) + 1);
    for (int v = 0; v < VALUES.length; v++) {
      set.append(v == 0 ? "" : ", ").append(VALUES[v]).append(" = CASE entry_id");
      for (CalendarEntry e : chunk) {
        set.append(" WHEN ? THEN CAST(? AS ").append(VALUE_TYPES[v]).append(')');
        params.add(e.id());
        params.add(row(e)[v + 2]);
      }
      set.append(" END");
    }
    params.add(tenant.value());
    for (CalendarEntry e : chunk) {
      params.add(e.id());
    }
    Jdbc.update(
        c,
        "UPDATE "
            + TABLE
            + " SET "
            + set
            + " WHERE tenant_id = ? AND entry_id IN ("
            + Jdbc.placeholders(chunk.size())
            + ") AND status = 'SCHEDULED'",
        params.toArray());
  }

  /**
   * One DELETE of the row only while it holds every value of {@code written} and seq's plan (rcal:
   * a plan written since at the same seq with other values stays).
   */
  @Override
  public boolean erasePlanned(CalendarEntry written, long seq) {
    writeKept();
    CalendarChecks.planned(written, seq);
    Object[] row = row(written);
    Object[] params = new Object[row.length + 1];
    System.arraycopy(row, 0, params, 0, row.length);
    params[row.length] = seq;
    // repeating it changes nothing, but would answer false: not repeated after a lost connection
    return jdbc.withConnection(
        "erasing planned calendar entry " + written.id() + " of tenant " + written.tenant(),
        c -> Jdbc.update(c, ERASE_PLANNED, params) == 1);
  }

  /** The DELETE of a planned row that still holds the values it was written with, and its seq. */
  private static final String ERASE_PLANNED = erasePlannedSql();

  private static String erasePlannedSql() {
    StringBuilder same = new StringBuilder();
    for (String v : VALUES) {
      same.append(" AND ").append(v).append(" IS NOT DISTINCT FROM ?");
    }
    return "DELETE FROM "
        + TABLE
        + " WHERE tenant_id = ? AND entry_id = ?"
        + same
        + " AND plan_seq = ?";
  }

  @Override
  public boolean eraseEntry(TenantId tenant, ContactId contact, String id) {
    writeKept();
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.notNull(contact, "contact");
    CalendarChecks.id(id);
    // repeating it changes nothing, but would answer false: not repeated after a lost connection
    return jdbc.withConnection(
        "erasing calendar entry " + id + " of tenant " + tenant,
        c ->
            Jdbc.update(
                    c,
                    "DELETE FROM "
                        + TABLE
                        + " WHERE tenant_id = ? AND entry_id = ? AND contact_id = ?",
                    tenant.value(),
                    id,
                    contact.value())
                == 1);
  }

  @Override
  public Optional<CalendarEntry> find(TenantId tenant, String id) {
    writeKept();
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.id(id);
    return jdbc.withConnection(
        "finding calendar entry " + id + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> find(c, tenant, id));
  }

  @Override
  public List<CalendarEntry> forAccount(
      TenantId tenant, AccountId account, Instant from, Instant to) {
    writeKept();
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.notNull(account, "account");
    CalendarChecks.range(from, to);
    return jdbc.withConnection(
        "reading the calendar of account " + account + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> range(c, tenant, "account_id", account.value(), from, to));
  }

  @Override
  public List<CalendarEntry> forContact(
      TenantId tenant, ContactId contact, Instant from, Instant to) {
    writeKept();
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.notNull(contact, "contact");
    CalendarChecks.range(from, to);
    return jdbc.withConnection(
        "reading the calendar of contact " + contact + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> range(c, tenant, "contact_id", contact.value(), from, to));
  }

  @Override
  public int eraseContact(TenantId tenant, ContactId contact) {
    writeKept();
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.notNull(contact, "contact");
    // one transaction, so that a retry after a lost connection repeats both deletes, which is safe
    return jdbc.inTransaction(
        "erasing the calendar of contact " + contact + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          int n =
              Jdbc.update(
                  c,
                  "DELETE FROM " + TABLE + " WHERE tenant_id = ? AND contact_id = ?",
                  tenant.value(),
                  contact.value());
          Jdbc.update(
              c,
              "DELETE FROM " + LOCKS + " WHERE tenant_id = ? AND scope = ?",
              tenant.value(),
              contactScope(contact));
          return n;
        });
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    writeKept();
    CalendarChecks.notNull(tenant, "tenant");
    return jdbc.inTransaction(
        "erasing the calendar of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          int n = Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE tenant_id = ?", tenant.value());
          Jdbc.update(c, "DELETE FROM " + LOCKS + " WHERE tenant_id = ?", tenant.value());
          return n;
        });
  }

  @Override
  public <R> R update(
      TenantId tenant,
      Set<AccountId> accounts,
      Set<ContactId> contacts,
      Function<LockedView, CalendarChange<R>> change) {
    writeKept();
    CalendarChecks.update(tenant, accounts, contacts, change);
    Set<AccountId> lockedAccounts = Set.copyOf(accounts);
    Set<ContactId> lockedContacts = Set.copyOf(contacts);
    TreeSet<String> scopes = new TreeSet<>();
    lockedAccounts.forEach(a -> scopes.add(accountScope(a)));
    lockedContacts.forEach(c -> scopes.add(contactScope(c)));
    return jdbc.inTransaction(
        "updating the calendar of " + scopes + " of tenant " + tenant,
        c -> {
          for (String scope : scopes) {
            lock(c, tenant, scope);
          }
          CalendarChange<R> answer;
          try {
            answer =
                CalendarChecks.change(
                    change.apply(new Locked(c, tenant)), tenant, lockedAccounts, lockedContacts);
          } catch (SqlFailure f) {
            throw f.getCause();
          }
          Optional<CalendarEntry> write = answer.write();
          if (write.isPresent()) {
            upsert(c, write.get());
          }
          return answer.result();
        });
  }

  /** Locks a scope's row, inserting it the first time; the row stays locked until commit. */
  private void lock(Connection c, TenantId tenant, String scope) throws SQLException {
    for (int attempt = 0; attempt < 3; attempt++) {
      int locked =
          Jdbc.update(
              c,
              "UPDATE " + LOCKS + " SET bookings = bookings + 1 WHERE tenant_id = ? AND scope = ?",
              tenant.value(),
              scope);
      if (locked == 1) {
        return;
      }
      // an insert holds the new row until commit; if another transaction inserted it first, the
      // insert waits for it and does nothing, and the UPDATE then locks the row
      if (jdbc.dialect()
          .insertIfAbsent(
              c,
              LOCKS,
              new String[] {"tenant_id", "scope"},
              new String[] {"tenant_id", "scope", "bookings"},
              tenant.value(),
              scope,
              1L)) {
        return;
      }
    }
    throw new JdbcStoreException("could not lock the calendar of " + scope + " of " + tenant);
  }

  /** Reads under an update's lock, on its connection. */
  private static final class Locked implements LockedView {
    private final Connection c;
    private final TenantId tenant;

    Locked(Connection c, TenantId tenant) {
      this.c = c;
      this.tenant = tenant;
    }

    @Override
    public Optional<CalendarEntry> find(String id) {
      CalendarChecks.id(id);
      try {
        return JdbcCalendarStore.find(c, tenant, id);
      } catch (SQLException e) {
        throw new SqlFailure(e);
      }
    }

    @Override
    public List<CalendarEntry> forAccount(AccountId account, Instant from, Instant to) {
      CalendarChecks.notNull(account, "account");
      CalendarChecks.range(from, to);
      try {
        return range(c, tenant, "account_id", account.value(), from, to);
      } catch (SQLException e) {
        throw new SqlFailure(e);
      }
    }

    @Override
    public List<CalendarEntry> forContact(ContactId contact, Instant from, Instant to) {
      CalendarChecks.notNull(contact, "contact");
      CalendarChecks.range(from, to);
      try {
        return range(c, tenant, "contact_id", contact.value(), from, to);
      } catch (SQLException e) {
        throw new SqlFailure(e);
      }
    }
  }

  /**
   * Carries a failed read of a {@link Locked} view out of the change function, so that the
   * transaction sees the SQL exception itself and retries it if it is transient.
   */
  private static final class SqlFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SqlFailure(SQLException cause) {
      super(cause);
    }

    @Override
    public synchronized SQLException getCause() {
      return (SQLException) super.getCause();
    }
  }

  /** The lock scope of an account: prefixed, so an account and a contact never share one. */
  static String accountScope(AccountId account) {
    return "a:" + account.value();
  }

  /** The lock scope of a contact. */
  static String contactScope(ContactId contact) {
    return "c:" + contact.value();
  }

  private static Optional<CalendarEntry> find(Connection c, TenantId tenant, String id)
      throws SQLException {
    return Jdbc.queryOne(
        c,
        SELECT + " WHERE tenant_id = ? AND entry_id = ?",
        JdbcCalendarStore::map,
        tenant.value(),
        id);
  }

  private static List<CalendarEntry> range(
      Connection c, TenantId tenant, String column, String value, Instant from, Instant to)
      throws SQLException {
    long lo = EpochNanos.bound(from, "from");
    long hi = EpochNanos.bound(to, "to");
    if (!from.isBefore(to)) {
      return List.of();
    }
    // a bound after the storable range is clamped onto its last instant, where an entry may be
    return Jdbc.query(
        c,
        SELECT
            + " WHERE tenant_id = ? AND "
            + column
            + " = ? AND occurs_at "
            + EpochNanos.atOrAfter(from)
            + " ? AND occurs_at "
            + EpochNanos.before(to)
            + " ? ORDER BY occurs_at, entry_id",
        JdbcCalendarStore::map,
        tenant.value(),
        value,
        lo,
        hi);
  }

  private static CalendarEntry map(ResultSet rs) throws SQLException {
    String contact = rs.getString("contact_id");
    String kind = rs.getString("kind");
    String channel = rs.getString("channel");
    return CalendarEntry.of(
        TenantId.of(rs.getString("tenant_id")),
        rs.getString("entry_id"),
        CalendarEntry.Type.valueOf(rs.getString("entry_type")),
        CalendarEntry.Status.valueOf(rs.getString("status")),
        AccountId.of(rs.getString("account_id")),
        contact == null ? null : ContactId.of(contact),
        rs.getString("team"),
        kind == null ? null : MessageKind.valueOf(kind),
        rs.getString("category"),
        channel == null ? null : Channel.valueOf(channel),
        rs.getString("campaign"),
        EpochNanos.toInstant(rs.getLong("occurs_at")));
  }
}
