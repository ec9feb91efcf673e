package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.calendar.CalendarEntry;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Schema version 8 scopes the calendar by tenant: entries written before it belong to the tenant
 * 'default', ids become unique per tenant, and a writer that names no tenant is refused.
 */
class JdbcCalendarMigrationTest {
  private static final TenantId DEFAULT = TenantId.of("default");

  @Test
  void anH2CalendarUpgradesIntoTheDefaultTenant() throws SQLException {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:calendar-migration;DB_CLOSE_DELAY=-1");
    assertUpgradesIntoTheDefaultTenant(ds);
  }

  @Test
  void aPostgresCalendarUpgradesIntoTheDefaultTenant() throws SQLException {
    assertUpgradesIntoTheDefaultTenant(
        TestDatabase.freshPostgres("steward_calendar_migration").dataSource());
  }

  private static void assertUpgradesIntoTheDefaultTenant(DataSource ds) throws SQLException {
    StewardSchema.bootstrap(ds, 5);
    try (Connection c = ds.getConnection()) {
      Jdbc.update(
          c,
          "INSERT INTO steward_calendar_entry (entry_id, entry_type, status, account_id,"
              + " contact_id, team, kind, category, channel, campaign, occurs_at)"
              + " VALUES ('m-1', 'COMMUNICATION', 'SENT', 'acme', 'ada', 'csm', 'RELATIONSHIP',"
              + " 'qbr', 'EMAIL', NULL, 1000)");
    }

    StewardSchema.bootstrap(ds);

    JdbcCalendarStore store = JdbcCalendarStore.of(ds);
    CalendarEntry old = store.find(DEFAULT, "m-1").orElseThrow();
    assertThat(old.account()).isEqualTo(AccountId.of("acme"));
    assertThat(old.at()).isEqualTo(Instant.EPOCH.plusNanos(1000));
    assertThat(store.forContact(DEFAULT, ContactId.of("ada"), Instant.MIN, Instant.MAX))
        .containsExactly(old);
    // the same id under another tenant is another entry
    CalendarEntry other =
        CalendarEntry.of(
            TenantId.of("t2"),
            "m-1",
            CalendarEntry.Type.COMMUNICATION,
            CalendarEntry.Status.SCHEDULED,
            AccountId.of("acme"),
            ContactId.of("ada"),
            "marketing",
            MessageKind.PROMOTIONAL,
            "offers",
            Channel.EMAIL,
            null,
            Instant.EPOCH);
    store.put(other);
    assertThat(store.find(TenantId.of("t2"), "m-1")).contains(other);
    assertThat(store.find(DEFAULT, "m-1")).contains(old);
    // no default is left behind: a writer that forgets the tenant fails
    try (Connection c = ds.getConnection()) {
      assertThatThrownBy(
              () ->
                  Jdbc.update(
                      c,
                      "INSERT INTO steward_calendar_entry (entry_id, entry_type, status,"
                          + " account_id, occurs_at) VALUES ('m-2', 'COMPLAINT', 'SENT', 'a', 1)"))
          .isInstanceOf(SQLException.class);
    }
    // the script is idempotent
    for (String statement :
        StewardSchema.statements(
            "dev/steward/jdbc/" + new Jdbc(ds).dialect().name() + "/V8__calendar_tenancy.sql")) {
      try (Connection c = ds.getConnection();
          java.sql.Statement s = c.createStatement()) {
        s.execute(statement);
      }
    }
    assertThat(store.find(DEFAULT, "m-1")).contains(old);
  }
}
