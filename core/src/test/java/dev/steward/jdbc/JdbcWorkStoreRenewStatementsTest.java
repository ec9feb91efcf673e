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
  }
}
