package dev.steward.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Counts how often each of {@code n} items (ids "0" to "n-1") was executed, from any thread, so a
 * drain can prove that every item ran exactly once before its figure is reported.
 */
final class Executions {
  private final AtomicIntegerArray runs;
  private final AtomicInteger total = new AtomicInteger();

  Executions(int n) {
    runs = new AtomicIntegerArray(n);
  }

  /** Records one execution of the item with this id. */
  void ran(String id) {
    runs.incrementAndGet(Integer.parseInt(id));
    total.incrementAndGet();
  }

  /** Executions so far, repeats included. */
  int total() {
    return total.get();
  }

  /** Throws unless every item ran exactly once. */
  void verifyExactlyOnce(String who) {
    int missing = 0;
    int repeated = 0;
    for (int i = 0; i < runs.length(); i++) {
      int r = runs.get(i);
      if (r == 0) {
        missing++;
      } else if (r > 1) {
        repeated++;
      }
    }
    if (missing > 0 || repeated > 0) {
      throw new IllegalStateException(
          who
              + ": of "
              + runs.length()
              + " items "
              + missing
              + " never ran and "
              + repeated
              + " ran more than once");
    }
  }
}
