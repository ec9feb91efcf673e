package dev.steward.health;

import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Store of every score of every account, per tenant: the same account id under two tenants is two
 * accounts, whose records never mix. One record per tenant, account and time: appending a record
 * for a time already stored replaces it, so re-running a scoring job is idempotent. A null argument
 * is refused with an {@link InvalidHealthInputException} naming it. Implementations are
 * thread-safe; {@link InMemoryHealthHistoryStore} is the default, a JDBC one serves several
 * instances.
 */
public interface HealthHistoryStore {

  /** Stores the record, replacing any record of the same tenant, account and time. */
  void append(HealthRecord record);

  /** The account's records with {@code from <= asOf < to}, oldest first. */
  List<HealthRecord> history(TenantId tenant, AccountId account, Instant from, Instant to);

  /** The account's last {@code n} records (or fewer), oldest first. */
  List<HealthRecord> recent(TenantId tenant, AccountId account, int n);

  /** The account's newest record at or before {@code at}. */
  Optional<HealthRecord> atOrBefore(TenantId tenant, AccountId account, Instant at);

  /** The account's newest record. */
  default Optional<HealthRecord> latest(TenantId tenant, AccountId account) {
    return atOrBefore(tenant, account, Instant.MAX);
  }

  /** Every account of the tenant with at least one record. */
  Set<AccountId> accounts(TenantId tenant);

  /** Deletes an account's whole history (erasure); true if there was any. */
  boolean erase(TenantId tenant, AccountId account);

  /**
   * Deletes every record of every account of the tenant; the number of records removed. Other
   * tenants' records stay. Idempotent: a second call removes nothing and returns 0.
   */
  int eraseTenant(TenantId tenant);
}
