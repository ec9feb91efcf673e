package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.ippool.InMemoryPoolAssignmentStore;
import dev.steward.ippool.PoolAssignmentStore;
import dev.steward.ippool.PoolErasureRetention;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The pool erasure tombstones are purged {@link PoolErasureRetention#ERASURES_KEPT} after their
 * erasure, by the retention work {@link Steward} registers, on memory, H2 and PostgreSQL.
 */
class PoolErasureRetentionTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:15:00Z");
  private static final TenantId OLD = TenantId.of("erased-long-ago");
  private static final TenantId RECENT = TenantId.of("erased-recently");

  private static void assertPurgedAfterRetention(PoolAssignmentStore store) {
    SettableClock clock = SettableClock.of(T0);
    PoolErasureRetention retention = PoolErasureRetention.of(store, clock);
    store.eraseTenant(OLD, T0);
    store.eraseTenant(RECENT, T0.plus(Duration.ofDays(20)));

    clock.set(T0.plus(PoolErasureRetention.ERASURES_KEPT));
    assertThat(retention.purge(100)).as("nothing older than 30 days yet").isZero();
    clock.set(T0.plus(PoolErasureRetention.ERASURES_KEPT).plusSeconds(1));
    assertThat(retention.purge(100)).isEqualTo(1);
    assertThat(store.erasedAt(OLD, clock.instant())).isEmpty();
    assertThat(store.erasedAt(RECENT, clock.instant())).contains(T0.plus(Duration.ofDays(20)));
  }

  @Test
  void inMemory() {
    assertPurgedAfterRetention(InMemoryPoolAssignmentStore.of());
  }

  @Test
  void onH2() {
    TestDatabase db = TestDatabase.h2(PoolErasureRetentionTest.class);
    db.clear();
    assertPurgedAfterRetention(JdbcPoolAssignmentStore.of(db.dataSource()));
  }

  @Test
  void onPostgres() {
    TestDatabase db = TestDatabase.postgres();
    db.clear();
    assertPurgedAfterRetention(JdbcPoolAssignmentStore.of(db.dataSource()));
  }

  @Test
  void stewardRunsThePurgeAsDueWorkOnPostgres() {
    TestDatabase db = TestDatabase.postgres();
    db.clear();
    SettableClock clock = SettableClock.of(T0);
    Steward steward =
        Steward.builder(clock)
            .stores(JdbcStores.of(db.dataSource()))
            .transport(RecordingTransport.of())
            .build();
    PoolAssignmentStore pools = steward.stores().poolAssignments();
    pools.eraseTenant(OLD, T0);
    clock.set(T0.plus(PoolErasureRetention.ERASURES_KEPT).plus(Duration.ofDays(2)));
    steward.runDue();
    assertThat(pools.erasedAt(OLD, clock.instant())).isEmpty();
  }
}
