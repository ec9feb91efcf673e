package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkItem;
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
 * Hostile review (rb4), found by the work store differential run on PostgreSQL: a lease that lapses
 * while its own claim is still running (shorter than the claim's statements take). PostgreSQL
 * judges leases by the clock as each statement runs, so the claim's later statement (the fill after
 * the tenants' fair shares) found the rows its earlier one had leased lapsed already, leased them
 * again and answered them twice: one item handed twice to one runner, run twice at once. A claim
 * answers each item once.
 */
class WorkStoreRb4LapseInClaimTest {
  private static final TestDatabase H2 = TestDatabase.h2(WorkStoreRb4LapseInClaimTest.class);
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  static Stream<Arguments> stores() {
    Supplier<WorkStore> memory = () -> InMemoryWorkStore.of(SettableClock.of(T0));
    return Stream.of(
        Arguments.of("in memory", memory),
        Arguments.of("H2", jdbc(H2)),
        Arguments.of("PostgreSQL", jdbc(TestDatabase.postgres())));
  }

  private static Supplier<WorkStore> jdbc(TestDatabase db) {
    return () -> {
      db.clear();
      return JdbcWorkStore.of(db.dataSource());
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aClaimAnswersEachItemOnceEvenIfItsLeaseLapsesMeanwhile(
      String name, Supplier<WorkStore> stores) {
    WorkStore store = twoItemsForEachOfThreeTenants(stores.get());

    List<ClaimedWork> claimed = store.claim(ClaimRequest.of(T0, 10, "o1", Duration.ofNanos(1)));

    List<String> keys = claimed.stream().map(c -> c.item().key().toString()).toList();
    assertThat(keys).doesNotHaveDuplicates().hasSize(6);
  }

  /**
   * The claim's fill statement, after one item for each tenant's share, must lease an item no
   * earlier statement took: 4 of the 6 asked for and free, 4 answered. Dropping repeated answers
   * after the statements ran (the first fix) answered 3 here: the fill had leased an item of the
   * first share again instead of a fourth one.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aClaimWhoseLeaseLapsesMeanwhileStillFillsItsRoomWithOtherItems(
      String name, Supplier<WorkStore> stores) {
    WorkStore store = twoItemsForEachOfThreeTenants(stores.get());

    List<ClaimedWork> claimed = store.claim(ClaimRequest.of(T0, 4, "o1", Duration.ofNanos(1)));

    List<String> keys = claimed.stream().map(c -> c.item().key().toString()).toList();
    assertThat(keys).doesNotHaveDuplicates().hasSize(4);
  }

  private static WorkStore twoItemsForEachOfThreeTenants(WorkStore store) {
    for (String tenant : List.of("t1", "t2", "t3")) {
      for (int i = 0; i < 2; i++) {
        store.schedule(
            WorkItem.builder(TenantId.of(tenant), "k.a", "i" + i).dueAt(T0).build(), IfExists.KEEP);
      }
    }
    return store;
  }
}
