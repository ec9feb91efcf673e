package dev.steward.review24w;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkItem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The in-memory work store compares due times as nanoseconds, and takes a claim's "now" beyond
 * their range as the range's end: items due at the first and last storable instants, claimed at
 * instants inside and beyond the range, are due exactly when their due time is not after now.
 */
class WorkStoreExtremeTimesTest {
  private static final TenantId T = TenantId.of("r24w");

  private static WorkItem item(String id, Instant due) {
    return WorkItem.builder(T, "kind", id).payload("{}").dueAt(due).build();
  }

  private static List<String> claimedAt(Instant now) {
    InMemoryWorkStore store =
        InMemoryWorkStore.of(Clock.fixed(Instant.parse("2026-11-28T05:00:00Z"), ZoneOffset.UTC));
    assertThat(store.schedule(item("first", StoreLimits.MIN_INSTANT), IfExists.KEEP)).isTrue();
    assertThat(store.schedule(item("epoch", Instant.EPOCH), IfExists.KEEP)).isTrue();
    assertThat(store.schedule(item("last", StoreLimits.MAX_INSTANT), IfExists.KEEP)).isTrue();
    return store.claim(ClaimRequest.of(now, 10, "me", Duration.ofMinutes(1))).stream()
        .map(ClaimedWork::item)
        .map(i -> i.key().id())
        .toList();
  }

  @Test
  void aClaimTakesExactlyTheItemsDueAtItsNow() {
    assertThat(claimedAt(StoreLimits.MIN_INSTANT)).containsExactly("first");
    assertThat(claimedAt(Instant.EPOCH)).containsExactly("first", "epoch");
    assertThat(claimedAt(StoreLimits.MAX_INSTANT)).containsExactly("first", "epoch", "last");
    assertThat(claimedAt(Instant.MAX)).containsExactly("first", "epoch", "last");
    assertThat(claimedAt(StoreLimits.MIN_INSTANT.minusNanos(1))).isEmpty();
    assertThat(claimedAt(Instant.MIN)).isEmpty();
  }
}
