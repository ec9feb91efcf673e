package dev.steward.review14t;

import static dev.steward.review14t.World14t.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.journey.InMemoryJourneyAnalyticsStore;
import dev.steward.journey.JourneyAlert;
import dev.steward.journey.JourneyAlertKind;
import dev.steward.journey.JourneyAlertListener;
import dev.steward.journey.JourneyAnalytics;
import dev.steward.journey.JourneyAnalyticsStore;
import dev.steward.journey.JourneyFact;
import dev.steward.journey.JourneyMetric;
import dev.steward.journey.JourneyStepRef;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A journey alert listener that throws (a pager down for a minute) lost the alert: the episode was
 * opened before the listener was told and stayed open, so no later evaluation raised it again until
 * the step recovered and missed the benchmark anew. Likewise a clearing.
 */
class AlertListenerFailureTest {
  static final Instant AT = Instant.parse("2026-03-16T06:00:00Z");
  static final JourneyStepRef STEP = new JourneyStepRef("welcome", 1, "day-1");

  /** 100 delivered, 10 opened and clicked: only the open rate (10%) misses its benchmark. */
  static void lowOpens(JourneyAnalyticsStore store) {
    for (int i = 0; i < 100; i++) {
      store.record(JourneyFact.of(TENANT, "m-" + i, STEP, JourneyMetric.SENT, AT));
      store.record(JourneyFact.of(TENANT, "m-" + i, STEP, JourneyMetric.DELIVERED, AT));
    }
    for (int i = 0; i < 10; i++) {
      store.record(JourneyFact.of(TENANT, "m-" + i, STEP, JourneyMetric.OPENED, AT));
      store.record(JourneyFact.of(TENANT, "m-" + i, STEP, JourneyMetric.CLICKED, AT));
    }
  }

  static void recovered(JourneyAnalyticsStore store) {
    for (int i = 10; i < 40; i++) {
      store.record(JourneyFact.of(TENANT, "m-" + i, STEP, JourneyMetric.OPENED, AT));
    }
  }

  /** Throws on its first {@code failures} calls of each kind, then records. */
  static final class Flaky implements JourneyAlertListener {
    final AtomicInteger alertFailures;
    final AtomicInteger clearFailures;
    final List<JourneyAlert> alerts = new ArrayList<>();
    final List<JourneyAlertKind> cleared = new ArrayList<>();

    Flaky(int alertFailures, int clearFailures) {
      this.alertFailures = new AtomicInteger(alertFailures);
      this.clearFailures = new AtomicInteger(clearFailures);
    }

    @Override
    public void onAlert(JourneyAlert alert) {
      if (alertFailures.getAndDecrement() > 0) {
        throw new IllegalStateException("pager down");
      }
      alerts.add(alert);
    }

    @Override
    public void onCleared(TenantId tenant, JourneyStepRef step, JourneyAlertKind kind) {
      if (clearFailures.getAndDecrement() > 0) {
        throw new IllegalStateException("pager down");
      }
      cleared.add(kind);
    }
  }

  @Test
  void anAlertTheListenerThrewOnIsRaisedAgainAtTheNextEvaluationAndThenOnlyOnce() {
    InMemoryJourneyAnalyticsStore store = InMemoryJourneyAnalyticsStore.of();
    Flaky listener = new Flaky(1, 0);
    JourneyAnalytics a =
        JourneyAnalytics.builder(store, SettableClock.of(AT)).alertListener(listener).build();
    lowOpens(store);

    assertThat(a.evaluate(TENANT, "welcome", 1))
        .extracting(JourneyAlert::kind)
        .containsExactly(JourneyAlertKind.LOW_OPEN_RATE);
    assertThat(listener.alerts).isEmpty(); // the listener threw

    a.evaluate(TENANT, "welcome", 1);
    assertThat(listener.alerts)
        .extracting(JourneyAlert::kind)
        .containsExactly(JourneyAlertKind.LOW_OPEN_RATE);
    a.evaluate(TENANT, "welcome", 1); // told once: not again while the episode lasts
    assertThat(listener.alerts).hasSize(1);
  }

  @Test
  void aClearingTheListenerThrewOnIsToldAgainAtTheNextEvaluation() {
    InMemoryJourneyAnalyticsStore store = InMemoryJourneyAnalyticsStore.of();
    Flaky listener = new Flaky(0, 1);
    JourneyAnalytics a =
        JourneyAnalytics.builder(store, SettableClock.of(AT)).alertListener(listener).build();
    lowOpens(store);
    a.evaluate(TENANT, "welcome", 1);
    assertThat(listener.alerts).hasSize(1);

    recovered(store);
    assertThat(a.evaluate(TENANT, "welcome", 1)).isEmpty();
    assertThat(listener.cleared).isEmpty(); // the listener threw
    a.evaluate(TENANT, "welcome", 1);
    assertThat(listener.cleared).containsExactly(JourneyAlertKind.LOW_OPEN_RATE);
    a.evaluate(TENANT, "welcome", 1);
    assertThat(listener.cleared).hasSize(1);
    assertThat(listener.alerts).hasSize(1); // the clearing's retry raised nothing
  }
}
