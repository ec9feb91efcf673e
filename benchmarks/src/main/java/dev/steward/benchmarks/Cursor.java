package dev.steward.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * One benchmark thread's position in the {@link Workload} stream; threads start at evenly spaced
 * positions so that two threads do not walk the same draws.
 */
@State(Scope.Thread)
public class Cursor {
  private int position;

  /** Places this thread's start in the stream. */
  @Setup
  public void setUp(ThreadParams threads) {
    position = threads.getThreadIndex() * (Workload.STREAM_LENGTH / threads.getThreadCount());
  }

  /** The next position, advancing this thread's cursor. */
  public int next() {
    return position++;
  }
}
