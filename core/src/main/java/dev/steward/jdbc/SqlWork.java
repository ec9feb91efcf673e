package dev.steward.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done with one connection; may throw the driver's exception. */
@FunctionalInterface
interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
