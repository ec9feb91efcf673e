package dev.steward.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * An embedded PostgreSQL server with a HikariCP pool in front, started for one benchmark trial and
 * closed after it. Durable by default: {@code fsync} and {@code synchronous_commit} on, as in
 * production (zonky's own defaults turn both off), so every commit waits for its WAL flush; {@code
 * -Dbench.pg.durable=false} starts it with zonky's defaults, as the earlier runs did.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private final EmbeddedPostgres server;
  private final HikariDataSource pool;

  private EmbeddedDatabase(EmbeddedPostgres server, HikariDataSource pool) {
    this.server = server;
    this.pool = pool;
  }

  /** Starts a fresh server and a pool of {@code poolSize} connections to its postgres database. */
  public static EmbeddedDatabase start(int poolSize) {
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      if (Boolean.parseBoolean(System.getProperty("bench.pg.durable", "true"))) {
        builder
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on");
      }
      EmbeddedPostgres server = builder.start();
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
      config.setMaximumPoolSize(poolSize);
      config.setMinimumIdle(poolSize);
      config.setPoolName("bench");
      return new EmbeddedDatabase(server, new HikariDataSource(config));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pooled data source. */
  public DataSource dataSource() {
    return pool;
  }

  /** Runs DDL statements, each in its own auto-committed statement. */
  public void execute(String... sql) {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not run " + String.join("; ", sql), e);
    }
  }

  @Override
  public void close() {
    pool.close();
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
