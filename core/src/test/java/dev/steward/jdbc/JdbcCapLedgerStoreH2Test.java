package dev.steward.jdbc;

/** {@link JdbcCapLedgerStore} on an in-memory H2 database. */
class JdbcCapLedgerStoreH2Test extends JdbcCapLedgerStoreChecks {
  private static final TestDatabase DB = TestDatabase.h2(JdbcCapLedgerStoreH2Test.class);

  @Override
  protected TestDatabase db() {
    return DB;
  }
}
