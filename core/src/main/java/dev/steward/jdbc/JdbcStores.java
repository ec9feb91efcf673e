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
    new Jdbc(dataSource, retry).dialect(); // an unsupported database is named here
    List<Integer> missing = StewardSchema.missingVersions(dataSource);
    if (!missing.isEmpty()) {
      throw new SchemaMissingException(
          "the database lacks Steward schema versions "
              + missing
              + ". Call StewardSchema.bootstrap(dataSource) once at start-up (it is idempotent),"
              + " or run the scripts in dev/steward/jdbc/<dialect>/ of the steward-core jar with"
              + " your migration tool",
          null);
    }
    // the inbox schedules the processing of accepted events in its own work store: share it
    JdbcEventInbox inbox = JdbcEventInbox.create(dataSource);
    return new Stores(
        JdbcConsentStore.create(dataSource),
        JdbcSuppressionStore.create(dataSource),
        JdbcCapLedgerStore.create(dataSource),
        JdbcCalendarStore.create(dataSource),
        JdbcDeliveryLedger.create(dataSource, retry),
        inbox.work(),
        inbox,
        JdbcHealthHistoryStore.create(dataSource),
        JdbcHealthBandStateStore.create(dataSource),
        JdbcEngagementStore.create(dataSource));
  }

  /** Brings the schema up to date ({@link StewardSchema#bootstrap}), then {@link #of}. */
  public static Stores bootstrapped(DataSource dataSource) {
    StewardSchema.bootstrap(dataSource);
    return of(dataSource);
  }
}
