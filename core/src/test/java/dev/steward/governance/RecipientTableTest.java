package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.EmailAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The in-memory recipient activity table against a plain map of {@link RecipientActivity} values
 * merged as the store's contract says (earliest send, latest engagement), through growth, removals
 * in the middle of probe runs and lookups of addresses it never held.
 */
class RecipientTableTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration PERIOD = Duration.ofDays(180);

  @Test
  void theTableAgreesWithAMapThroughTouchesRemovalsAndGrowth() {
    for (long seed = 1; seed <= 20; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      RecipientTable table = new RecipientTable();
      Map<EmailAddress, RecipientActivity> model = new HashMap<>();
      // few enough addresses that removals land inside probe runs of a small table
      int population = 8 + random.nextInt(400);
      for (int op = 0; op < 5_000; op++) {
        EmailAddress a = EmailAddress.of("r" + random.nextInt(population) + "@x.example");
        int what = random.nextInt(10);
        if (what < 6) {
          boolean engaged = random.nextInt(3) == 0;
          // seconds and nanos both vary, so a compare on either half would be caught
          Instant at = T0.plusSeconds(random.nextInt(400 * 86_400)).plusNanos(random.nextInt(3));
          table.touch(a, engaged, at);
          model.merge(
              a,
              new RecipientActivity(at, engaged ? Optional.of(at) : Optional.empty()),
              RecipientTableTest::merge);
        } else if (what < 8) {
          assertThat(table.remove(a))
              .as("seed %d op %d remove %s", seed, op, a)
              .isEqualTo(model.remove(a) != null);
        } else {
          Instant at = T0.plusSeconds(random.nextInt(600 * 86_400));
          RecipientActivity expected = model.get(a);
          assertThat(table.get(a)).as("seed %d op %d get %s", seed, op, a).isEqualTo(expected);
          assertThat(table.inactiveAt(a, at, PERIOD))
              .as("seed %d op %d inactiveAt %s %s", seed, op, a, at)
              .isEqualTo(expected != null && expected.inactiveAt(at, PERIOD));
        }
        assertThat(table.size()).isEqualTo(model.size());
      }
      for (Map.Entry<EmailAddress, RecipientActivity> e : model.entrySet()) {
        assertThat(table.get(e.getKey())).as("seed %d", seed).isEqualTo(e.getValue());
      }
    }
  }

  @Test
  void anInstantDifferingOnlyInItsNanosIsOrderedByThem() {
    RecipientTable table = new RecipientTable();
    EmailAddress a = EmailAddress.of("a@x.example");
    table.touch(a, true, T0.plusNanos(5));
    table.touch(a, false, T0.plusNanos(2)); // an earlier send by 3 ns
    table.touch(a, true, T0.plusNanos(4)); // an earlier engagement: the latest stays
    assertThat(table.get(a))
        .isEqualTo(new RecipientActivity(T0.plusNanos(2), Optional.of(T0.plusNanos(5))));
  }

  private static RecipientActivity merge(RecipientActivity old, RecipientActivity touch) {
    Instant first =
        touch.firstSent().isBefore(old.firstSent()) ? touch.firstSent() : old.firstSent();
    Optional<Instant> engaged = old.lastEngaged();
    if (touch.lastEngaged().isPresent()
        && (engaged.isEmpty() || touch.lastEngaged().get().isAfter(engaged.get()))) {
      engaged = touch.lastEngaged();
    }
    return new RecipientActivity(first, engaged);
  }
}
