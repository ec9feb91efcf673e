package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.SendResult;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.NumberedContacts;
import dev.steward.journey.Step;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A batch of journey steps reads its enrolments and their contacts' profiles in a constant number
 * of statements (one each per tenant), however many steps it holds; run alone, each step reads both
 * itself.
 */
class JourneyBatchReadsTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final JourneyDefinition JOURNEY =
      JourneyDefinition.builder("touch", 1)
          .step(Step.Send.of("first", "tpl-first", MessageKind.EDUCATIONAL, "onboarding", "pause"))
          .step(new Step.Wait("pause", Duration.ofDays(1), Optional.of("second")))
          .step(Step.Send.of("second", "tpl-second", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();

  private static TestDatabase db(String which) {
    TestDatabase db =
        which.equals("postgres")
            ? TestDatabase.postgres()
            : TestDatabase.h2(JourneyBatchReadsTest.class);
    db.clear();
    return db;
  }

  /** The statements of one runDue over {@code steps} due steps that read enrolments or profiles. */
  private static List<String> readsOfOneRun(String which, int steps, boolean batch) {
    StatementCountingDataSource ds = new StatementCountingDataSource(db(which).dataSource());
    SettableClock clock = SettableClock.of(T0);
    WorkStore work = JdbcWorkStore.of(ds);
    AtomicInteger sent = new AtomicInteger();
    Dispatcher dispatcher =
        Dispatcher.builder(
                m -> {
                  sent.incrementAndGet();
                  return SendResult.accepted("p-" + m.id());
                },
                clock)
            .workStore(work)
            .ledger(JdbcDeliveryLedger.of(ds))
            .build();
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, JdbcJourneyStore.of(ds), work)
            .dispatcher(dispatcher)
            .journey(JOURNEY)
            .batchSteps(batch)
            .build();
    WorkRunner runner =
        journeys
            .registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock).batchSize(100)))
            .build();
    TenantId tenant = TenantId.of("t1");
    NumberedContacts.enrolAll(journeys, tenant, steps, "touch");
    ds.reset();

    assertThat(runner.runDue()).isEqualTo(steps);

    assertThat(sent).hasValue(steps);
    return ds.statements.stream()
        .filter(
            s -> {
              String u = s.strip().toLowerCase(Locale.ROOT);
              return u.startsWith("select")
                  && (u.contains("from steward_journey_enrolment")
                      || u.contains("from steward_journey_contact"));
            })
        .toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "h2"})
  void aBatchOfAHundredStepsReadsItsEnrolmentsAndProfilesInTwoStatements(String which) {
    List<String> hundred = readsOfOneRun(which, 100, true);
    List<String> ten = readsOfOneRun(which, 10, true);

    assertThat(hundred).hasSize(2);
    assertThat(hundred.get(0)).contains("enrolment_id IN (");
    assertThat(hundred.get(1)).contains("contact_id IN (");
    assertThat(ten).hasSameSizeAs(hundred);

    // alone, each step reads its enrolment and its profile itself
    assertThat(readsOfOneRun(which, 100, false)).hasSizeGreaterThanOrEqualTo(200);
  }
}
