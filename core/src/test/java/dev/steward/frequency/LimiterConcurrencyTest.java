package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.Message;
import dev.steward.testing.LimiterHammer;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Four limiters over one in-memory store, hammered from 32 threads: a cap is never exceeded. */
class LimiterConcurrencyTest {

  @Test
  void fourLimitersOverOneStoreNeverExceedTheCap() throws Exception {
    int contacts = 50;
    int limiters = 4;
    int threadsPerLimiter = 8;
    int rounds = 20;
    SettableClock clock = SettableClock.of(Instant.parse("2026-03-04T12:00:00Z"));
    InMemoryCapLedgerStore store = InMemoryCapLedgerStore.of();
    CapPolicy policy = CapPolicy.builder().cap(Cap.perContact(2, Window.week())).build();
    List<FrequencyCapLimiter> instances = new ArrayList<>();
    for (int i = 0; i < limiters; i++) {
      instances.add(FrequencyCapLimiter.builder(store, clock).policy(policy).build());
    }
    Message[] messages = new Message[contacts];
    for (int c = 0; c < contacts; c++) {
      messages[c] = Messages.promo("contact-" + c);
    }
    LimiterHammer.Result result =
        LimiterHammer.hammer(instances, threadsPerLimiter, messages, rounds);
    AtomicIntegerArray allowed = result.allowed();
    assertThat(result.unexpected()).isEmpty();

    for (int c = 0; c < contacts; c++) {
      assertThat(allowed.get(c)).as("contact %d", c).isEqualTo(2);
    }
    // every deferral points at the next ISO week (Monday 9 March 2026, UTC)
    assertThat(result.deferTargets()).containsExactly(Instant.parse("2026-03-09T00:00:00Z"));
    assertThat(store.subjectCount()).isEqualTo(contacts);
  }
}
