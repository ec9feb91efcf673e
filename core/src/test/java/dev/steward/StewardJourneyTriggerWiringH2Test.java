package dev.steward;

import dev.steward.jdbc.JdbcStores;
import java.time.Clock;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;

/** Journey triggers through Steward on {@link JdbcStores} over a fresh H2 database. */
class StewardJourneyTriggerWiringH2Test extends StewardJourneyTriggerWiringContract {
  @Override
  protected Stores stores(Clock clock) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:triggerwire-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return JdbcStores.bootstrapped(ds);
  }
}
