package dev.steward;

import dev.steward.jdbc.JdbcStores;
import java.time.Clock;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;

/** The end of service through Steward on {@link JdbcStores} over a fresh H2 database. */
class StewardEndOfServiceH2Test extends StewardEndOfServiceContract {
  @Override
  Stores stores(Clock clock) {
    return JdbcStores.bootstrapped(dataSource());
  }

  @Override
  Stores[] instances(Clock clock) {
    JdbcDataSource ds = dataSource();
    return new Stores[] {JdbcStores.bootstrapped(ds), JdbcStores.of(ds)};
  }

  private static JdbcDataSource dataSource() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:eos-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return ds;
  }
}
