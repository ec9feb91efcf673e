package dev.steward.frequency;

import java.util.List;
import java.util.function.Function;

/**
 * Store of the send log of every subject (contact or account) that caps count. The limiter's
 * algorithm stays in core; a backend only locks, reads and writes logs, the way Bucket4j's backends
 * do. Implementations must make {@link #update} atomic across threads and, for shared databases,
 * across instances.
 */
public interface CapLedgerStore {

  /**
   * Locks the logs of {@code subjects} (a missing log reads as {@link SendLog#empty()}), passes
   * them in the same order to {@code change}, writes the logs it returns (if any), and releases the
   * locks; returns the change's result. Subjects are distinct. Implementations lock in a fixed
   * global order so that two updates over overlapping subjects cannot deadlock. If {@code change}
   * throws, nothing is written.
   */
  <R> R update(List<SubjectKey> subjects, Function<List<SendLog>, LedgerChange<R>> change);

  /** Reads the logs without locking, in the order of {@code subjects}. */
  List<SendLog> read(List<SubjectKey> subjects);

  /** Deletes a subject's log (erasure); true if there was one. */
  boolean erase(SubjectKey subject);
}
