package dev.steward.testing;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.model.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Hammers limiter instances from many threads at once: every thread of every instance asks for
 * every contact {@code rounds} times, each thread starting at another contact, all released by one
 * latch. Shared by the in-memory and the PostgreSQL concurrency proofs.
 */
public final class LimiterHammer {
  private LimiterHammer() {}

  /**
   * What the threads were told.
   *
   * @param allowed ALLOW answers per contact (index into the messages)
   * @param deferTargets the instants of every DEFER answer
   * @param unexpected answers that were neither ALLOW nor DEFER
   */
  public record Result(
      AtomicIntegerArray allowed, Set<Instant> deferTargets, List<Decision> unexpected) {}

  /** Runs {@code threadsEach} threads per limiter over {@code messages}, one per contact. */
  public static Result hammer(
      List<FrequencyCapLimiter> limiters, int threadsEach, Message[] messages, int rounds)
      throws Exception {
    int contacts = messages.length;
    AtomicIntegerArray allowed = new AtomicIntegerArray(contacts);
    Set<Instant> deferTargets = ConcurrentHashMap.newKeySet();
    List<Decision> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService executor = Executors.newFixedThreadPool(limiters.size() * threadsEach);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int l = 0; l < limiters.size(); l++) {
        FrequencyCapLimiter limiter = limiters.get(l);
        for (int t = 0; t < threadsEach; t++) {
          int offset = l * threadsEach + t;
          futures.add(
              executor.submit(
                  () -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                      for (int c = 0; c < contacts; c++) {
                        int contact = (c + offset) % contacts;
                        Decision d = limiter.decide(messages[contact]);
                        if (d.isAllowed()) {
                          allowed.incrementAndGet(contact);
                        } else if (d.outcome() == Outcome.DEFER) {
                          deferTargets.add(d.notBefore().orElseThrow());
                        } else {
                          unexpected.add(d);
                        }
                      }
                    }
                    return null;
                  }));
        }
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(3, TimeUnit.MINUTES);
      }
    } finally {
      executor.shutdownNow();
    }
    return new Result(allowed, deferTargets, List.copyOf(unexpected));
  }
}
