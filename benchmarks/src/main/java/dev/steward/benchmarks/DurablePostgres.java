package dev.steward.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An embedded PostgreSQL server in durable mode: {@code fsync=on} and {@code synchronous_commit=on}
 * (zonky's defaults turn both off), so every commit waits for its WAL flush as in production. Hands
 * out any number of HikariCP pools, one per simulated application instance; closes them all.
 */
public final class DurablePostgres implements AutoCloseable {

  /** Linux reports process times in ticks of 100 Hz to user space, whatever the kernel's HZ. */
  private static final long USER_HZ = 100;

  private final EmbeddedPostgres server;
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final HikariDataSource admin;

  private DurablePostgres(EmbeddedPostgres server) {
    this.server = server;
    this.admin = pool("admin", 2);
  }

  /** Starts a fresh durable server. */
  public static DurablePostgres start() {
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("shared_buffers", "256MB")
              .setServerConfig("max_connections", "200")
              .setServerConfig("shared_preload_libraries", "pg_stat_statements");
      // -Dbench.pg.<setting>=<value> sets any other server setting (say, autovacuum_naptime)
      for (String name : System.getProperties().stringPropertyNames()) {
        if (name.startsWith("bench.pg.")) {
          builder.setServerConfig(name.substring("bench.pg.".length()), System.getProperty(name));
        }
      }
      EmbeddedPostgres server = builder.start();
      return new DurablePostgres(server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new pool of {@code size} connections, closed with the server. */
  public HikariDataSource pool(String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setPoolName(name);
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    return pool;
  }

  /** Closes a pool handed out earlier. */
  public void closePool(HikariDataSource pool) {
    pools.remove(pool);
    pool.close();
  }

  /** The administrative pool (DDL, counts, settings). */
  public HikariDataSource admin() {
    return admin;
  }

  /** Runs statements, each auto-committed. */
  public void execute(String... sql) {
    try (Connection c = admin.getConnection();
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not run " + String.join("; ", sql), e);
    }
  }

  /** The first column of the first row of a query, as a long. */
  public long queryLong(String sql) {
    try (Connection c = admin.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("could not run " + sql, e);
    }
  }

  /** The first column of every row of a query. */
  public List<String> queryStrings(String sql) {
    try (Connection c = admin.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("could not run " + sql, e);
    }
  }

  /**
   * CPU time the server has used so far, in milliseconds: the postmaster's own and that of the
   * children it has reaped (backends of closed pools), plus that of its live children (backends,
   * WAL writer, checkpointer, autovacuum). Read from {@code /proc}, so Linux only; -1 elsewhere.
   */
  public long serverCpuMillis() {
    long postmaster = parentPid(queryLong("SELECT pg_backend_pid()"));
    if (postmaster < 0) {
      return -1;
    }
    long[] own = procStat(postmaster);
    long ticks = own[2] + own[3] + own[4] + own[5];
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        long[] child = procStat(Long.parseLong(name));
        if (child[1] == postmaster) {
          ticks += child[2] + child[3];
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return ticks * 1000 / USER_HZ;
  }

  private static long parentPid(long pid) {
    return procStat(pid)[1];
  }

  /**
   * Of {@code /proc/<pid>/stat}: pid, parent pid, utime, stime, cutime, cstime; a process gone
   * meanwhile reads as all -1 except its pid.
   */
  private static long[] procStat(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name, in parentheses, may hold spaces: fields are counted after it
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new long[] {
        pid,
        Long.parseLong(f[1]),
        Long.parseLong(f[11]),
        Long.parseLong(f[12]),
        Long.parseLong(f[13]),
        Long.parseLong(f[14])
      };
    } catch (IOException | RuntimeException e) {
      return new long[] {pid, -1, 0, 0, 0, 0};
    }
  }

  @Override
  public void close() {
    for (HikariDataSource p : pools) {
      p.close();
    }
    pools.clear();
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
