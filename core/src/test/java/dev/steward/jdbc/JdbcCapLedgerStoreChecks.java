package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.frequency.CapLedgerStore;
import dev.steward.frequency.InvalidLimiterArgumentException;
import dev.steward.frequency.LedgerChange;
import dev.steward.frequency.LedgerEntry;
import dev.steward.frequency.SendLog;
import dev.steward.frequency.SubjectKey;
import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import dev.steward.testing.Concurrently;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Focused checks of {@link JdbcCapLedgerStore}, run on H2 and PostgreSQL, until the shared
 * CapLedgerStore contract suite covers it.
 */
abstract class JdbcCapLedgerStoreChecks {
  private static final SubjectKey ADA = new SubjectKey("c:ada");
  private static final SubjectKey ACME = new SubjectKey("a:acme");

  protected abstract TestDatabase db();

  private CapLedgerStore store;

  @BeforeEach
  void createStore() {
    db().clear();
    store = JdbcCapLedgerStore.create(db().dataSource());
  }

  private static LedgerEntry send(long epochSecond, String label) {
    return new LedgerEntry(
        LedgerEntry.Type.SEND,
        epochSecond,
        MessageKind.PROMOTIONAL,
        Channel.EMAIL,
        label,
        "marketing");
  }

  /** Appends one send to every subject's log: a counter encoded as entries. */
  private static LedgerChange<Integer> appendOne(List<SendLog> logs, long second) {
    List<SendLog> next = new ArrayList<>();
    for (SendLog log : logs) {
      next.add(log.with(send(second, "offers")));
    }
    return LedgerChange.write(logs.size(), next);
  }

  @Test
  void missingLogsReadAsEmptyInTheOrderAsked() {
    assertThat(store.read(List.of(ADA, ACME))).containsExactly(SendLog.empty(), SendLog.empty());
    assertThat(store.read(List.of())).isEmpty();
  }

  @Test
  void anUpdateWritesTheReturnedLogsAndReturnsItsResult() {
    SendLog adaLog = SendLog.of(List.of(send(100, "offers"), send(50, "news")));
    SendLog acmeLog =
        SendLog.of(
            List.of(new LedgerEntry(LedgerEntry.Type.JOURNEY, 7, null, null, "onboarding", null)));

    String result =
        store.update(
            List.of(ADA, ACME),
            logs -> {
              assertThat(logs).containsExactly(SendLog.empty(), SendLog.empty());
              return LedgerChange.write("done", List.of(adaLog, acmeLog));
            });

    assertThat(result).isEqualTo("done");
    assertThat(store.read(List.of(ACME, ADA))).containsExactly(acmeLog, adaLog);
    assertThat(JdbcCapLedgerStore.create(db().dataSource()).read(List.of(ADA)))
        .containsExactly(adaLog);
    SendLog seen = store.update(List.of(ADA), logs -> LedgerChange.unchanged(logs.get(0)));
    assertThat(seen).isEqualTo(adaLog);
  }

  @Test
  void anUnchangedUpdateLeavesNoRowBehind() {
    Integer result = store.update(List.of(ADA), logs -> LedgerChange.unchanged(42));
    assertThat(result).isEqualTo(42);

    assertThat(store.erase(ADA)).isFalse();
    assertThat(store.read(List.of(ADA))).containsExactly(SendLog.empty());
  }

  @Test
  void aChangeThatThrowsWritesNothing() {
    store.update(List.of(ADA), logs -> appendOne(logs, 1));

    assertThatThrownBy(
            () ->
                store.update(
                    List.of(ADA, ACME),
                    logs -> {
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class);

    assertThat(store.read(List.of(ADA, ACME)))
        .containsExactly(SendLog.of(List.of(send(1, "offers"))), SendLog.empty());
  }

  @Test
  void eraseDeletesOneSubjectsLog() {
    store.update(List.of(ADA, ACME), logs -> appendOne(logs, 1));

    assertThat(store.erase(ADA)).isTrue();
    assertThat(store.erase(ADA)).isFalse();
    assertThat(store.read(List.of(ADA, ACME)).get(0)).isEqualTo(SendLog.empty());
    assertThat(store.read(List.of(ACME)).get(0).size()).isEqualTo(1);
  }

  @Test
  void badInputFailsBeforeAnythingIsWritten() {
    assertThatThrownBy(() -> store.update(List.of(ADA, ADA), logs -> appendOne(logs, 1)))
        .isInstanceOf(InvalidLimiterArgumentException.class)
        .hasMessageContaining("c:ada appears twice");
    assertThatThrownBy(
            () ->
                store.update(
                    List.of(ADA, ACME), logs -> LedgerChange.write(0, List.of(SendLog.empty()))))
        .isInstanceOf(InvalidLimiterArgumentException.class)
        .hasMessageContaining("1 logs for 2 subjects");
    assertThat(store.read(List.of(ADA, ACME))).containsOnly(SendLog.empty());
  }

  @Test
  void concurrentOverlappingUpdatesFromTwoInstancesLoseNothingAndNeverDeadlock() {
    List<SubjectKey> subjects =
        List.of(
            new SubjectKey("c:1"),
            new SubjectKey("c:2"),
            new SubjectKey("a:1"),
            new SubjectKey("a:2"));
    CapLedgerStore other = JdbcCapLedgerStore.create(db().dataSource());
    AtomicIntegerArray expected = new AtomicIntegerArray(subjects.size());
    int threads = 8;
    int updatesPerThread = 12;

    Concurrently.run(
        threads,
        t -> {
          Random random = new Random(31L * t + 7);
          for (int u = 0; u < updatesPerThread; u++) {
            // two or three subjects, in a shuffled order, so lock orders differ between threads
            List<Integer> picked = new ArrayList<>(List.of(0, 1, 2, 3));
            Collections.shuffle(picked, random);
            picked = picked.subList(0, 2 + random.nextInt(2));
            List<SubjectKey> keys = picked.stream().map(subjects::get).toList();
            CapLedgerStore s = (t + u) % 2 == 0 ? store : other;
            long second = t * 1000L + u;
            s.update(keys, logs -> appendOne(logs, second));
            picked.forEach(expected::incrementAndGet);
          }
          return null;
        });

    List<SendLog> logs = store.read(subjects);
    for (int i = 0; i < subjects.size(); i++) {
      assertThat(logs.get(i).size()).as(subjects.get(i).value()).isEqualTo(expected.get(i));
    }
    assertThat(expected.get(0) + expected.get(1) + expected.get(2) + expected.get(3))
        .isGreaterThanOrEqualTo(threads * updatesPerThread * 2);
  }
}
