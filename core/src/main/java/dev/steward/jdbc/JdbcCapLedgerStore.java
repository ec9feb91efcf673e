package dev.steward.jdbc;

import dev.steward.frequency.CapLedgerStore;
import dev.steward.frequency.CapLedgerStore.Checks;
import dev.steward.frequency.LedgerChange;
import dev.steward.frequency.SendLog;
import dev.steward.frequency.SubjectKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * A {@link CapLedgerStore} in a database table ({@code steward_cap_ledger}): one row per subject
 * holding {@link SendLog#toBytes()}. An update runs in one transaction: for each subject in sorted
 * key order it inserts an empty row if absent and locks the row with {@code SELECT ... FOR UPDATE};
 * then it applies the change and writes the logs that changed. Locks are always taken one row at a
 * time in the same (Java string) order, so updates over overlapping subjects wait for each other
 * and never deadlock. A subject whose log ends up empty has no row.
 */
public final class JdbcCapLedgerStore implements CapLedgerStore {
  private static final String TABLE = "steward_cap_ledger";
  private static final byte[] EMPTY = SendLog.empty().toBytes();

  private final Jdbc jdbc;

  private JdbcCapLedgerStore(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  /** A store over the tables in {@code dataSource}'s database. */
  public static JdbcCapLedgerStore create(DataSource dataSource) {
    return new JdbcCapLedgerStore(dataSource);
  }

  @Override
  public <R> R update(List<SubjectKey> subjects, Function<List<SendLog>, LedgerChange<R>> change) {
    List<SubjectKey> ordered = List.copyOf(Checks.subjects(subjects));
    Checks.notNull(change, "change");
    return jdbc.inTransaction(
        "updating the send logs of " + subjects,
        c -> {
          Map<SubjectKey, SendLog> locked = new HashMap<>();
          for (SubjectKey s : new TreeSet<>(ordered)) {
            locked.put(s, lockOrCreate(c, s));
          }
          List<SendLog> before = new ArrayList<>(ordered.size());
          for (SubjectKey s : ordered) {
            before.add(locked.get(s));
          }
          LedgerChange<R> result = Checks.result(change.apply(List.copyOf(before)), ordered.size());
          List<SendLog> after = result.newLogs() == null ? before : result.newLogs();
          for (int i = 0; i < ordered.size(); i++) {
            SendLog next = after.get(i);
            write(c, ordered.get(i), before.get(i), next);
          }
          return result.result();
        });
  }

  @Override
  public List<SendLog> read(List<SubjectKey> subjects) {
    List<SubjectKey> ordered = List.copyOf(Checks.subjects(subjects));
    if (ordered.isEmpty()) {
      return List.of();
    }
    Map<String, SendLog> found =
        jdbc.withConnection(
            "reading the send logs of " + subjects,
            c -> {
              Map<String, SendLog> logs = new HashMap<>();
              // chunks keep the IN list within every driver's parameter limit
              for (int from = 0; from < ordered.size(); from += 500) {
                List<SubjectKey> chunk =
                    ordered.subList(from, Math.min(ordered.size(), from + 500));
                Object[] keys = chunk.stream().map(SubjectKey::value).toArray();
                Jdbc.query(
                    c,
                    "SELECT subject, send_log FROM "
                        + TABLE
                        + " WHERE subject IN ("
                        + Jdbc.placeholders(keys.length)
                        + ")",
                    rs -> logs.put(rs.getString(1), SendLog.fromBytes(rs.getBytes(2))),
                    keys);
              }
              return logs;
            });
    List<SendLog> result = new ArrayList<>(ordered.size());
    for (SubjectKey s : ordered) {
      result.add(found.getOrDefault(s.value(), SendLog.empty()));
    }
    return result;
  }

  @Override
  public boolean erase(SubjectKey subject) {
    Checks.notNull(subject, "subject");
    return jdbc.withConnection(
            "erasing the send log of " + subject,
            c -> Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE subject = ?", subject.value()))
        > 0;
  }

  private SendLog lockOrCreate(Connection c, SubjectKey s) throws SQLException {
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<SendLog> log =
          Jdbc.queryOne(
              c,
              "SELECT send_log FROM " + TABLE + " WHERE subject = ? FOR UPDATE",
              rs -> SendLog.fromBytes(rs.getBytes(1)),
              s.value());
      if (log.isPresent()) {
        return log.get();
      }
      // an empty row to lock; write() deletes it again if the log stays empty
      jdbc.dialect()
          .insertIfAbsent(
              c,
              TABLE,
              new String[] {"subject"},
              new String[] {"subject", "send_log"},
              s.value(),
              EMPTY);
    }
    throw new JdbcStoreException("could not lock the send log of " + s);
  }

  private static void write(Connection c, SubjectKey s, SendLog before, SendLog next)
      throws SQLException {
    if (next.isEmpty()) {
      Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE subject = ?", s.value());
    } else if (!next.equals(before)) {
      Jdbc.update(
          c, "UPDATE " + TABLE + " SET send_log = ? WHERE subject = ?", next.toBytes(), s.value());
    }
  }
}
