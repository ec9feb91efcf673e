package dev.steward.jdbc;

import dev.steward.frequency.CapLedgerStore;
import dev.steward.frequency.CapLedgerStoreContract;
import org.junit.jupiter.api.Nested;

/** The shared {@link CapLedgerStoreContract}, run against the JDBC store on H2 and PostgreSQL. */
class JdbcCapLedgerStoreContractTest {
  private static final TestDatabase H2 = TestDatabase.h2(JdbcCapLedgerStoreContractTest.class);

  @Nested
  class OnH2 extends CapLedgerStoreContract {
    @Override
    protected CapLedgerStore newStore() {
      return JdbcCapLedgerStore.of(H2.dataSource());
    }
  }

  @Nested
  class OnPostgres extends CapLedgerStoreContract {
    @Override
    protected CapLedgerStore newStore() {
      return JdbcCapLedgerStore.of(TestDatabase.postgres().dataSource());
    }
  }
}
