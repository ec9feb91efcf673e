package dev.steward.jdbc;

import dev.steward.delivery.DispatchAllDifferentialContract;
import dev.steward.testing.SettableClock;
import javax.sql.DataSource;

/**
 * {@link DispatchAllDifferentialContract} over the JDBC stores on two databases of the embedded
 * PostgreSQL server.
 */
class JdbcDispatchAllDifferentialPostgresTest extends DispatchAllDifferentialContract {
  private static final TestDatabase SEQUENTIAL = bootstrapped("dispatch_all_sequential");
  private static final TestDatabase BATCH = bootstrapped("dispatch_all_batch");

  private static TestDatabase bootstrapped(String name) {
    TestDatabase db = TestDatabase.freshPostgres(name);
    StewardSchema.bootstrap(db.dataSource());
    return db;
  }

  @Override
  protected Stores newStores(String name, SettableClock clock) {
    TestDatabase db = name.equals("batch") ? BATCH : SEQUENTIAL;
    db.clear();
    DataSource ds = db.dataSource();
    return new Stores(
        JdbcDeliveryLedger.of(ds),
        JdbcWorkStore.of(ds),
        JdbcCapLedgerStore.of(ds),
        JdbcConsentStore.of(ds),
        JdbcSuppressionStore.of(ds));
  }

  @Override
  protected int batches() {
    return 12;
  }
}
