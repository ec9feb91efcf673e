package dev.steward.jdbc;

import dev.steward.frequency.CapLedgerStore;
import dev.steward.frequency.LedgerChange;
import dev.steward.frequency.SendLog;
import dev.steward.frequency.SubjectKey;
import dev.steward.frequency.internal.LedgerChecks;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CapLedgerStore} in a database table ({@code steward_cap_ledger}): one row per tenant and
 * subject (schema version 7: the key is {@code (tenant_id, subject)}) holding {@link
 * SendLog#toBytes()}. An update runs in one transaction and costs a constant number of statements
 * however many subjects it has: one {@code SELECT ... WHERE subject IN (...) ORDER BY subject FOR
 * UPDATE} locks every existing row (per tenant among the subjects). Where some subject has no log
 * yet, the rows are inserted first: when the SELECT found none, at once (it holds no lock); when it
 * found some, the transaction is rolled back and runs again so. Every subject's row is inserted
 * empty if absent in one statement (waiting for a concurrent insert of the same key), in the key
 * order, before any row is locked, then all are locked with one SELECT. Then the change is applied
 * and the logs that changed are written back set-based: one UPDATE per tenant among them (and per
 * {@value #WRITE_CHUNK} subjects), and one DELETE so of those left empty. The limiter reads first
 * and updates only when it may allow ({@link #updateCostsMoreThanRead}), so a refusal costs one
 * SELECT and writes nothing; the empty row locked for a new contact is written over by the allowed
 * send (or, when a concurrent writer made the answer a refusal meanwhile, deleted again).
 *
 * <p>No deadlock. Row locks are taken in one global order, the database's order of the key (tenant,
 * then subject; code points on PostgreSQL, whose key columns are {@code COLLATE "C"}, Java strings
 * on H2), and so are the inserts of missing rows. An insert is made only while its transaction
 * holds no row lock of this table, so a transaction waiting for another's insert holds only inserts
 * of keys before it, and a transaction waiting for a row lock never waits for one still inserting
 * (its uncommitted rows are invisible to the SELECT): the waits follow the key order and cannot
 * close a cycle. (Two updates in one unit of work are two lockings, as they always were.) A subject
 * whose log ends up empty has no row.
 *
 * <p>Retention. Each write also sets {@code last_at} (schema version 5), in the same statement, to
 * when the log was last active ({@link SendLog#idleSince()}), so that {@link #purgeIdleSince} finds
 * idle logs through an index. The purge reads a batch of candidates, judges each by its decoded
 * log, and deletes it only if its row still holds exactly the log it judged ({@code last_at} and
 * {@code send_log} unchanged, checked in the DELETE itself): a log written meanwhile by any
 * instance, even one of an older library that leaves {@code last_at} as it was, is kept. Rows last
 * written before version 5 have no {@code last_at}; the purge reads them in batches too, and fills
 * it in or deletes them. So it does with rows marked never idle ({@code last_at}
 * 9223372036854775807) by a library that still kept journey admissions in the ledger: their
 * admissions are dropped when read ({@link SendLog#fromBytes}), so each is judged by its sends
 * alone, and the next write stores it without them.
 */
public final class JdbcCapLedgerStore implements CapLedgerStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcCapLedgerStore.class);
  private static final String TABLE = "steward_cap_ledger";
  private static final byte[] EMPTY = SendLog.empty().toBytes();

  /**
   * The {@code last_at} older libraries wrote for a log holding a journey admission, which they
   * never purged. Nothing writes it any more (the newest storable instant is one less), so the rows
   * that hold it are only those, and the purge judges them again.
   */
  static final long STORED_NEVER_IDLE = Long.MAX_VALUE;

  /** The DELETE of one judged log: only if the row still holds what was judged. */
  private static final String DELETE_JUDGED =
      "DELETE FROM "
          + TABLE
          + " WHERE tenant_id = ? AND subject = ? AND last_at < ? AND send_log = ?";

  private static final String DELETE_JUDGED_UNKNOWN =
      "DELETE FROM "
          + TABLE
          + " WHERE tenant_id = ? AND subject = ? AND last_at IS NULL AND send_log = ?";

  private static final String DELETE_JUDGED_NEVER_IDLE =
      "DELETE FROM "
          + TABLE
          + " WHERE tenant_id = ? AND subject = ? AND last_at = "
          + STORED_NEVER_IDLE
          + " AND send_log = ?";

  /** Corrects a row's {@code last_at}, only if its log is still the one judged. */
  private static final String SET_LAST_AT =
      "UPDATE " + TABLE + " SET last_at = ? WHERE tenant_id = ? AND subject = ? AND send_log = ?";

  private final Jdbc jdbc;

  JdbcCapLedgerStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A store over the tables in {@code dataSource}'s database. */
  public static JdbcCapLedgerStore of(DataSource dataSource) {
    return new JdbcCapLedgerStore(new Jdbc(dataSource));
  }

  @Override
  public <R> R update(List<SubjectKey> subjects, Function<List<SendLog>, LedgerChange<R>> change) {
    List<SubjectKey> ordered = List.copyOf(LedgerChecks.subjects(subjects));
    LedgerChecks.notNull(change, "change");
    if (ordered.isEmpty()) {
      return LedgerChecks.result(change.apply(List.of()), 0).result();
    }
    JdbcDialect dialect = jdbc.dialect();
    List<SubjectKey> lockOrder = new ArrayList<>(ordered);
    lockOrder.sort(lockOrder(dialect));
    // inside a unit of work a transaction cannot be started again: insert first at once
    boolean insertFirst = UnitOfWork.joining(jdbc.dataSource()).isPresent();
    for (int attempt = 1; ; attempt++) {
      boolean first = insertFirst;
      try {
        return jdbc.inTransaction(
            "updating the send logs of " + subjects,
            c -> {
              Map<SubjectKey, SendLog> locked = lockAll(c, dialect, lockOrder, first);
              List<SendLog> before = new ArrayList<>(ordered.size());
              for (SubjectKey s : ordered) {
                before.add(locked.get(s));
              }
              LedgerChange<R> result =
                  LedgerChecks.result(change.apply(List.copyOf(before)), ordered.size());
              List<SendLog> after = result.newLogs() == null ? before : result.newLogs();
              write(c, dialect, ordered, before, after);
              return result.result();
            });
      } catch (Relock again) {
        if (attempt >= 4) {
          throw new JdbcStoreException("could not lock the send logs of " + subjects);
        }
        insertFirst = true;
      }
    }
  }

  /** The order rows are locked in: the database's order of the key columns. */
  static Comparator<SubjectKey> lockOrder(JdbcDialect dialect) {
    Comparator<String> keys = dialect.keyOrder();
    return Comparator.comparing((SubjectKey s) -> s.tenant().value(), keys)
        .thenComparing(SubjectKey::value, keys);
  }

  /**
   * Thrown inside the transaction to roll it back and lock again, inserting the missing rows first:
   * some rows were locked and others missing, or a row vanished between its insert and its lock
   * (deleted by a concurrent update that emptied it, an erasure or a purge).
   */
  private static final class Relock extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Relock() {
      super(null, null, false, false);
    }
  }

  /**
   * Locks the rows of {@code lockOrder} (sorted by {@link #lockOrder}), creating empty ones for
   * missing logs, and reads their logs. Unless {@code insertFirst}, one SELECT ... FOR UPDATE
   * first: where it locks every row, that is all; where it locks some but not all, a {@link Relock}
   * rolls the transaction back (inserting now, with rows locked, could wait for another that waits
   * for one of them); where it locks none, nothing is held. Then every row is inserted if absent,
   * in order, and all are locked.
   */
  private Map<SubjectKey, SendLog> lockAll(
      Connection c, JdbcDialect dialect, List<SubjectKey> lockOrder, boolean insertFirst)
      throws SQLException {
    Map<SubjectKey, SendLog> locked = new HashMap<>();
    if (!insertFirst) {
      lock(c, lockOrder, locked);
      if (locked.size() == lockOrder.size()) {
        return locked;
      }
      if (!locked.isEmpty()) {
        throw new Relock();
      }
    }
    insertEmpty(c, dialect, lockOrder);
    lock(c, lockOrder, locked);
    if (locked.size() != lockOrder.size()) {
      throw new Relock(); // one vanished between its insert and its lock: again
    }
    return locked;
  }

  private static final String[] KEY = {"tenant_id", "subject"};
  private static final String[] INSERTED = {"tenant_id", "subject", "send_log"};

  /** Empty rows to lock for {@code keys}, where absent; write() deletes those that stay empty. */
  private static void insertEmpty(Connection c, JdbcDialect dialect, List<SubjectKey> keys)
      throws SQLException {
    List<Object[]> rows = new ArrayList<>(keys.size());
    for (SubjectKey s : keys) {
      rows.add(new Object[] {s.tenant().value(), s.value(), EMPTY});
    }
    dialect.insertAllIfAbsent(c, TABLE, KEY, INSERTED, rows);
  }

  /**
   * Locks the existing rows of {@code keys} (sorted) and reads their logs into {@code locked}: one
   * SELECT ... ORDER BY ... FOR UPDATE per tenant among them (and per 1,000 subjects), so the
   * database takes the locks in the key order.
   */
  private static void lock(Connection c, List<SubjectKey> keys, Map<SubjectKey, SendLog> locked)
      throws SQLException {
    int from = 0;
    while (from < keys.size()) {
      TenantId tenant = keys.get(from).tenant();
      int to = from + 1;
      while (to < keys.size() && to - from < 1000 && keys.get(to).tenant().equals(tenant)) {
        to++;
      }
      List<SubjectKey> run = keys.subList(from, to);
      Object[] params = new Object[run.size() + 1];
      params[0] = tenant.value();
      for (int i = 0; i < run.size(); i++) {
        params[i + 1] = run.get(i).value();
      }
      Jdbc.query(
          c,
          "SELECT subject, send_log FROM "
              + TABLE
              + " WHERE tenant_id = ? AND subject IN ("
              + Jdbc.placeholders(run.size())
              + ") ORDER BY subject FOR UPDATE",
          rs ->
              locked.put(SubjectKey.of(tenant, rs.getString(1)), SendLog.fromBytes(rs.getBytes(2))),
          params);
      from = to;
    }
  }

  /** A transaction, a row lock and a commit, where a read is one auto-committed SELECT. */
  @Override
  public boolean updateCostsMoreThanRead() {
    return true;
  }

  /**
   * One SELECT per tenant among the subjects (the limiter reads one tenant's), so a limiter's read
   * sees its subjects' logs as committed at one moment.
   */
  @Override
  public List<SendLog> read(List<SubjectKey> subjects) {
    List<SubjectKey> ordered = List.copyOf(LedgerChecks.subjects(subjects));
    if (ordered.isEmpty()) {
      return List.of();
    }
    // the limiter reads one tenant's subjects at a time: one query per tenant present
    Map<String, List<SubjectKey>> byTenant = new LinkedHashMap<>();
    for (SubjectKey s : ordered) {
      byTenant.computeIfAbsent(s.tenant().value(), t -> new ArrayList<>()).add(s);
    }
    Map<SubjectKey, SendLog> found =
        jdbc.withConnection(
            "reading the send logs of " + subjects,
            c -> {
              Map<SubjectKey, SendLog> logs = new HashMap<>();
              for (Map.Entry<String, List<SubjectKey>> e : byTenant.entrySet()) {
                String tenant = e.getKey();
                List<SubjectKey> keys = e.getValue();
                // chunks keep the IN list within every driver's parameter limit
                for (int from = 0; from < keys.size(); from += 500) {
                  List<SubjectKey> chunk = keys.subList(from, Math.min(keys.size(), from + 500));
                  Object[] params = new Object[chunk.size() + 1];
                  params[0] = tenant;
                  for (int i = 0; i < chunk.size(); i++) {
                    params[i + 1] = chunk.get(i).value();
                  }
                  Jdbc.query(
                      c,
                      "SELECT subject, send_log FROM "
                          + TABLE
                          + " WHERE tenant_id = ? AND subject IN ("
                          + Jdbc.placeholders(chunk.size())
                          + ")",
                      rs ->
                          logs.put(
                              SubjectKey.of(chunk.get(0).tenant(), rs.getString(1)),
                              SendLog.fromBytes(rs.getBytes(2))),
                      params);
                }
              }
              return logs;
            });
    List<SendLog> result = new ArrayList<>(ordered.size());
    for (SubjectKey s : ordered) {
      result.add(found.getOrDefault(s, SendLog.empty()));
    }
    return result;
  }

  @Override
  public boolean erase(SubjectKey subject) {
    LedgerChecks.notNull(subject, "subject");
    return jdbc.withConnection(
            "erasing the send log of " + subject,
            c ->
                Jdbc.update(
                    c,
                    "DELETE FROM " + TABLE + " WHERE tenant_id = ? AND subject = ?",
                    subject.tenant().value(),
                    subject.value()))
        > 0;
  }

  /** One DELETE over the primary key's leading column: the tenant's rows are one index range. */
  @Override
  public int eraseTenant(TenantId tenant) {
    LedgerChecks.notNull(tenant, "tenant");
    return jdbc.withConnection(
        "erasing the send logs of tenant " + tenant,
        c -> Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE tenant_id = ?", tenant.value()));
  }

  @Override
  public int purgeIdleSince(Instant cutoff, int max) {
    LedgerChecks.purge(cutoff, max);
    long before = EpochNanos.bound(cutoff, "cutoff");
    // rows written since schema version 5: the index on last_at finds the candidates
    Batch first =
        purgeBatch(
            "purging send logs idle since before " + cutoff,
            "WHERE last_at < ? ORDER BY last_at",
            new Object[] {before, max},
            before,
            DELETE_JUDGED);
    int removed = first.deleted();
    // rows last written before version 5 have no last_at yet
    removed +=
        purgeJudgedAgain(
            "purging send logs last written before schema version 5",
            "WHERE last_at IS NULL",
            before,
            DELETE_JUDGED_UNKNOWN,
            max - removed);
    // rows an older library marked never idle for a journey admission, which counts for nothing
    removed +=
        purgeJudgedAgain(
            "purging send logs that held a journey admission",
            "WHERE last_at = " + STORED_NEVER_IDLE,
            before,
            DELETE_JUDGED_NEVER_IDLE,
            max - removed);
    return removed;
  }

  /**
   * Purges rows whose {@code last_at} says nothing of their log ({@code where}): each is read once,
   * then deleted or given its {@code last_at}, so they run out; each batch is its own short
   * transaction. How many were deleted, at most {@code max}.
   */
  private int purgeJudgedAgain(String what, String where, long before, String delete, int max) {
    int removed = 0;
    while (removed < max) {
      int want = max - removed;
      Batch b = purgeBatch(what, where, new Object[] {want}, before, delete);
      removed += b.deleted();
      if (b.read() < want || b.deleted() + b.corrected() == 0) {
        break; // none left, or only rows rewritten meanwhile by an older library: next purge
      }
    }
    return removed;
  }

  /** What one batch of the purge did. */
  private record Batch(int read, int deleted, int corrected) {}

  /**
   * Reads candidate rows, judges each by its decoded log, and in one transaction deletes the idle
   * ones and corrects the {@code last_at} of the others. Rows are written in subject order, the
   * order in which {@link #update} locks, so the two never deadlock; the transaction holds the
   * locks of one batch of rows no rule reads, briefly.
   */
  private Batch purgeBatch(String what, String where, Object[] params, long before, String delete) {
    boolean knownLastAt = delete.equals(DELETE_JUDGED);
    String select = "SELECT tenant_id, subject, send_log FROM " + TABLE + " " + where + " LIMIT ?";
    List<Candidate> candidates =
        jdbc.withConnection(
            what,
            Jdbc.Repeat.SAFE,
            c ->
                Jdbc.query(
                    c,
                    select,
                    rs -> new Candidate(rs.getString(1), rs.getString(2), rs.getBytes(3)),
                    params));
    if (candidates.isEmpty()) {
      return new Batch(0, 0, 0);
    }
    List<Candidate> sorted = new ArrayList<>(candidates);
    Comparator<String> keys = jdbc.dialect().keyOrder();
    sorted.sort(
        Comparator.comparing(Candidate::tenant, keys).thenComparing(Candidate::subject, keys));
    List<Object[]> deletes = new ArrayList<>();
    List<Object[]> corrections = new ArrayList<>();
    for (Candidate candidate : sorted) {
      long lastAt = lastAt(SendLog.fromBytes(candidate.log()));
      if (lastAt < before) {
        deletes.add(
            knownLastAt
                ? new Object[] {candidate.tenant(), candidate.subject(), before, candidate.log()}
                : new Object[] {candidate.tenant(), candidate.subject(), candidate.log()});
      } else {
        // not idle: never written since version 5, or last by an older library (stale last_at)
        corrections.add(
            new Object[] {lastAt, candidate.tenant(), candidate.subject(), candidate.log()});
      }
    }
    // SAFE to repeat: a repeat deletes and corrects only rows that still hold the judged log
    int[] done =
        jdbc.inTransaction(
            what,
            Jdbc.Repeat.SAFE,
            c ->
                new int[] {
                  Jdbc.batch(c, delete, deletes), Jdbc.batch(c, SET_LAST_AT, corrections)
                });
    if (knownLastAt && done[1] > 0) {
      LOG.debug(
          "{} send logs were written by an older library; their last_at is corrected", done[1]);
    }
    return new Batch(candidates.size(), done[0], done[1]);
  }

  private record Candidate(String tenant, String subject, byte[] log) {}

  /** The {@code last_at} of a log: when its newest entry was made. */
  static long lastAt(SendLog log) {
    long second = log.idleSince();
    // entries outside the storable range of instants clamp to its ends (never STORED_NEVER_IDLE);
    // its first and last whole seconds are kept exactly, so that a purge judges them as memory does
    if (second > Long.MAX_VALUE / 1_000_000_000L) {
      return STORED_NEVER_IDLE - 1;
    }
    if (second < Long.MIN_VALUE / 1_000_000_000L) {
      return Long.MIN_VALUE;
    }
    return second * 1_000_000_000L;
  }

  /** How many subjects one write-back statement names. */
  static final int WRITE_CHUNK = 500;

  /**
   * Writes the logs that changed, set-based: per tenant and {@value #WRITE_CHUNK} subjects, one
   * DELETE of the emptied ones and one UPDATE of the others, which sets each row's log and {@code
   * last_at} (retention costs the hot path nothing) through a {@code CASE} on the subject. Every
   * row written is locked already, so the statements take no lock and wait for none.
   */
  private static void write(
      Connection c,
      JdbcDialect dialect,
      List<SubjectKey> subjects,
      List<SendLog> before,
      List<SendLog> after)
      throws SQLException {
    Map<TenantId, List<SubjectKey>> deletes = new LinkedHashMap<>();
    Map<TenantId, List<Map.Entry<String, SendLog>>> updates = new LinkedHashMap<>();
    for (int i = 0; i < subjects.size(); i++) {
      SubjectKey s = subjects.get(i);
      SendLog next = after.get(i);
      if (next.isEmpty()) {
        deletes.computeIfAbsent(s.tenant(), t -> new ArrayList<>()).add(s);
      } else if (!next.equals(before.get(i))) {
        updates.computeIfAbsent(s.tenant(), t -> new ArrayList<>()).add(Map.entry(s.value(), next));
      }
    }
    for (Map.Entry<TenantId, List<SubjectKey>> e : deletes.entrySet()) {
      List<SubjectKey> keys = e.getValue();
      for (int from = 0; from < keys.size(); from += WRITE_CHUNK) {
        List<SubjectKey> chunk = keys.subList(from, Math.min(keys.size(), from + WRITE_CHUNK));
        Object[] params = new Object[chunk.size() + 1];
        params[0] = e.getKey().value();
        for (int i = 0; i < chunk.size(); i++) {
          params[i + 1] = chunk.get(i).value();
        }
        Jdbc.update(
            c,
            "DELETE FROM "
                + TABLE
                + " WHERE tenant_id = ? AND subject IN ("
                + Jdbc.placeholders(chunk.size())
                + ")",
            params);
      }
    }
    String bytes = dialect == JdbcDialect.POSTGRESQL ? "BYTEA" : "VARBINARY";
    for (Map.Entry<TenantId, List<Map.Entry<String, SendLog>>> e : updates.entrySet()) {
      List<Map.Entry<String, SendLog>> logs = e.getValue();
      for (int from = 0; from < logs.size(); from += WRITE_CHUNK) {
        List<Map.Entry<String, SendLog>> chunk =
            logs.subList(from, Math.min(logs.size(), from + WRITE_CHUNK));
        StringBuilder log = new StringBuilder("CASE subject");
        StringBuilder lastAt = new StringBuilder("CASE subject");
        List<Object> params = new ArrayList<>(chunk.size() * 5 + 1);
        for (Map.Entry<String, SendLog> u : chunk) {
          log.append(" WHEN ? THEN CAST(? AS ").append(bytes).append(')');
          params.add(u.getKey());
          params.add(u.getValue().toBytes());
        }
        for (Map.Entry<String, SendLog> u : chunk) {
          lastAt.append(" WHEN ? THEN CAST(? AS BIGINT)");
          params.add(u.getKey());
          params.add(lastAt(u.getValue()));
        }
        params.add(e.getKey().value());
        for (Map.Entry<String, SendLog> u : chunk) {
          params.add(u.getKey());
        }
        Jdbc.update(
            c,
            "UPDATE "
                + TABLE
                + " SET send_log = "
                + log
                + " END, last_at = "
                + lastAt
                + " END WHERE tenant_id = ? AND subject IN ("
                + Jdbc.placeholders(chunk.size())
                + ")",
            params.toArray());
      }
    }
  }
}
