package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {
  static final Instant T0 = Instant.parse("2026-05-04T06:00:00Z");
  static final AccountId ACME = AccountId.of("acme");
  static final TenantId T1 = TenantId.of("t1");
  static final Scorecard CARD =
      Scorecard.builder("m").measure(Measure.of("x", 1, Mapping.linear(0, 100))).build();

  int day;

  HealthScore next(double value) {
    Instant at = T0.plus(Duration.ofDays(day++));
    return HealthScoreCalculator.score(
        CARD, HealthInputs.builder().put("x", value, at).build(), at);
  }

  HealthScore nextInsufficient() {
    Instant at = T0.plus(Duration.ofDays(day++));
    return HealthScoreCalculator.score(CARD, HealthInputs.empty(), at);
  }

  /**
   * A playbook: "health dropped to red -> CSM check-in task + risk email"; records what it would
   * enrol.
   */
  static final class RiskPlaybook implements HealthListener {
    record Enrolment(AccountId account, String journey, List<String> steps, Instant at) {}

    final List<Enrolment> enrolled = new ArrayList<>();
    final List<AccountId> unscorable = new ArrayList<>();

    @Override
    public void onBandChanged(HealthBandChanged e) {
      if (e.worsened() && e.to().equals("red")) {
        enrolled.add(
            new Enrolment(
                e.account(), "at-risk", List.of("csm-check-in-task", "risk-email"), e.at()));
      }
    }

    @Override
    public void onInsufficient(TenantId tenant, AccountId account, HealthScore score) {
      unscorable.add(account);
    }
  }

  @Test
  void dropToRedEnrolsThePlaybookOnceAfterTwoEvaluations() {
    RiskPlaybook playbook = new RiskPlaybook();
    HealthMonitor monitor = HealthMonitor.colours().listener(playbook).build();
    monitor.evaluate(T1, ACME, next(80)); // placed in green, no event
    assertThat(monitor.bandOf(T1, ACME)).contains("green");
    monitor.evaluate(T1, ACME, next(30)); // red once: not yet
    assertThat(playbook.enrolled).isEmpty();
    monitor.evaluate(T1, ACME, next(25)); // red twice: fires green -> red
    assertThat(playbook.enrolled).hasSize(1);
    assertThat(playbook.enrolled.get(0).steps()).containsExactly("csm-check-in-task", "risk-email");
    assertThat(playbook.enrolled.get(0).at()).isEqualTo(T0.plus(Duration.ofDays(2)));
    monitor.evaluate(T1, ACME, next(20));
    monitor.evaluate(T1, ACME, next(33));
    assertThat(playbook.enrolled).hasSize(1);
    assertThat(monitor.bandOf(T1, ACME)).contains("red");
  }

  @Test
  void scoresWobblingAroundABoundaryDoNotFlap() {
    List<HealthBandChanged> events = new ArrayList<>();
    HealthMonitor monitor =
        HealthMonitor.colours()
            .minConsecutive(1)
            .listener(
                new HealthListener() {
                  @Override
                  public void onBandChanged(HealthBandChanged e) {
                    events.add(e);
                  }
                })
            .build();
    monitor.evaluate(T1, ACME, next(50)); // yellow
    for (double v :
        new double[] {38, 42, 36, 44, 39, 41}) { // around 40, never below 35 nor >= 45 after
      monitor.evaluate(T1, ACME, next(v));
    }
    assertThat(events).isEmpty();
    monitor.evaluate(T1, ACME, next(34)); // below enter level 35: red
    monitor.evaluate(T1, ACME, next(44)); // still below exit level 45: stays red
    monitor.evaluate(T1, ACME, next(45)); // exit: yellow
    assertThat(events).extracting(HealthBandChanged::to).containsExactly("red", "yellow");
    assertThat(events.get(0).worsened()).isTrue();
    assertThat(events.get(1).worsened()).isFalse();
  }

  @Test
  void aRunIsBrokenByAScoreBackInTheBandButNotByAnInsufficientOne() {
    RiskPlaybook playbook = new RiskPlaybook();
    HealthMonitor monitor = HealthMonitor.colours().minConsecutive(3).listener(playbook).build();
    monitor.evaluate(T1, ACME, next(60));
    monitor.evaluate(T1, ACME, next(20));
    monitor.evaluate(T1, ACME, next(20));
    monitor.evaluate(T1, ACME, next(60)); // back in yellow: run broken
    monitor.evaluate(T1, ACME, next(20));
    monitor.evaluate(T1, ACME, nextInsufficient()); // neither confirms nor breaks
    monitor.evaluate(T1, ACME, next(20));
    assertThat(playbook.enrolled).isEmpty();
    monitor.evaluate(T1, ACME, next(20));
    assertThat(playbook.enrolled).hasSize(1);
    assertThat(playbook.unscorable).containsExactly(ACME);
  }

  @Test
  void aLargeDropCanSkipABand() {
    List<HealthBandChanged> events = new ArrayList<>();
    HealthMonitor monitor =
        HealthMonitor.colours()
            .minConsecutive(1)
            .listener(
                new HealthListener() {
                  @Override
                  public void onBandChanged(HealthBandChanged e) {
                    events.add(e);
                  }
                })
            .build();
    monitor.evaluate(T1, ACME, next(90));
    monitor.evaluate(T1, ACME, next(10));
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.from()).isEqualTo("green");
              assertThat(e.to()).isEqualTo("red");
            });
  }

  @Test
  void aFailingListenerDoesNotStopOthers() {
    RiskPlaybook playbook = new RiskPlaybook();
    HealthMonitor monitor =
        HealthMonitor.colours()
            .minConsecutive(1)
            .listener(
                new HealthListener() {
                  @Override
                  public void onBandChanged(HealthBandChanged e) {
                    throw new IllegalStateException("boom");
                  }
                })
            .listener(playbook)
            .build();
    monitor.evaluate(T1, ACME, next(90));
    monitor.evaluate(T1, ACME, next(10));
    assertThat(playbook.enrolled).hasSize(1);
  }

  @Test
  void everyEvaluationIsStoredWithTrend() {
    InMemoryHealthHistoryStore store = InMemoryHealthHistoryStore.of();
    HealthMonitor monitor = HealthMonitor.colours().history(store).build();
    for (double v : new double[] {70, 72, 60, 58}) {
      monitor.evaluate(T1, ACME, next(v));
    }
    monitor.evaluate(T1, ACME, nextInsufficient());
    List<HealthRecord> h = store.recent(T1, ACME, 10);
    assertThat(h).hasSize(5);
    assertThat(h.get(0).scorecardId()).isEqualTo("m");
    assertThat(HealthTrend.of(h, 2, 2)).isEmpty(); // newest is insufficient
    Optional<HealthTrend> t = HealthTrend.of(h.subList(0, 4), 2, 2);
    // 58 now against 72 two periods before
    assertThat(t.orElseThrow().change()).isCloseTo(-14, within(1e-9));
    assertThat(t.orElseThrow().direction()).isEqualTo(HealthTrend.Direction.DOWN);
    assertThat(t.orElseThrow().direction().arrow()).isEqualTo("↓");
    assertThat(HealthTrend.of(h.subList(0, 2), 1, 2).orElseThrow().direction())
        .isEqualTo(HealthTrend.Direction.FLAT);
    assertThat(HealthTrend.of(h.subList(0, 2), 1, 1.5).orElseThrow().direction())
        .isEqualTo(HealthTrend.Direction.UP);
    assertThat(HealthTrend.of(h.subList(0, 2), 2, 1)).isEmpty();
  }

  @Test
  void badMonitorConfigurationsAreRejected() {
    assertThatThrownBy(() -> HealthMonitor.builder().band("red").boundary(50, 40))
        .hasMessage(
            "monitor: boundary above band 'red': enter level 50.0 must not exceed exit level 40.0");
    assertThatThrownBy(
            () ->
                HealthMonitor.builder()
                    .band("red")
                    .boundary(35, 50)
                    .band("yellow")
                    .boundary(45, 75))
        .hasMessageContaining("enter level 45.0 overlaps the exit level 50.0");
    assertThatThrownBy(() -> HealthMonitor.builder().band("red").build())
        .hasMessage("monitor: needs at least two bands");
    assertThatThrownBy(() -> HealthMonitor.builder().band("red").band("green"))
        .hasMessageContaining("must follow a boundary");
    assertThatThrownBy(() -> HealthMonitor.colours().minConsecutive(0))
        .hasMessageContaining("at least 1");
  }

  @Test
  void twoMonitorsSharingAStoreConfirmARunTheyEachSawHalfOf() {
    List<HealthBandChanged> events = new ArrayList<>();
    HealthListener recorder =
        new HealthListener() {
          @Override
          public void onBandChanged(HealthBandChanged e) {
            events.add(e);
          }
        };
    HealthBandStateStore shared = InMemoryHealthBandStateStore.of();
    HealthMonitor a = HealthMonitor.colours().state(shared).listener(recorder).build();
    HealthMonitor b = HealthMonitor.colours().state(shared).listener(recorder).build();

    a.evaluate(T1, ACME, next(80));
    b.evaluate(T1, ACME, next(30));
    assertThat(events).isEmpty();
    assertThat(shared.get(T1, ACME))
        .contains(new HealthBandStateStore.BandState("green", "red", 1));
    a.evaluate(T1, ACME, next(20));

    assertThat(events).extracting(HealthBandChanged::to).containsExactly("red");
    assertThat(b.bandOf(T1, ACME)).contains("red");
    b.forget(T1, ACME);
    assertThat(a.bandOf(T1, ACME)).isEmpty();
  }

  @Test
  void aStoredBandTheMonitorDoesNotKnowIsPlacedAfresh() {
    HealthBandStateStore store = InMemoryHealthBandStateStore.of();
    store.update(T1, ACME, s -> HealthBandStateStore.BandState.settled("amber"));
    List<HealthBandChanged> events = new ArrayList<>();
    HealthMonitor monitor =
        HealthMonitor.colours()
            .state(store)
            .listener(
                new HealthListener() {
                  @Override
                  public void onBandChanged(HealthBandChanged e) {
                    events.add(e);
                  }
                })
            .build();

    assertThat(monitor.bandOf(T1, ACME)).isEmpty();
    monitor.evaluate(T1, ACME, next(20));

    assertThat(events).isEmpty();
    assertThat(monitor.bandOf(T1, ACME)).contains("red");
  }

  @Test
  void theSameAccountUnderTwoTenantsIsWatchedApart() {
    List<HealthBandChanged> events = new ArrayList<>();
    HealthHistoryStore history = InMemoryHealthHistoryStore.of();
    TenantId t2 = TenantId.of("t2");
    HealthMonitor monitor =
        HealthMonitor.colours()
            .minConsecutive(2)
            .history(history)
            .listener(
                new HealthListener() {
                  @Override
                  public void onBandChanged(HealthBandChanged e) {
                    events.add(e);
                  }
                })
            .build();

    monitor.evaluate(T1, ACME, next(80));
    monitor.evaluate(t2, ACME, next(20));
    monitor.evaluate(T1, ACME, next(20)); // one red score for t1: not yet
    monitor.evaluate(t2, ACME, next(90)); // one green score for t2: not yet

    assertThat(events).isEmpty();
    assertThat(monitor.bandOf(T1, ACME)).contains("green");
    assertThat(monitor.bandOf(t2, ACME)).contains("red");

    monitor.evaluate(T1, ACME, next(20));
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.tenant()).isEqualTo(T1);
              assertThat(e.to()).isEqualTo("red");
            });
    assertThat(monitor.bandOf(t2, ACME)).contains("red");
    assertThat(history.recent(T1, ACME, 10)).hasSize(3);
    assertThat(history.recent(t2, ACME, 10)).hasSize(2);
    monitor.forget(t2, ACME);
    assertThat(monitor.bandOf(t2, ACME)).isEmpty();
    assertThat(monitor.bandOf(T1, ACME)).contains("red");
  }

  @Test
  void aNullTenantIsRefusedBeforeAnythingIsStored() {
    HealthHistoryStore history = InMemoryHealthHistoryStore.of();
    HealthMonitor monitor = HealthMonitor.colours().history(history).build();

    assertThatThrownBy(() -> monitor.evaluate(null, ACME, next(50)))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("tenant");
    assertThat(history.accounts(T1)).isEmpty();
  }
}
