package dev.steward.journey;

import dev.steward.Stores;
import dev.steward.jdbc.JdbcStores;
import java.time.Clock;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;

/** The batch handler against the single one, on H2. */
class StepBatchDifferentialH2Test extends StepBatchDifferentialContract {
  @Override
  protected Stores stores(Clock clock) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:stepbatch-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return JdbcStores.bootstrapped(ds);
  }
}
