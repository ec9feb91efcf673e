package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.AccountId;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link HealthHistoryStore} meets; subclass it with a fresh store per test (the
 * in-memory store here, a JDBC one in the JDBC module).
 */
public abstract class HealthHistoryStoreContract {
  protected static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");
  protected static final AccountId ACME = AccountId.of("acme");
  protected static final AccountId BETA = AccountId.of("beta");
  protected static final TenantId T1 = TenantId.of("t1");
  protected static final TenantId T2 = TenantId.of("t2");

  protected HealthHistoryStore store;

  /** A new, empty store. */
  protected abstract HealthHistoryStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  protected static HealthRecord rec(AccountId a, int day, double value) {
    return rec(T1, a, day, value);
  }

  protected static HealthRecord rec(TenantId t, AccountId a, int day, double value) {
    return new HealthRecord(
        t, a, T0.plus(Duration.ofDays(day)), ScoreStatus.SCORED, value, 0.9, "smb", 3, false);
  }

  @Test
  void historyIsOrderedAndHalfOpen() {
    store.append(rec(ACME, 2, 50));
    store.append(rec(ACME, 0, 70));
    store.append(rec(ACME, 1, 60));
    store.append(rec(BETA, 1, 10));
    List<HealthRecord> h = store.history(T1, ACME, T0, T0.plus(Duration.ofDays(2)));
    assertThat(h).extracting(HealthRecord::value).containsExactly(70.0, 60.0);
    assertThat(store.history(T1, ACME, T0.plus(Duration.ofDays(5)), T0.plus(Duration.ofDays(9))))
        .isEmpty();
  }

  /**
   * A range reaching after the storable range holds a record at its last instant, as memory does;
   * the JDBC store clamped 'to' onto that instant and, reading before it, missed the record.
   */
  @Test
  void aRangeBeyondTheStorableRangeHoldsTheRecordsAtItsEnds() {
    Instant first = StoreLimits.MIN_INSTANT;
    Instant last = StoreLimits.MAX_INSTANT;
    store.append(new HealthRecord(T1, ACME, first, ScoreStatus.SCORED, 10, 0.9, "smb", 3, false));
    store.append(new HealthRecord(T1, ACME, last, ScoreStatus.SCORED, 90, 0.9, "smb", 3, false));

    assertThat(store.history(T1, ACME, Instant.MIN, Instant.MAX))
        .extracting(HealthRecord::value)
        .containsExactly(10.0, 90.0);
    assertThat(store.history(T1, ACME, last, Instant.MAX))
        .extracting(HealthRecord::value)
        .containsExactly(90.0);
    assertThat(store.history(T1, ACME, first, last))
        .extracting(HealthRecord::value)
        .containsExactly(10.0);
    assertThat(store.history(T1, ACME, Instant.MIN, first)).isEmpty();
    assertThat(store.history(T1, ACME, last.plusNanos(1), Instant.MAX)).isEmpty();
  }

  @Test
  void recordsKeepEveryFieldIncludingTheScorecardVersion() {
    HealthRecord r =
        new HealthRecord(
            T1, ACME, T0.plusMillis(123), ScoreStatus.SCORED, 42.125, 0.75, "enterprise", 7, true);
    store.append(r);
    assertThat(store.latest(T1, ACME)).contains(r);
  }

  @Test
  void insufficientRecordsAreStoredWithoutAValue() {
    HealthRecord r =
        new HealthRecord(T1, ACME, T0, ScoreStatus.INSUFFICIENT, Double.NaN, 0.2, "smb", 1, false);
    store.append(r);
    HealthRecord back = store.latest(T1, ACME).orElseThrow();
    assertThat(back.status()).isEqualTo(ScoreStatus.INSUFFICIENT);
    assertThat(back.value()).isNaN();
    assertThat(back.coverage()).isEqualTo(0.2);
  }

  @Test
  void appendingAtTheSameTimeReplaces() {
    store.append(rec(ACME, 0, 70));
    store.append(rec(ACME, 0, 20));
    assertThat(store.history(T1, ACME, T0, T0.plusSeconds(1)))
        .extracting(HealthRecord::value)
        .containsExactly(20.0);
  }

  @Test
  void recentGivesTheLastNOldestFirst() {
    for (int d = 0; d < 5; d++) {
      store.append(rec(ACME, d, 10 * d));
    }
    assertThat(store.recent(T1, ACME, 3))
        .extracting(HealthRecord::value)
        .containsExactly(20.0, 30.0, 40.0);
    assertThat(store.recent(T1, ACME, 10)).hasSize(5);
    assertThat(store.recent(T1, BETA, 3)).isEmpty();
  }

