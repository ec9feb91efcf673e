package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The metrics store contract against the in-memory store, and its own races. */
class InMemoryGovernanceMetricsStoreTest extends GovernanceMetricsStoreContract {
  private static final int EVENTS = 200_500;

  @Override
  protected GovernanceMetricsStore newStore() {
    return InMemoryGovernanceMetricsStore.of();
  }

  /**
   * Erasures with a tombstone, mark purges that empty a tenant, and counting, all on one tenant at
   * once: nothing deadlocks (an erasure must not take a tenant's monitor inside the map's bin lock
   * while a purge holds the monitor and asks for the bin), and every event counted into a tenant
   * that was emptied and dropped meanwhile lands in its next one.
   */
  @Test
  void erasuresPurgesAndCountsOnOneTenantNeitherDeadlockNorLoseCounts() throws Exception {
    InMemoryGovernanceMetricsStore memory = InMemoryGovernanceMetricsStore.of();
    TenantId racing = TenantId.of("racing");
    TenantId counted = TenantId.of("counted");
    Instant old = T0.minus(Duration.ofDays(30));
    Instant cutoff = T0.minus(Duration.ofDays(1));
    Instant past = T0.minus(Duration.ofDays(3));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong added = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Future<?> eraser =
          pool.submit(
              () -> {
                while (!stop.get()) {
                  memory.eraseTenant(racing, old); // a tombstone the next purge clears
                }
              });
      Future<?> purger =
          pool.submit(
              () -> {
                while (!stop.get()) {
                  memory.purgeMarksBefore(cutoff, 1000);
                }
              });
      // the counted tenant's events are older than the purger's cutoff, so each mark purge empties
      // it of marks; its buckets keep it in the map until this thread purges them now and then,
      // and then the purger drops it while counts go on
      Future<?> counter =
          pool.submit(
              () -> {
                for (int k = 0; k < EVENTS; k++) {
                  if (memory.add(List.of(Increment.of(counted, "e" + k, Counter.DELIVERED, past)))
                      == 1) {
                    added.incrementAndGet();
                  }
                  if (k % 1000 == 999) {
                    memory.purgeBefore(Granularity.HOUR, cutoff, 10_000);
                    memory.purgeBefore(Granularity.DAY, cutoff, 10_000);
                  }
                }
              });
      counter.get(60, TimeUnit.SECONDS);
      stop.set(true);
      eraser.get(30, TimeUnit.SECONDS);
      purger.get(30, TimeUnit.SECONDS);
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
    assertThat(added.get()).isEqualTo(EVENTS);
    // what was counted after the last bucket purge is all there, whichever object it landed in
    assertThat(
            memory
                .counts(
                    MetricsKey.of(counted),
                    Granularity.DAY,
                    past.minus(Duration.ofDays(1)),
                    past.plus(Duration.ofDays(1)))
                .delivered())
        .isEqualTo(EVENTS % 1000);
  }
}
