package dev.steward.frequency;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Store of the send log of every subject (contact or account) that caps count. The limiter's
 * algorithm stays in core; a backend only locks, reads and writes logs, the way Bucket4j's backends
 * do. Implementations must make {@link #update} atomic across threads and, for shared databases,
 * across instances. Every implementation refuses the same bad arguments the same way, with an
 * {@link InvalidLimiterArgumentException} naming the argument, before anything is read or written:
 * a null argument, subjects that are not distinct, a purge with no cutoff or a maximum below 1, and
 * a change that answers null or with a number of logs other than its subjects'.
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

  /**
   * Reads the logs without locking, in the order of {@code subjects}: a consistent view of all of
   * them as committed at one moment (the limiter may decide a refusal on it alone).
   */
  List<SendLog> read(List<SubjectKey> subjects);

  /**
   * True when an {@link #update} costs much more than a {@link #read} (a database transaction with
   * row locks and a durable commit): the limiter then decides on a read first and takes the update
   * only when the answer may be ALLOW, so that a refusal writes nothing. Default false: in memory a
   * lock costs about what a read does, and reading twice would cost more.
   */
  default boolean updateCostsMoreThanRead() {
    return false;
  }

  /** Deletes a subject's log (erasure); true if there was one. */
  boolean erase(SubjectKey subject);

  /**
   * Deletes every log of {@code tenant} (contacts' and accounts') and returns how many; idempotent
   * (a second call deletes none). Logs of other tenants stay, even under the same contact or
   * account ids.
   *
   * @throws InvalidLimiterArgumentException if {@code tenant} is null
   */
  int eraseTenant(TenantId tenant);

  /**
   * Deletes at most {@code max} logs that have been idle since before {@code cutoff} (see {@link
   * SendLog#idleSince()}: every entry older than {@code cutoff}), and returns how many it deleted;
   * fewer than {@code max} means it found no more. A log that an {@link #update} writes while the
   * purge runs is never deleted with its new entries: the check and the delete are one atomic step
   * per log. Retention keeps logs only as long as rules can read them: the limiter prunes a log to
   * its longest window only when it writes the log, so the log of a subject never written again
   * would stay for good without this; see {@link CapLedgerRetention} for the cutoff that is safe
   * for a policy.
   *
   * <p>The default refuses, for stores written before retention existed.
   *
   * @throws InvalidLimiterArgumentException if {@code cutoff} is null or {@code max} is below 1
   * @throws UnsupportedOperationException if the store cannot purge
   */
  default int purgeIdleSince(Instant cutoff, int max) {
    throw new UnsupportedOperationException(
        getClass().getName() + " cannot purge idle send logs; implement purgeIdleSince");
  }
}
