package dev.steward.consent;

import java.util.List;

/**
 * The consent changes a store has kept, in the order they were stored, for a follower that must see
 * every one (pushing opt-outs to the provider, say) without being called by the application. Each
 * {@link ConsentStore#update} gives the contact a new sequence number, greater than every number
 * given before it and visible only in that order: a follower that read up to a number and keeps it
 * (its cursor, durable where it likes) and asks again from there misses no change, after a crash
 * too.
 *
 * <p>A contact changed several times since the cursor is listed once, at its latest change; a
 * contact {@link ConsentStore#erase erased} from the store leaves the feed (an erasure by the
 * preference centre stores a tombstone, which is a change). Consent stored before the feed existed
 * (a database upgraded to it) is not listed until it next changes. {@link InMemoryConsentStore} and
 * the JDBC consent store implement it.
 */
public interface ConsentChangeFeed {

  /** The most changes one call returns. */
  int MAX_BATCH = 10_000;

  /**
   * The changes after {@code sequence} (0 for all), oldest first, at most {@code max} (1 to {@value
   * #MAX_BATCH}).
   *
   * @throws InvalidConsentException if {@code sequence} is negative or {@code max} out of range
   */
  List<ConsentChange> changesAfter(long sequence, int max);

  /** Checks the arguments of {@link #changesAfter}, for implementations. */
  static void checkArguments(long sequence, int max) {
    if (sequence < 0) {
      throw new InvalidConsentException("sequence must not be negative, not " + sequence);
    }
    if (max < 1 || max > MAX_BATCH) {
      throw new InvalidConsentException("max must be 1 to " + MAX_BATCH + ", not " + max);
    }
  }
}
