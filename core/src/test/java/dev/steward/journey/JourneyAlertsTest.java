package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alerts against the benchmarks: when each is raised, once per episode, and what it says. */
class JourneyAlertsTest {
  private static final TenantId T = TenantId.of("t1");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private final List<String> raised = new ArrayList<>();
  private final List<JourneyAlert> alerts = new ArrayList<>();
  private JourneyAnalyticsStore store;
  private JourneyAnalytics analytics;

  @BeforeEach
  void wire() {
    store = InMemoryJourneyAnalyticsStore.of();
    analytics =
        JourneyAnalytics.builder(store, SettableClock.of(T0))
            .alertListener(
                new JourneyAlertListener() {
                  @Override
                  public void onAlert(JourneyAlert alert) {
                    alerts.add(alert);
                    raised.add(alert.kind() + " " + alert.step().step());
                  }

                  @Override
                  public void onCleared(TenantId tenant, JourneyStepRef step, JourneyAlertKind k) {
                    raised.add("cleared " + k + " " + step.step());
                  }
                })
            .build();
  }

  /** Counts {@code n} messages of a step (ids from {@code from}) for {@code metric}. */
  private void count(String step, JourneyMetric metric, int from, int n) {
    JourneyStepRef at = new JourneyStepRef("renewal", 1, step);
    for (int i = from; i < from + n; i++) {
      store.record(JourneyFact.of(T, "j-e" + i + "-" + step, at, metric, T0));
    }
  }

  /** {@code sent} messages sent and delivered at a step. */
  private void delivered(String step, int sent) {
    count(step, JourneyMetric.SENT, 0, sent);
    count(step, JourneyMetric.DELIVERED, 0, sent);
  }

  private List<JourneyAlertKind> evaluate() {
    return analytics.evaluate(T, "renewal", 1).stream().map(JourneyAlert::kind).toList();
  }

  @Test
  void aLowOpenRateIsRaisedOncePerEpisodeAndExplained() {
    delivered("d-90", 200);
    count("d-90", JourneyMetric.OPENED, 0, 30); // 15%
    count("d-90", JourneyMetric.CLICKED, 0, 8); // 4%

    assertThat(evaluate()).containsExactly(JourneyAlertKind.LOW_OPEN_RATE);
    assertThat(evaluate()).containsExactly(JourneyAlertKind.LOW_OPEN_RATE); // still holds
    assertThat(raised).containsExactly("LOW_OPEN_RATE d-90"); // raised once

    JourneyAlert a = alerts.get(0);
    assertThat(a.value()).isEqualTo(0.15);
    assertThat(a.benchmark()).isEqualTo(0.20);
    assertThat(a.volume()).isEqualTo(200);
    assertThat(a.explanation())
        .contains("step 'd-90' of journey 'renewal' v1")
        .contains("open rate 15.0% of 200 delivered")
        .contains("20.0% benchmark");

    // opens catch up: the episode ends; they fall again (more mail, no opens): a new episode
    count("d-90", JourneyMetric.OPENED, 30, 20); // 25%
    assertThat(evaluate()).isEmpty();
    count("d-90", JourneyMetric.SENT, 200, 100);
    count("d-90", JourneyMetric.DELIVERED, 200, 100); // 50 of 300: 16.7%
    count("d-90", JourneyMetric.CLICKED, 200, 10);
    assertThat(evaluate()).containsExactly(JourneyAlertKind.LOW_OPEN_RATE);
    assertThat(raised)
        .containsExactly("LOW_OPEN_RATE d-90", "cleared LOW_OPEN_RATE d-90", "LOW_OPEN_RATE d-90");
  }

  @Test
  void nothingIsJudgedUnderTheMinimumVolume() {
    delivered("d-90", 99); // no opens, no clicks, all unsubscribed: 99 is too few
    count("d-90", JourneyMetric.UNSUBSCRIBED, 0, 99);
    assertThat(evaluate()).isEmpty();
    delivered("d-90", 100);
    assertThat(evaluate())
        .containsExactlyInAnyOrder(
            JourneyAlertKind.LOW_OPEN_RATE,
            JourneyAlertKind.LOW_CLICK_RATE,
            JourneyAlertKind.HIGH_UNSUBSCRIBE_RATE);
  }

  @Test
  void highOpensWithFewClicksIsItsOwnAlert() {
    delivered("d-60", 100);
    count("d-60", JourneyMetric.OPENED, 0, 40); // 40%, above the 25% high end
    count("d-60", JourneyMetric.CLICKED, 0, 1); // 1%

    assertThat(evaluate())
        .containsExactlyInAnyOrder(
            JourneyAlertKind.LOW_CLICK_RATE, JourneyAlertKind.OPENS_WITHOUT_CLICKS);
    JourneyAlert low =
        alerts.stream()
            .filter(a -> a.kind() == JourneyAlertKind.OPENS_WITHOUT_CLICKS)
            .findFirst()
            .orElseThrow();
    assertThat(low.explanation()).contains("opens are high (40.0%").contains("1.0%");
  }

