package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.frequency.LedgerChange;
import dev.steward.frequency.LedgerEntry;
import dev.steward.frequency.SendLog;
import dev.steward.frequency.SubjectKey;
import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcCapLedgerStore#update} locks all of its subjects with a constant number of statements,
 * however many subjects it has, and keeps one global lock order across instances.
 */
class JdbcCapLedgerSetLockTest {
  private static final TestDatabase H2 = TestDatabase.h2(JdbcCapLedgerSetLockTest.class);
  private static final TenantId T = TenantId.of("t1");

  private static LedgerEntry send(long second) {
    return new LedgerEntry(
        LedgerEntry.Type.SEND, second, MessageKind.PROMOTIONAL, Channel.EMAIL, "l", "marketing");
  }

  private static List<SubjectKey> subjects(String prefix, int n) {
    List<SubjectKey> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(SubjectKey.of(T, String.format(Locale.ROOT, "%s%03d", prefix, i)));
    }
    return keys;
  }

  /** Appends one send at {@code second} to every log. */
  private static LedgerChange<Integer> appendOne(List<SendLog> logs, long second) {
    List<SendLog> next = new ArrayList<>();
    for (SendLog log : logs) {
      next.add(log.with(send(second)));
    }
    return LedgerChange.write(logs.size(), next);
  }

  abstract static class Checks {
    abstract TestDatabase db();

    private StatementCountingDataSource counted;
    private JdbcCapLedgerStore store;

    @BeforeEach
    void fresh() {
      db().clear();
      counted = new StatementCountingDataSource(db().dataSource());
      store = new JdbcCapLedgerStore(new Jdbc(counted, JdbcRetryPolicy.none()));
      store.read(List.of(SubjectKey.of(T, "warm-up"))); // the dialect is detected
    }

    /** The statements one update over {@code keys} (appending one send to each) prepared. */
    private List<String> statementsOfAnUpdate(List<SubjectKey> keys, long second) {
      counted.reset();
      int updated = store.update(keys, logs -> appendOne(logs, second));
      assertThat(updated).isEqualTo(keys.size());
      return List.copyOf(counted.statements);
    }

    @Test
    void anUpdateOverFiftyNewOrExistingSubjectsTakesAsManyStatementsAsOneOverTwo() {
      List<SubjectKey> two = subjects("c:few-", 2);
      List<SubjectKey> fifty = subjects("c:many-", 50);

      List<String> newTwo = statementsOfAnUpdate(two, 1);
      List<String> newFifty = statementsOfAnUpdate(fifty, 1);
      // no row yet: one lock finds none, one insert, one lock, one batch of updates
      assertThat(newFifty).hasSameSizeAs(newTwo).hasSize(4);
      assertThat(counted.transactions.get()).isEqualTo(1);

      List<String> oldTwo = statementsOfAnUpdate(two, 2);
      List<String> oldFifty = statementsOfAnUpdate(fifty, 2);
      // every row there: one lock, one batch of updates
      assertThat(oldFifty).hasSameSizeAs(oldTwo).hasSize(2);
      assertThat(oldFifty.get(0)).contains("FOR UPDATE").contains("ORDER BY subject");

      for (SendLog log : store.read(fifty)) {
        assertThat(log.size()).isEqualTo(2);
      }
    }

    @Test
    void newSubjectsThatSortBeforeExistingOnesAreLockedInOrderWithConstantStatements() {
      List<SubjectKey> existing = subjects("c:m-", 25);
      store.update(existing, logs -> appendOne(logs, 1));
      List<SubjectKey> mixed = new ArrayList<>(existing);
      mixed.addAll(subjects("c:a-", 25)); // sort before every existing one
      Collections.reverse(mixed);

      List<String> statements = statementsOfAnUpdate(mixed, 2);

      // the first lock finds rows after the missing ones: rolled back, then insert-all and lock
      assertThat(counted.transactions.get()).isEqualTo(2);
      assertThat(statements).hasSize(4);
      assertThat(statements.get(1)).startsWith("INSERT");
      List<SendLog> logs = store.read(mixed);
      for (int i = 0; i < mixed.size(); i++) {
        assertThat(logs.get(i).size())
            .as(mixed.get(i).value())
            .isEqualTo(mixed.get(i).value().startsWith("c:m-") ? 2 : 1);
      }
    }

    /**
     * Gives each log of {@code keys} a send at its own second (its index plus {@code base}) and
     * empties those whose index is a multiple of {@code emptyEvery} (0: none); the statements run.
     */
    private int executionsOfAWriteBack(List<SubjectKey> keys, long base, int emptyEvery) {
      counted.reset();
      store.update(
          keys,
          logs -> {
            List<SendLog> next = new ArrayList<>();
            for (int i = 0; i < logs.size(); i++) {
              boolean empty = emptyEvery > 0 && i % emptyEvery == 0;
              next.add(empty ? SendLog.empty() : logs.get(i).with(send(base + i)));
            }
            return LedgerChange.write(0, next);
          });
      return counted.executions.get();
    }

    @Test
    void theWriteBackOfAHundredLogsRunsAsManyStatementsAsThatOfTenAndWritesEachItsOwnLog() {
      TenantId other = TenantId.of("t2");
      for (int n : new int[] {10, 100}) {
        List<SubjectKey> keys = new ArrayList<>(subjects("w" + n + "-", n));
        keys.add(SubjectKey.of(other, "w" + n + "-other"));
        store.update(keys, logs -> appendOne(logs, 1)); // every row exists

        // one locking SELECT per tenant, one UPDATE per tenant: nothing per subject
        assertThat(executionsOfAWriteBack(keys, 1000, 0)).as("%d subjects", n).isEqualTo(4);
        List<SendLog> logs = store.read(keys);
        for (int i = 0; i < keys.size(); i++) {
          assertThat(logs.get(i).entries())
              .as("the log of %s", keys.get(i))
              .containsExactly(send(1), send(1000 + i));
        }

        // some emptied, some written: one DELETE more (the emptied rows are all of one tenant)
        assertThat(executionsOfAWriteBack(keys, 5000, 3)).as("%d subjects", n).isEqualTo(5);
        logs = store.read(keys);
        for (int i = 0; i < keys.size(); i++) {
          if (i % 3 == 0) {
            assertThat(logs.get(i)).isEqualTo(SendLog.empty());
            assertThat(store.erase(keys.get(i))).as("an emptied log has no row").isFalse();
          } else {
            assertThat(logs.get(i).entries())
                .containsExactly(send(1), send(1000 + i), send(5000 + i));
          }
        }
      }
    }

    @Test
    void emptiedLogsAreDeletedInOneBatchAndAThrowingChangeWritesNothing() {
      List<SubjectKey> keys = subjects("c:e-", 30);
      store.update(keys, logs -> appendOne(logs, 1));

      counted.reset();
      store.update(
          keys,
          logs -> {
            List<SendLog> next = new ArrayList<>(Collections.nCopies(logs.size(), SendLog.empty()));
            next.set(0, logs.get(0).with(send(2)));
            return LedgerChange.write(0, next);
          });
      assertThat(counted.statements).hasSize(3); // lock, delete, update
      assertThat(counted.executions.get()).isEqualTo(3);
      assertThat(store.read(keys).get(0).size()).isEqualTo(2);
      assertThat(store.read(keys).subList(1, keys.size())).containsOnly(SendLog.empty());

      List<SubjectKey> fresh = subjects("c:f-", 10);
      try {
        store.update(
            fresh,
            logs -> {
              throw new IllegalStateException("the change fails");
            });
      } catch (IllegalStateException expected) {
        // nothing written
      }
      assertThat(store.erase(fresh.get(0))).as("no empty row left behind").isFalse();
      assertThat(store.read(fresh)).containsOnly(SendLog.empty());
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
     * The interleaving that a set-based locking could deadlock in: one update has inserted its new
     * rows "a" and "k" and is about to lock them with "l" between them, when another update over
     * "l" (existing) and "k" (new) starts. Had the second kept its lock on "l" while inserting "k",
     * each would wait for the other; it holds no row lock while it inserts, so both finish. No
     * retries: a deadlock would fail an update.
     */
    @Test
    void anUpdateThatFindsSomeRowsMissingHoldsNoLockWhileItInserts() throws Exception {
      SubjectKey a = SubjectKey.of(T, "c:a");
      SubjectKey l = SubjectKey.of(T, "c:m");
      SubjectKey k = SubjectKey.of(T, "c:z");
      JdbcCapLedgerStore plain =
          new JdbcCapLedgerStore(new Jdbc(db().dataSource(), JdbcRetryPolicy.none()));
      plain.update(List.of(l), logs -> appendOne(logs, 1));
      HookedDataSource hooked = new HookedDataSource(db().dataSource());
      JdbcCapLedgerStore first = new JdbcCapLedgerStore(new Jdbc(hooked, JdbcRetryPolicy.none()));
      java.util.concurrent.CompletableFuture<Integer> second =
          new java.util.concurrent.CompletableFuture<>();
      Runnable startSecond =
          () -> {
            Thread t =
                new Thread(
                    () -> {
                      try {
                        second.complete(plain.update(List.of(k, l), logs -> appendOne(logs, 3)));
                      } catch (RuntimeException e) {
                        second.completeExceptionally(e);
                      }
                    });
            t.start();
            try {
              Thread.sleep(1500); // the second now waits (for the first's insert of "k")
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          };
      // after the first's insert (its second attempt, all rows inserted first), before its lock
      hooked.before(
          "INSERT INTO steward_cap_ledger",
          () -> hooked.before("SELECT subject, send_log FROM steward_cap_ledger", startSecond));

      int updated = first.update(List.of(a, l, k), logs -> appendOne(logs, 2));

      assertThat(updated).isEqualTo(3);
      assertThat(second.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(2);
      assertThat(plain.read(List.of(a, l, k))).extracting(SendLog::size).containsExactly(1, 3, 2);
    }

    /**
     * Two instances, several threads each, update overlapping subject sets passed in opposite
     * orders, with new subjects (inserted by several at once) sorting between existing ones. No
     * retries: a deadlock would fail an update instead of being retried away.
     */
    @Test
    void twoInstancesOverOverlappingSubjectsInOppositeOrdersNeverDeadlockNorLoseAnEntry() {
      List<JdbcCapLedgerStore> instances =
          List.of(
              new JdbcCapLedgerStore(new Jdbc(db().dataSource(), JdbcRetryPolicy.none())),
              new JdbcCapLedgerStore(new Jdbc(db().dataSource(), JdbcRetryPolicy.none())));
      List<SubjectKey> shared = subjects("c:s", 20);
      int threads = 6;
      int rounds = 15;
      ConcurrentHashMap<SubjectKey, AtomicInteger> expected = new ConcurrentHashMap<>();

      Concurrently.run(
          threads,
          t -> {
            for (int r = 0; r < rounds; r++) {
              List<SubjectKey> keys = new ArrayList<>();
              // a window of the shared subjects that overlaps every other thread's
              int from = (t * 3 + r) % 8;
              keys.addAll(shared.subList(from, from + 12));
              // new this round, the same for every thread, between the shared ones ("c:s005x")
              for (int k = 0; k < 3; k++) {
                keys.add(
                    SubjectKey.of(T, String.format(Locale.ROOT, "c:s%03dx%02d", from + k * 4, r)));
              }
              if (t % 2 == 1) {
                Collections.reverse(keys);
              } else {
                Collections.shuffle(keys, new java.util.Random(31L * t + r));
              }
              long second = 1000L * t + r;
              instances.get((t + r) % 2).update(keys, logs -> appendOne(logs, second));
              for (SubjectKey k : keys) {
                expected.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
              }
            }
            return null;
          });

      List<SubjectKey> all = new ArrayList<>(expected.keySet());
      List<SendLog> logs = instances.get(0).read(all);
      for (int i = 0; i < all.size(); i++) {
        assertThat(logs.get(i).size())
            .as(all.get(i).value())
            .isEqualTo(expected.get(all.get(i)).get());
      }
      assertThat(all.size()).isGreaterThan(shared.size());
    }
  }
}
