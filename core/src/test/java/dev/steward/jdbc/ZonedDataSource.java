package dev.steward.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A data source whose connections run in a given session time zone. PgJDBC sends the JVM's zone as
 * a startup parameter, which overrides {@code options=-c TimeZone=...}, so the zone is set by a
 * statement on every new connection instead.
 */
final class ZonedDataSource extends ForwardingDataSource {
  private final String zone;

  ZonedDataSource(DataSource delegate, String zone) {
    super(delegate);
    this.zone = zone;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return zoned(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return zoned(delegate.getConnection(username, password));
  }

  private Connection zoned(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET TIME ZONE '" + zone + "'");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }
}
