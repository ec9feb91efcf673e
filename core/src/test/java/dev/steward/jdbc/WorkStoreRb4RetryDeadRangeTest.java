package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.Completion;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.InvalidWorkException;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkState;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile review (rb4), found by the work store differential: retrying a DEAD item at an instant
 * beyond the storable range. The JDBC store refused it with its own InvalidStoreInputException
 * whatever the key; the in-memory store answered false for a key that was not DEAD and threw only
 * for a DEAD one. Bad input is refused before anything is read, by every store, with the work
 * store's InvalidWorkException (as the contract's other refusals are).
 */
class WorkStoreRb4RetryDeadRangeTest {
  private static final TestDatabase DB = TestDatabase.h2(WorkStoreRb4RetryDeadRangeTest.class);
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final TenantId TENANT = TenantId.of("t1");

  static Stream<Arguments> stores() {
    Supplier<WorkStore> memory = () -> InMemoryWorkStore.of(SettableClock.of(T0));
    Supplier<WorkStore> h2 =
        () -> {
          DB.clear();
          return JdbcWorkStore.of(DB.dataSource());
        };
    Supplier<WorkStore> postgres =
        () -> {
          TestDatabase pg = TestDatabase.postgres();
          pg.clear();
          return JdbcWorkStore.of(pg.dataSource());
        };
    return Stream.of(
        Arguments.of("in memory", memory),
        Arguments.of("H2", h2),
        Arguments.of("PostgreSQL", postgres));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void anInstantBeyondTheStorableRangeIsRefusedWhateverTheKey(
      String name, Supplier<WorkStore> stores) {
    WorkStore store = stores.get();
    WorkKey ready = WorkKey.of(TENANT, "k.a", "ready");
    WorkKey dead = WorkKey.of(TENANT, "k.a", "dead");
    store.schedule(WorkItem.builder(ready).dueAt(T0.plusSeconds(60)).build(), IfExists.KEEP);
    store.schedule(WorkItem.builder(dead).dueAt(T0).build(), IfExists.KEEP);
    List<ClaimedWork> claimed = store.claim(ClaimRequest.of(T0, 10, "o1", Duration.ofMinutes(5)));
    assertThat(claimed).hasSize(1);
    store.complete(List.of(new Completion.Dead(claimed.get(0).lease(), "gave up")));

    for (WorkKey k : List.of(WorkKey.of(TENANT, "k.a", "absent"), ready, dead)) {
      for (Instant beyond : List.of(Instant.MAX, StoreLimits.MAX_INSTANT.plusNanos(1))) {
        assertThatThrownBy(() -> store.retryDead(k, beyond))
            .as("%s at %s", k, beyond)
            .isInstanceOf(InvalidWorkException.class)
            .hasMessageContaining("outside the storable range");
      }
    }
    assertThat(store.find(dead).orElseThrow().state()).isEqualTo(WorkState.DEAD);
    assertThat(store.retryDead(dead, StoreLimits.MAX_INSTANT)).isTrue();
    assertThat(store.find(dead).orElseThrow().dueAt()).isEqualTo(StoreLimits.MAX_INSTANT);
  }
}
