package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.calendar.CalendarEntry;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Schema version 26: a look-up of a calendar entry by its key (a journey step's plan, its SENT
 * record) goes through the primary key even with the statistics of an empty table (analysed before
 * the steps, as on a new database until autovacuum analyses it again). At version 25 PostgreSQL 17
 * took a (tenant, ...) index and filtered every entry of the tenant: the second test shows the
 * first can fail.
 */
class JdbcCalendarKeyPlanTest {
  private static final TenantId TENANT = TenantId.of("t1");
  private static final String LOOKUP =
      "EXPLAIN SELECT status FROM steward_calendar_entry WHERE tenant_id = ? AND entry_id = ?";

  @Test
  void atVersion26AKeyLookUpUsesThePrimaryKeyWhateverTheStatistics() throws SQLException {
    DataSource ds = TestDatabase.freshPostgres("steward_calendar_plan_26").dataSource();
    StewardSchema.bootstrap(ds);
    assertThat(planAfterStepsOnAnEmptyAnalysedTable(ds)).contains("steward_calendar_entry_pkey");
  }

  @Test
  void atVersion25TheSameLookUpScannedTheTenantThroughAnotherIndex() throws SQLException {
    DataSource ds = TestDatabase.freshPostgres("steward_calendar_plan_25").dataSource();
    StewardSchema.bootstrap(ds, 25);
    assertThat(planAfterStepsOnAnEmptyAnalysedTable(ds))
        .doesNotContain("steward_calendar_entry_pkey")
        .contains("Filter");
  }

  @Test
  void theMigrationKeepsTheEntriesAndTheListings() throws SQLException {
    DataSource ds = TestDatabase.freshPostgres("steward_calendar_plan_up").dataSource();
    StewardSchema.bootstrap(ds, 25);
    Instant at = Instant.parse("2026-11-28T04:00:00Z");
    CalendarEntry planned =
        CalendarEntry.of(
            TENANT,
            "journey:e1",
            CalendarEntry.Type.COMMUNICATION,
            CalendarEntry.Status.SCHEDULED,
            AccountId.of("acme"),
            ContactId.of("ada"),
            "csm",
            MessageKind.RELATIONSHIP,
            "renewal",
            Channel.EMAIL,
            "renewal/report",
            at);
    assertThat(JdbcCalendarStore.of(ds).putPlanned(planned, 1)).isTrue();

    assertThat(StewardSchema.bootstrap(ds, 26)).isEqualTo(1);

    JdbcCalendarStore after = JdbcCalendarStore.of(ds);
    assertThat(after.find(TENANT, "journey:e1")).contains(planned);
    assertThat(
            after.forAccount(TENANT, AccountId.of("acme"), at.minusSeconds(1), at.plusSeconds(1)))
        .containsExactly(planned);
    assertThat(after.forContact(TENANT, ContactId.of("ada"), at.minusSeconds(1), at.plusSeconds(1)))
        .containsExactly(planned);
    assertThat(indexes(ds))
        .contains("steward_calendar_entry_by_account", "steward_calendar_entry_by_contact")
        .doesNotContain(
            "steward_calendar_entry_tenant_account", "steward_calendar_entry_tenant_contact");
  }

  private static String planAfterStepsOnAnEmptyAnalysedTable(DataSource ds) throws SQLException {
    // the plans of 1,000 enrolments of the tenant's one account, each a contact of its own
    String fill =
        "INSERT INTO steward_calendar_entry (tenant_id, entry_id, entry_type, status,"
            + " account_id, contact_id, team, kind, category, channel, campaign, occurs_at,"
            + " plan_seq) SELECT 't1', 'journey:e' || i, 'COMMUNICATION', 'SCHEDULED', 'acme',"
            + " 'c-' || i, 'csm', 'RELATIONSHIP', 'renewal', 'EMAIL', 'renewal/report', i, 1"
            + " FROM generate_series(0, 999) AS i";
    return KeyPlans.afterFillingAnEmptyAnalysedTable(
        ds, "steward_calendar_entry", fill, LOOKUP, TENANT.value(), "journey:e500");
  }

  private static List<String> indexes(DataSource ds) throws SQLException {
    return KeyPlans.indexes(ds, "steward_calendar_entry");
  }
}
