package dev.steward.jdbc;

import javax.sql.DataSource;

/** {@link TestDatabase} for tests in other packages (the review suites). */
public final class TestDatabases {
  private final TestDatabase db;

  private TestDatabases(TestDatabase db) {
    this.db = db;
  }

  /** The bootstrapped database of the JVM's one embedded PostgreSQL server. */
  public static TestDatabases postgres() {
    return new TestDatabases(TestDatabase.postgres());
  }

  /** A fresh, bootstrapped in-memory H2 database named after {@code owner}. */
  public static TestDatabases h2(Class<?> owner) {
    return new TestDatabases(TestDatabase.h2(owner));
  }

  /** A new data source over the database, as another application instance would have. */
  public DataSource dataSource() {
    return db.dataSource();
  }

  /** Deletes every row of the stores' tables. */
  public void clear() {
    db.clear();
  }
}
