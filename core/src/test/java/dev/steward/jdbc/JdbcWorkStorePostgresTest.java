package dev.steward.jdbc;

import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkStoreContract;
import java.time.Duration;

/** The WorkStore contract against JdbcWorkStore on Postgres. */
class JdbcWorkStorePostgresTest extends WorkStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected WorkStore newStore() {
    DB.clear();
    return JdbcWorkStore.of(DB.dataSource());
  }

  @Override
  protected WorkStore secondInstance() {
    return JdbcWorkStore.of(DB.dataSource());
  }

  @Override
  protected void passLeaseTime(Duration d) {
    TestDatabase.passRealTime(d);
  }

  /** Finished work is deleted at once; the store vacuums its table once enough was deleted. */
  @org.junit.jupiter.api.Test
  void theStoreVacuumsItsTableAfterEnoughDeletes() throws Exception {
    DB.clear();
    WorkStore store = JdbcWorkStore.of(DB.dataSource(), 100);
    long before = vacuums();
    java.util.List<dev.steward.schedule.WorkItem> items = new java.util.ArrayList<>();
    for (int i = 0; i < 150; i++) {
      items.add(item(ACME, "v" + i, T0));
    }
    store.scheduleAll(items, dev.steward.schedule.IfExists.KEEP);
    java.util.List<dev.steward.schedule.ClaimedWork> got =
        store.claim(dev.steward.schedule.ClaimRequest.of(T0, 150, "r", HELD));
    store.complete(
        got.stream()
            .map(
                c ->
                    (dev.steward.schedule.Completion)
                        new dev.steward.schedule.Completion.Done(c.lease()))
            .toList());

    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (vacuums() == before && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    org.assertj.core.api.Assertions.assertThat(vacuums()).isGreaterThan(before);
  }

  private static long vacuums() throws java.sql.SQLException {
    try (java.sql.Connection c = DB.dataSource().getConnection();
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs =
            st.executeQuery(
                "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'steward_work'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
