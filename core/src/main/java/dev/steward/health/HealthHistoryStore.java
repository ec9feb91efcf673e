package dev.steward.health;

import dev.steward.model.AccountId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Store of every score of every account. One record per account and time: appending a record for a
 * time already stored replaces it, so re-running a scoring job is idempotent. Implementations are
 * thread-safe; {@link InMemoryHealthHistoryStore} is the default, a JDBC one serves several instances.
 */
public interface HealthHistoryStore {

  /** Stores the record, replacing any record of the same account and time. */
  void append(HealthRecord record);

  /** The account's records with {@code from <= asOf < to}, oldest first. */
  List<HealthRecord> history(AccountId account, Instant from, Instant to);

  /** The account's last {@code n} records (or fewer), oldest first. */
  List<HealthRecord> recent(AccountId account, int n);

  /** The account's newest record at or before {@code at}. */
  Optional<HealthRecord> atOrBefore(AccountId account, Instant at);

  /** The account's newest record. */
  default Optional<HealthRecord> latest(AccountId account) {
    return atOrBefore(account, Instant.MAX);
  }

  /** Every account with at least one record. */
  Set<AccountId> accounts();

  /** Deletes an account's whole history (erasure); true if there was any. */
  boolean erase(AccountId account);
}
