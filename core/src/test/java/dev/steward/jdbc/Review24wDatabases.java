package dev.steward.jdbc;

import javax.sql.DataSource;

/** The embedded PostgreSQL of {@link TestDatabase}, for the review24w tests in another package. */
public final class Review24wDatabases {
  private Review24wDatabases() {}

  /** A new database of that name, bootstrapped to the current schema; a data source over it. */
  public static DataSource freshBootstrapped(String name) {
    TestDatabase db = TestDatabase.freshPostgres(name);
    StewardSchema.bootstrap(db.dataSource());
    return db.dataSource();
  }

  /** A new, empty database of that name (no schema); a data source over it. */
  public static DataSource freshEmpty(String name) {
    return TestDatabase.freshPostgres(name).dataSource();
  }

  /** Applies the schema versions up to {@code version} only: an older installation's database. */
  public static int bootstrapTo(DataSource dataSource, int version) {
    return StewardSchema.bootstrap(dataSource, version);
  }

  /**
   * Another data source over the database of {@code ds} (a {@link #freshBootstrapped} one), as
   * another instance would have: its connections join no unit of work of {@code ds}.
   */
  public static DataSource sameDatabase(DataSource ds) {
    return new ForwardingDataSource(ds) {};
  }
}
