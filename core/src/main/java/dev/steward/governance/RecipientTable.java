package dev.steward.governance;

import dev.steward.model.EmailAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The recipient activity of one tenant in memory: an open-addressing table of addresses, each with
 * its first send and last engagement as numbers in one row of a {@code long[]}. A {@code HashMap}
 * of {@link RecipientActivity} values kept five objects per recipient (the map's node, the record,
 * an {@code Optional} and two {@code Instant}s), so reading a recipient not met lately cost as many
 * cache misses, and every merge a new record; here it is the key's slot and one row, and a {@link
 * RecipientActivity} is built only when one is asked for. Grown at half full; a removal shifts the
 * rest of its probe run back, so no tombstones build up. Not thread-safe: {@link TenantCounts}
 * guards it.
 */
final class RecipientTable {
  private static final int INITIAL_CAPACITY = 16;
  private static final int ROW = 4; // first send seconds and nanos, last engagement seconds, nanos
  private static final long NEVER = Long.MIN_VALUE; // no engagement: no storable instant is that

  private EmailAddress[] keys = new EmailAddress[INITIAL_CAPACITY];
  private long[] rows = new long[INITIAL_CAPACITY * ROW];
  private int size;

  int size() {
    return size;
  }

  /** The activity of {@code address}, or null when it has none. */
  RecipientActivity get(EmailAddress address) {
    int i = find(address);
    if (i < 0) {
      return null;
    }
    int r = i * ROW;
    Instant first = Instant.ofEpochSecond(rows[r], rows[r + 1]);
    Optional<Instant> engaged =
        rows[r + 2] == NEVER
            ? Optional.empty()
            : Optional.of(Instant.ofEpochSecond(rows[r + 2], rows[r + 3]));
    return new RecipientActivity(first, engaged);
  }

  /**
   * What {@link RecipientActivity#inactiveAt} says of {@code address}, without building the
   * activity; false for an address with none (never mailed before).
   */
  boolean inactiveAt(EmailAddress address, Instant at, Duration period) {
    int i = find(address);
    if (i < 0) {
      return false;
    }
    Instant since = RecipientActivity.since(at, period);
    if (since == null) {
      return false; // a period longer than the instant range: no one was mailed that long ago
    }
    int r = i * ROW;
    if (compare(rows[r], rows[r + 1], since) > 0) {
      return false; // first mailed within the period
    }
    return rows[r + 2] == NEVER || compare(rows[r + 2], rows[r + 3], since) < 0;
  }

  /** Records mail sent to {@code address} at {@code at} (engaged false) or an open or click. */
  void touch(EmailAddress address, boolean engaged, Instant at) {
    int i = find(address);
    long s = at.getEpochSecond();
    long n = at.getNano();
    if (i < 0) {
      if (size + 1 > keys.length / 2) {
        rehash(keys.length * 2);
      }
      i = slotFor(address, keys);
      keys[i] = address;
      int r = i * ROW;
      rows[r] = s;
      rows[r + 1] = n;
      rows[r + 2] = engaged ? s : NEVER;
      rows[r + 3] = engaged ? n : 0;
      size++;
      return;
    }
    int r = i * ROW;
    // the earliest send is kept (an engagement proves mail was sent by then too)
    if (compare(rows[r], rows[r + 1], at) > 0) {
      rows[r] = s;
      rows[r + 1] = n;
    }
    if (engaged && (rows[r + 2] == NEVER || compare(rows[r + 2], rows[r + 3], at) < 0)) {
      rows[r + 2] = s;
      rows[r + 3] = n;
    }
  }

  /** Forgets {@code address}; false if it had no activity. */
  boolean remove(EmailAddress address) {
    int i = find(address);
    if (i < 0) {
      return false;
    }
    int mask = keys.length - 1;
    // backward-shift deletion: move each later member of the run into the hole if its home slot
    // does not lie between the hole and itself (cyclically), so every lookup still finds it
    int hole = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      EmailAddress k = keys[j];
      if (k == null) {
        break;
      }
      int home = home(k, mask);
      boolean stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
      if (!stays) {
        keys[hole] = k;
        System.arraycopy(rows, j * ROW, rows, hole * ROW, ROW);
        hole = j;
      }
    }
    keys[hole] = null;
    size--;
    return true;
  }

  /** The signum of the instant {@code (seconds, nanos)} compared with {@code at}. */
  private static int compare(long seconds, long nanos, Instant at) {
    int c = Long.compare(seconds, at.getEpochSecond());
    return c != 0 ? c : Long.compare(nanos, at.getNano());
  }

  private int find(EmailAddress address) {
    int mask = keys.length - 1;
    int i = home(address, mask);
    while (true) {
      EmailAddress k = keys[i];
      if (k == null) {
        return -1;
      }
      if (k == address || k.equals(address)) {
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  /** The first free slot of {@code address}'s probe run in {@code table}. */
  private static int slotFor(EmailAddress address, EmailAddress[] table) {
    int mask = table.length - 1;
    int i = home(address, mask);
    while (table[i] != null) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private static int home(EmailAddress address, int mask) {
    int h = address.hashCode();
    return (h ^ (h >>> 16)) & mask;
  }

  private void rehash(int capacity) {
    EmailAddress[] oldKeys = keys;
    long[] oldRows = rows;
    keys = new EmailAddress[capacity];
    rows = new long[capacity * ROW];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null) {
        int j = slotFor(oldKeys[i], keys);
        keys[j] = oldKeys[i];
        System.arraycopy(oldRows, i * ROW, rows, j * ROW, ROW);
      }
    }
  }
}
