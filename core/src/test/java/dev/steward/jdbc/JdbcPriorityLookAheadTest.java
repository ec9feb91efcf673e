package dev.steward.jdbc;

import dev.steward.delivery.DeliveryLedger;
import dev.steward.delivery.PriorityLookAheadContract;
import dev.steward.frequency.CapLedgerStore;
import dev.steward.schedule.WorkStore;
import org.junit.jupiter.api.Nested;

/**
 * {@link PriorityLookAheadContract} on the JDBC stores, H2 and PostgreSQL; each instance of the
 * test opens its own stores over the one database.
 */
class JdbcPriorityLookAheadTest {
  private static final TestDatabase H2 = TestDatabase.h2(JdbcPriorityLookAheadTest.class);

  @Nested
  class OnH2 extends PriorityLookAheadContract {
    @Override
    protected void reset() {
      H2.clear();
    }

    @Override
    protected WorkStore workStore() {
      return JdbcWorkStore.of(H2.dataSource());
    }

    @Override
    protected CapLedgerStore capStore() {
      return JdbcCapLedgerStore.of(H2.dataSource());
    }

    @Override
    protected DeliveryLedger ledger() {
      return JdbcDeliveryLedger.of(H2.dataSource());
    }
  }

  @Nested
  class OnPostgres extends PriorityLookAheadContract {
    private final TestDatabase db = TestDatabase.postgres();

    @Override
    protected void reset() {
      db.clear();
    }

    @Override
    protected WorkStore workStore() {
      return JdbcWorkStore.of(db.dataSource());
    }

    @Override
    protected CapLedgerStore capStore() {
      return JdbcCapLedgerStore.of(db.dataSource());
    }

    @Override
    protected DeliveryLedger ledger() {
      return JdbcDeliveryLedger.of(db.dataSource());
    }
  }
}
