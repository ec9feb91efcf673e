package dev.steward.jdbc;

/** {@link JdbcCapLedgerStore} on the embedded PostgreSQL server. */
class JdbcCapLedgerStorePostgresTest extends JdbcCapLedgerStoreChecks {
  @Override
  protected TestDatabase db() {
    return TestDatabase.postgres();
  }
}
