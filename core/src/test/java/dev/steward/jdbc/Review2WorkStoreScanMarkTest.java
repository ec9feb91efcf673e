package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Second review: the claim's scan mark. Items due before the mark must still be claimed "at least
 * every FULL_SCAN_EVERY claims" (JdbcWorkStore#claimFrom's javadoc), as the in-memory store does.
 */
class Review2WorkStoreScanMarkTest {
  private static final TestDatabase DB = TestDatabase.h2(Review2WorkStoreScanMarkTest.class);
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  /** Two tenants with backlogs; claims of 2 (a share of 1 each); one late-scheduled early item. */
  private static boolean lateEarlyItemClaimedWithin(WorkStore store, int claims) {
    List<WorkItem> items = new ArrayList<>();
    for (String t : List.of("tenant-a", "tenant-b")) {
      for (int i = 0; i < 400; i++) {
        items.add(
            WorkItem.builder(TenantId.of(t), "k", "i" + i).dueAt(T0.plusSeconds(100 + i)).build());
      }
    }
    store.scheduleAll(items, IfExists.KEEP);
    Instant now = T0.plusSeconds(10_000);
    ClaimRequest req = new ClaimRequest(now, 2, "me", Duration.ofMinutes(10), Set.of());
    store.claim(req); // sets the marks: the lanes are full
    // an item of tenant-a due before its lane's mark (scheduled in the past, or a lapsed lease)
    store.schedule(
        WorkItem.builder(TenantId.of("tenant-a"), "k", "early").dueAt(T0.plusSeconds(1)).build(),
        IfExists.KEEP);
    for (int n = 0; n < claims; n++) {
      for (ClaimedWork w : store.claim(req)) {
        if (w.item().key().id().equals("early")) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void anItemDueBeforeTheMarkIsClaimedWithinFullScanEveryClaimsAsInMemory() {
    assertThat(lateEarlyItemClaimedWithin(InMemoryWorkStore.of(java.time.Clock.systemUTC()), 1))
        .isTrue();
    DB.clear();
    // three times the promised bound: the tenant's lane is only ever counted on odd numbers
    assertThat(
            lateEarlyItemClaimedWithin(
                JdbcWorkStore.of(DB.dataSource()), 3 * JdbcWorkStore.FULL_SCAN_EVERY))
        .as("the early item of tenant-a is claimed within %d claims", 3 * 64)
        .isTrue();
  }
}
