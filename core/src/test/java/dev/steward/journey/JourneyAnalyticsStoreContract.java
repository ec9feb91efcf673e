package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link JourneyAnalyticsStore} meets; subclass it with a fresh store per test
 * and a second instance over the same data where the store is shared.
 */
public abstract class JourneyAnalyticsStoreContract {
  protected static final TenantId T1 = TenantId.of("t1");
  protected static final TenantId T2 = TenantId.of("t2");
  protected static final Instant T0 = Instant.parse("2026-03-02T09:00:00.123456789Z");
  protected static final JourneyStepRef WELCOME = new JourneyStepRef("onboarding", 1, "welcome");
  protected static final JourneyStepRef REMINDER = new JourneyStepRef("onboarding", 1, "reminder");
  protected static final JourneyStepRef WELCOME_V2 = new JourneyStepRef("onboarding", 2, "welcome");

  protected JourneyAnalyticsStore store;

  /** A new, empty store. */
  protected abstract JourneyAnalyticsStore newStore();

  /** Another instance over the same data as the last {@link #newStore()}; itself in memory. */
  protected JourneyAnalyticsStore secondInstance() {
    return store;
  }

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  private static JourneyFact fact(
      TenantId t, String subject, JourneyStepRef s, JourneyMetric m, String reason) {
    return new JourneyFact(t, subject, s, m, Optional.ofNullable(reason), T0);
  }

  private long count(TenantId t, JourneyStepRef s, JourneyMetric m, String reason) {
    return store.counts(t, s.journey(), s.version()).stream()
        .filter(c -> c.step().equals(s.step()) && c.metric() == m)
        .filter(c -> c.reason().equals(Optional.ofNullable(reason)))
        .mapToLong(StepCount::count)
        .sum();
  }

  @Test
  void aFactRecordedLaterCountsAsARecordedOneOncePerSubjectAndMetric() {
    store.recordLater(fact(T1, "m1", WELCOME, JourneyMetric.SKIPPED, "failed"));
    store.recordLater(fact(T1, "m1", WELCOME, JourneyMetric.SKIPPED, "deadline"));
    assertThat(store.record(fact(T1, "m1", WELCOME, JourneyMetric.SKIPPED, "failed"))).isFalse();
    assertThat(store.record(fact(T1, "m2", WELCOME, JourneyMetric.SKIPPED, null))).isTrue();
    secondInstance().recordLater(fact(T1, "m2", WELCOME, JourneyMetric.SKIPPED, null));

    assertThat(count(T1, WELCOME, JourneyMetric.SKIPPED, null)).isEqualTo(2);
    assertThat(count(T1, WELCOME, JourneyMetric.SKIPPED, "failed")).isEqualTo(1);
    assertThat(count(T1, WELCOME, JourneyMetric.SKIPPED, "deadline")).isZero();
    assertThatThrownBy(() -> store.recordLater(null)).isInstanceOf(InvalidJourneyException.class);
  }

  @Test
  void aSubjectIsCountedOncePerMetricHoweverOftenItIsReported() {
    assertThat(store.record(fact(T1, "m1", WELCOME, JourneyMetric.OPENED, null))).isTrue();
    assertThat(store.record(fact(T1, "m1", WELCOME, JourneyMetric.OPENED, null))).isFalse();
    assertThat(secondInstance().record(fact(T1, "m1", WELCOME, JourneyMetric.OPENED, null)))
        .isFalse();
    // the same message's other metric, and another message, each count
    assertThat(store.record(fact(T1, "m1", WELCOME, JourneyMetric.CLICKED, null))).isTrue();
    assertThat(store.record(fact(T1, "m2", WELCOME, JourneyMetric.OPENED, null))).isTrue();

    assertThat(count(T1, WELCOME, JourneyMetric.OPENED, null)).isEqualTo(2);
    assertThat(count(T1, WELCOME, JourneyMetric.CLICKED, null)).isEqualTo(1);
    assertThat(secondInstance().counts(T1, "onboarding", 1))
        .containsExactlyInAnyOrderElementsOf(store.counts(T1, "onboarding", 1));
  }

