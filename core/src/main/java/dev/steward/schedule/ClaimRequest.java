package dev.steward.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * What a runner asks a store for: up to {@code max} READY items due at {@code now} that nobody
 * holds (or whose lease lapsed), of the given kinds, leased to {@code owner} for {@code lease}.
 *
 * <p>Due time is judged by {@code now}, the application's clock: it is business time, like every
 * other time the library decides by. Leases are judged by the store's own clock (the database's, on
 * JDBC), so instances whose clocks disagree never take over each other's live leases.
 *
 * @param now the application's time, against which due times are compared
 * @param max how many items at most
 * @param owner the claiming runner's id
 * @param lease how long the claim lasts unless renewed
 * @param kinds the kinds wanted; empty for any
 */
public record ClaimRequest(Instant now, int max, String owner, Duration lease, Set<String> kinds) {
  public ClaimRequest {
    Checks.notNull(now, "now");
    if (max < 1) {
      throw new InvalidWorkException("a claim must ask for at least 1 item, was " + max);
    }
    if (owner == null || owner.isBlank() || owner.length() > WorkKey.MAX_ID) {
      throw new InvalidWorkException("claim owner must be 1 to 200 characters, was " + owner);
    }
    Checks.lease(lease);
    kinds = Set.copyOf(kinds);
    kinds.forEach(WorkKey::checkKind);
  }

  /** A claim of any kind of work. */
  public static ClaimRequest of(Instant now, int max, String owner, Duration lease) {
    return new ClaimRequest(now, max, owner, lease, Set.of());
  }
}