  @Test
  void anUnsubscribeSpikeIsOneSendFarAboveTheRestOfTheJourney() {
    delivered("d-90", 200);
    delivered("d-60", 200);
    delivered("d-30", 200);
    count("d-90", JourneyMetric.UNSUBSCRIBED, 0, 1); // 0.5%: not above the maximum
    count("d-30", JourneyMetric.UNSUBSCRIBED, 0, 6); // 3%: above it, and 12x the rest's 0.25%
    for (String s : List.of("d-90", "d-60", "d-30")) {
      count(s, JourneyMetric.OPENED, 0, 44);
      count(s, JourneyMetric.CLICKED, 0, 8);
    }

    assertThat(analytics.evaluate(T, "renewal", 1))
        .extracting(a -> a.kind() + " " + a.step().step())
        .containsExactlyInAnyOrder("HIGH_UNSUBSCRIBE_RATE d-30", "UNSUBSCRIBE_SPIKE d-30");
    JourneyAlert spike =
        alerts.stream()
            .filter(a -> a.kind() == JourneyAlertKind.UNSUBSCRIBE_SPIKE)
            .findFirst()
            .orElseThrow();
    assertThat(spike.value()).isEqualTo(0.03);
    assertThat(spike.benchmark()).isEqualTo(0.0025 * 3);
  }

  @Test
  void highUnsubscribesEverywhereAreNoSpike() {
    for (String s : List.of("d-90", "d-60", "d-30")) {
      delivered(s, 200);
      count(s, JourneyMetric.UNSUBSCRIBED, 0, 4); // 2% each
      count(s, JourneyMetric.OPENED, 0, 44);
      count(s, JourneyMetric.CLICKED, 0, 8);
    }
    assertThat(evaluate()).containsOnly(JourneyAlertKind.HIGH_UNSUBSCRIBE_RATE).hasSize(3);
  }

  @Test
  void providerEventsRaiseTheAlertsOfTheVersionTheyCounted() {
    JourneyStepRef at = new JourneyStepRef("renewal", 1, "d-90");
    List<EmailEvent> batch = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String id = "j-e" + i + "-3";
      store.record(JourneyFact.of(T, id, at, JourneyMetric.SENT, T0));
      batch.add(
          EmailEvent.builder("d" + i, EmailEventType.DELIVERED, T0)
              .email("c" + i + "@example.com")
              .message(MessageId.of(id))
              .tenant(T)
              .build());
    }
    analytics.emailEventListener().onEvents(batch);
    analytics.emailEventListener().onEvents(batch); // replayed: raised no second time

    assertThat(raised).containsExactlyInAnyOrder("LOW_OPEN_RATE d-90", "LOW_CLICK_RATE d-90");
  }

  @Test
  void benchmarksAreDataReadFromJsonStrictly() {
    JourneyBenchmarks b =
        JourneyBenchmarks.fromJson(
            "{\"minimumVolume\": 500, \"openRate\": {\"low\": 0.15}, \"spikeFactor\": 2}");
    assertThat(b.minimumVolume()).isEqualTo(500);
    assertThat(b.openRateLow()).isEqualTo(0.15);
    assertThat(b.openRateHigh()).isEqualTo(0.25); // left out: the default
    assertThat(b.spikeFactor()).isEqualTo(2.0);
    assertThat(JourneyBenchmarks.fromJson(b.toJson())).isEqualTo(b);
    assertThat(JourneyBenchmarks.fromJson("{}")).isEqualTo(JourneyBenchmarks.DEFAULTS);
  }

  @Test
  void badBenchmarkJsonIsRefusedNamingThePath() {
    assertThatThrownBy(() -> JourneyBenchmarks.fromJson("{\"openRate\": {\"lo\": 0.1}}"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("unknown field 'openRate.lo'");
    assertThatThrownBy(() -> JourneyBenchmarks.fromJson("{\"maxUnsubscribeRate\": \"0.5%\"}"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("maxUnsubscribeRate must be a number");
    assertThatThrownBy(() -> JourneyBenchmarks.fromJson("{\"spikeFactor\": 2, \"spikeFactor\": 3}"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("spikeFactor");
    assertThatThrownBy(() -> JourneyBenchmarks.fromJson("{\"openRate\": {\"low\": 0.4}}"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("open rate low 0.4 is above open rate high 0.25");
    assertThatThrownBy(() -> JourneyBenchmarks.fromJson("[]"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("must be an object");
  }

  @Test
  void benchmarksAreCheckedWhenTheyAreMade() {
    assertThat(JourneyBenchmarks.DEFAULTS.openRateLow()).isEqualTo(0.20);
    assertThat(JourneyBenchmarks.DEFAULTS.maxUnsubscribeRate()).isEqualTo(0.005);
    assertThatThrownBy(() -> JourneyBenchmarks.builder().openRate(0.3, 0.2).build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("open rate low 0.3 is above open rate high 0.2");
    assertThatThrownBy(() -> JourneyBenchmarks.builder().clickRate(3, 5).build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("click rate low must be a share from 0 to 1");
    assertThatThrownBy(() -> JourneyBenchmarks.builder().minimumVolume(0).build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("minimum volume");
    assertThatThrownBy(() -> JourneyBenchmarks.builder().spikeFactor(Double.NaN).build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("spike factor");
    JourneyBenchmarks b =
        JourneyBenchmarks.builder().minimumVolume(10).maxUnsubscribeRate(0.01).build();
    assertThat(b.minimumVolume()).isEqualTo(10);
    assertThat(b.openRateHigh()).isEqualTo(0.25);
  }
}
