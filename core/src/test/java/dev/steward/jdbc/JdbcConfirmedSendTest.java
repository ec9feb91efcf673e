package dev.steward.jdbc;

import dev.steward.frequency.CapLedgerStore;
import dev.steward.frequency.ConfirmedSendContract;
import org.junit.jupiter.api.Nested;

/** {@link ConfirmedSendContract} on the JDBC cap ledger, on H2 and PostgreSQL. */
class JdbcConfirmedSendTest {
  private static final TestDatabase H2 = TestDatabase.h2(JdbcConfirmedSendTest.class);

  @Nested
  class OnH2 extends ConfirmedSendContract {
    @Override
    protected CapLedgerStore newStore() {
      return JdbcCapLedgerStore.of(H2.dataSource());
    }
  }

  @Nested
  class OnPostgres extends ConfirmedSendContract {
    @Override
    protected CapLedgerStore newStore() {
      return JdbcCapLedgerStore.of(TestDatabase.postgres().dataSource());
    }
  }
}
