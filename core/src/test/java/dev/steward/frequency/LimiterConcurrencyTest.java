package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.model.Message;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    SettableClock clock = new SettableClock(Instant.parse("2026-03-04T12:00:00Z"));
    InMemoryCapLedgerStore store = new InMemoryCapLedgerStore();
    CapPolicy policy = CapPolicy.builder().cap(Cap.perContact(2, Window.week())).build();
    List<FrequencyCapLimiter> instances = new ArrayList<>();
    for (int i = 0; i < limiters; i++) {
      instances.add(FrequencyCapLimiter.builder(store, clock).policy(policy).build());
    }
    Message[] messages = new Message[contacts];
    for (int c = 0; c < contacts; c++) {
      messages[c] = Messages.promo("contact-" + c);
    }
    AtomicIntegerArray allowed = new AtomicIntegerArray(contacts);
    ConcurrentHashMap<Instant, Boolean> deferTargets = new ConcurrentHashMap<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(limiters * threadsPerLimiter);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int l = 0; l < limiters; l++) {
        FrequencyCapLimiter limiter = instances.get(l);
        for (int t = 0; t < threadsPerLimiter; t++) {
          int offset = l * threadsPerLimiter + t;
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                      for (int c = 0; c < contacts; c++) {
                        int contact = (c + offset) % contacts;
                        Decision d = limiter.decide(messages[contact]);
                        if (d.isAllowed()) {
                          allowed.incrementAndGet(contact);
                        } else {
                          assertThat(d.outcome()).isEqualTo(Outcome.DEFER);
                          deferTargets.put(d.notBefore(), Boolean.TRUE);
                        }
                      }
                    }
                    return null;
                  }));
        }
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    for (int c = 0; c < contacts; c++) {
      assertThat(allowed.get(c)).as("contact %d", c).isEqualTo(2);
    }
    // every deferral points at the next ISO week (Monday 9 March 2026, UTC)
    assertThat(deferTargets.keySet()).containsExactly(Instant.parse("2026-03-09T00:00:00Z"));
    assertThat(store.subjectCount()).isEqualTo(contacts);
  }
}
