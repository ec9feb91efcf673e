package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.calendar.CalendarEntry;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.Completion;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.Lease;
import dev.steward.schedule.WorkItem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile review (rb5) of the lock order of the statements pg5 rewrote: two writes of the same rows
 * must lock them in one order, or they deadlock. PostgreSQL's renewal locks its rows ordered by the
 * key columns, which are {@code COLLATE "C"} (code point order); a completion locked them in Java's
 * order of UTF-16 units, and one type of completion after another; the calendar's batch write
 * upserts in the order of its list. Each case holds the first row of one write in a third session
 * until the second write waits too, then lets go; retries are off, so a deadlock shows.
 */
class Rb5LockOrderPostgresTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final TenantId T = TenantId.of("t1");
  private static final String FULLWIDTH_A = "\uFF21"; // first in code point order
  private static final String GRINNING = "\uD83D\uDE00"; // first in Java's String order

  @Test
  @Timeout(60)
  void aRenewalAndACompletionOfTheSameLeasesLockInOneOrder() throws Exception {
    // the completion takes every row it comes to before the held one, then waits for it
    assertThat(
            renewWhileCompleting(FULLWIDTH_A, GRINNING, Completion.Done::new, Completion.Done::new))
        .containsExactly(2, 2);
  }

  /**
   * A completion of two types locks the rows of one type, then those of the next: the first type's
   * row comes first whatever the key order, so a renewal of the same two leases deadlocked with it.
   */
  @Test
  @Timeout(60)
  void aRenewalAndACompletionOfTwoTypesOfTheSameLeasesLockInOneOrder() throws Exception {
    String first = "i1";
    String second = "i2";
    assertThat(
            renewWhileCompleting(
                first, second, l -> new Completion.Retry(l, T0, "again"), Completion.Done::new))
        .containsExactly(2, 2);
  }

  /**
   * Two items, {@code first} before {@code second} in code point order, claimed; a third session
   * holds {@code first}'s row while a renewal of both leases comes to wait for it, then a
   * completion of both ({@code complete} for each) too; then lets go. Answers how many leases the
   * renewal renewed and how many completions were applied.
   */
  private static List<Integer> renewWhileCompleting(
      String first,
      String second,
      Function<Lease, Completion> completeFirst,
      Function<Lease, Completion> completeSecond)
      throws Exception {
    DB.clear();
    // no retries: a deadlock would be retried away, and the test must see it
    JdbcWorkStore store =
        new JdbcWorkStore(
            new Jdbc(DB.dataSource(), JdbcRetryPolicy.none()), JdbcWorkStore.DEFAULT_VACUUM_AFTER);
    for (String id : List.of(first, second)) {
      store.schedule(WorkItem.builder(T, "k.a", id).dueAt(T0).build(), IfExists.KEEP);
    }
    Map<String, Lease> leases = new HashMap<>();
    for (ClaimedWork w : store.claim(ClaimRequest.of(T0, 2, "o1", Duration.ofMinutes(5)))) {
      leases.put(w.item().key().id(), w.lease());
    }
    assertThat(leases).containsOnlyKeys(first, second);
    List<Completion> completions =
        List.of(completeFirst.apply(leases.get(first)), completeSecond.apply(leases.get(second)));

    CompletableFuture<List<Lease>> renewed;
    CompletableFuture<List<Completion>> completed;
    try (Connection holder = DB.dataSource().getConnection()) {
      holder.setAutoCommit(false);
      // the renewal's first row: it waits holding nothing
      lock(
          holder,
          "steward_work",
          "tenant_id = ? AND kind = ? AND item_id = ?",
          T.value(),
          "k.a",
          first);
      renewed =
          CompletableFuture.supplyAsync(
              () -> store.renew(List.copyOf(leases.values()), Duration.ofMinutes(5)));
      waitForLockWaiters(1);
      completed = CompletableFuture.supplyAsync(() -> store.complete(completions));
      waitForLockWaiters(2);
      holder.rollback();
    }
    return List.of(
        renewed.get(30, TimeUnit.SECONDS).size(), completed.get(30, TimeUnit.SECONDS).size());
  }

  private static void lock(Connection c, String table, String where, Object... key)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM " + table + " WHERE " + where + " FOR UPDATE")) {
      Jdbc.bind(ps, key);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  /**
   * The calendar's batch write on PostgreSQL upserts its rows in the order of its list (the rows
   * unnested from arrays), so two batches of the same stored entries in opposite orders, from two
   * instances recording the same sends, deadlocked: one held e2 and waited for e1, the other held
   * e1 and waited for e2.
   */
  @Test
  @Timeout(60)
  void twoBatchWritesOfTheSameCalendarEntriesInOppositeOrdersLockInOneOrder() throws Exception {
    DB.clear();
    JdbcCalendarStore store =
        new JdbcCalendarStore(new Jdbc(DB.dataSource(), JdbcRetryPolicy.none()));
    List<CalendarEntry> entries = List.of(entry("e1"), entry("e2"));
    store.putAllUnlessSent(entries);

    CompletableFuture<Integer> forward;
    CompletableFuture<Integer> backward;
    try (Connection holder = DB.dataSource().getConnection()) {
      holder.setAutoCommit(false);
      lock(holder, "steward_calendar_entry", "tenant_id = ? AND entry_id = ?", T.value(), "e1");
      forward = CompletableFuture.supplyAsync(() -> store.putAllUnlessSent(entries));
      waitForLockWaiters(1);
      backward =
          CompletableFuture.supplyAsync(
              () -> store.putAllUnlessSent(List.of(entries.get(1), entries.get(0))));
      waitForLockWaiters(2);
      holder.rollback();
    }

    assertThat(forward.get(30, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(backward.get(30, TimeUnit.SECONDS)).isEqualTo(2);
  }

  private static CalendarEntry entry(String id) {
    return CalendarEntry.of(
        T,
        id,
        CalendarEntry.Type.COMMUNICATION,
        CalendarEntry.Status.SCHEDULED,
        AccountId.of("a1"),
        ContactId.of("c1"),
        "cs",
        MessageKind.EDUCATIONAL,
        "tips",
        Channel.EMAIL,
        null,
        T0);
  }

  /** Waits until {@code n} sessions of the database wait for a lock. */
  private static void waitForLockWaiters(int n) throws SQLException, InterruptedException {
    try (Connection c = DB.dataSource().getConnection();
        Statement s = c.createStatement()) {
      for (int tries = 0; tries < 1000; tries++) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND datname = current_database()")) {
          rs.next();
          if (rs.getLong(1) >= n) {
            return;
          }
        }
        Thread.sleep(10);
      }
    }
    throw new AssertionError("fewer than " + n + " sessions came to wait for a lock");
  }
}
