package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hostile review (rb3): three instances drain one PostgreSQL batch run at once (never tried before:
 * two were), each claiming small batches of a cadence's steps so that their batches interleave on
 * the same journey, the same calendar and the same analytics: every due step ran exactly once in
 * effect and no message left twice.
 */
class BatchRb3ThreeInstancesPostgresTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final int N = 150;

  @Test
  void threeInstancesDrainingOneBatchRunTogetherSendEachMessageOnceAndStoreEachStepOnce()
      throws Exception {
    DB.clear();
    CadenceStewards world = new CadenceStewards();
    List<Steward> instances = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      instances.add(world.instance(DB.dataSource(), "instance-" + i, 20));
    }
    List<String> ids = CadenceStewards.enrol(instances.get(0), N);

    drainTogether(instances);
    assertThat(world.left).as("the first sends").hasSize(N);
    world.clock.set(world.clock.instant().plus(Duration.ofDays(1)).plusSeconds(1));
    drainTogether(instances);

    world.assertEveryRunSentBothOnce(instances.get(2), DB.dataSource(), ids, false);
  }

  /** Every instance runs due work at once until none of them finds any. */
  private static void drainTogether(List<Steward> instances) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(instances.size());
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> runs = new ArrayList<>();
      for (Steward s : instances) {
        runs.add(
            pool.submit(
                () -> {
                  start.await();
                  int total = 0;
                  for (int n = s.runDue(); n > 0; n = s.runDue()) {
                    total += n;
                  }
                  return total;
                }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : runs) {
        total += f.get(60, TimeUnit.SECONDS);
      }
      assertThat(total).as("items run").isPositive();
      // an instance may stop while another still holds a claim it gave up: drain what is left
      for (Steward s : instances) {
        while (s.runDue() > 0) {
          // until none is due
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
