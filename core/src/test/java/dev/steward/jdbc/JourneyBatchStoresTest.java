package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.delivery.Dispatcher;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.NumberedContacts;
import dev.steward.journey.Step;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A batch of journey steps stores its first changes set-based: the journey store's writes of a
 * batch of 100 one-send steps (the enrolments' UPDATE, the history INSERT, the signals' DELETE) are
 * as many statements as those of 10, and on PostgreSQL, where they and the analytics' mark and
 * tally commit in one unit, so are the analytics' writes; run alone, each step writes its own.
 */
class JourneyBatchStoresTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final JourneyDefinition JOURNEY =
      JourneyDefinition.builder("once", 1)
          .step(Step.Send.of("only", "tpl-only", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();

  private static TestDatabase db(String which) {
    TestDatabase db =
        which.equals("postgres")
            ? TestDatabase.postgres()
            : TestDatabase.h2(JourneyBatchStoresTest.class);
    db.clear();
    return db;
  }

  /** The writes to journey tables (the store's and the analytics') of one runDue over steps. */
  private static List<String> journeyWritesOfOneRun(String which, int steps, boolean batch) {
    StatementCountingDataSource ds = new StatementCountingDataSource(db(which).dataSource());
    SettableClock clock = SettableClock.of(T0);
    RecordingTransport transport = RecordingTransport.of();
    Steward steward =
        Steward.builder(clock)
            .stores(JdbcStores.of(ds))
            .transport(transport)
            .runner(r -> r.batchSize(100))
            .journeys(j -> j.journey(JOURNEY).batchSteps(batch).defaultZone(ZoneOffset.UTC))
            .build();
    JourneyScheduler journeys = steward.journeys().orElseThrow();
    TenantId tenant = TenantId.of("t1");
    NumberedContacts.enrolAll(journeys, tenant, steps, "once");
    ds.reset();

    steward.runDue();

    assertThat(transport.sent()).hasSize(steps);
    for (int i = 0; i < steps; i++) {
      assertThat(steward.journeys().orElseThrow().enrolments(tenant, ContactId.of("c" + i)))
          .singleElement()
          .satisfies(e -> assertThat(e.state().finished()).isTrue());
    }
    return ds.writesAndLocks().stream()
        .filter(s -> s.toLowerCase(Locale.ROOT).contains("steward_journey_"))
        .toList();
  }

  private static List<String> of(List<String> writes, String table) {
    return writes.stream().filter(s -> s.toLowerCase(Locale.ROOT).contains(table + " ")).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "h2"})
  void aBatchOfAHundredStepsStoresItsFirstChangesInAConstantNumberOfStatements(String which) {
    List<String> hundred = journeyWritesOfOneRun(which, 100, true);
    List<String> ten = journeyWritesOfOneRun(which, 10, true);

    for (String table :
        List.of("steward_journey_enrolment", "steward_journey_history", "steward_journey_signal")) {
      assertThat(of(hundred, table)).as(table).hasSize(1).hasSameSizeAs(of(ten, table));
    }
    if (which.equals("postgres")) {
      // the analytics' facts too: the batch unit's in one mark and one tally statement, and the
      // dispatcher's (its listener's) in one of each per send group of its outcomes
      int ahead = Dispatcher.DEFAULT_INTENTS_AHEAD;
      int groupsOfHundred = (100 + ahead - 1) / ahead;
      int groupsOfTen = (10 + ahead - 1) / ahead;
      assertThat(hundred.size() - 2 * groupsOfHundred)
          .as("the writes of a batch of 100 but the dispatcher's groups: %s", hundred)
          .isLessThanOrEqualTo(6)
          .isEqualTo(ten.size() - 2 * groupsOfTen);
    }
    // alone, each step writes its enrolment and its history itself
    List<String> alone = journeyWritesOfOneRun(which, 100, false);
    assertThat(of(alone, "steward_journey_enrolment")).hasSizeGreaterThanOrEqualTo(100);
    assertThat(of(alone, "steward_journey_history")).hasSizeGreaterThanOrEqualTo(100);
  }
}
