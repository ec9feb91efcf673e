package dev.steward.jdbc;

import dev.steward.Stores;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Every Steward store over one database (PostgreSQL, or H2 for one instance), for {@code
 * Steward.builder(clock).stores(...)}. Checks on creation that the database is supported and that
 * its schema is this library's, so that a wrong database fails at start-up rather than at the first
 * message.
 *
 * <p>Add the JDBC driver of your database to your application: {@code org.postgresql:postgresql} or
 * {@code com.h2database:h2}. A connection pool (HikariCP, say) is yours to choose; Steward opens
 * short transactions and never holds a connection between calls.
 */
public final class JdbcStores {
  private JdbcStores() {}

  /**
   * The stores over {@code dataSource}, whose schema must be current.
   *
   * @throws SchemaMissingException if schema versions are missing: call {@link
   *     StewardSchema#bootstrap} first, or use {@link #bootstrapped}
   * @throws JdbcStoreException if the database is not PostgreSQL or H2, or cannot be reached
   */
  public static Stores of(DataSource dataSource) {
    return of(dataSource, JdbcRetryPolicy.ofDefaults());
  }

  /** The stores over {@code dataSource}, retrying transient failures by {@code retry}. */
  public static Stores of(DataSource dataSource, JdbcRetryPolicy retry) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(retry, "retry");
    // one Jdbc for all: the dialect is detected once (an unsupported database is named here) and
    // every store retries by the same policy
    Jdbc jdbc = new Jdbc(dataSource, retry);
    jdbc.dialect();
    List<String> missing = StewardSchema.problems(dataSource);
    if (!missing.isEmpty()) {
      throw new SchemaMissingException(
          "the database does not hold the Steward schema this library needs: "
              + String.join("; ", missing)
              + ". Call StewardSchema.bootstrap(dataSource) once at start-up (it is idempotent),"
              + " or run the scripts in dev/steward/jdbc/<dialect>/ of the steward-core jar with"
              + " your migration tool",
          null);
    }
    // the inbox schedules the processing of accepted events in its own work store: share it
    JdbcEventInbox inbox = new JdbcEventInbox(jdbc);
    return new Stores(
        new JdbcConsentStore(jdbc),
        new JdbcSuppressionStore(jdbc),
        new JdbcCapLedgerStore(jdbc),
        new JdbcCalendarStore(jdbc),
        new JdbcDeliveryLedger(jdbc),
        inbox.work(),
        inbox,
        new JdbcHealthHistoryStore(jdbc),
        new JdbcHealthBandStateStore(jdbc, JdbcHealthBandStateStore.DEFAULT_MONITOR),
        new JdbcEngagementStore(jdbc),
        new JdbcGovernanceMetricsStore(jdbc),
        new JdbcStandingStore(jdbc),
        new JdbcOnboardingStore(jdbc),
        new JdbcPilotStore(jdbc),
        new JdbcPoolAssignmentStore(jdbc),
        new JdbcJourneyStore(jdbc),
        new JdbcTaskStore(jdbc),
        new JdbcJourneyAnalyticsStore(jdbc),
        new JdbcTriggerStore(jdbc));
  }

  /** Brings the schema up to date ({@link StewardSchema#bootstrap}), then {@link #of}. */
  public static Stores bootstrapped(DataSource dataSource) {
    StewardSchema.bootstrap(dataSource);
    return of(dataSource);
  }
}
