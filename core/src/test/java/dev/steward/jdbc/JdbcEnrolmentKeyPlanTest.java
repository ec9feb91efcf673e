package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.journey.Enrolment;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Schema version 27: a look-up of a journey enrolment by its key (each step's read of its
 * enrolment, each enrolment's check of the contact's journeys) goes through the primary key even
 * with the statistics of an empty table (analysed before the enrolments, as on a new database until
 * autovacuum analyses it again). At version 26 PostgreSQL 17 took the (tenant, contact, entered)
 * index and filtered every enrolment of the tenant (pg5 saw 1,250 buffer hits a look-up at 10,000
 * enrolments): the second test shows the first can fail.
 */
class JdbcEnrolmentKeyPlanTest {
  private static final TenantId TENANT = TenantId.of("t1");
  private static final String LOOKUP =
      "EXPLAIN SELECT state FROM steward_journey_enrolment WHERE tenant_id = ? AND enrolment_id = ?";

  @Test
  void atVersion27AKeyLookUpUsesThePrimaryKeyWhateverTheStatistics() throws SQLException {
    DataSource ds = TestDatabase.freshPostgres("steward_enrolment_plan_27").dataSource();
    StewardSchema.bootstrap(ds);
    assertThat(planAfterEnrollingOnAnEmptyAnalysedTable(ds))
        .contains("steward_journey_enrolment_pkey");
  }

  @Test
  void atVersion26TheSameLookUpScannedTheTenantThroughAnotherIndex() throws SQLException {
    DataSource ds = TestDatabase.freshPostgres("steward_enrolment_plan_26").dataSource();
    StewardSchema.bootstrap(ds, 26);
    assertThat(planAfterEnrollingOnAnEmptyAnalysedTable(ds))
        .doesNotContain("steward_journey_enrolment_pkey")
        .contains("Filter");
  }

  @Test
  void theMigrationKeepsTheEnrolmentsAndTheContactsListing() throws SQLException {
    DataSource ds = TestDatabase.freshPostgres("steward_enrolment_plan_up").dataSource();
    StewardSchema.bootstrap(ds, 26);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(enrolments(3, "'ada'"));
    }

    assertThat(StewardSchema.bootstrap(ds, 27)).isEqualTo(1);

    JdbcJourneyStore after = JdbcJourneyStore.of(ds);
    assertThat(after.find(TENANT, "e1")).map(Enrolment::step).contains("welcome");
    assertThat(after.enrolments(TENANT, ContactId.of("ada")))
        .extracting(Enrolment::id)
        .containsExactly("e0", "e1", "e2");
    assertThat(KeyPlans.indexes(ds, "steward_journey_enrolment"))
        .contains("steward_journey_enrolment_by_contact")
        .doesNotContain("steward_journey_enrolment_contact");
  }

  private static String planAfterEnrollingOnAnEmptyAnalysedTable(DataSource ds)
      throws SQLException {
    // 1,000 enrolments of the tenant, each of a contact of its own
    return KeyPlans.afterFillingAnEmptyAnalysedTable(
        ds,
        "steward_journey_enrolment",
        enrolments(1000, "'c-' || i"),
        LOOKUP,
        TENANT.value(),
        "e500");
  }

  /** {@code n} ACTIVE enrolments e0, e1, ... of tenant t1, entered in that order. */
  private static String enrolments(int n, String contact) {
    return "INSERT INTO steward_journey_enrolment (tenant_id, enrolment_id, contact_id, journey_id,"
        + " journey_version, step_id, seq, state, due_at, entered_at, updated_at) SELECT 't1', 'e'"
        + " || i, "
        + contact
        + ", 'onboarding', 1, 'welcome', 0, 'ACTIVE', i, i, i FROM generate_series(0, "
        + (n - 1)
        + ") AS i";
  }
}
