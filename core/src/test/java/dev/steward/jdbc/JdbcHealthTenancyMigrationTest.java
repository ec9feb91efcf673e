package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.health.HealthBandStateStore.BandState;
import dev.steward.health.HealthRecord;
import dev.steward.health.ScoreStatus;
import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * A database whose health rows were written before tenancy (schema version 5) upgrades in place:
 * its rows belong to the tenant 'default', and another tenant's rows for the same account sit
 * beside them.
 */
class JdbcHealthTenancyMigrationTest {
  private static final TenantId DEFAULT = TenantId.of("default");
  private static final TenantId OTHER = TenantId.of("other");
  private static final AccountId ACME = AccountId.of("acme");
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static void assertUpgrades(DataSource ds) throws Exception {
    StewardSchema.bootstrap(ds, 5);
    long asOf = T0.getEpochSecond() * 1_000_000_000L;
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO steward_health_record (account_id, as_of, status, score, coverage,"
              + " scorecard_id, scorecard_version, overridden)"
              + " VALUES ('acme', "
              + asOf
              + ", 'SCORED', 61.5, 0.8, 'smb', 4, FALSE)");
      s.execute(
          "INSERT INTO steward_health_band_state (monitor, account_id, band, candidate,"
              + " consecutive) VALUES ('default', 'acme', 'green', NULL, 0)");
    }

    StewardSchema.bootstrap(ds);

    JdbcHealthHistoryStore history = JdbcHealthHistoryStore.of(ds);
    JdbcHealthBandStateStore bands = JdbcHealthBandStateStore.of(ds);
    HealthRecord old = history.latest(DEFAULT, ACME).orElseThrow();
    assertThat(old.value()).isEqualTo(61.5);
    assertThat(old.tenant()).isEqualTo(DEFAULT);
    assertThat(bands.get(DEFAULT, ACME)).contains(BandState.settled("green"));

    history.append(new HealthRecord(OTHER, ACME, T0, ScoreStatus.SCORED, 10, 1, "smb", 4, false));
    bands.update(OTHER, ACME, s -> BandState.settled("red"));

    assertThat(history.latest(DEFAULT, ACME).orElseThrow().value()).isEqualTo(61.5);
    assertThat(history.latest(OTHER, ACME).orElseThrow().value()).isEqualTo(10);
    assertThat(bands.get(DEFAULT, ACME)).contains(BandState.settled("green"));
    assertThat(bands.get(OTHER, ACME)).contains(BandState.settled("red"));
  }

  @Test
  void anH2DatabaseOfVersionFiveKeepsItsHealthUnderTheDefaultTenant() throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:health-tenancy-upgrade;DB_CLOSE_DELAY=-1");
    assertUpgrades(ds);
  }

  @Test
  void aPostgresDatabaseOfVersionFiveKeepsItsHealthUnderTheDefaultTenant() throws Exception {
    assertUpgrades(TestDatabase.freshPostgres("steward_health_tenancy").dataSource());
  }
}
