package dev.steward;

import dev.steward.jdbc.JdbcStores;
import java.time.Clock;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;

/** Governance through Steward on {@link JdbcStores} over a fresh in-memory H2 database. */
class StewardGovernanceH2Test extends StewardGovernanceContract {
  @Override
  Stores stores(Clock clock) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:governance-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return JdbcStores.bootstrapped(ds);
  }
}