  @Test
  void atOrBeforeFindsTheNewestNotLater() {
    store.append(rec(ACME, 0, 70));
    store.append(rec(ACME, 3, 40));
    assertThat(store.atOrBefore(T1, ACME, T0.plus(Duration.ofDays(2))).orElseThrow().value())
        .isEqualTo(70);
    assertThat(store.atOrBefore(T1, ACME, T0.plus(Duration.ofDays(3))).orElseThrow().value())
        .isEqualTo(40);
    assertThat(store.atOrBefore(T1, ACME, T0.minusSeconds(1))).isEmpty();
    assertThat(store.latest(T1, ACME).orElseThrow().value()).isEqualTo(40);
  }

  @Test
  void accountsAndErasure() {
    store.append(rec(ACME, 0, 70));
    store.append(rec(BETA, 0, 70));
    assertThat(store.accounts(T1)).containsExactlyInAnyOrder(ACME, BETA);
    assertThat(store.erase(T1, ACME)).isTrue();
    assertThat(store.erase(T1, ACME)).isFalse();
    assertThat(store.latest(T1, ACME)).isEmpty();
    assertThat(store.accounts(T1)).containsExactly(BETA);
  }

  @Test
  void concurrentAppendsAreAllKept() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    store.append(rec(ACME, thread * 50 + i, 50));
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.recent(T1, ACME, 1000)).hasSize(200);
  }

  @Test
  void theSameAccountUnderTwoTenantsIsTwoAccounts() {
    store.append(rec(T1, ACME, 0, 70));
    store.append(rec(T2, ACME, 0, 20));
    store.append(rec(T2, ACME, 1, 25));

    assertThat(store.history(T1, ACME, T0, T0.plus(Duration.ofDays(9))))
        .extracting(HealthRecord::value)
        .containsExactly(70.0);
    assertThat(store.recent(T2, ACME, 5))
        .extracting(HealthRecord::value)
        .containsExactly(20.0, 25.0);
    assertThat(store.latest(T1, ACME).orElseThrow().tenant()).isEqualTo(T1);
    assertThat(store.atOrBefore(T2, ACME, T0).orElseThrow().value()).isEqualTo(20);
    assertThat(store.accounts(T1)).containsExactly(ACME);
    assertThat(store.accounts(TenantId.of("t3"))).isEmpty();
  }

  @Test
  void aWriteUnderOneTenantNeverReplacesAnothersRecord() {
    store.append(rec(T1, ACME, 0, 70));
    store.append(rec(T2, ACME, 0, 20)); // same account and time, other tenant

    assertThat(store.latest(T1, ACME).orElseThrow().value()).isEqualTo(70);
    assertThat(store.latest(T2, ACME).orElseThrow().value()).isEqualTo(20);
  }

  @Test
  void erasingAnAccountUnderOneTenantLeavesTheOthers() {
    store.append(rec(T1, ACME, 0, 70));
    store.append(rec(T2, ACME, 0, 20));

    assertThat(store.erase(T1, ACME)).isTrue();

    assertThat(store.latest(T1, ACME)).isEmpty();
    assertThat(store.latest(T2, ACME)).isPresent();
  }

  @Test
  void eraseTenantRemovesAllOfOneTenantOnlyAndIsIdempotent() {
    store.append(rec(T1, ACME, 0, 70));
    store.append(rec(T1, ACME, 1, 60));
    store.append(rec(T1, BETA, 0, 50));
    store.append(rec(T2, ACME, 0, 20));

    assertThat(store.eraseTenant(T1)).isEqualTo(3);
    assertThat(store.eraseTenant(T1)).isZero();

    assertThat(store.accounts(T1)).isEmpty();
    assertThat(store.latest(T1, ACME)).isEmpty();
    assertThat(store.accounts(T2)).containsExactly(ACME);
    assertThat(store.latest(T2, ACME).orElseThrow().value()).isEqualTo(20);
  }

  @Test
  void nullArgumentsAreRefusedNamingThem() {
    assertThatThrownBy(() -> store.append(null))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("health record");
    assertThatThrownBy(() -> store.history(null, ACME, T0, T0.plusSeconds(1)))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> store.recent(T1, null, 1))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("account");
    assertThatThrownBy(() -> store.atOrBefore(T1, ACME, null))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("at");
    assertThatThrownBy(() -> store.recent(T1, ACME, -1))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("n must not be negative");
    assertThatThrownBy(() -> store.eraseTenant(null))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> rec(null, ACME, 0, 50))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("health record tenant");
  }
}
