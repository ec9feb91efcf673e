package dev.steward.review24w;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.delivery.SendResult;
import dev.steward.jdbc.JdbcJourneyAnalyticsStore;
import dev.steward.jdbc.JdbcJourneyStore;
import dev.steward.jdbc.JdbcStores;
import dev.steward.jdbc.Review24wDatabases;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.EnrolResult;
import dev.steward.journey.Enrolment;
import dev.steward.journey.EnrolmentState;
import dev.steward.journey.HistoryEntry;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyMetric;
import dev.steward.journey.JourneyOutcomeListener;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.Step;
import dev.steward.journey.StepOutcome;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Two Stewards over one PostgreSQL, four workers each, a journey of three sends, while the step's
 * unit of work fails in every way it can: its commit lost after it happened, its commit refused,
 * and its analytics tally statement a deadlock victim. Each send goes out once, each history holds
 * each step once (no entry written twice by a unit's rerun), and the analytics count what was sent.
 */
class UnitFailuresTwoInstancesTest {
  private static final TenantId T = TenantId.of("r24w");
  private static final int CONTACTS = 40;

  private static final JourneyDefinition THREE_SENDS =
      JourneyDefinition.builder("three-sends", 1)
          .step(Step.Send.of("s1", "tpl-1", MessageKind.EDUCATIONAL, "onboarding", "s2"))
          .step(Step.Send.of("s2", "tpl-2", MessageKind.EDUCATIONAL, "onboarding", "s3"))
          .step(Step.Send.of("s3", "tpl-3", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();

  private static ContactProfile profile(ContactId c) {
    return new ContactProfile(
        T,
        c,
        AccountId.of("acct-" + c.value()),
        Optional.of(EmailAddress.of(c.value() + "@example.com")),
        Optional.of(ZoneOffset.UTC),
        Map.of());
  }

  @Test
  void failedLostAndDeadlockedUnitsLeaveOneSendOneEntryAndOneCountPerStep() throws Exception {
    runThreeSends("review24w_units", 5, false);
  }

  /**
   * As above, and the user's own outcome listener (told inside the unit, after it has the
   * analytics' listener count) is slow and throws on every third outcome: what it throws is its
   * own, logged, and changes nothing of the step.
   */
  @Test
  void aSlowThrowingUserListenerInsideTheUnitChangesNothingOfTheStep() throws Exception {
    runThreeSends("review24w_units_listener", 7, true);
  }

  private static void runThreeSends(String database, int every, boolean userListener)
      throws Exception {
    DataSource db = Review24wDatabases.freshBootstrapped(database);
    AtomicInteger told = new AtomicInteger();
    Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();
    List<FlakyUnitDataSource> flaky = new ArrayList<>();
    List<Steward> stewards = new ArrayList<>();
    for (String owner : List.of("a", "b")) {
      FlakyUnitDataSource ds = new FlakyUnitDataSource(db, every);
      flaky.add(ds);
      AtomicReference<Steward> self = new AtomicReference<>();
      JourneyOutcomeListener user =
          (d, e, h) -> {
            self.get().journeyAnalytics().outcomeListener().onOutcome(d, e, h);
            int n = told.incrementAndGet();
            try {
              Thread.sleep(20);
            } catch (InterruptedException x) {
              Thread.currentThread().interrupt();
            }
            if (n % 3 == 0) {
              throw new IllegalStateException("the user's listener fails on " + e.id());
            }
          };
      Steward steward =
          Steward.builder(Clock.systemUTC())
              .stores(JdbcStores.of(ds))
              .transport(
                  RecordingTransport.of()
                      .respondWith(
                          m -> {
                            sends
                                .computeIfAbsent(m.idempotencyKey(), k -> new AtomicInteger())
                                .incrementAndGet();
                            return SendResult.accepted("p-" + m.id().value());
                          }))
              .runner(r -> r.owner(owner).workers(4).pollInterval(Duration.ofMillis(20)))
              .journeys(
                  j -> {
                    j.journey(THREE_SENDS);
                    if (userListener) {
                      j.outcomeListener(user);
                    }
                  })
              .build();
      self.set(steward);
      stewards.add(steward);
    }
    JourneyScheduler enroller = stewards.get(0).journeys().orElseThrow();
    for (int i = 0; i < CONTACTS; i++) {
      ContactId c = ContactId.of("c-" + i);
      enroller.putContact(profile(c));
      assertThat(enroller.enrol(T, c, "three-sends").status())
          .isEqualTo(EnrolResult.Status.ENROLLED);
    }
    JdbcJourneyStore store = JdbcJourneyStore.of(db);
    try {
      stewards.forEach(Steward::start);
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!allFinished(store) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    } finally {
      stewards.forEach(Steward::close);
    }

    if (userListener) {
      assertThat(told.get()).isGreaterThanOrEqualTo(4 * CONTACTS);
    }
    assertThat(flaky.stream().mapToInt(f -> f.lostCommits.get()).sum()).isPositive();
    assertThat(flaky.stream().mapToInt(f -> f.refusedCommits.get()).sum()).isPositive();
    assertThat(flaky.stream().mapToInt(f -> f.deadlocks.get()).sum()).isPositive();
    assertThat(sends).hasSize(3 * CONTACTS);
    assertThat(sends.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    for (int i = 0; i < CONTACTS; i++) {
      Enrolment e = store.enrolments(T, ContactId.of("c-" + i)).get(0);
      assertThat(e.state()).isEqualTo(EnrolmentState.COMPLETED);
      List<HistoryEntry> h = store.history(T, e.id());
      assertThat(h)
          .extracting(HistoryEntry::outcome)
          .containsExactly(
              StepOutcome.ENTERED, StepOutcome.SENT, StepOutcome.SENT, StepOutcome.SENT);
      assertThat(h).extracting(HistoryEntry::seq).containsExactly(0, 1, 2, 3);
    }
    JdbcJourneyAnalyticsStore analytics = JdbcJourneyAnalyticsStore.of(db);
    assertThat(
            analytics.counts(T, "three-sends", 1).stream()
                .filter(c -> c.metric() == JourneyMetric.SENT)
                .mapToLong(c -> c.count())
                .sum())
        .isEqualTo(3L * CONTACTS);
    assertThat(
            analytics.counts(T, "three-sends", 1).stream()
                .filter(c -> c.metric() == JourneyMetric.ENTERED)
                .mapToLong(c -> c.count())
                .sum())
        .isEqualTo(CONTACTS);
  }

  private static boolean allFinished(JdbcJourneyStore store) {
    for (int i = 0; i < CONTACTS; i++) {
      List<Enrolment> es = store.enrolments(T, ContactId.of("c-" + i));
      if (es.isEmpty() || !es.get(0).state().finished()) {
        return false;
      }
    }
    return true;
  }
}
