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
        SendLog log =
            SendLog.empty()
                .with(
                    new LedgerEntry(
                        LedgerEntry.Type.SEND,
                        step,
                        MessageKind.PROMOTIONAL,
                        Channel.EMAIL,
                        "x",
                        "t"));
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
  }
}
