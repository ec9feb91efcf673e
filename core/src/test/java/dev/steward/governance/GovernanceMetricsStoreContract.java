package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link GovernanceMetricsStore} meets; subclass it with a fresh store per test
 * and, where the store is shared, a second instance over the same data.
 */
public abstract class GovernanceMetricsStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-02T10:15:00Z");
  protected static final TenantId T1 = TenantId.of("t1");
  protected static final TenantId T2 = TenantId.of("t2");
  private static final EmailAddress ADA = EmailAddress.of("ada@example.com");

  protected GovernanceMetricsStore store;

  /** A new, empty store. */
  protected abstract GovernanceMetricsStore newStore();

  /** Another instance over the same data as the last {@link #newStore()}; itself in memory. */
  protected GovernanceMetricsStore secondInstance() {
    return store;
  }

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  private static Increment inc(TenantId t, String id, Counter c, Instant at) {
    return Increment.of(t, id, c, at);
  }

  private MetricCounts day(MetricsKey key, Instant at) {
    return store.counts(
        key,
        Granularity.DAY,
        Granularity.DAY.start(at),
        Granularity.DAY.start(at).plus(Duration.ofDays(1)));
  }

  @Test
  void countsEachCounterInItsHourAndDayBuckets() {
    int n =
        store.add(
            List.of(
                inc(T1, "e1", Counter.PROCESSED, T0),
                inc(T1, "e2", Counter.DELIVERED, T0.plusSeconds(60)),
                inc(T1, "e3", Counter.HARD_BOUNCE, T0.plusSeconds(3600)),
                inc(T1, "e4", Counter.SPAM_REPORT, T0),
                new Increment(T1, "e5", Optional.empty(), Counter.PROCESSED, true, T0)));
    assertThat(n).isEqualTo(5);
    MetricCounts d = day(MetricsKey.of(T1), T0);
    assertThat(d).isEqualTo(new MetricCounts(2, 1, 1, 0, 0, 1, 0, 0, 1));
    Instant hour = Granularity.HOUR.start(T0);
    assertThat(store.counts(MetricsKey.of(T1), Granularity.HOUR, hour, hour.plusSeconds(3600)))
        .isEqualTo(new MetricCounts(2, 1, 0, 0, 0, 1, 0, 0, 1));
    assertThat(
            store.counts(
                MetricsKey.of(T1),
                Granularity.HOUR,
                hour.plusSeconds(3600),
                hour.plusSeconds(7200)))
        .isEqualTo(new MetricCounts(0, 0, 1, 0, 0, 0, 0, 0, 0));
  }

  @Test
  void anEventCountsOnceHoweverOftenItIsAddedAndBySeveralInstances() {
    assertThat(store.add(inc(T1, "e1", Counter.DELIVERED, T0))).isTrue();
    assertThat(store.add(inc(T1, "e1", Counter.DELIVERED, T0))).isFalse();
    assertThat(
            secondInstance()
                .add(
                    List.of(
                        inc(T1, "e1", Counter.DELIVERED, T0),
                        inc(T1, "e2", Counter.DELIVERED, T0))))
        .isEqualTo(1);
    // the same event id under another tenant is another event; a repeat within one list counts once
    assertThat(
            store.add(
                List.of(
                    inc(T2, "e1", Counter.DELIVERED, T0), inc(T2, "e1", Counter.DELIVERED, T0))))
        .isEqualTo(1);
    assertThat(day(MetricsKey.of(T1), T0).delivered()).isEqualTo(2);
    assertThat(day(MetricsKey.of(T2), T0).delivered()).isEqualTo(1);
  }

  @Test
  void aWindowSumsTheBucketsThatStartInItOnly() {
    for (int d = 0; d < 9; d++) {
      store.add(inc(T1, "d" + d, Counter.DELIVERED, T0.minus(Duration.ofDays(d))));
    }
    Instant to = Granularity.DAY.start(T0).plus(Duration.ofDays(1));
    assertThat(
            store
                .counts(MetricsKey.of(T1), Granularity.DAY, to.minus(Duration.ofDays(7)), to)
                .delivered())
        .isEqualTo(7);
    assertThat(MetricWindow.SEVEN_DAYS.read(store, MetricsKey.of(T1), T0).delivered()).isEqualTo(7);
    assertThat(MetricWindow.SPIKE_24H.read(store, MetricsKey.of(T1), T0).delivered()).isEqualTo(1);
  }

  @Test
  void poolsAreCountedAloneAndWithTheTenant() {
    store.add(
        List.of(
            new Increment(T1, "a", Optional.of("shared-1"), Counter.DELIVERED, false, T0),
            new Increment(T2, "b", Optional.of("shared-1"), Counter.DELIVERED, false, T0),
            new Increment(T2, "c", Optional.of("warmup"), Counter.BLOCKED, false, T0)));
    assertThat(day(MetricsKey.pool("shared-1"), T0).delivered()).isEqualTo(2);
    assertThat(day(MetricsKey.of(T2, "shared-1"), T0).delivered()).isEqualTo(1);
    assertThat(day(MetricsKey.of(T2), T0)).isEqualTo(new MetricCounts(0, 1, 0, 1, 0, 0, 0, 0, 0));
    assertThat(day(MetricsKey.pool("warmup"), T0).blocked()).isEqualTo(1);
    assertThat(day(MetricsKey.pool("nowhere"), T0)).isEqualTo(MetricCounts.ZERO);
  }

  @Test
  void instancesAddingAtOnceLoseNoCount() {
    int threads = 4;
    int each = 150;
    List<Integer> added =
        Concurrently.run(
            threads,
            t -> {
              GovernanceMetricsStore s = t % 2 == 0 ? store : secondInstance();
              int n = 0;
              for (int k = 0; k < each; k += 10) {
                List<Increment> batch = new ArrayList<>();
                for (int j = k; j < k + 10; j++) {
                  batch.add(inc(T1, "t" + t + "-" + j, Counter.DELIVERED, T0));
                  // every thread also adds the same shared events: each counts once
                  batch.add(inc(T1, "shared-" + j, Counter.PROCESSED, T0));
                }
                n += s.add(batch);
              }
              return n;
            });
    assertThat(added.stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * each + each);
    MetricCounts d = day(MetricsKey.of(T1), T0);
    assertThat(d.delivered()).isEqualTo(threads * each);
    assertThat(d.processed()).isEqualTo(each);
  }

  @Test
  void recipientActivityKeepsTheFirstSendAndTheLatestEngagement() {
    store.touch(List.of(new ActivityTouch(T1, ADA, false, T0)));
    store.touch(
        List.of(
            new ActivityTouch(T1, ADA, false, T0.plusSeconds(50)),
            new ActivityTouch(T1, ADA, true, T0.plusSeconds(100)),
            new ActivityTouch(T1, ADA, true, T0.plusSeconds(70))));
    store.touch(List.of(new ActivityTouch(T1, ADA, true, T0.plusSeconds(100))));
    assertThat(secondInstance().activity(T1, List.of(ADA)))
        .containsEntry(ADA, new RecipientActivity(T0, Optional.of(T0.plusSeconds(100))));
    assertThat(store.activity(T2, List.of(ADA))).isEmpty();
    assertThat(store.eraseAddress(T1, ADA)).isTrue();
    assertThat(store.activity(T1, List.of(ADA))).isEmpty();
    assertThat(store.eraseAddress(T1, ADA)).isFalse();
  }

  @Test
  void purgeRemovesOldBucketsOnly() {
    store.add(inc(T1, "old", Counter.DELIVERED, T0.minus(Duration.ofDays(2))));
    store.add(inc(T1, "new", Counter.DELIVERED, T0));
    Instant cutoff = Granularity.DAY.start(T0).minus(Duration.ofDays(1));
    assertThat(store.purgeBefore(Granularity.DAY, cutoff, 1000)).isEqualTo(1);
    assertThat(store.purgeBefore(Granularity.HOUR, cutoff, 1000)).isEqualTo(1);
    Instant to = Granularity.DAY.start(T0).plus(Duration.ofDays(1));
    assertThat(
            store
                .counts(MetricsKey.of(T1), Granularity.DAY, to.minus(Duration.ofDays(7)), to)
                .delivered())
        .isEqualTo(1);
  }

  @Test
  void purgedMarksNoLongerHoldRepeatsBackButKeptOnesDo() {
    Instant old = T0.minus(Duration.ofDays(5));
    store.add(inc(T1, "old", Counter.DELIVERED, old));
    store.add(inc(T1, "new", Counter.DELIVERED, T0));
    assertThat(store.purgeMarksBefore(Granularity.DAY.start(T0), 1000)).isEqualTo(1);
    assertThat(store.add(inc(T1, "new", Counter.DELIVERED, T0))).isFalse();
    assertThat(store.add(inc(T1, "old", Counter.DELIVERED, old))).isTrue();
  }

  /**
   * A cutoff after the storable range forgets a mark made at its last instant, as memory does; the
   * JDBC store clamped the cutoff onto that instant and, deleting before it, kept the mark. (A
   * tenant per end: the in-memory ring of days would not hold 1677 beside 2262.)
   */
  @Test
  void aCutoffBeyondTheStorableRangeForgetsTheMarksAtItsEnds() {
    Instant first = dev.steward.model.StoreLimits.MIN_INSTANT;
    Instant last = dev.steward.model.StoreLimits.MAX_INSTANT;
    assertThat(store.add(inc(T1, "first", Counter.DELIVERED, first))).isTrue();
    assertThat(store.add(inc(T2, "last", Counter.DELIVERED, last))).isTrue();

    assertThat(store.purgeMarksBefore(Instant.MIN, 1000)).isZero();
    assertThat(store.purgeMarksBefore(first, 1000)).isZero();
    assertThat(store.purgeMarksBefore(last, 1000)).isEqualTo(1);
    assertThat(store.add(inc(T2, "last", Counter.DELIVERED, last))).isFalse();
    assertThat(secondInstance().purgeMarksBefore(Instant.MAX, 1000)).isEqualTo(1);
    assertThat(store.add(inc(T2, "last", Counter.DELIVERED, last))).isTrue();
  }

  @Test
  void bucketsDatedAheadTakeNothingFromThePresent() {
    // three events dated far ahead (a forged or skewed time): they count in buckets of their own
    for (int d : new int[] {10, 16, 40}) {
      store.add(inc(T1, "ahead" + d, Counter.DELIVERED, T0.plus(Duration.ofDays(d))));
    }
    for (int d = 0; d < 7; d++) {
      store.add(inc(T1, "d" + d, Counter.DELIVERED, T0.minus(Duration.ofDays(d))));
    }
    store.add(inc(T1, "late", Counter.DELIVERED, T0));
    assertThat(MetricWindow.SEVEN_DAYS.read(store, MetricsKey.of(T1), T0).delivered()).isEqualTo(8);
    assertThat(MetricWindow.SPIKE_24H.read(store, MetricsKey.of(T1), T0).delivered()).isEqualTo(2);
    assertThat(day(MetricsKey.of(T1), T0.plus(Duration.ofDays(16))).delivered()).isEqualTo(1);
  }

  @Test
  void anEventIdCountsOncePerTenantWhateverTimeItsRepeatCarries() {
    assertThat(store.add(inc(T1, "e1", Counter.SPAM_REPORT, T0))).isTrue();
    assertThat(store.add(inc(T1, "e1", Counter.SPAM_REPORT, T0.plus(Duration.ofDays(3)))))
        .isFalse();
    assertThat(store.add(inc(T1, "e1", Counter.SPAM_REPORT, T0.minus(Duration.ofDays(20)))))
        .isFalse();
    assertThat(store.add(inc(T2, "e1", Counter.SPAM_REPORT, T0))).isTrue();
    assertThat(day(MetricsKey.of(T1), T0.plus(Duration.ofDays(3)))).isEqualTo(MetricCounts.ZERO);
  }

  @Test
  void erasingATenantForgetsItsMarksOnly() {
    store.add(List.of(inc(T1, "a", Counter.DELIVERED, T0), inc(T2, "a", Counter.DELIVERED, T0)));
    store.eraseTenant(T1);
    assertThat(store.add(inc(T1, "a", Counter.DELIVERED, T0))).isTrue();
    assertThat(store.add(inc(T2, "a", Counter.DELIVERED, T0))).isFalse();
    assertThat(day(MetricsKey.of(T1), T0).delivered()).isEqualTo(1);
  }

  @Test
  void aTombstoneKeepsEventsOfBeforeTheErasureFromRebuildingTheTenant() {
    store.add(inc(T1, "a", Counter.DELIVERED, T0));
    store.touch(List.of(new ActivityTouch(T1, ADA, true, T0)));
    Instant erasedAt = T0.plusSeconds(600);

    assertThat(secondInstance().eraseTenant(T1, erasedAt)).isEqualTo(2);

    // late: accepted before the erasure, applied after it; and a replay of the erased event
    assertThat(
            store.add(
                List.of(
                    inc(T1, "late", Counter.SPAM_REPORT, erasedAt),
                    inc(T1, "a", Counter.DELIVERED, T0),
                    inc(T2, "other", Counter.DELIVERED, T0))))
        .isEqualTo(1);
    store.touch(List.of(new ActivityTouch(T1, ADA, false, T0.plusSeconds(1))));
    assertThat(day(MetricsKey.of(T1), T0)).isEqualTo(MetricCounts.ZERO);
    assertThat(store.activity(T1, List.of(ADA))).isEmpty();
    assertThat(day(MetricsKey.of(T2), T0).delivered()).isEqualTo(1);

    // the tenant comes back: what happens after the erasure counts
    Instant later = erasedAt.plusNanos(1000);
    assertThat(secondInstance().add(inc(T1, "new", Counter.DELIVERED, later))).isTrue();
    store.touch(List.of(new ActivityTouch(T1, ADA, false, later)));
    assertThat(day(MetricsKey.of(T1), later).delivered()).isEqualTo(1);
    assertThat(store.activity(T1, List.of(ADA))).containsOnlyKeys(ADA);

    // an erasure again, earlier in time, keeps the later tombstone
    store.eraseTenant(T1, T0);
    assertThat(store.add(inc(T1, "late-2", Counter.DELIVERED, erasedAt))).isFalse();
    // purged with the marks, by its time: then nothing is refused any more
    store.purgeMarksBefore(erasedAt.plus(Duration.ofDays(1)), 1000);
    assertThat(store.add(inc(T1, "late-3", Counter.DELIVERED, erasedAt))).isTrue();
  }

  @Test
  void eraseWithATombstoneRefusesNullsLikeTheRest() {
    assertThatThrownBy(() -> store.eraseTenant(T1, null))
        .isInstanceOf(InvalidGovernanceException.class);
    assertThatThrownBy(() -> store.eraseTenant(null, T0))
        .isInstanceOf(InvalidGovernanceException.class);
  }

  @Test
  void erasingATenantLeavesOthers() {
    store.add(List.of(inc(T1, "a", Counter.DELIVERED, T0), inc(T2, "b", Counter.DELIVERED, T0)));
    store.touch(
        List.of(new ActivityTouch(T1, ADA, false, T0), new ActivityTouch(T2, ADA, false, T0)));
    assertThat(store.eraseTenant(T1)).isEqualTo(2); // its hour and day buckets
    assertThat(day(MetricsKey.of(T1), T0)).isEqualTo(MetricCounts.ZERO);
    assertThat(day(MetricsKey.of(T2), T0).delivered()).isEqualTo(1);
    assertThat(store.activity(T1, List.of(ADA))).isEmpty();
    assertThat(store.activity(T2, List.of(ADA))).hasSize(1);
    assertThat(store.eraseTenant(T1)).isZero();
  }

  @Test
  void badInputIsRefusedWithTheSameExceptionBeforeAnythingIsWritten() {
    List<Increment> withNull = new ArrayList<>();
    withNull.add(inc(T1, "ok", Counter.DELIVERED, T0));
    withNull.add(null);
    assertThatThrownBy(() -> store.add(withNull)).isInstanceOf(InvalidGovernanceException.class);
    assertThat(day(MetricsKey.of(T1), T0)).isEqualTo(MetricCounts.ZERO);
    assertThatThrownBy(() -> store.counts(null, Granularity.DAY, T0, T0))
        .isInstanceOf(InvalidGovernanceException.class);
    assertThatThrownBy(() -> store.purgeBefore(Granularity.DAY, T0, 0))
        .isInstanceOf(InvalidGovernanceException.class);
    assertThatThrownBy(() -> store.eraseTenant(null))
        .isInstanceOf(InvalidGovernanceException.class);
    assertThatThrownBy(() -> inc(T1, "", Counter.DELIVERED, T0))
        .isInstanceOf(InvalidGovernanceException.class)
        .hasMessageContaining("event id");
    assertThatThrownBy(() -> new Increment(T1, "x", Optional.empty(), Counter.DELIVERED, true, T0))
        .isInstanceOf(InvalidGovernanceException.class)
        .hasMessageContaining("only a PROCESSED");
    assertThatThrownBy(() -> MetricsKey.pool(""))
        .isInstanceOf(InvalidGovernanceException.class)
        .hasMessageContaining("pool name");
  }
}
