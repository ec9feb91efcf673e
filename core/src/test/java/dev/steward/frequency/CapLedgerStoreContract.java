package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link CapLedgerStore} passes (in memory, H2, PostgreSQL). Subclasses supply a
 * fresh store; the tests use unique subject keys, so a shared database needs no cleaning between
 * them.
 */
public abstract class CapLedgerStoreContract {

  /** A store to test; called once per test. */
  protected abstract CapLedgerStore newStore();

  private CapLedgerStore store;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  private SubjectKey key(String name) {
    return SubjectKey.of(TenantId.of("t1"), "c:" + name + "-" + run);
  }

  private static LedgerEntry send(long second, String category) {
    return new LedgerEntry(
        LedgerEntry.Type.SEND,
        second,
        MessageKind.PROMOTIONAL,
        Channel.EMAIL,
        category,
        "marketing");
  }

  @Test
  void aMissingLogReadsEmpty() {
    List<SendLog> logs = store.read(List.of(key("nobody")));

    assertThat(logs).hasSize(1);
    assertThat(logs.get(0).isEmpty()).isTrue();
    assertThat(logs.get(0)).isEqualTo(SendLog.empty());
  }

  @Test
  void anUpdateWritesAndReadSeesIt() {
    SubjectKey a = key("a");
    SendLog written = SendLog.empty().with(send(1_000, "news"));

    String result =
        store.update(
            List.of(a),
            logs -> {
              assertThat(logs).containsExactly(SendLog.empty());
              return LedgerChange.write("done", List.of(written));
            });

    assertThat(result).isEqualTo("done");
    assertThat(store.read(List.of(a))).containsExactly(written);
    SendLog seenBySecondUpdate =
        store.update(List.of(a), logs -> LedgerChange.unchanged(logs.get(0)));
    assertThat(seenBySecondUpdate).isEqualTo(written);
    assertThat(SendLog.fromBytes(seenBySecondUpdate.toBytes())).isEqualTo(written);
  }

  @Test
  void logsArePassedAndReadInTheOrderOfTheSubjectsGiven() {
    SubjectKey a = key("a");
    SubjectKey b = key("b");
    SendLog logA = SendLog.empty().with(send(1, "a"));
    SendLog logB = SendLog.empty().with(send(2, "b")).with(send(3, "b"));
    store.update(List.of(b, a), logs -> LedgerChange.write(null, List.of(logB, logA)));

    assertThat(store.read(List.of(a, b))).containsExactly(logA, logB);
    List<SendLog> seen = store.update(List.of(b, a), LedgerChange::unchanged);
    assertThat(seen).containsExactly(logB, logA);
  }

