package dev.steward.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * An embedded PostgreSQL server in durable mode: {@code fsync=on} and {@code synchronous_commit=on}
 * (zonky's defaults turn both off), so every commit waits for its WAL flush as in production. Hands
 * out any number of HikariCP pools, one per simulated application instance; closes them all.
 */
public final class DurablePostgres implements AutoCloseable {

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
