package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.governance.GovernanceEvaluator;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.DailyReservation;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.PhaseVerdict;
import dev.steward.onboarding.PilotStore;
import dev.steward.onboarding.SenderIdentities;
import dev.steward.onboarding.TenantGate;
import dev.steward.onboarding.Verdict;
import dev.steward.onboarding.WarmUpPlan;
import dev.steward.testing.Concurrently;
import dev.steward.testing.Messages;
import dev.steward.testing.SettableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pilot's daily count with several instances over one PostgreSQL: many threads of two instances
 * never count past the limit, and the count always equals the messages it names; an instance
 * dropped in the middle of a reservation (its session gone while it holds the day's row) leaves
 * nothing behind, and the others go on.
 */
class JdbcPilotMultiInstanceTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final TenantId ACME = TenantId.of("acme");
  private static final LocalDate DAY = LocalDate.parse("2026-05-04");

  @BeforeEach
  void clear() {
    DB.clear();
  }

  private static MessageId m(String id) {
    return MessageId.of(id);
  }

  private static long marks() throws SQLException {
    try (Connection c = DB.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*) FROM steward_pilot_send WHERE tenant_id = ? AND epoch_day = ?")) {
      s.setString(1, ACME.value());
      s.setLong(2, DAY.toEpochDay());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void manyThreadsOfTwoInstancesCountExactlyToTheLimitAndReleasesMakeRoom() throws Exception {
    List<PilotStore> instances =
        List.of(JdbcPilotStore.of(DB.dataSource()), JdbcPilotStore.of(DB.dataSource()));
    List<List<String>> granted =
        Concurrently.run(
            8,
            i -> {
              List<String> mine = new ArrayList<>();
              for (int k = 0; k < 30; k++) {
                String id = "m-" + i + "-" + k;
                if (instances.get(i % 2).reserve(ACME, DAY, m(id), 100).granted()) {
                  mine.add(id);
                }
              }
              return mine;
            });
    List<String> all = granted.stream().flatMap(List::stream).toList();
    assertThat(all).hasSize(100).doesNotHaveDuplicates();
    assertThat(instances.get(1).count(ACME, DAY)).isEqualTo(100);
    assertThat(marks()).isEqualTo(100);

    // the two instances give back 30 at once, while both try to take more
    List<Integer> taken =
        Concurrently.run(
            6,
            i -> {
              PilotStore s = instances.get(i % 2);
              if (i < 3) {
                for (int k = 0; k < 10; k++) {
                  assertThat(s.release(ACME, DAY, m(all.get(i * 10 + k)))).isTrue();
                }
                return 0;
              }
              int n = 0;
              for (int k = 0; k < 20; k++) {
                if (s.reserve(ACME, DAY, m("late-" + i + "-" + k), 100).granted()) {
                  n++;
                }
              }
              return n;
            });
    long count = instances.get(0).count(ACME, DAY);
    assertThat(count).isEqualTo(70 + taken.stream().mapToInt(Integer::intValue).sum());
    assertThat(count).isLessThanOrEqualTo(100);
    assertThat(marks()).isEqualTo(count);
  }

  @Test
  void anInstanceDroppedMidReservationLeavesTheCountWholeAndTheOthersGoOn() throws Exception {
    PilotStore survivor = JdbcPilotStore.of(DB.dataSource());
    for (int i = 0; i < 4; i++) {
      assertThat(survivor.reserve(ACME, DAY, m("early-" + i), 5).granted()).isTrue();
    }
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    // instance A stops inside its reservation, the day's row locked and its count read, just
    // before it writes the message: then its connections are closed, as when its machine dies
    KillableDataSource doomedSource =
        new KillableDataSource(
            new HookedDataSource(DB.dataSource())
                .before(
                    "INSERT INTO steward_pilot_send",
                    () -> {
                      inside.countDown();
                      try {
                        resume.await(30, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
    PilotStore doomed = JdbcPilotStore.of(doomedSource);

    ExecutorService executor = Executors.newFixedThreadPool(3);
    try {
      Future<DailyReservation> a = executor.submit(() -> doomed.reserve(ACME, DAY, m("a"), 5));
      assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
      Future<DailyReservation> b1 = executor.submit(() -> survivor.reserve(ACME, DAY, m("b1"), 5));
      Future<DailyReservation> b2 = executor.submit(() -> survivor.reserve(ACME, DAY, m("b2"), 5));
      Thread.sleep(200);
      assertThat(b1).as("waits for the lock A holds, never decides on a half state").isNotDone();
      assertThat(b2).isNotDone();

      doomedSource.kill();
      resume.countDown();

      assertThatThrownBy(() -> a.get(60, TimeUnit.SECONDS))
          .hasCauseInstanceOf(RuntimeException.class);
      List<DailyReservation> answers =
          List.of(b1.get(60, TimeUnit.SECONDS), b2.get(60, TimeUnit.SECONDS));
      // A never committed: exactly one of the survivor's two gets the fifth place
      assertThat(answers).filteredOn(DailyReservation::granted).hasSize(1);
      assertThat(answers).extracting(DailyReservation::used).containsExactlyInAnyOrder(4L, 5L);
    } finally {
      resume.countDown();
      executor.shutdownNow();
    }
    assertThat(survivor.count(ACME, DAY)).isEqualTo(5);
    assertThat(marks()).isEqualTo(5);
    assertThat(survivor.release(ACME, DAY, m("a"))).as("A's message was never counted").isFalse();
    assertThat(survivor.reserve(ACME, DAY, m("c"), 5).granted()).isFalse();
  }

  @Test
  void twoTenantGatesOverOnePostgresLetThroughExactlyTheDailyCap() {
    SettableClock clock = SettableClock.of(Instant.parse("2026-05-04T23:50:00Z"));
    SenderIdentities senders =
        new SenderIdentities() {
          @Override
          public Optional<EmailAddress> from(Message m) {
            return Optional.of(EmailAddress.of("news@acme.example"));
          }

          @Override
          public boolean domainAuthenticated(TenantId t, String domain) {
            return true;
          }
        };
    List<TenantGate> gates = new ArrayList<>();
    List<OnboardingStateMachine> machines = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      OnboardingStateMachine machine =
          OnboardingStateMachine.builder(clock, JdbcOnboardingStore.of(DB.dataSource())).build();
      JdbcGovernanceMetricsStore metrics = JdbcGovernanceMetricsStore.of(DB.dataSource());
      GovernanceEvaluator governance =
          GovernanceEvaluator.builder(metrics, JdbcStandingStore.of(DB.dataSource()), clock)
              .build();
      machines.add(machine);
      gates.add(
          TenantGate.builder(machine, JdbcPilotStore.of(DB.dataSource()))
              .governance(governance, metrics)
              .senders(senders)
              .plan(WarmUpPlan.builder().stages(50, 100).build())
              .build());
    }
    Actor rule = Actor.rule("test");
    OnboardingStateMachine m = machines.get(0);
    m.enrol(ACME, rule);
    OnboardingPhase[] phases = {
      OnboardingPhase.VETTING,
      OnboardingPhase.SENDER_DOMAIN_VERIFICATION,
      OnboardingPhase.CONTENT_REVIEW
    };
    OnboardingState[] next = {
      OnboardingState.DOMAIN_VERIFICATION, OnboardingState.CONTENT_REVIEW, OnboardingState.PILOT
    };
    for (int i = 0; i < 3; i++) {
      m.recordVerdict(
          ACME, new PhaseVerdict(phases[i], Verdict.PASS, rule, clock.instant(), "ok", List.of()));
      m.transition(ACME, next[i], rule, "ok");
    }

    List<int[]> outcomes =
        Concurrently.run(
            6,
            i -> {
              int[] allowedDeferred = new int[2];
              for (int k = 0; k < 20; k++) {
                Message msg =
                    Messages.promo("c-" + i + "-" + k)
                        .tenant(ACME)
                        .id(MessageId.of("g-" + i + "-" + k))
                        .build();
                Decision d = gates.get(i % 2).evaluate(msg, clock.instant());
                if (d.outcome() == Outcome.ALLOW) {
                  allowedDeferred[0]++;
                } else if (d.outcome() == Outcome.DEFER) {
                  allowedDeferred[1]++;
                }
              }
              return allowedDeferred;
            });
    assertThat(outcomes.stream().mapToInt(o -> o[0]).sum()).isEqualTo(50);
    assertThat(outcomes.stream().mapToInt(o -> o[1]).sum()).isEqualTo(70);
    assertThat(JdbcPilotStore.of(DB.dataSource()).count(ACME, DAY)).isEqualTo(50);
    assertThat(gates.get(1).pilotState(ACME).orElseThrow().stage()).isZero();
  }
}
