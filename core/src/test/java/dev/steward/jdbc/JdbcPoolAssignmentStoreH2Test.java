package dev.steward.jdbc;

import dev.steward.ippool.PoolAssignmentStore;
import dev.steward.ippool.PoolAssignmentStoreContract;

/** The pool assignment store contract against JdbcPoolAssignmentStore on H2. */
class JdbcPoolAssignmentStoreH2Test extends PoolAssignmentStoreContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcPoolAssignmentStoreH2Test.class);

  @Override
  protected PoolAssignmentStore newStore() {
    DB.clear();
    return JdbcPoolAssignmentStore.of(DB.dataSource());
  }

  @Override
  protected PoolAssignmentStore secondInstance() {
    return JdbcPoolAssignmentStore.of(DB.dataSource());
  }
}
