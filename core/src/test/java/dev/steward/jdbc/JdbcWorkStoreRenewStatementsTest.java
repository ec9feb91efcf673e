package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.Lease;
import dev.steward.schedule.WorkItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcWorkStore#renew} runs one statement per chunk of leases, however many leases it
 * renews, and answers exactly those it extended.
 */
class JdbcWorkStoreRenewStatementsTest {
  private static final TestDatabase H2 = TestDatabase.h2(JdbcWorkStoreRenewStatementsTest.class);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration HELD = Duration.ofMinutes(10);
  private static final Comparator<Lease> KEY_ORDER =
      Comparator.comparing((Lease l) -> l.key().tenant().value())
          .thenComparing(l -> l.key().kind())
          .thenComparing(l -> l.key().id());

  abstract static class Checks {
    abstract TestDatabase db();

    private StatementCountingDataSource counted;
    private JdbcWorkStore store;

    @BeforeEach
    void fresh() {
      db().clear();
      counted = new StatementCountingDataSource(db().dataSource());
      store =
          new JdbcWorkStore(
              new Jdbc(counted, JdbcRetryPolicy.none()), JdbcWorkStore.DEFAULT_VACUUM_AFTER);
    }

    /** Claims {@code n} items of one tenant and one of another; their leases. */
    private List<Lease> claimed(String prefix, int n) {
      List<WorkItem> items = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        items.add(
            WorkItem.builder(
                    TenantId.of("t1"), "k", String.format(Locale.ROOT, "%s%03d", prefix, i))
                .dueAt(T0)
                .build());
      }
      items.add(WorkItem.builder(TenantId.of("t2"), "k", prefix + "other").dueAt(T0).build());
      store.scheduleAll(items, IfExists.KEEP);
      List<Lease> leases = new ArrayList<>();
      for (ClaimedWork c : store.claim(ClaimRequest.of(T0, 1000, "r1", HELD))) {
        if (c.item().key().id().startsWith(prefix)) {
          leases.add(c.lease());
        }
      }
      assertThat(leases).hasSize(n + 1);
      return leases;
    }

    @Test
    void renewingTenOrAHundredLeasesRunsOneStatementAndAnswersOnlyTheLeasesStillHeld() {
      for (int n : new int[] {10, 100}) {
        String prefix = "n" + n + "-";
        List<Lease> held = claimed(prefix, n);
        Lease cancelled = held.get(1);
        store.cancel(cancelled.key());
        Lease forged = new Lease(held.get(2).key(), "r1", held.get(2).token() + 1_000_003);
        Lease otherOwner = new Lease(held.get(3).key(), "r2", held.get(3).token());
        List<Lease> asked = new ArrayList<>(held);
        asked.add(forged);
        asked.add(otherOwner);

        counted.reset();
        List<Lease> renewed = store.renew(asked, HELD);

        assertThat(counted.executions.get()).as("%d leases", n).isEqualTo(1);
        List<Lease> live = new ArrayList<>(held);
        live.remove(cancelled);
        live.sort(KEY_ORDER);
        assertThat(renewed).as("%d leases", n).containsExactlyElementsOf(live);
      }
    }

    @Test
    void moreLeasesThanAChunkRunOneStatementPerChunkAndRenewEveryOne() {
      int n = JdbcWorkStore.RENEW_CHUNK + 10;
      List<Lease> held = claimed("c-", n);
      counted.reset();
      List<Lease> renewed = store.renew(held, HELD);
      assertThat(counted.executions.get()).isEqualTo(2);
      assertThat(renewed).hasSize(n + 1).containsExactlyInAnyOrderElementsOf(held);
    }
  }

  @Nested
  class OnH2 extends Checks {
    @Override
    TestDatabase db() {
      return H2;
    }
  }

  @Nested
  class OnPostgres extends Checks {
    @Override
    TestDatabase db() {
      return TestDatabase.postgres();
    }

    /**
     * Two instances renew the same leases in opposite orders while a third completes them in chunks
     * from the end: the set-based renewal locks in the key order as the completions do, so no
     * statement deadlocks (no retries here: a deadlock would fail the test), every answer holds
     * only leases still held, and once all are completed nothing is renewed.
     */
    @Test
    void twoInstancesRenewingWhileAThirdCompletesNeverDeadlockAndAnswerOnlyHeldLeases() {
      db().clear();
      List<JdbcWorkStore> instances = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        instances.add(
            new JdbcWorkStore(
                new Jdbc(db().dataSource(), JdbcRetryPolicy.none()),
                JdbcWorkStore.DEFAULT_VACUUM_AFTER));
      }
      List<WorkItem> items = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        items.add(
            WorkItem.builder(TenantId.of("t1"), "k", String.format(Locale.ROOT, "i%03d", i))
                .dueAt(T0)
                .build());
      }
      instances.get(0).scheduleAll(items, IfExists.KEEP);
      List<Lease> held = new ArrayList<>();
      instances
          .get(0)
          .claim(ClaimRequest.of(T0, 1000, "r1", HELD))
          .forEach(c -> held.add(c.lease()));
      assertThat(held).hasSize(120);
      // a lease enters completing before its completion is asked, completed once it is done
      java.util.Set<Lease> completing = java.util.concurrent.ConcurrentHashMap.newKeySet();
      java.util.Set<Lease> completed = java.util.concurrent.ConcurrentHashMap.newKeySet();

      dev.steward.testing.Concurrently.run(
          3,
          t -> {
            if (t == 2) {
              List<Lease> reversed = new ArrayList<>(held);
              java.util.Collections.reverse(reversed);
              for (int from = 0; from < reversed.size(); from += 10) {
                List<dev.steward.schedule.Completion> done = new ArrayList<>();
                for (Lease l : reversed.subList(from, from + 10)) {
                  done.add(new dev.steward.schedule.Completion.Done(l));
                }
                completing.addAll(reversed.subList(from, from + 10));
                assertThat(instances.get(2).complete(done)).hasSize(10);
                completed.addAll(reversed.subList(from, from + 10));
              }
              return null;
            }
            for (int r = 0; r < 30; r++) {
              List<Lease> asked = new ArrayList<>(held);
              if (t == 1) {
                java.util.Collections.reverse(asked);
              }
              java.util.Set<Lease> before = java.util.Set.copyOf(completed);
              List<Lease> renewed = instances.get(t).renew(asked, HELD);
              for (Lease l : before) {
                assertThat(renewed).as("completed, so no longer held").doesNotContain(l);
              }
              java.util.Set<Lease> after = java.util.Set.copyOf(completing);
              for (Lease l : held) {
                if (!after.contains(l)) {
                  assertThat(renewed).as("not completed, so still held").contains(l);
                }
              }
            }
            return null;
          });

      assertThat(instances.get(0).renew(held, HELD)).isEmpty();
    }
  }
}
