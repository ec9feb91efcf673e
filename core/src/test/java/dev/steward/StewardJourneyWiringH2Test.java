package dev.steward;

import dev.steward.jdbc.JdbcStores;
import java.time.Clock;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;

/** Journeys through Steward on {@link JdbcStores} over a fresh H2 database. */
class StewardJourneyWiringH2Test extends StewardJourneyWiringContract {
  @Override
  protected Stores stores(Clock clock) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:journeywire-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return JdbcStores.bootstrapped(ds);
  }
}
