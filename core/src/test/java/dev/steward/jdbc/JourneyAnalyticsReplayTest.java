package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.Steward;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.EnrolResult;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyFact;
import dev.steward.journey.JourneyMetric;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.JourneyStepRef;
import dev.steward.journey.ReEntry;
import dev.steward.journey.Step;
import dev.steward.journey.StepCount;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 (f): a fact whose analytics write fails (outside a unit of work) is kept and written
 * again at the store's next write outside a unit, counted exactly once, where it was logged and
 * lost before; an ENTERED fact of an enrolment among them.
 */
class JourneyAnalyticsReplayTest {
  private static final TestDatabase H2 = TestDatabase.h2(JourneyAnalyticsReplayTest.class);
  private static final TenantId T = TenantId.of("replay");
  private static final Instant T0 = Instant.parse("2026-11-28T04:00:00Z");
  private static final JourneyStepRef AT = new JourneyStepRef("one", 1, "s0");

  private static JourneyFact entered(String enrolment) {
    return new JourneyFact(T, enrolment, AT, JourneyMetric.ENTERED, Optional.empty(), T0);
  }

  private static long entered(JdbcJourneyAnalyticsStore s) {
    return s.counts(T, "one", 1).stream()
        .filter(c -> c.metric() == JourneyMetric.ENTERED && c.reason().isEmpty())
        .mapToLong(StepCount::count)
        .sum();
  }

  private static void failNextMark(HookedDataSource ds) {
    ds.before(
        "INSERT INTO steward_journey_mark",
        () -> {
          throw new IllegalStateException("the analytics write fails");
        });
  }

  abstract static class Checks {
    abstract TestDatabase db();

    private HookedDataSource ds;
    private JdbcJourneyAnalyticsStore store;

    @BeforeEach
    void fresh() {
      db().clear();
      ds = new HookedDataSource(db().dataSource());
      store = JdbcJourneyAnalyticsStore.of(ds);
    }

    @Test
    void aFactWhoseWriteFailedIsCountedOnceByTheNextWrite() {
      failNextMark(ds);
      assertThatThrownBy(() -> store.recordLater(entered("e1")))
          .isInstanceOf(IllegalStateException.class);
      assertThat(store.failedKept()).isEqualTo(1);
      assertThat(entered(store)).isZero();

      store.recordLater(entered("e2")); // replays e1 first

      assertThat(store.failedKept()).isZero();
      assertThat(entered(store)).isEqualTo(2);
      store.recordLater(entered("e1"));
      assertThat(store.record(entered("e2"))).isFalse();
      assertThat(entered(store)).isEqualTo(2);
    }

    @Test
    void aFailedWriteThatWasAppliedAfterAllIsNotCountedAgainByItsReplay() {
      JdbcJourneyAnalyticsStore other = JdbcJourneyAnalyticsStore.of(db().dataSource());
      assertThat(other.record(entered("e3"))).isTrue(); // as if the failed write had committed
      failNextMark(ds);
      assertThatThrownBy(() -> store.recordLater(entered("e3")))
          .isInstanceOf(IllegalStateException.class);

      assertThat(store.record(entered("e4"))).isTrue();

      assertThat(store.failedKept()).isZero();
      assertThat(entered(store)).isEqualTo(2);
    }

    @Test
    void aFactThatIsRefusedIsNotKeptAndARecordWithAnAnswerIsNotKeptEither() {
      assertThatThrownBy(
              () ->
                  store.recordLater(
                      new JourneyFact(
                          T, "e5", AT, JourneyMetric.ENTERED, Optional.empty(), Instant.MAX)))
          .isInstanceOf(dev.steward.journey.InvalidJourneyException.class);
      failNextMark(ds);
      assertThatThrownBy(() -> store.record(entered("e6")))
          .isInstanceOf(IllegalStateException.class);

      assertThat(store.failedKept()).isZero();
    }
  }

  @Nested
  class OnH2 extends Checks {
    @Override
    TestDatabase db() {
      return H2;
    }
  }

  @Nested
  class OnPostgres extends Checks {
    @Override
    TestDatabase db() {
      return TestDatabase.postgres();
    }

    /** Inside a unit nothing is replayed: a unit that rolled back would drop it. */
    @Test
    void aKeptFactIsNotReplayedInsideAUnitOfWork() {
      JdbcJourneyAnalyticsStore store = JdbcJourneyAnalyticsStore.of(ds());
      failNextMark(hooked);
      assertThatThrownBy(() -> store.recordLater(entered("e7")))
          .isInstanceOf(IllegalStateException.class);

      UnitOfWork.run(
          hooked,
          () -> {
            store.recordLater(entered("e8"));
            assertThat(store.record(entered("e9"))).isTrue();
            return null;
          });
      assertThat(store.failedKept()).isEqualTo(1);
      assertThat(entered(store)).isEqualTo(2);

      store.recordLater(entered("e10"));
      assertThat(store.failedKept()).isZero();
      assertThat(entered(store)).isEqualTo(4);
    }

    private HookedDataSource hooked;

    private HookedDataSource ds() {
      db().clear();
      hooked = new HookedDataSource(db().dataSource());
      return hooked;
    }

    /** The case of issue 14 (f), through the scheduler: an enrolment's ENTERED fact. */
    @Test
    void anEnteredFactWhoseWriteFailedOnceIsCountedByTheNextEnrolment() {
      HookedDataSource ds = ds();
      JourneyDefinition one =
          JourneyDefinition.builder("one", 1)
              .reEntry(ReEntry.always())
              .step(Step.Send.of("s0", "tpl-0", MessageKind.EDUCATIONAL, "news", null))
              .build();
      Steward steward =
          Steward.builder(SettableClock.of(T0))
              .stores(JdbcStores.of(ds))
              .transport(RecordingTransport.of())
              .journeys(j -> j.journey(one))
              .build();
      JourneyScheduler journeys = steward.journeys().orElseThrow();
      for (String c : List.of("c0", "c1")) {
        journeys.putContact(
            new ContactProfile(
                T,
                ContactId.of(c),
                AccountId.of("a"),
                Optional.of(EmailAddress.of(c + "@example.com")),
                Optional.of(ZoneOffset.UTC),
                Map.of()));
      }

      failNextMark(ds);
      assertThat(journeys.enrol(T, ContactId.of("c0"), "one").status())
          .isEqualTo(EnrolResult.Status.ENROLLED); // its ENTERED fact failed, logged
      assertThat(
              steward.journeyAnalytics().funnel(T, one).step("s0").stream()
                  .mapToLong(s -> s.count(JourneyMetric.ENTERED))
                  .sum())
          .isZero();

      journeys.enrol(T, ContactId.of("c1"), "one");

      assertThat(
              steward
                  .journeyAnalytics()
                  .funnel(T, one)
                  .step("s0")
                  .orElseThrow()
                  .count(JourneyMetric.ENTERED))
          .isEqualTo(2);
    }
  }
}
