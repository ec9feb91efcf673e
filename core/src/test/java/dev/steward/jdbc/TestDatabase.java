package dev.steward.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A database for the JDBC store tests, with the schema applied by {@link StewardSchema#bootstrap}:
 * an in-memory H2 database per test class, or the one embedded PostgreSQL server of the JVM. Each
 * {@link #dataSource()} is a separate data source, standing for a separate application instance.
 */
final class TestDatabase {
  /** The zone every test session runs in: UTC+12:45/13:45, so any zone-dependent write shows. */
  static final String SESSION_ZONE = "Pacific/Chatham";

  static final List<String> TABLES =
      List.of(
          "steward_deferred_message",
          "steward_delivery",
          "steward_event_seen",
          "steward_consent",
          "steward_consent_change",
          "steward_calendar_entry",
          "steward_calendar_lock",
          "steward_cap_ledger",
          "steward_health_record",
          "steward_health_band_state",
          "steward_journey_segment",
          "steward_journey_contact_event",
          "steward_work",
          "steward_suppression",
          "steward_engagement_event",
          "steward_governance_bucket",
          "steward_governance_mark",
          "steward_governance_recipient",
          "steward_governance_standing",
          "steward_journey_contact",
          "steward_journey_enrolment",
          "steward_journey_history",
          "steward_journey_signal",
          "steward_journey_task",
          "steward_onboarding",
          "steward_pilot",
          "steward_pilot_day",
          "steward_pilot_send",
          "steward_pilot_reservation",
          "steward_ippool_assignment",
          "steward_ippool_change",
          "steward_ippool_erasure",
          "steward_journey_mark",
          "steward_journey_count",
          "steward_journey_tally",
          "steward_journey_alert");

  private final String url;
  private final boolean postgres;

  private TestDatabase(String url, boolean postgres) {
    this.url = url;
    this.postgres = postgres;
  }

  /** A fresh, bootstrapped in-memory H2 database named after the test class. */
  static TestDatabase h2(Class<?> owner) {
    TestDatabase db =
        new TestDatabase(
            "jdbc:h2:mem:"
                + owner.getSimpleName()
                + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000;TIME ZONE="
                + SESSION_ZONE,
            false);
    StewardSchema.bootstrap(db.dataSource());
    return db;
  }

  /** The bootstrapped database of the JVM's one embedded PostgreSQL server. */
  static TestDatabase postgres() {
    return Postgres.DEFAULT;
  }

  /** A new, empty database on the embedded PostgreSQL server, not bootstrapped. */
  static TestDatabase freshPostgres(String name) {
    TestDatabase admin = Postgres.DEFAULT;
    try (Connection c = admin.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new TestDatabase(Postgres.url(name), true);
  }

  /** A new data source over this database, as another application instance would have. */
  DataSource dataSource() {
    if (postgres) {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setUrl(url);
      ds.setUser("postgres");
      return new ZonedDataSource(ds, SESSION_ZONE);
    }
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(url);
    return ds;
  }

  /** Deletes every row of the stores' tables (the schema version stays). */
  void clear() {
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement()) {
      for (String table : TABLES) {
        s.execute("DELETE FROM " + table);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lets real time pass beyond {@code d}: leases are judged by the database's clock. */
  static void passRealTime(java.time.Duration d) {
    try {
      Thread.sleep(d.toMillis() + 20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The JDBC URL, for pools that open their own connections. */
  String url() {
    return url;
  }

  boolean isPostgres() {
    return postgres;
  }

  /** Starts the server on first use, once per JVM; stopped when the JVM exits. */
  private static final class Postgres {
    private static final EmbeddedPostgres SERVER = start();
    static final TestDatabase DEFAULT = bootstrapped();

    private static EmbeddedPostgres start() {
      try {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        pg.close();
                      } catch (IOException e) {
                        // the JVM is exiting; the temporary data directory is removed either way
                      }
                    }));
        return pg;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
    }

    static String url(String database) {
      return "jdbc:postgresql://localhost:" + SERVER.getPort() + "/" + database;
    }

    private static TestDatabase bootstrapped() {
      TestDatabase db = new TestDatabase(url("postgres"), true);
      StewardSchema.bootstrap(db.dataSource());
      return db;
    }
  }
}
