package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.TenantId;
import dev.steward.schedule.WorkKey;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** A store over a database nobody bootstrapped says what to do, on H2 and PostgreSQL alike. */
class SchemaMissingTest {

  private static void assertPointsAtBootstrap(DataSource ds) {
    assertThatThrownBy(() -> JdbcWorkStore.of(ds).find(WorkKey.of(TenantId.of("t"), "k", "i")))
        .isInstanceOf(SchemaMissingException.class)
        .hasMessageContaining("StewardSchema.bootstrap(dataSource)");
  }

  @Test
  void onH2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:never-bootstrapped;DB_CLOSE_DELAY=-1");
    assertPointsAtBootstrap(ds);
  }

  @Test
  void onPostgres() {
    assertPointsAtBootstrap(TestDatabase.freshPostgres("never_bootstrapped").dataSource());
  }
}
