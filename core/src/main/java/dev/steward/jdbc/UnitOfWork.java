package dev.steward.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transaction on a {@link DataSource}, bound to the thread that opened it: while it is open,
 * every JDBC store of this package over the same data source runs its statements on the unit's
 * connection ({@link Jdbc} joins it) and commits nothing, so that the writes of a journey step
 * after its send (the enrolment's change and history, the analytics mark and tally, the calendar's
 * plan) commit once, one WAL flush instead of one each.
 *
 * <p>A store's call inside the unit is neither retried nor committed on its own: any failure in it
 * (an SQL error, a deadlock, an exception of its own) spoils the unit, every later call in it fails
 * at once without reaching the database, and {@link #run} rolls the unit back and runs the writes
 * again without one, each store's call then as it would run alone, with its own retries. The writes
 * must therefore be safe to run again after a rollback, and after a commit whose outcome was lost
 * with the connection: a journey step's are (the enrolment's change is a compare-and-set on its
 * sequence number, the marks and plans are idempotent).
 *
 * <p>A store may keep writes of its own in the unit ({@link #attach}) and write them all at once,
 * set-based, just before the unit commits (the analytics' marks and tallies): they share the unit's
 * fate. A rolled-back unit drops them with everything else, and its rerun, each call alone, writes
 * them again as the calls make them.
 *
 * <p>Never open one around a call that must be durable before something outside the database
 * happens (the delivery ledger's intent before the transport is called): inside the unit, nothing
 * is durable until it commits.
 */
final class UnitOfWork {
  private static final Logger LOG = LoggerFactory.getLogger(UnitOfWork.class);
  private static final ThreadLocal<UnitOfWork> CURRENT = new ThreadLocal<>();

  private final DataSource dataSource;
  private final Connection connection;
  private Optional<Throwable> spoilt = Optional.empty();
  private final Map<Object, BeforeCommit> attached = new LinkedHashMap<>();

  /** Writes a store keeps in a unit, made just before it commits. */
  interface BeforeCommit {
    /** Writes what was kept, on the unit's connection; a failure spoils the unit. */
    void beforeCommit(Connection connection) throws SQLException;
  }

  private UnitOfWork(DataSource dataSource, Connection connection) {
    this.dataSource = dataSource;
    this.connection = connection;
  }

  /** The unit open on this thread over {@code dataSource}, if any. */
  static Optional<UnitOfWork> joining(DataSource dataSource) {
    UnitOfWork u = CURRENT.get();
    return u != null && u.dataSource == dataSource ? Optional.of(u) : Optional.empty();
  }

  /**
   * Runs {@code writes} in one unit over {@code dataSource} and commits it; when the unit fails
   * (any store's call in it, or the commit), rolls it back and runs {@code writes} again without
   * one. Inside a unit already open on this thread, {@code writes} just run in it.
   */
  static <T> T run(DataSource dataSource, Supplier<T> writes) {
    if (CURRENT.get() != null) {
      return writes.get();
    }
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      LOG.debug(
          "no connection for a unit of work (SQL state {}); writes run alone", e.getSQLState());
      return writes.get();
    }
    UnitOfWork u = new UnitOfWork(dataSource, c);
    T result;
    boolean committed = false;
    try {
      c.setAutoCommit(false);
      CURRENT.set(u);
      try {
        result = writes.get();
      } finally {
        CURRENT.remove();
      }
      if (u.spoilt.isEmpty()) {
        u.beforeCommit();
      }
      if (u.spoilt.isEmpty()) {
        c.commit();
        committed = true;
      }
    } catch (SQLException | RuntimeException e) {
      u.spoilt = Optional.of(u.spoilt.orElse(e));
      result = null;
    } finally {
      finish(c, committed);
    }
    if (committed) {
      return result;
    }
    LOG.debug(
        "a unit of work failed ({}); its writes run again, each alone",
        u.spoilt.map(t -> t.getClass().getSimpleName()).orElse("?"));
    return writes.get();
  }

  /**
   * Runs {@code work} on this thread as if no unit were open: the stores' calls in it run, and
   * commit, each alone. For a write that must be durable before something outside the database
   * happens (the delivery ledger's intent before its send) when a unit is open around it (rb2: a
   * listener that dispatches a message from inside a step's unit).
   */
  static <T> T outside(Supplier<T> work) {
    UnitOfWork u = CURRENT.get();
    if (u == null) {
      return work.get();
    }
    CURRENT.remove();
    try {
      return work.get();
    } finally {
      CURRENT.set(u);
    }
  }

  /**
   * The writes {@code owner} keeps in this unit: made by {@code create} on the first call, then the
   * same; their {@link BeforeCommit#beforeCommit} runs once, in the order first attached, on the
   * unit's connection after the unit's writes and before its commit.
   */
  <S extends BeforeCommit> S attach(
      Object owner, Class<S> type, java.util.function.Supplier<S> create) {
    return type.cast(attached.computeIfAbsent(owner, o -> create.get()));
  }

  /** The writes {@code owner} keeps in this unit, if it has attached any. */
  <S extends BeforeCommit> Optional<S> attached(Object owner, Class<S> type) {
    return Optional.ofNullable(attached.get(owner)).map(type::cast);
  }

  /** Runs every attached store's writes; a failure spoils the unit (and is thrown). */
  private void beforeCommit() throws SQLException {
    for (BeforeCommit b : attached.values()) {
      try {
        b.beforeCommit(connection);
      } catch (SQLException | RuntimeException e) {
        spoilt = Optional.of(e);
        throw e;
      }
    }
  }

  /** Runs one store's call on the unit's connection (see {@link Jdbc}). */
  <T> T join(String what, SqlWork<T> work) {
    if (spoilt.isPresent()) {
      throw new JdbcStoreException(
          what + " not run: an earlier call of its unit of work failed", spoilt.get());
    }
    try {
      return work.run(connection);
    } catch (SQLException e) {
      spoilt = Optional.of(e);
      throw new JdbcStoreException(
          what + " failed in a unit of work (SQL state " + e.getSQLState() + ")", e);
    } catch (RuntimeException | Error e) {
      spoilt = Optional.of(e);
      throw e;
    }
  }

  private static void finish(Connection c, boolean committed) {
    try {
      if (!committed) {
        c.rollback();
      }
      c.setAutoCommit(true);
    } catch (SQLException e) {
      LOG.debug("ending a unit of work failed (SQL state {})", e.getSQLState());
    } finally {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("closing a unit of work's connection failed (SQL state {})", e.getSQLState());
      }
    }
  }
}
