package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The marks' open-addressing table against a plain map, through growth and purges. */
class EventMarksTableTest {

  @Test
  void theTableAgreesWithAMapThroughGrowthAndPurges() {
    SplittableRandom random = new SplittableRandom(21);
    EventMarks.Table table = new EventMarks.Table();
    Map<Long, Long> model = new HashMap<>();
    for (int round = 0; round < 40; round++) {
      for (int i = 0; i < 500; i++) {
        // keys from a small range, so repeats are common; never 0, which marks an empty slot
        long key = 1 + random.nextInt(20_000);
        long day = round + random.nextInt(3);
        boolean fresh = !model.containsKey(key);
        if (fresh) {
          model.put(key, day);
        }
        assertThat(table.add(key, day)).as("add %d in round %d", key, round).isEqualTo(fresh);
      }
      assertThat(table.size()).isEqualTo(model.size());
      if (round % 5 == 4) {
        long cutoff = round - 1;
        int expected = (int) model.values().stream().filter(d -> d < cutoff).count();
        model.values().removeIf(d -> d < cutoff);
        assertThat(table.removeBefore(cutoff)).isEqualTo(expected);
        assertThat(table.size()).isEqualTo(model.size());
      }
    }
    // every key kept is still found: a repeat adds nothing
    for (Map.Entry<Long, Long> e : model.entrySet()) {
      assertThat(table.add(e.getKey(), e.getValue() + 100)).isFalse();
    }
    assertThat(table.removeBefore(Long.MAX_VALUE)).isEqualTo(model.size());
    assertThat(table.size()).isZero();
    assertThat(table.add(7, 1)).isTrue();
  }
}
