package dev.steward.jdbc;

import dev.steward.model.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
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
  public static final int CURRENT_VERSION = 27;

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
          new Migration(10, "ledger_tenancy"),
          new Migration(11, "journeys"),
          new Migration(12, "governance"),
          new Migration(13, "onboarding"),
          new Migration(14, "ippool"),
          new Migration(15, "pilot"),
          new Migration(16, "journey_signals"),
          new Migration(17, "journey_tasks"),
          new Migration(18, "pilot_holds_pool_erasure"),
          new Migration(19, "pilot_reservations"),
          new Migration(20, "consent_changes"),
          new Migration(21, "journey_triggers"),
          new Migration(22, "journey_analytics"),
          new Migration(23, "journey_tally"),
          new Migration(24, "calendar_plan_seq"),
          new Migration(25, "ledger_key_lookup"),
          new Migration(26, "calendar_key_lookup"),
          new Migration(27, "enrolment_key_lookup"));

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
    return bootstrap(dataSource, CURRENT_VERSION, null);
  }

  /**
   * Applies the missing versions, and gives the rows written before tenancy (versions 6 to 10 key
   * every store by tenant) to {@code tenantOfOlderRows}: the tenant an installation that had one
   * sent for, so that its opt-outs, send logs, calendar, health history and delivery records go on
   * applying to it. Without it ({@link #bootstrap(DataSource)}) such rows belong to the tenant
   * {@code default}, and a WARN line says how many were filed there. Rows are moved only in the run
   * that applies the version that created their tenant column: later runs move nothing.
   */
  public static int bootstrap(DataSource dataSource, TenantId tenantOfOlderRows) {
    if (tenantOfOlderRows == null) {
      throw new InvalidStoreInputException("tenantOfOlderRows must not be null");
    }
    return bootstrap(dataSource, CURRENT_VERSION, tenantOfOlderRows);
  }

  /** Applies the missing versions up to {@code target} only: how tests make an older database. */
  static int bootstrap(DataSource dataSource, int target) {
    return bootstrap(dataSource, target, null);
  }

  private static int bootstrap(DataSource dataSource, int target, TenantId olderRows) {
    Jdbc jdbc = new Jdbc(dataSource);
    JdbcDialect dialect = jdbc.dialect();
    if (dialect == JdbcDialect.POSTGRESQL) {
      return jdbc.inTransaction(
          "bootstrapping the Steward schema",
          c -> {
            Jdbc.query(c, "SELECT pg_advisory_xact_lock(?)", rs -> 0, PG_ADVISORY_LOCK_KEY);
            return migrate(c, dialect, target, olderRows);
          });
    }
    H2_LOCK.lock();
    try {
      return jdbc.withConnection(
          "bootstrapping the Steward schema", c -> migrate(c, dialect, target, olderRows));
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
          Map.entry(
              "steward_consent", List.of("tenant_id", "contact_id", "document", "change_seq")),
          Map.entry("steward_consent_change", List.of("id", "last_seq")),
          Map.entry("steward_suppression", List.of("tenant_id", "address", "document")),
          Map.entry(
              "steward_calendar_entry", List.of("tenant_id", "entry_id", "occurs_at", "plan_seq")),
          Map.entry("steward_calendar_lock", List.of("tenant_id", "scope", "bookings")),
          Map.entry("steward_cap_ledger", List.of("tenant_id", "subject", "send_log", "last_at")),
          Map.entry("steward_health_record", List.of("tenant_id", "account_id", "as_of")),
          Map.entry("steward_health_band_state", List.of("tenant_id", "monitor", "account_id")),
          Map.entry("steward_journey_contact", List.of("tenant_id", "contact_id", "attributes")),
          Map.entry(
              "steward_journey_enrolment", List.of("tenant_id", "enrolment_id", "seq", "due_at")),
          Map.entry("steward_journey_history", List.of("tenant_id", "enrolment_id", "seq")),
          Map.entry(
              "steward_journey_signal",
              List.of("tenant_id", "enrolment_id", "message_id", "event", "contact_id", "at")),
          Map.entry(
              "steward_journey_segment",
              List.of("tenant_id", "contact_id", "journey_id", "in_segment", "generation")),
          Map.entry(
              "steward_journey_contact_event",
              List.of("tenant_id", "event_id", "contact_id", "name", "at")),
          Map.entry(
              "steward_journey_task",
              List.of("tenant_id", "task_id", "owner", "state", "closed_at", "edited")),
          Map.entry(
              "steward_governance_bucket",
              List.of("tenant_id", "pool", "granularity", "bucket", "sent_to_inactive")),
          Map.entry("steward_governance_mark", List.of("tenant_id", "event_id", "occurred_at")),
          Map.entry(
              "steward_governance_recipient", List.of("tenant_id", "address", "last_engaged")),
          Map.entry("steward_governance_standing", List.of("tenant_id", "level", "document")),
          Map.entry("steward_onboarding", List.of("tenant_id", "state", "version", "document")),
          Map.entry("steward_pilot", List.of("tenant_id", "stage", "document")),
          Map.entry("steward_pilot_day", List.of("tenant_id", "epoch_day", "used")),
          Map.entry("steward_pilot_send", List.of("tenant_id", "epoch_day", "message_id", "holds")),
          Map.entry(
              "steward_pilot_reservation",
              List.of("tenant_id", "epoch_day", "token", "message_id", "used")),
          Map.entry("steward_ippool_erasure", List.of("tenant_id", "erased_at")),
          Map.entry("steward_journey_mark", List.of("tenant_id", "subject", "metric", "step_id")),
          Map.entry("steward_journey_count", List.of("tenant_id", "journey_id", "reason", "n")),
          Map.entry(
              "steward_journey_tally", List.of("tenant_id", "journey_id", "reason", "stripe", "n")),
          Map.entry("steward_journey_alert", List.of("tenant_id", "step_id", "kind", "opened_at")),
          Map.entry("steward_ippool_assignment", List.of("tenant_id", "stream", "pool", "version")),
          Map.entry(
              "steward_ippool_change", List.of("tenant_id", "stream", "version", "reason_cause")),
          Map.entry(
              "steward_engagement_event",
              List.of("tenant_id", "account_id", "event_id", "occurred_at")));

  /**
   * What keeps the database from serving this library's stores; empty when it can. With a version
   * table (written by {@link #bootstrap}), the versions it lacks. Without one (the scripts were run
   * by another migration tool, or only some of them), the tables and columns are probed: a database
   * with every table is served; one with none says there is no Steward schema; one with some says
   * first which Steward tables it found and which are missing or lack columns, then one line per
   * table at fault.
   *
   * @throws TransientStoreException if the database cannot be reached (before or during the
   *     probes): an outage is not reported as missing tables
   */
  public static List<String> problems(DataSource dataSource) {
    List<Integer> applied;
    try {
      applied = appliedVersions(dataSource);
    } catch (SchemaMissingException e) {
      return withoutVersionTable(dataSource);
    }
    List<Integer> missing = versions().stream().filter(v -> !applied.contains(v)).toList();
    return missing.isEmpty() ? List.of() : List.of("schema versions " + missing + " are missing");
  }

  private static List<String> withoutVersionTable(DataSource dataSource) {
    Jdbc jdbc = new Jdbc(dataSource);
    List<String> found = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    List<String> incomplete = new ArrayList<>();
    List<String> details = new ArrayList<>();
    for (Map.Entry<String, List<String>> probe : new TreeMap<>(PROBES).entrySet()) {
      String table = probe.getKey();
      if (!answers(jdbc, table, "SELECT 1 FROM " + table + " WHERE 1=0")) {
        absent.add(table);
        details.add("table " + table + " is missing");
        continue;
      }
      String columns =
          "SELECT " + String.join(", ", probe.getValue()) + " FROM " + table + " WHERE 1=0";
      if (answers(jdbc, table, columns)) {
        found.add(table);
      } else {
        incomplete.add(table);
        details.add("table " + table + " lacks one of its columns " + probe.getValue());
      }
    }
    if (absent.size() == PROBES.size()) {
      return List.of(
          "no Steward schema: neither the version table "
              + VERSION_TABLE
              + " nor any of the "
              + PROBES.size()
              + " Steward tables exists");
    }
    if (details.isEmpty()) {
      return List.of(); // every table, applied by another migration tool
    }
    List<String> problems = new ArrayList<>();
    problems.add(
        "no version table "
            + VERSION_TABLE
            + " (the schema was not applied by StewardSchema.bootstrap), and only part of the"
            + " Steward tables: "
            + (found.size() + incomplete.size())
            + " of "
            + PROBES.size()
            + " found "
            + concat(found, incomplete)
            + ", of which "
            + incomplete.size()
            + " lack columns "
            + incomplete
            + "; "
            + absent.size()
            + " missing "
            + absent);
    problems.addAll(details);
    return problems;
  }

  /**
   * True if {@code sql} runs; false if the database refuses it (a table or column it lacks). A
   * database that cannot be reached, or whose answer was lost, says nothing of the table: that
   * failure propagates, so an outage is never reported as missing tables.
   */
  private static boolean answers(Jdbc jdbc, String table, String sql) {
    try {
      jdbc.withConnection("probing " + table, Jdbc.Repeat.SAFE, c -> Jdbc.query(c, sql, rs -> 0));
      return true;
    } catch (TransientStoreException | StoreOutcomeUnknownException e) {
      throw e;
    } catch (JdbcStoreException e) {
      return false;
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    Collections.sort(all);
    return all;
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

  /**
   * The tables each tenancy version gave a tenant column, filling it with {@code 'default'} for the
   * rows already there.
   */
  private static final Map<Integer, List<String>> TENANCY_TABLES =
      Map.of(
          6, List.of("steward_consent"),
          7, List.of("steward_cap_ledger"),
          8, List.of("steward_calendar_entry"),
          9, List.of("steward_health_record", "steward_health_band_state"),
          10, List.of("steward_delivery"));

  private static int migrate(Connection c, JdbcDialect dialect, int target, TenantId olderRows)
      throws SQLException {
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
        if (dialect == JdbcDialect.POSTGRESQL) {
          dropInvalidIndex(c, statement);
        }
        try (Statement s = c.createStatement()) {
          s.execute(statement);
        } catch (SQLException e) {
          if (!alreadyDropped(dialect, statement, e)) {
            throw e;
          }
          // H2 commits each statement: a run cut short after dropping a primary key left the
          // table without one, and the script's next statement adds the new key
          LOG.warn("schema version {}: {} found no primary key; going on", m.version(), statement);
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
        rehome(c, m.version(), olderRows);
      }
    }
    return count;
  }

  private static final String CREATE_INDEX = "CREATE INDEX IF NOT EXISTS ";

  /**
   * Before a script's {@code CREATE INDEX IF NOT EXISTS name}, drops an INVALID index of that name,
   * which a failed (cancelled, deadlocked) {@code CREATE INDEX CONCURRENTLY} leaves behind: a
   * script may advise building its indexes so beforehand (version 25 does), and IF NOT EXISTS would
   * take the broken one for done, so that the script then dropped the old index it replaces and
   * left none usable.
   */
  private static void dropInvalidIndex(Connection c, String statement) throws SQLException {
    if (!statement.startsWith(CREATE_INDEX)) {
      return;
    }
    String rest = statement.substring(CREATE_INDEX.length());
    int end = 0;
    while (end < rest.length()
        && (Character.isLetterOrDigit(rest.charAt(end)) || rest.charAt(end) == '_')) {
      end++;
    }
    String name = rest.substring(0, end);
    if (name.isEmpty()) {
      return;
    }
    boolean invalid =
        !Jdbc.query(
                c,
                "SELECT 1 FROM pg_index WHERE indexrelid = to_regclass(?) AND NOT indisvalid",
                rs -> 1,
                name)
            .isEmpty();
    if (invalid) {
      LOG.warn("index {} was left invalid by a failed build; it is dropped and built again", name);
      try (Statement s = c.createStatement()) {
        s.execute("DROP INDEX " + name);
      }
    }
  }

  /** Gives the rows a tenancy version filed under 'default' to their tenant, or says it did not. */
  private static void rehome(Connection c, int version, TenantId olderRows) throws SQLException {
    for (String table : TENANCY_TABLES.getOrDefault(version, List.of())) {
      if (olderRows != null) {
        int moved =
            Jdbc.update(
                c,
                "UPDATE " + table + " SET tenant_id = ? WHERE tenant_id = 'default'",
                olderRows.value());
        if (moved > 0) {
          LOG.info(
              "schema version {}: {} rows of {} given to tenant {}",
              version,
              moved,
              table,
              olderRows);
        }
      } else {
        long filed =
            Jdbc.query(
                    c,
                    "SELECT COUNT(*) FROM " + table + " WHERE tenant_id = 'default'",
                    rs -> rs.getLong(1))
                .get(0);
        if (filed > 0) {
          LOG.warn(
              "schema version {}: {} rows of {} written before tenancy now belong to tenant"
                  + " 'default'; if they were another tenant's, they no longer apply to it (opt-outs,"
                  + " caps). Bootstrap with StewardSchema.bootstrap(dataSource, tenant) to give"
                  + " them to that tenant",
              version,
              filed,
              table);
        }
      }
    }
  }

  /**
   * True when {@code failure} is H2 refusing to drop a primary key the table no longer has: the
   * only statement of the scripts that cannot say IF EXISTS (H2 names a table's first key itself).
   */
  private static boolean alreadyDropped(JdbcDialect dialect, String statement, SQLException e) {
    // 42112: index not found; 90057: constraint not found
    return dialect == JdbcDialect.H2
        && statement.toUpperCase(java.util.Locale.ROOT).endsWith("DROP PRIMARY KEY")
        && ("42112".equals(e.getSQLState())
            || "90057".equals(e.getSQLState())
            || e.getErrorCode() == 42112
            || e.getErrorCode() == 90057);
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