  @Test
  void reasonsAreCountedBesideTheTotalAndTheFirstReasonOfASubjectStays() {
    store.record(fact(T1, "m1", WELCOME, JourneyMetric.DEFERRED, "frequency/contact-cap"));
    store.record(fact(T1, "m2", WELCOME, JourneyMetric.DEFERRED, "frequency/quiet-hours"));
    store.record(fact(T1, "m3", WELCOME, JourneyMetric.DEFERRED, "frequency/contact-cap"));
    store.record(fact(T1, "m4", WELCOME, JourneyMetric.DEFERRED, null));
    // deferred again for another reason: the message was counted deferred once already
    assertThat(
            store.record(fact(T1, "m1", WELCOME, JourneyMetric.DEFERRED, "frequency/quiet-hours")))
        .isFalse();

    assertThat(store.counts(T1, "onboarding", 1))
        .containsExactlyInAnyOrder(
            new StepCount("welcome", JourneyMetric.DEFERRED, Optional.empty(), 4),
            new StepCount(
                "welcome", JourneyMetric.DEFERRED, Optional.of("frequency/contact-cap"), 2),
            new StepCount(
                "welcome", JourneyMetric.DEFERRED, Optional.of("frequency/quiet-hours"), 1));
  }

  @Test
  void countsAreKeptApartByTenantJourneyVersionAndStep() {
    store.record(fact(T1, "m1", WELCOME, JourneyMetric.SENT, null));
    store.record(fact(T1, "m2", REMINDER, JourneyMetric.SENT, null));
    store.record(fact(T1, "m3", WELCOME_V2, JourneyMetric.SENT, null));
    store.record(fact(T2, "m1", WELCOME, JourneyMetric.SENT, null)); // same id, other tenant

    assertThat(store.counts(T1, "onboarding", 1))
        .containsExactlyInAnyOrder(
            new StepCount("welcome", JourneyMetric.SENT, Optional.empty(), 1),
            new StepCount("reminder", JourneyMetric.SENT, Optional.empty(), 1));
    assertThat(store.counts(T1, "onboarding", 2))
        .containsExactly(new StepCount("welcome", JourneyMetric.SENT, Optional.empty(), 1));
    assertThat(store.counts(T2, "onboarding", 1))
        .containsExactly(new StepCount("welcome", JourneyMetric.SENT, Optional.empty(), 1));
    assertThat(store.counts(T1, "renewal", 1)).isEmpty();
  }

  @Test
  void aMessageIsFoundAtTheStepItWasCountedAgainst() {
    store.record(fact(T1, "j-e1-3", REMINDER, JourneyMetric.SENT, null));
    store.record(fact(T1, "e1", WELCOME, JourneyMetric.ENTERED, null));

    assertThat(store.stepOf(T1, "j-e1-3")).contains(REMINDER);
    assertThat(secondInstance().stepOf(T1, "j-e1-3")).contains(REMINDER);
    assertThat(store.stepOf(T2, "j-e1-3")).isEmpty();
    // an enrolment's marks are no message's
    assertThat(store.stepOf(T1, "e1")).isEmpty();
    assertThat(store.stepOf(T1, "j-unknown")).isEmpty();
  }

  @Test
  void manyMessagesAreFoundAtOnceWhereEachAloneIsFound() {
    List<String> ids = new java.util.ArrayList<>();
    int marked = 0;
    for (int i = 0; i < 520; i++) { // more than one read of the JDBC store
      marked += i % 3 == 0 || i % 5 == 0 ? 1 : 0;
      String id = "j-e" + i + "-1";
      ids.add(id);
      if (i % 3 == 0) {
        store.record(fact(T1, id, i % 2 == 0 ? WELCOME : REMINDER, JourneyMetric.SENT, null));
      }
      if (i % 5 == 0) { // a second mark, at another step: the metrics' order decides
        store.record(fact(T1, id, WELCOME_V2, JourneyMetric.DEFERRED, "frequency/daily"));
      }
    }
    store.record(fact(T1, "e7", WELCOME, JourneyMetric.ENTERED, null)); // no message's mark
    store.record(fact(T2, "j-e1-1", WELCOME, JourneyMetric.SENT, null)); // another tenant's
    ids.add("e7");
    ids.add("j-e1-1"); // asked twice

    Map<String, JourneyStepRef> found = store.stepsOf(T1, ids);

    Map<String, JourneyStepRef> alone = new java.util.HashMap<>();
    for (String id : ids) {
      store.stepOf(T1, id).ifPresent(step -> alone.put(id, step));
    }
    assertThat(found).isEqualTo(alone).hasSize(marked);
    assertThat(secondInstance().stepsOf(T1, ids)).isEqualTo(alone);
    assertThat(store.stepsOf(T1, List.of())).isEmpty();
    assertThatThrownBy(() -> store.stepsOf(T1, null)).isInstanceOf(InvalidJourneyException.class);
    assertThatThrownBy(() -> store.stepsOf(null, ids)).isInstanceOf(InvalidJourneyException.class);
  }

