package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.calendar.CalendarEntry;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.Window;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.EnrolResult;
import dev.steward.journey.Enrolment;
import dev.steward.journey.EnrolmentState;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A journey step's calendar plan written inside the unit of work that stored the step's change
 * reads the enrolment no more (pgstep): the unit's compare-and-set holds the enrolment's row until
 * it commits with the plan. Two instances over one PostgreSQL attempt the race the read was for:
 * instance B erases the contact (its calendar first, then its journeys) after instance A's step
 * changed the enrolment and before A writes the plan of its next send. B's erasure of the journeys
 * waits for A's commit, and its calendar pass after the journeys takes A's plan with it: nothing
 * naming the erased contact stays, and a contact put back and enrolled again has only its new plan.
 */
class JourneyCalendarHeldPlanPostgresTest {
  private static final TenantId T = TenantId.of("held");
  private static final ContactId ADA = ContactId.of("ada");
  private static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");

  /** A send, a day's wait, a send: the wait's change plans the second send. */
  private static final JourneyDefinition CADENCE = CadenceStewards.CADENCE;

  private static final String PLAN_UPSERT =
      "INSERT INTO steward_calendar_entry AS e (tenant_id, entry_id, entry_type, status,"
          + " account_id, contact_id, team, kind, category, channel, campaign, occurs_at,"
          + " plan_seq)";

  private TestDatabase db;
  private SettableClock clock;

  @BeforeEach
  void fresh() {
    db = TestDatabase.postgres();
    db.clear();
    clock = SettableClock.of(T0);
  }

  private Steward steward(DataSource ds) {
    return Steward.builder(clock)
        .stores(JdbcStores.of(ds))
        .transport(RecordingTransport.of())
        .capPolicy(
            CapPolicy.builder()
                .cap(Cap.perContact(100, Window.rolling(Duration.ofDays(7))))
                .build())
        .journeys(j -> j.journey(CADENCE))
        .build();
  }

  private static ContactProfile ada() {
    return new ContactProfile(
        T,
        ADA,
        AccountId.of("acme"),
        Optional.of(EmailAddress.of("ada@example.com")),
        Optional.of(ZoneOffset.UTC),
        Map.of());
  }

  /** Waits until a session of the database waits for a lock; false if none did in 20 s. */
  private boolean someoneWaitsForALock() {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      while (System.nanoTime() < until) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND datname = current_database()")) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return true;
          }
        }
        Thread.sleep(20);
      }
      return false;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Instance A runs the step; just before it writes its next send's plan (its change stored in its
   * unit, not committed), instance B runs {@code meanwhile}, which must come to wait for A's lock.
   * Answers A's statements; fails if B never waited or threw.
   */
  private List<String> raceAgainstThePlan(Runnable meanwhile) {
    HookedDataSource hooked = new HookedDataSource(db.dataSource());
    StatementCountingDataSource counted = new StatementCountingDataSource(hooked);
    Steward a = steward(counted);
    Steward b = steward(db.dataSource());
    JourneyScheduler journeys = b.journeys().orElseThrow();
    journeys.putContact(ada());
    EnrolResult r = journeys.enrol(T, ADA, "cadence");
    assertThat(r.status()).isEqualTo(EnrolResult.Status.ENROLLED);

    AtomicBoolean waited = new AtomicBoolean();
    AtomicReference<CompletableFuture<Void>> other = new AtomicReference<>();
    hooked.before(
        PLAN_UPSERT,
        () -> {
          other.set(CompletableFuture.runAsync(meanwhile));
          waited.set(someoneWaitsForALock());
        });
    counted.reset();
    a.runDue();
    assertThat(other.get()).as("the plan of s1 was written").isNotNull();
    other.get().orTimeout(60, TimeUnit.SECONDS).join();
    assertThat(waited).as("B waited for A's unit").isTrue();
    return List.copyOf(counted.statements);
  }

  @Test
  void aContactErasedWhileTheStepPlansItsNextSendKeepsNoEntryAndTheStepReadsNoEnrolment() {
    Steward eraser = steward(db.dataSource());
    List<String> stepped = raceAgainstThePlan(() -> eraser.eraseContact(T, ADA));

    dev.steward.Stores stores = JdbcStores.of(db.dataSource());
    assertThat(
            stores
                .calendar()
                .forContact(T, ADA, T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(9))))
        .as("no entry names the erased contact")
        .isEmpty();
    assertThat(stores.journeys().enrolments(T, ADA)).isEmpty();
    // the step's plan was written in its unit, and read nothing back
    assertThat(stepped)
        .noneMatch(
            s ->
                s.startsWith("SELECT")
                    && s.contains(
                        "steward_journey_enrolment WHERE tenant_id = ? AND enrolment_id = ?"));
  }

  @Test
  void aContactErasedAndEnrolledAgainWhileTheStepPlansHasOnlyItsNewPlan() {
    Steward other = steward(db.dataSource());
    JourneyScheduler journeys = other.journeys().orElseThrow();
    String[] again = new String[1];
    raceAgainstThePlan(
        () -> {
          other.eraseContact(T, ADA);
          journeys.putContact(ada());
          again[0] = journeys.enrol(T, ADA, "cadence").enrolment().orElseThrow().id();
        });

    dev.steward.Stores stores = JdbcStores.of(db.dataSource());
    List<CalendarEntry> left =
        stores
            .calendar()
            .forContact(T, ADA, T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(9)));
    // only the new enrolment's entries (A's runner may have run its first step since): its plan
    // stands, and nothing of the erased enrolment came back
    assertThat(left).allSatisfy(e -> assertThat(e.id()).contains(again[0]));
    assertThat(left)
        .filteredOn(e -> e.id().equals("journey:" + again[0]))
        .singleElement()
        .satisfies(e -> assertThat(e.status()).isEqualTo(CalendarEntry.Status.SCHEDULED));
    List<Enrolment> now = stores.journeys().enrolments(T, ADA);
    assertThat(now).extracting(Enrolment::id).containsExactly(again[0]);
    assertThat(now.get(0).state()).isEqualTo(EnrolmentState.ACTIVE);
  }
}
