package dev.steward.jdbc;

import dev.steward.Stores;
import dev.steward.journey.StepBatchDifferentialContract;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The batch handler against the single one on PostgreSQL, where a batch stores its first changes in
 * one unit of work: each drive on a fresh database of the embedded server.
 */
class StepBatchDifferentialPostgresTest extends StepBatchDifferentialContract {
  private static final AtomicInteger DRIVES = new AtomicInteger();

  /** A quarter of the contacts: the drives on a durable database took twelve minutes with all. */
  @Override
  protected int contacts() {
    return 60;
  }

  @Override
  protected Stores stores(Clock clock) {
    TestDatabase db = TestDatabase.freshPostgres("stepbatch_" + DRIVES.incrementAndGet());
    return JdbcStores.bootstrapped(db.dataSource());
  }
}
