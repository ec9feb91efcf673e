package dev.steward.health;

import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Where email engagement is kept per tenant and account, as timestamped events, so that it survives
 * a restart, is shared by instances, and any window or decay can be computed from it ({@link
 * EmailEngagementAggregator} counts its windows here). Recording is idempotent per event: an event
 * whose tenant, account and event id are stored already is skipped, whatever else it says (the
 * first one recorded stays). The same account id under two tenants is two accounts. A null argument
 * is refused with an {@link InvalidHealthInputException} naming it, before anything is written.
 * Implementations are thread-safe; {@link InMemoryEngagementStore} is for one process, a JDBC one
 * serves several instances.
 */
public interface EngagementStore {

  /**
   * Records the events, each at most once; the number that were new. A batch is all or nothing
   * where the store has transactions (the JDBC one).
   */
  int record(Collection<EngagementEvent> events);

  /** Records one event; true if it was new. */
  default boolean record(EngagementEvent event) {
    return record(List.of(InvalidHealthInputException.requireNonNull(event, "engagement event")))
        == 1;
  }

  /**
   * The account's events with {@code after < at <= upTo}, oldest first (events at the same instant
   * by event id).
   */
  List<EngagementEvent> events(TenantId tenant, AccountId account, Instant after, Instant upTo);

  /**
   * Deletes at most {@code max} events of any tenant that occurred before {@code cutoff}
   * (retention: see {@link EngagementRetention}); the number removed. Fewer than {@code max} means
   * none is left.
   */
  int purgeBefore(Instant cutoff, int max);

  /** Deletes every event of any tenant that occurred before {@code cutoff}; the number removed. */
  default int purgeBefore(Instant cutoff) {
    int total = 0;
    int n;
    do {
      n = purgeBefore(cutoff, PURGE_BATCH);
      total += n;
    } while (n == PURGE_BATCH);
    return total;
  }

  /** The batch size of {@link #purgeBefore(Instant)}. */
  int PURGE_BATCH = 10_000;

  /** Deletes every event of the account (erasure); true if there was any. */
  boolean erase(TenantId tenant, AccountId account);

  /**
   * Deletes every event of every account of the tenant; the number removed. Other tenants' events
   * stay. Idempotent: a second call removes nothing and returns 0.
   */
  int eraseTenant(TenantId tenant);
}