  @Test
  void anEpisodeOpensOnceUntilItIsClosed() {
    JourneyAlertKind k = JourneyAlertKind.LOW_OPEN_RATE;
    assertThat(store.openEpisode(T1, WELCOME, k, T0)).isTrue();
    assertThat(secondInstance().openEpisode(T1, WELCOME, k, T0.plusSeconds(5))).isFalse();
    // another kind, step, version or tenant is another episode
    assertThat(store.openEpisode(T1, WELCOME, JourneyAlertKind.LOW_CLICK_RATE, T0)).isTrue();
    assertThat(store.openEpisode(T1, WELCOME_V2, k, T0)).isTrue();
    assertThat(store.openEpisode(T2, WELCOME, k, T0)).isTrue();

    assertThat(secondInstance().openEpisodes(T1, "onboarding", 1))
        .isEqualTo(Map.of("welcome", Set.of(k, JourneyAlertKind.LOW_CLICK_RATE)));
    assertThat(store.openEpisodes(T1, "onboarding", 2)).isEqualTo(Map.of("welcome", Set.of(k)));
    assertThat(store.openEpisodes(T1, "renewal", 1)).isEmpty();

    assertThat(store.closeEpisode(T1, WELCOME, k)).isTrue();
    assertThat(secondInstance().closeEpisode(T1, WELCOME, k)).isFalse();
    assertThat(store.openEpisodes(T1, "onboarding", 1))
        .isEqualTo(Map.of("welcome", Set.of(JourneyAlertKind.LOW_CLICK_RATE)));
    assertThat(store.openEpisode(T1, WELCOME, k, T0.plusSeconds(60))).isTrue();
    assertThat(store.closeEpisode(T1, REMINDER, k)).isFalse();
  }

  @Test
  void erasingATenantForgetsItsCountsMarksAndEpisodesOnly() {
    store.record(fact(T1, "m1", WELCOME, JourneyMetric.SENT, null));
    store.record(fact(T1, "m1", WELCOME, JourneyMetric.DEFERRED, "frequency/cap"));
    store.openEpisode(T1, WELCOME, JourneyAlertKind.LOW_OPEN_RATE, T0);
    store.record(fact(T2, "m1", WELCOME, JourneyMetric.SENT, null));

    assertThat(store.eraseTenant(T1)).isEqualTo(2);
    assertThat(store.openEpisodes(T1, "onboarding", 1)).isEmpty();

    assertThat(store.counts(T1, "onboarding", 1)).isEmpty();
    assertThat(store.stepOf(T1, "m1")).isEmpty();
    assertThat(store.openEpisode(T1, WELCOME, JourneyAlertKind.LOW_OPEN_RATE, T0)).isTrue();
    assertThat(store.record(fact(T1, "m1", WELCOME, JourneyMetric.SENT, null))).isTrue();
    assertThat(store.counts(T2, "onboarding", 1)).hasSize(1);
    assertThat(store.stepOf(T2, "m1")).contains(WELCOME);
  }

