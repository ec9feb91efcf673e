package dev.steward.jdbc;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells transient database errors from the others, by SQL state (and H2's error codes), looking
 * through chained and next exceptions. Only the SQL state and vendor code are read: a driver's
 * message may quote parameter values.
 */
final class TransientErrors {

  /** What a transient error says about the work that failed. */
  enum Kind {
    /** Not transient: repeating would fail again. */
    PERMANENT,
    /**
     * The database rolled the failing statement (or transaction) back: it had no effect, so running
     * it again is safe.
     */
    ROLLED_BACK,
    /**
     * The connection failed: a statement or commit sent on it may or may not have been applied, so
     * only work that is safe to repeat may run again (or work that had not started yet).
     */
    CONNECTION
  }

  /**
   * SQL states of errors after which the database has undone the failing statement: serialization
   * failure, deadlock (PostgreSQL; H2 reports a deadlock as 40001 too), lock not available
   * (NOWAIT), query cancelled by a statement time-out, and H2's lock time-out.
   */
  private static final Set<String> ROLLED_BACK_STATES =
      Set.of("40001", "40P01", "55P03", "57014", "HYT00");

  /** H2's codes for a lock time-out, a broken connection and a closed database. */
  private static final int H2_LOCK_TIMEOUT = 50200;

  private static final Set<String> H2_CONNECTION_STATES = Set.of("90067", "90098");

  private TransientErrors() {}

  /** The kind of {@code e}: the most hopeful kind found in its chain. */
  static Kind classify(SQLException e) {
    Kind found = Kind.PERMANENT;
    int guard = 0;
    for (Throwable t = e; t != null && guard < 20; t = next(t), guard++) {
      if (t instanceof SQLException s) {
        Kind k = kindOf(s);
        if (k == Kind.CONNECTION) {
          return k; // a lost connection outranks what was said on it
        }
        if (k == Kind.ROLLED_BACK) {
          found = k;
        }
      }
    }
    return found;
  }

  private static Kind kindOf(SQLException s) {
    String state = s.getSQLState();
    if (state != null && (state.startsWith("08") || H2_CONNECTION_STATES.contains(state))) {
      return Kind.CONNECTION;
    }
    // a pool's time-out waiting for a connection (HikariCP) and a driver's dead socket; the
    // non-transient connection type is left out, as H2 uses it for a wrong URL too
    if (s instanceof SQLTransientConnectionException || s instanceof SQLRecoverableException) {
      return Kind.CONNECTION;
    }
    if (state != null && ROLLED_BACK_STATES.contains(state)) {
      return Kind.ROLLED_BACK;
    }
    if (s.getErrorCode() == H2_LOCK_TIMEOUT) {
      return Kind.ROLLED_BACK;
    }
    return Kind.PERMANENT;
  }

  private static Throwable next(Throwable t) {
    if (t instanceof SQLException s && s.getNextException() != null) {
      return s.getNextException();
    }
    return t.getCause() == t ? null : t.getCause();
  }
}
