package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile review (rb5) of the claim that keeps its own rows out in SQL (a lapsed row is leased
 * again only under another claim's token): three instances over one PostgreSQL, two threads each,
 * claim over and over with leases that lapse before the claim's own later statements run, so that
 * every row is free again to every claim but the ones that hold its row lock. No claim answers an
 * item twice, and none comes back short while more items are free than it has room for.
 */
class WorkStoreRb5ClaimInstancesPostgresTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final int TENANTS = 5;
  private static final int PER_TENANT = 20;
  private static final int ROOM = 16;

  @Test
  @Timeout(120)
  void claimsOfSeveralInstancesWithLapsingLeasesAnswerEachItemOnceAndFillTheirRoom()
      throws Exception {
    DB.clear();
    WorkStore first = JdbcWorkStore.of(DB.dataSource());
    for (int t = 0; t < TENANTS; t++) {
      for (int i = 0; i < PER_TENANT; i++) {
        first.schedule(
            WorkItem.builder(TenantId.of("t" + t), "k.a", "i" + i).dueAt(T0).build(),
            IfExists.KEEP);
      }
    }
    List<WorkStore> instances =
        List.of(first, JdbcWorkStore.of(DB.dataSource()), JdbcWorkStore.of(DB.dataSource()));
    ExecutorService pool = Executors.newFixedThreadPool(2 * instances.size());
    try {
      List<Future<List<String>>> runs = new ArrayList<>();
      for (WorkStore store : instances) {
        for (int thread = 0; thread < 2; thread++) {
          String owner = "o" + runs.size();
          runs.add(pool.submit(() -> claimOverAndOver(store, owner)));
        }
      }
      for (Future<List<String>> run : runs) {
        assertThat(run.get(100, TimeUnit.SECONDS)).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** What went wrong in 100 claims of one owner: a claim's repeated or missing items. */
  private static List<String> claimOverAndOver(WorkStore store, String owner) {
    List<String> wrong = new ArrayList<>();
    for (int n = 0; n < 100; n++) {
      List<ClaimedWork> got = store.claim(ClaimRequest.of(T0, ROOM, owner, Duration.ofNanos(1)));
      List<String> keys = got.stream().map(w -> w.item().key().toString()).toList();
      if (keys.stream().distinct().count() != keys.size()) {
        wrong.add("claim " + n + " of " + owner + " answered an item twice: " + keys);
      }
      // at most 5 other claims hold row locks, on at most 5 * ROOM of the 100 items
      if (keys.size() < ROOM) {
        wrong.add("claim " + n + " of " + owner + " answered " + keys.size() + " of " + ROOM);
      }
    }
    return wrong;
  }
}
