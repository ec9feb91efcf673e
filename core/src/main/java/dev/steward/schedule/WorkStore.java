package dev.steward.schedule;

import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Durable store of due work, shared by every runner (in one process or several). Items are keyed by
 * {@link WorkKey}; a due item is claimed under a {@link Lease} so only one runner works on it; a
 * runner keeps its lease alive by renewing it and loses it only if it stops renewing (a crash), in
 * which case another runner claims the item after the lease. Finished items leave the store at
 * once; items that keep failing stay, {@link WorkState#DEAD}, until an operator retries or cancels
 * them.
 *
 * <p>Implementations: {@link InMemoryWorkStore}, and {@code dev.steward.jdbc.JdbcWorkStore} for H2
 * and PostgreSQL. All pass one contract suite and refuse the same inputs with {@link
 * InvalidWorkException}.
 */
public interface WorkStore {

  /**
   * Stores new work. With {@link IfExists#KEEP} an existing item of the same key stays as it is and
   * the answer is false; with {@link IfExists#REPLACE} it is overwritten (READY, attempts 0) and
   * any lease on it is dropped. True if the given item is now stored.
   */
  boolean schedule(WorkItem item, IfExists ifExists);

  /** Stores many items in one round trip, each as {@link #schedule} would; how many were stored. */
  int scheduleAll(Collection<WorkItem> items, IfExists ifExists);

  /**
   * Claims due work, earliest due first and, at the same time, highest priority first, interleaving
   * tenants so that one tenant's backlog does not starve the others.
   */
  List<ClaimedWork> claim(ClaimRequest request);

  /**
   * Extends the given leases to {@code lease} from the store's clock; returns those still held (a
   * lease that lapsed and was claimed by another runner, or whose item was cancelled, is not).
   */
  List<Lease> renew(Collection<Lease> leases, Duration lease);

  /**
   * Applies completions, each only if its lease is still held; returns those applied, in order. A
   * completion whose lease was lost changes nothing: the runner that took over decides.
   */
  List<Completion> complete(List<Completion> completions);

  /** Gives claimed items back unworked (shutdown): free at once, attempts unchanged. */
  int release(Collection<Lease> leases);

  /**
   * Writes {@code writes} (each as {@link #schedule} with {@link IfExists#REPLACE} would) only if
   * every item of {@code expected} is still stored as it was read (same due time, payload, payload
   * version, priority and subject, READY) and no runner holds a live lease on it; otherwise writes
   * nothing and answers false. All or nothing, and atomic with respect to claims, to schedules and
   * to other calls of this method, in one process or several: the primitive under a move that must
   * neither lose nor double an item, such as the dispatcher's priority look-ahead, which moves
   * waiting messages back to give their slot to a more important one. The caller reads again and
   * retries on false.
   *
   * <p>The default refuses with {@link UnsupportedOperationException}; the shipped stores implement
   * it. Items in {@code expected} must have distinct keys.
   */
  default boolean replaceIfUnchanged(Collection<WorkItem> expected, Collection<WorkItem> writes) {
    throw new UnsupportedOperationException(
        getClass().getName() + " cannot replace work items conditionally");
  }

  /** Removes an item whatever its state or lease; true if it was there. */
  boolean cancel(WorkKey key);

  /** Removes every item of a tenant about a subject (erasure, opt-out); how many. */
  int cancelSubject(TenantId tenant, String subject);

  /** Removes every item of a tenant; how many. */
  int cancelTenant(TenantId tenant);

  /** The stored item of a key. */
  Optional<WorkItem> find(WorkKey key);

  /** A tenant's items about a subject, of one kind, earliest due first. */
  List<WorkItem> findBySubject(TenantId tenant, String subject, String kind);

  /** DEAD items, oldest due first, at most {@code max}: for operators. */
  List<WorkItem> dead(int max);

  /**
   * Makes a DEAD item READY again, due at {@code at}, attempts back to 0; false if not DEAD.
   *
   * @throws InvalidWorkException if {@code at} is null or outside the storable range, whatever the
   *     key
   */
  boolean retryDead(WorkKey key, Instant at);

  /** How many items are in a state. */
  long count(WorkState state);
}
