package dev.steward.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Counts, per benchmark thread, how many decisions allowed and how many refused (deferred or
 * suppressed), so the report shows both sides did comparable work on the same stream.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class Tally {
  /** Decisions that allowed the send. */
  public long allowed;

  /** Decisions that deferred or suppressed the send. */
  public long refused;

  /** Counts one decision. */
  public void count(boolean allow) {
    if (allow) {
      allowed++;
    } else {
      refused++;
    }
  }
}
