package dev.steward.governance;

import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where governance metrics are counted: per tenant, per pool and per tenant in a pool, in {@link
 * Granularity#HOUR hourly} and {@link Granularity#DAY daily} buckets, so that memory and rows stay
 * bounded however many events arrive and instances add to the same buckets atomically. Each event
 * counts once per tenant and event id, however often it is applied (event listeners run at least
 * once), as long as its mark is kept ({@link #purgeMarksBefore}). Beside the counts, the store
 * keeps each recipient's {@link RecipientActivity} for the share of mail sent to inactive
 * addresses.
 *
 * <p>A null or invalid argument is refused with an {@link InvalidGovernanceException} before
 * anything is written. Implementations are thread-safe: {@link InMemoryGovernanceMetricsStore} for
 * one process, a JDBC one shared by instances (an upsert that adds, so no count is lost).
 */
public interface GovernanceMetricsStore {

  /**
   * Counts the increments whose tenant and event id were not counted before; the number counted.
   * All or nothing where the store has transactions.
   */
  int add(Collection<Increment> increments);

  /**
   * The sum of {@code key}'s buckets of {@code granularity} that start in {@code [from, to)};
   * {@link MetricCounts#ZERO} when there are none.
   */
  MetricCounts counts(MetricsKey key, Granularity granularity, Instant from, Instant to);

  /** What is known of the tenant's recipients among {@code addresses}; unknown ones are absent. */
  Map<EmailAddress, RecipientActivity> activity(
      TenantId tenant, Collection<EmailAddress> addresses);

  /** Applies the touches (earliest send, latest engagement kept); idempotent. */
  void touch(Collection<ActivityTouch> touches);

  /** Deletes at most {@code max} buckets of {@code granularity} starting before {@code cutoff}. */
  int purgeBefore(Granularity granularity, Instant cutoff, int max);

  /**
   * Forgets at most {@code max} event marks made before {@code cutoff}: an event applied again
   * after its mark is gone would count again. Keep marks at least as long as events can be
   * redelivered (the event ingestor's retention).
   */
  int purgeMarksBefore(Instant cutoff, int max);

  /** Forgets one recipient address of the tenant (erasure); true if it was known. */
  boolean eraseAddress(TenantId tenant, EmailAddress address);

  /**
   * Deletes everything of the tenant: its buckets (alone and in pools), marks and recipients; the
   * number of buckets removed. Pool-wide buckets keep the tenant's past share: they hold no data of
   * the tenant by itself. Idempotent.
   */
  int eraseTenant(TenantId tenant);

  /**
   * Erases the tenant as {@link #eraseTenant(TenantId)} does and keeps a tombstone dated {@code
   * erasedAt}: the tenant's increments and touches dated at or before it are neither counted nor
   * recorded, so events accepted before the erasure and applied after it (a queue, a provider's
   * retry, another instance) do not rebuild its metrics or its recipients. The tombstone is purged
   * like an event mark, by its time ({@link #purgeMarksBefore}): an event older than the marks kept
   * would count again anyway. Events dated after it count: the tenant may come back. The number of
   * buckets removed. The default erases without a tombstone.
   */
  default int eraseTenant(TenantId tenant, Instant erasedAt) {
    InvalidGovernanceException.requireNonNull(erasedAt, "erasedAt");
    return eraseTenant(tenant);
  }

  /** Convenience: counts one increment; true if it was new. */
  default boolean add(Increment increment) {
    return add(List.of(InvalidGovernanceException.requireNonNull(increment, "increment"))) == 1;
  }
}
