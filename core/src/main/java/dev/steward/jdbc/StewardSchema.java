package dev.steward.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the tables of Steward's JDBC stores from the versioned SQL scripts shipped
 * in this jar ({@code dev/steward/jdbc/<dialect>/V<n>__<name>.sql}). Call {@link #bootstrap} once
 * at start-up, before using a JDBC store; it is idempotent and safe from several instances at once.
 * Users who manage their schema with their own tool (Flyway, Liquibase) may run the same scripts
 * there instead.
 */
public final class StewardSchema {
  private static final Logger LOG = LoggerFactory.getLogger(StewardSchema.class);

  /** The table recording which schema versions were applied. */
  public static final String VERSION_TABLE = "steward_schema_version";

  /** The schema version this library needs. */
  public static final int CURRENT_VERSION = 10;

  private static final List<Migration> MIGRATIONS =
      List.of(
          new Migration(1, "stores"),
          new Migration(2, "health"),
          new Migration(3, "work"),
          new Migration(4, "ledger"),
          new Migration(5, "retention"),
          new Migration(6, "consent_tenancy"),
          new Migration(7, "cap_tenancy"),
          new Migration(8, "calendar_tenancy"),
          new Migration(9, "health_tenancy"),
          new Migration(10, "ledger_tenancy"));

  /** An arbitrary constant naming Steward's migration lock among the database's advisory locks. */
  private static final long PG_ADVISORY_LOCK_KEY = 0x5374_6577_6172_6431L;

  /**
   * H2 has no lock that outlives its auto-committing DDL; H2 serves one JVM, so a JVM lock does.
   */
  private static final ReentrantLock H2_LOCK = new ReentrantLock();

  private StewardSchema() {}

  /**
   * Applies the schema versions not yet recorded in {@value #VERSION_TABLE}; the number applied. On
   * PostgreSQL all of it runs in one transaction under an advisory lock, so a second instance waits
   * and then finds nothing to do.
   */
  public static int bootstrap(DataSource dataSource) {
    return bootstrap(dataSource, CURRENT_VERSION);
  }

  /** Applies the missing versions up to {@code target} only: how tests make an older database. */
  static int bootstrap(DataSource dataSource, int target) {
    Jdbc jdbc = new Jdbc(dataSource);
    JdbcDialect dialect = jdbc.dialect();
    if (dialect == JdbcDialect.POSTGRESQL) {
      return jdbc.inTransaction(
          "bootstrapping the Steward schema",
          c -> {
            Jdbc.query(c, "SELECT pg_advisory_xact_lock(?)", rs -> 0, PG_ADVISORY_LOCK_KEY);
            return migrate(c, dialect, target);
          });
    }
    H2_LOCK.lock();
    try {
      return jdbc.withConnection(
          "bootstrapping the Steward schema", c -> migrate(c, dialect, target));
    } finally {
      H2_LOCK.unlock();
    }
  }

  /** Every version this library ships, in order (numbers may skip one that was never shipped). */
  static List<Integer> versions() {
    return MIGRATIONS.stream().map(Migration::version).toList();
  }

  /**
   * The tables the stores use, each with the columns its newest version added (and a key column):
   * how a schema applied by the user's own migration tool, which leaves no version table, is
   * checked. Kept in step with the scripts by {@code StewardSchemaTest}.
   */
  static final Map<String, List<String>> PROBES =
      Map.ofEntries(
          Map.entry("steward_work", List.of("tenant_id", "kind", "item_id", "lease_token")),
          Map.entry(
              "steward_delivery",
              List.of("tenant_id", "idempotency_key", "message_id", "account_id", "created_at")),
          Map.entry("steward_event_seen", List.of("event_id", "seen_at")),
          Map.entry("steward_consent", List.of("tenant_id", "contact_id", "document")),
          Map.entry("steward_suppression", List.of("tenant_id", "address", "document")),
          Map.entry("steward_calendar_entry", List.of("tenant_id", "entry_id", "occurs_at")),
          Map.entry("steward_calendar_lock", List.of("tenant_id", "scope", "bookings")),
          Map.entry("steward_cap_ledger", List.of("tenant_id", "subject", "send_log", "last_at")),
          Map.entry("steward_health_record", List.of("tenant_id", "account_id", "as_of")),
          Map.entry("steward_health_band_state", List.of("tenant_id", "monitor", "account_id")),
          Map.entry(
              "steward_engagement_event",
              List.of("tenant_id", "account_id", "event_id", "occurred_at")));

  /**
   * What keeps the database from serving this library's stores; empty when it can. With a version
   * table (written by {@link #bootstrap}), the versions it lacks; without one (the scripts were run
   * by another migration tool), the tables and columns it lacks.
   */
  public static List<String> problems(DataSource dataSource) {
    List<Integer> applied;
    try {
      applied = appliedVersions(dataSource);
    } catch (SchemaMissingException e) {
      return missingTables(dataSource);
    }
    List<Integer> missing = versions().stream().filter(v -> !applied.contains(v)).toList();
    return missing.isEmpty() ? List.of() : List.of("schema versions " + missing + " are missing");
  }

  private static List<String> missingTables(DataSource dataSource) {
    Jdbc jdbc = new Jdbc(dataSource);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, List<String>> probe : new TreeMap<>(PROBES).entrySet()) {
      String sql =
          "SELECT "
              + String.join(", ", probe.getValue())
              + " FROM "
              + probe.getKey()
              + " WHERE 1=0";
      try {
        jdbc.withConnection(
            "probing " + probe.getKey(), Jdbc.Repeat.SAFE, c -> Jdbc.query(c, sql, rs -> 0));
      } catch (JdbcStoreException e) {
        problems.add("table " + probe.getKey() + " or one of its columns " + probe.getValue());
      }
    }
    return problems;
  }

  /** The versions recorded as applied in the database, in order. */
  public static List<Integer> appliedVersions(DataSource dataSource) {
    return new Jdbc(dataSource)
        .withConnection(
            "reading the Steward schema version",
            c ->
                Jdbc.query(
                    c,
                    "SELECT version FROM " + VERSION_TABLE + " ORDER BY version",
                    rs -> rs.getInt(1)));
  }

  private static int migrate(Connection c, JdbcDialect dialect, int target) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + VERSION_TABLE
              + " (version INTEGER NOT NULL PRIMARY KEY, description VARCHAR(200) NOT NULL,"
              + " applied_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)");
    }
    Set<Integer> applied =
        new HashSet<>(Jdbc.query(c, "SELECT version FROM " + VERSION_TABLE, rs -> rs.getInt(1)));
    int newest = applied.stream().mapToInt(Integer::intValue).max().orElse(0);
    if (newest > CURRENT_VERSION) {
      LOG.warn(
          "the database has Steward schema version {}, newer than this library's {}",
          newest,
          CURRENT_VERSION);
    }
    int count = 0;
    for (Migration m : MIGRATIONS) {
      if (m.version() > target || applied.contains(m.version())) {
        continue;
      }
      for (String statement : statements(m.resource(dialect))) {
        try (Statement s = c.createStatement()) {
          s.execute(statement);
        }
      }
      // insert-if-absent: under H2 a second JVM may have got here too; its scripts are idempotent
      boolean recorded =
          dialect.insertIfAbsent(
              c,
              VERSION_TABLE,
              new String[] {"version"},
              new String[] {"version", "description"},
              m.version(),
              m.description());
      if (recorded) {
        count++;
        LOG.info(
            "applied Steward schema version {} ({}) on {}",
            m.version(),
            m.description(),
            dialect.name());
      }
    }
    return count;
  }

  /** The statements of a script: split at semicolons that end a line, comments dropped. */
  static List<String> statements(String resource) {
    String script;
    try (InputStream in = StewardSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new JdbcStoreException("schema script " + resource + " is missing from the jar");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new JdbcStoreException("cannot read schema script " + resource, e);
    }
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      if (trimmed.endsWith(";")) {
        current.append(trimmed, 0, trimmed.length() - 1);
        statements.add(current.toString().strip());
        current.setLength(0);
      } else {
        current.append(trimmed).append('\n');
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString().strip());
    }
    return statements;
  }

  private record Migration(int version, String description) {
    String resource(JdbcDialect dialect) {
      return "dev/steward/jdbc/" + dialect.name() + "/V" + version + "__" + description + ".sql";
    }
  }
}
