package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Runs the {@link CapLedgerStoreContract} against the in-memory store, plus its own table checks.
 */
class InMemoryCapLedgerStoreTest extends CapLedgerStoreContract {
  @Override
  protected CapLedgerStore newStore() {
    return InMemoryCapLedgerStore.of();
  }

  @Test
  void theTableAgreesWithAHashMapUnderRandomPutsAndErasures() {
    // one segment so that every key shares a table: long probe runs, growth and backward shifts
    InMemoryCapLedgerStore store = InMemoryCapLedgerStore.of(1);
    Map<SubjectKey, SendLog> model = new HashMap<>();
    Random random = new Random(5);
    for (int step = 0; step < 20_000; step++) {
      SubjectKey key = SubjectKey.of(TenantId.of("t1"), "c:" + random.nextInt(300));
      int action = random.nextInt(10);
      if (action < 5) {
        // 1 to 7 entries: short logs sit in the slot itself, longer ones in an array of their own,
        // and both kinds move together in growth and backward shifts
        SendLog built = SendLog.empty();
        int entries = 1 + random.nextInt(7);
        for (int e = 0; e < entries; e++) {
          built =
              built.with(
                  new LedgerEntry(
                      LedgerEntry.Type.SEND,
                      step * 10L + e,
                      MessageKind.PROMOTIONAL,
                      Channel.EMAIL,
                      "x" + e,
                      "t"));
        }
        SendLog log = built;
        store.update(List.of(key), logs -> LedgerChange.write(null, List.of(log)));
        model.put(key, log);
      } else if (action < 7) {
        assertThat(store.erase(key)).isEqualTo(model.remove(key) != null);
      } else if (action < 8) {
        store.update(List.of(key), logs -> LedgerChange.write(null, List.of(SendLog.empty())));
        model.remove(key);
      } else {
        assertThat(store.read(List.of(key)).get(0))
            .isEqualTo(model.getOrDefault(key, SendLog.empty()));
      }
    }
    assertThat(store.subjectCount()).isEqualTo(model.size());
    for (Map.Entry<SubjectKey, SendLog> e : model.entrySet()) {
      assertThat(store.read(List.of(e.getKey())).get(0)).isEqualTo(e.getValue());
    }
    // a purge judges each log by its newest entry, wherever the log is kept
    long[] newest =
        model.values().stream().mapToLong(l -> l.second(l.size() - 1)).sorted().toArray();
    long cutoff = newest[newest.length / 2];
    int idle = 0;
    for (long second : newest) {
      idle += second < cutoff ? 1 : 0;
    }
    assertThat(idle).isPositive().isLessThan(model.size());
    assertThat(store.purgeIdleSince(java.time.Instant.ofEpochSecond(cutoff), Integer.MAX_VALUE))
        .isEqualTo(idle);
    model.values().removeIf(log -> log.second(log.size() - 1) < cutoff);
    assertThat(store.subjectCount()).isEqualTo(model.size());
    for (Map.Entry<SubjectKey, SendLog> e : model.entrySet()) {
      assertThat(store.read(List.of(e.getKey())).get(0)).isEqualTo(e.getValue());
    }
  }
}
