package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.testing.Concurrently;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of every {@link EventDeduplicationStore} (TCK), with multi-instance races. */
abstract class EventDeduplicationStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.5Z");

  protected EventDeduplicationStore store;

  /** A new store that has seen nothing. */
  protected abstract EventDeduplicationStore newStore();

  /** Another instance over the data of the last {@link #newStore()} (the same one in memory). */
  protected abstract EventDeduplicationStore secondInstance();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @Test
  void claimReturnsTheIdsNotSeenBeforeInTheGivenOrder() {
    assertThat(store.claim(List.of("e-3", "e-1", "e-2"), T0)).containsExactly("e-3", "e-1", "e-2");
    assertThat(store.claim(List.of("e-1", "e-2"), T0)).isEmpty();
    assertThat(store.claim(List.of("e-2", "e-4", "e-1", "e-5"), T0)).containsExactly("e-4", "e-5");
    assertThat(store.claim(List.of(), T0)).isEmpty();
  }

  @Test
  void anotherInstanceSeesWhatOneClaimed() {
    store.claim(List.of("e-1"), T0);

    assertThat(secondInstance().claim(List.of("e-1", "e-2"), T0)).containsExactly("e-2");
  }

  @Test
  void releasedIdsMayBeClaimedAgain() {
    store.claim(List.of("e-1", "e-2", "e-3"), T0);

    store.release(List.of("e-1", "e-3", "never-seen"));

    assertThat(store.claim(List.of("e-1", "e-2", "e-3"), T0)).containsExactly("e-1", "e-3");
  }

  @Test
  void purgeForgetsOnlyIdsSeenBeforeTheCutoff() {
    store.claim(List.of("old-1", "old-2"), T0);
    store.claim(List.of("at-cutoff"), T0.plusSeconds(60));
    store.claim(List.of("new"), T0.plusSeconds(61));

    assertThat(store.purgeSeenBefore(T0.plusSeconds(60))).isEqualTo(2);
    assertThat(store.purgeSeenBefore(T0.plusSeconds(60))).isZero();
    assertThat(store.claim(List.of("old-1", "old-2", "at-cutoff", "new"), T0.plusSeconds(62)))
        .containsExactly("old-1", "old-2");
  }

  @Test
  void concurrentClaimsOfOverlappingBatchesClaimEachIdExactlyOnce() {
    EventDeduplicationStore other = secondInstance();
    int ids = 60;

    List<Set<String>> claimed =
        Concurrently.run(
            8,
            t -> {
              // each batch overlaps its neighbours', in a shuffled order of its own
              List<String> batch = new ArrayList<>();
              for (int i = t * 6; i < t * 6 + 18; i++) {
                batch.add("ev-" + (i % ids));
              }
              Collections.shuffle(batch, new Random(t));
              return (t % 2 == 0 ? store : other).claim(batch, T0);
            });

    Map<String, Integer> times = new HashMap<>();
    claimed.forEach(set -> set.forEach(id -> times.merge(id, 1, Integer::sum)));
    int expected = Math.min(ids, 7 * 6 + 18);
    assertThat(times).hasSize(expected);
    assertThat(times.values()).containsOnly(1);
  }
}
