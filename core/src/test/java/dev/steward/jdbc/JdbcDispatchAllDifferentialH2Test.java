package dev.steward.jdbc;

import dev.steward.delivery.DispatchAllDifferentialContract;
import dev.steward.testing.SettableClock;
import javax.sql.DataSource;

/** {@link DispatchAllDifferentialContract} over the JDBC stores on two H2 databases. */
class JdbcDispatchAllDifferentialH2Test extends DispatchAllDifferentialContract {
  /** The sequential world's database. */
  private static final class Sequential {}

  /** The batch world's database. */
  private static final class Batch {}

  private static final TestDatabase SEQUENTIAL = TestDatabase.h2(Sequential.class);
  private static final TestDatabase BATCH = TestDatabase.h2(Batch.class);

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
    return 25;
  }
}
