package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The PostgreSQL tests run in a non-UTC session zone, so a zone-dependent write would show. */
class PostgresSessionTest {
  @Test
  void sessionsRunInANonUtcZone() throws Exception {
    try (Connection c = TestDatabase.postgres().dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW TimeZone")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(TestDatabase.SESSION_ZONE);
    }
  }
}