  @Test
  void aThrowingChangeWritesNothing() {
    SubjectKey a = key("a");
    SubjectKey b = key("b");
    SendLog before = SendLog.empty().with(send(10, "news"));
    store.update(List.of(a), logs -> LedgerChange.write(null, List.of(before)));

    assertThatThrownBy(
            () ->
                store.update(
                    List.of(a, b),
                    logs -> {
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("boom");

    assertThat(store.read(List.of(a, b))).containsExactly(before, SendLog.empty());
  }

  @Test
  void anUnchangedResultWritesNothing() {
    SubjectKey a = key("a");
    SubjectKey b = key("b");
    SendLog before = SendLog.empty().with(send(10, "news"));
    store.update(List.of(a), logs -> LedgerChange.write(null, List.of(before)));

    Integer result = store.update(List.of(a, b), logs -> LedgerChange.unchanged(42));

    assertThat(result).isEqualTo(42);
    assertThat(store.read(List.of(a, b))).containsExactly(before, SendLog.empty());
  }

  @Test
  void aMultiSubjectUpdateIsAtomicUnderConcurrency() throws Exception {
    SubjectKey a = key("a");
    SubjectKey b = key("b");
    int threads = 8;
    int perThread = 25;
    AtomicInteger torn = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        // half the threads name the subjects in the other order: the store must still not deadlock
        List<SubjectKey> order = t % 2 == 0 ? List.of(a, b) : List.of(b, a);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    store.update(
                        order,
                        logs -> {
                          if (logs.get(0).size() != logs.get(1).size()) {
                            torn.incrementAndGet();
                          }
                          long next = logs.get(0).size();
                          List<SendLog> out = new ArrayList<>();
                          for (SendLog log : logs) {
                            out.add(log.with(send(next, "counter")));
                          }
                          return LedgerChange.write(null, out);
                        });
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<SendLog> logs = store.read(List.of(a, b));
    assertThat(torn).hasValue(0);
    assertThat(logs.get(0).size()).isEqualTo(threads * perThread);
    assertThat(logs.get(1)).isEqualTo(logs.get(0));
    List<Long> seconds = logs.get(0).entries().stream().map(LedgerEntry::epochSecond).toList();
    assertThat(seconds).doesNotHaveDuplicates().isSorted();
  }

  // ---- retention: seconds far before any other test's, so a shared table's rows never count

  private static final long B = -10_000_000L;

  private void write(SubjectKey key, LedgerEntry... entries) {
    store.update(
        List.of(key), logs -> LedgerChange.write(null, List.of(SendLog.of(List.of(entries)))));
  }

  private static LedgerEntry activity(long second) {
    return new LedgerEntry(LedgerEntry.Type.ACTIVITY, second, null, null, "ticket-closed", null);
  }

  private static Instant at(long second) {
    return Instant.ofEpochSecond(second);
  }

  @Test
  void aPurgeDeletesLogsIdleSinceBeforeTheCutoffAndKeepsTheRest() {
    SubjectKey idle = key("idle");
    SubjectKey active = key("active");
    SubjectKey idleActivity = key("activity");
    write(idle, send(B + 10, "news"), send(B + 20, "news"));
    write(active, send(B + 5, "news"), send(B + 100, "news"));
    write(idleActivity, activity(B + 3));

    int purged = store.purgeIdleSince(at(B + 50), 100);

    assertThat(purged).isEqualTo(2);
    assertThat(store.read(List.of(idle, active, idleActivity)))
        .extracting(SendLog::size)
        .containsExactly(0, 2, 0);
    assertThat(store.purgeIdleSince(at(B + 50), 100)).isZero();
  }

  @Test
  void aLogWhoseNewestEntryIsAtTheCutoffIsNotYetIdle() {
    SubjectKey a = key("a");
    write(a, send(B + 50, "news"));

    assertThat(store.purgeIdleSince(at(B + 50), 10)).isZero();
    assertThat(store.read(List.of(a)).get(0).size()).isEqualTo(1);
    assertThat(store.purgeIdleSince(at(B + 50).plusNanos(1), 10)).isEqualTo(1);
    assertThat(store.read(List.of(a)).get(0).isEmpty()).isTrue();
  }

  /**
   * A log last written at the first or last whole second of the storable range is idle exactly
   * after that second, as memory judges it. The JDBC store kept both seconds as the ends of its
   * nanosecond range, a little before and after them: a cutoff at the first second deleted the log
   * and one just after the last second kept it. (Other tests' logs may be purged here too, so the
   * last second is judged by the log, not by the count.)
   */
  @Test
  void aLogLastWrittenAtAnEndOfTheStorableRangeIsIdleJustAfterIt() {
    long first = -9_223_372_036L;
    long last = 9_223_372_036L;
    SubjectKey early = key("early");
    SubjectKey late = key("late");
    write(early, send(first, "news"));
    write(late, send(last, "news"));

    assertThat(store.purgeIdleSince(at(first), 1000)).isZero();
    assertThat(store.read(List.of(early)).get(0).size()).isEqualTo(1);
    assertThat(store.purgeIdleSince(at(first).plusNanos(1), 1000)).isEqualTo(1);
    assertThat(store.read(List.of(early)).get(0).isEmpty()).isTrue();
    store.purgeIdleSince(at(last), 1000);
    assertThat(store.read(List.of(late)).get(0).size()).isEqualTo(1);
    store.purgeIdleSince(at(last).plusNanos(1), 1000);
    assertThat(store.read(List.of(late)).get(0).isEmpty()).isTrue();
  }

  @Test
  void aPurgeDeletesAtMostMaxAndFewerMeansNoneIsLeft() {
    List<SubjectKey> keys = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      SubjectKey k = key("bounded-" + i);
      keys.add(k);
      write(k, send(B + i, "news"));
    }

    assertThat(store.purgeIdleSince(at(B + 10), 2)).isEqualTo(2);
    assertThat(store.purgeIdleSince(at(B + 10), 2)).isEqualTo(2);
    assertThat(store.purgeIdleSince(at(B + 10), 2)).isEqualTo(1);
    assertThat(store.purgeIdleSince(at(B + 10), 2)).isZero();
    assertThat(store.read(keys)).allSatisfy(log -> assertThat(log.isEmpty()).isTrue());
  }

  @Test
  void aLogWrittenAgainIsJudgedByItsNewestEntry() {
    SubjectKey a = key("a");
    write(a, send(B + 10, "news"));
    store.update(
        List.of(a), logs -> LedgerChange.write(null, List.of(logs.get(0).with(send(B + 90, "x")))));

    assertThat(store.purgeIdleSince(at(B + 50), 10)).isZero();
    assertThat(store.read(List.of(a)).get(0).size()).isEqualTo(2);
  }

  @Test
  void aPurgedSubjectStartsAgainFromAnEmptyLog() {
    SubjectKey a = key("a");
    write(a, send(B + 10, "news"));
    assertThat(store.purgeIdleSince(at(B + 50), 10)).isEqualTo(1);

    SendLog seen =
        store.update(
            List.of(a),
            logs -> LedgerChange.write(logs.get(0), List.of(logs.get(0).with(send(B + 60, "n")))));

    assertThat(seen).isEqualTo(SendLog.empty());
    assertThat(store.read(List.of(a)).get(0).size()).isEqualTo(1);
  }

  @Test
  void aPurgeRefusesBadArguments() {
    assertThatThrownBy(() -> store.purgeIdleSince(null, 10))
        .isInstanceOf(InvalidLimiterArgumentException.class)
        .hasMessageContaining("cutoff");
    assertThatThrownBy(() -> store.purgeIdleSince(at(B), 0))
        .isInstanceOf(InvalidLimiterArgumentException.class)
        .hasMessageContaining("max");
  }

  @Test
  void eraseDeletesOneSubjectOnly() {
    SubjectKey a = key("a");
    SubjectKey b = key("b");
    SendLog log = SendLog.empty().with(send(5, "news"));
    store.update(List.of(a, b), logs -> LedgerChange.write(null, List.of(log, log)));

    assertThat(store.erase(a)).isTrue();
    assertThat(store.erase(a)).isFalse();
    assertThat(store.read(List.of(a, b))).containsExactly(SendLog.empty(), log);
    assertThat(store.erase(key("never-written"))).isFalse();
  }

  // ---- tenants: the same contact id under two tenants is two logs

  private SubjectKey key(String tenant, String name) {
    return SubjectKey.contact(TenantId.of(tenant + "-" + run), ContactId.of(name));
  }

  @Test
  void theSameContactUnderTwoTenantsHasTwoLogs() {
    SubjectKey one = key("one", "ada");
    SubjectKey two = key("two", "ada");
    SendLog a = SendLog.empty().with(send(5, "news"));
    SendLog b = SendLog.empty().with(send(6, "offers")).with(send(7, "offers"));

    store.update(List.of(one), logs -> LedgerChange.write(null, List.of(a)));
    store.update(List.of(two), logs -> LedgerChange.write(null, List.of(b)));

    assertThat(store.read(List.of(one, two))).containsExactly(a, b);
    // an update over both tenants' keys locks and writes each apart
    store.update(
        List.of(two, one),
        logs -> {
          assertThat(logs).containsExactly(b, a);
          return LedgerChange.write(null, List.of(b.with(send(8, "x")), a));
        });
    assertThat(store.read(List.of(one)).get(0)).isEqualTo(a);
    assertThat(store.erase(one)).isTrue();
    assertThat(store.read(List.of(two)).get(0).size()).isEqualTo(3);
  }

  @Test
  void eraseTenantDeletesEveryLogOfThatTenantOnlyAndIsIdempotent() {
    SubjectKey adaOne = key("one", "ada");
    SubjectKey bobOne = key("one", "bob");
    SubjectKey accountOne = SubjectKey.account(adaOne.tenant(), AccountId.of("acme"));
    SubjectKey adaTwo = key("two", "ada");
    SendLog log = SendLog.empty().with(send(5, "news"));
    SendLog activity = SendLog.empty().with(activity(6));
    store.update(List.of(adaOne, bobOne), logs -> LedgerChange.write(null, List.of(log, activity)));
    store.update(List.of(accountOne), logs -> LedgerChange.write(null, List.of(log)));
    store.update(List.of(adaTwo), logs -> LedgerChange.write(null, List.of(log)));

    assertThat(store.eraseTenant(adaOne.tenant())).isEqualTo(3);
    assertThat(store.eraseTenant(adaOne.tenant())).isZero();

    assertThat(store.read(List.of(adaOne, bobOne, accountOne)))
        .containsExactly(SendLog.empty(), SendLog.empty(), SendLog.empty());
    assertThat(store.read(List.of(adaTwo)).get(0)).isEqualTo(log);
    assertThatThrownBy(() -> store.eraseTenant(null))
        .isInstanceOf(InvalidLimiterArgumentException.class)
        .hasMessageContaining("tenant");
  }
}