  @Test
  void marksPastTheirRetentionArePurgedInBoundedBatchesAndTheCountsStay() {
    for (int i = 0; i < 5; i++) {
      store.record(
          new JourneyFact(
              T1, "old" + i, WELCOME, JourneyMetric.SENT, Optional.empty(), T0.minusSeconds(10)));
    }
    store.record(
        new JourneyFact(
            T2, "old", WELCOME, JourneyMetric.SENT, Optional.empty(), T0.minusSeconds(1)));
    store.record(fact(T1, "new", WELCOME, JourneyMetric.SENT, null)); // at T0: kept

    assertThat(store.purgeMarksBefore(T0, 4)).isEqualTo(4);
    assertThat(secondInstance().purgeMarksBefore(T0, 4)).isEqualTo(2);
    assertThat(store.purgeMarksBefore(T0, 4)).isZero();

    assertThat(store.stepOf(T1, "new")).contains(WELCOME);
    assertThat(store.stepOf(T1, "old0")).isEmpty();
    assertThat(count(T1, WELCOME, JourneyMetric.SENT, null)).isEqualTo(6);
    // a purged subject reported again counts again: why marks outlive late events
    assertThat(store.record(fact(T1, "old0", WELCOME, JourneyMetric.SENT, null))).isTrue();
    assertThatThrownBy(() -> store.purgeMarksBefore(T0, 0))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> store.purgeMarksBefore(null, 1))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("cutoff");
  }

  /**
   * A cutoff after the storable range purges a mark at its last instant, as memory does; the JDBC
   * store clamped the cutoff onto that instant and, deleting before it, kept the mark.
   */
  @Test
  void aCutoffBeyondTheStorableRangePurgesTheMarksAtItsEnds() {
    store.record(
        new JourneyFact(
            T1, "first", WELCOME, JourneyMetric.SENT, Optional.empty(), StoreLimits.MIN_INSTANT));
    store.record(
        new JourneyFact(
            T1, "last", WELCOME, JourneyMetric.SENT, Optional.empty(), StoreLimits.MAX_INSTANT));

    assertThat(store.purgeMarksBefore(Instant.MIN, 10)).isZero();
    assertThat(store.purgeMarksBefore(StoreLimits.MIN_INSTANT, 10)).isZero();
    assertThat(store.purgeMarksBefore(StoreLimits.MAX_INSTANT, 10)).isEqualTo(1);
    assertThat(store.stepOf(T1, "first")).isEmpty();
    assertThat(store.stepOf(T1, "last")).contains(WELCOME);
    assertThat(secondInstance().purgeMarksBefore(Instant.MAX, 10)).isEqualTo(1);
    assertThat(store.stepOf(T1, "last")).isEmpty();
    assertThat(count(T1, WELCOME, JourneyMetric.SENT, null)).isEqualTo(2);
  }

  @Test
  void badArgumentsAreRefusedWithTheSameException() {
    assertThatThrownBy(() -> store.record(null))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("journey fact");
    assertThatThrownBy(() -> store.counts(T1, "onboarding", 0))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("version 0");
    assertThatThrownBy(() -> store.counts(null, "onboarding", 1))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> store.stepOf(T1, "x".repeat(201)))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("message id");
    assertThatThrownBy(() -> store.openEpisode(T1, WELCOME, null, T0))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("alert kind");
    assertThatThrownBy(() -> store.openEpisode(T1, WELCOME, JourneyAlertKind.LOW_OPEN_RATE, null))
        .isInstanceOf(InvalidJourneyException.class);
    assertThatThrownBy(() -> store.eraseTenant(null)).isInstanceOf(InvalidJourneyException.class);
  }

  @Test
  void aFactThatNoStoreCouldKeepIsRefusedWhenItIsMade() {
    assertThatThrownBy(() -> fact(T1, "", WELCOME, JourneyMetric.SENT, null))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("subject");
    assertThatThrownBy(() -> fact(T1, "m\u0000", WELCOME, JourneyMetric.SENT, null))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("NUL");
    assertThatThrownBy(() -> new JourneyStepRef("onboarding", 1, "s".repeat(81)))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("step id");
    // a long reason is cut to what every store keeps, a blank one is none
    JourneyFact longReason = fact(T1, "m1", WELCOME, JourneyMetric.SKIPPED, "r".repeat(500));
    assertThat(longReason.reason()).hasValueSatisfying(r -> assertThat(r).hasSize(200));
    assertThat(fact(T1, "m1", WELCOME, JourneyMetric.SKIPPED, "  ").reason()).isEmpty();
    assertThat(store.record(longReason)).isTrue();
    assertThat(count(T1, WELCOME, JourneyMetric.SKIPPED, "r".repeat(200))).isEqualTo(1);
  }

  @Test
  void concurrentReportsOfManyMessagesAreEachCountedOnce() {
    // 4 threads on two instances report the same 50 messages: each counted once, none lost
    List<Integer> counted =
        Concurrently.run(
            4,
            i -> {
              JourneyAnalyticsStore s = i % 2 == 0 ? store : secondInstance();
              int n = 0;
              for (int m = 0; m < 50; m++) {
                if (s.record(fact(T1, "m" + m, WELCOME, JourneyMetric.DELIVERED, "ok"))) {
                  n++;
                }
              }
              return n;
            });
    assertThat(counted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(50);
    assertThat(count(T1, WELCOME, JourneyMetric.DELIVERED, null)).isEqualTo(50);
    assertThat(count(T1, WELCOME, JourneyMetric.DELIVERED, "ok")).isEqualTo(50);
  }
}
