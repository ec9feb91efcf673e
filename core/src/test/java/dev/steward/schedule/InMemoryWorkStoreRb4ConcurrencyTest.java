package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile review (rb4): threads hammer one rewritten in-memory work store at once, claiming in
 * small batches under their own owners, completing (done, rescheduled, retried), while one more
 * erases a tenant and lets a crashed runner's leases lapse. No item is held by two owners at once,
 * every item of the tenants kept is done exactly once (none lost, none done twice), and the erased
 * tenant's items are done at most once and gone.
 */
class InMemoryWorkStoreRb4ConcurrencyTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final TenantId KEPT = TenantId.of("kept");
  private static final TenantId ERASED = TenantId.of("erased");
  private static final List<TenantId> TENANTS = List.of(KEPT, Recurring.SYSTEM_TENANT, ERASED);
  private static final int PER_TENANT = 200;
  private static final int WORKERS = 4;
  private static final Duration HELD = Duration.ofMinutes(10);

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void noItemIsHeldTwiceLostOrDoneTwice(long seed) {
    SettableClock clock = SettableClock.of(T0);
    InMemoryWorkStore store = InMemoryWorkStore.of(clock);
    for (TenantId t : TENANTS) {
      for (int i = 0; i < PER_TENANT; i++) {
        store.schedule(
            WorkItem.builder(t, i % 2 == 0 ? "k.a" : "k.b", "i" + i)
                .subject("s" + i % 7)
                .dueAt(T0.plusMillis(i))
                .build(),
            IfExists.KEEP);
      }
    }
    // a runner that crashed holding a few items: they come back when its leases lapse
    List<ClaimedWork> crashed =
        store.claim(ClaimRequest.of(T0.plusSeconds(1), 6, "crashed", Duration.ofMinutes(1)));
    assertThat(crashed).hasSize(6);

    Map<WorkKey, String> holders = new ConcurrentHashMap<>();
    Map<WorkKey, AtomicInteger> done = new ConcurrentHashMap<>();
    Queue<String> violations = new ConcurrentLinkedQueue<>();
    AtomicInteger keptDone = new AtomicInteger();
    int keptItems = 2 * PER_TENANT;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Concurrently.run(
        WORKERS + 1,
        n -> {
          if (n == WORKERS) {
            Thread.yield();
            store.cancelTenant(ERASED);
            clock.advance(Duration.ofMinutes(2)); // the crashed runner's leases lapse
            return null;
          }
          Random r = new Random(seed * 31 + n);
          String owner = "o" + n;
          while (keptDone.get() < keptItems && System.nanoTime() < deadline) {
            List<ClaimedWork> claimed =
                store.claim(ClaimRequest.of(T0.plusSeconds(1), 1 + r.nextInt(4), owner, HELD));
            for (ClaimedWork c : claimed) {
              WorkKey k = c.item().key();
              String other = holders.putIfAbsent(k, owner);
              if (other != null) {
                violations.add(k + " claimed by " + owner + " while " + other + " held it");
              }
              Completion how =
                  switch (r.nextInt(4)) {
                    case 0 -> new Completion.Reschedule(c.lease(), T0, "{}");
                    case 1 -> new Completion.Retry(c.lease(), T0, "again");
                    default -> new Completion.Done(c.lease());
                  };
              holders.remove(k, owner); // before the completion: the item is leased until then
              List<Completion> applied = store.complete(List.of(how));
              if (applied.size() != 1 && !k.tenant().equals(ERASED)) {
                // an erased item's completion is refused; any other held lease's is applied
                violations.add(k + ": completion of a held lease not applied: " + how);
              } else if (how instanceof Completion.Done
                  && done.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet() == 1
                  && !k.tenant().equals(ERASED)) {
                keptDone.incrementAndGet();
              }
            }
          }
          return null;
        });

    assertThat(violations).isEmpty();
    List<String> twice = new ArrayList<>();
    done.forEach(
        (k, c) -> {
          if (c.get() > 1) {
            twice.add(k + " done " + c.get() + " times");
          }
        });
    assertThat(twice).isEmpty();
    assertThat(keptDone.get()).as("items of the kept tenants done").isEqualTo(keptItems);
    assertThat(store.count(WorkState.READY)).as("nothing left, the erased tenant's gone").isZero();
    assertThat(store.complete(List.of(new Completion.Done(crashed.get(0).lease()))))
        .as("the crashed runner's lapsed lease")
        .isEmpty();
  }
}
