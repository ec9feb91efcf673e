package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Schema version 24 adds {@code plan_seq} to the calendar: a journey's upcoming-send entry written
 * before it (under the scope locks, with no seq) is taken over by the first plan written after the
 * upgrade, whatever its seq, and cancelled by the first cancel.
 */
class JdbcCalendarPlanSeqMigrationTest {
  private static final TenantId TENANT = TenantId.of("t1");

  @Test
  void anH2EntryWrittenBeforeVersion24IsTakenOverByTheFirstPlan() throws SQLException {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:calendar-plan-seq;DB_CLOSE_DELAY=-1");
    assertTakenOver(ds);
  }

  @Test
  void aPostgresEntryWrittenBeforeVersion24IsTakenOverByTheFirstPlan() throws SQLException {
    assertTakenOver(TestDatabase.freshPostgres("steward_calendar_plan_seq").dataSource());
  }

  private static CalendarEntry planned(String id, Instant at) {
    return CalendarEntry.of(
        TENANT,
        id,
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
  }

  private static void assertTakenOver(DataSource ds) throws SQLException {
    StewardSchema.bootstrap(ds, 23);
    try (Connection c = ds.getConnection()) {
      for (String id : new String[] {"journey:e1", "journey:e2"}) {
        Jdbc.update(
            c,
            "INSERT INTO steward_calendar_entry (tenant_id, entry_id, entry_type, status,"
                + " account_id, contact_id, team, kind, category, channel, campaign, occurs_at)"
                + " VALUES ('t1', ?, 'COMMUNICATION', 'SCHEDULED', 'acme', 'ada', 'csm',"
                + " 'RELATIONSHIP', 'renewal', 'EMAIL', 'renewal/report', 1000)",
            id);
      }
    }

    assertThat(StewardSchema.bootstrap(ds, 24)).isEqualTo(1);

    JdbcCalendarStore store = JdbcCalendarStore.of(ds);
    CalendarEntry old = store.find(TENANT, "journey:e1").orElseThrow();
    assertThat(old).isEqualTo(planned("journey:e1", Instant.EPOCH.plusNanos(1000)));
    // no seq is stored: even seq 0 (an enrolment just entered) takes it over, equal or not
    assertThat(store.putPlanned(old, 0)).isTrue();
    CalendarEntry moved = planned("journey:e1", Instant.EPOCH.plusSeconds(60));
    assertThat(store.putPlanned(moved, 0)).isTrue();
    assertThat(store.find(TENANT, "journey:e1")).contains(moved);
    assertThat(store.cancelPlanned(TENANT, "journey:e2", 0)).isTrue();
    assertThat(store.find(TENANT, "journey:e2").orElseThrow().status())
        .isEqualTo(CalendarEntry.Status.CANCELLED);
    // and from then on the seq guards it
    assertThat(store.putPlanned(planned("journey:e2", Instant.EPOCH), 0)).isTrue();
    assertThat(store.cancelPlanned(TENANT, "journey:e2", 1)).isTrue();
    assertThat(store.putPlanned(planned("journey:e2", Instant.EPOCH), 0)).isFalse();
  }
}
