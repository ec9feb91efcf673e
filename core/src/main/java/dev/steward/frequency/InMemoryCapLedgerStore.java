package dev.steward.frequency;

import dev.steward.frequency.internal.LedgerChecks;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link CapLedgerStore} in memory, for one process and for tests. Thread-safe.
 *
 * <p>Subjects are spread over segments, each a small open-addressing table of subject key to packed
 * log guarded by its own monitor. An update locks the segments of its subjects in ascending segment
 * order (a fixed global order, so overlapping updates cannot deadlock). A subject costs its key
 * (for a contact, the id string it shares with the message), four table slots (tenant, key, value
 * and hash) and one {@code long[]}: about 85 bytes plus 16 bytes per recorded entry, without the
 * node, wrapper and key objects a {@code ConcurrentHashMap} would add.
 */
public final class InMemoryCapLedgerStore implements CapLedgerStore {
  /** The number of segments unless told otherwise. */
  public static final int DEFAULT_SEGMENTS = 1024;

  private final Segment[] segments;
  private final int shift;

  /**
   * The vocabulary of the packed logs held: that of the first limiter that writes a log here (see
   * {@link Vocabulary}); a log of another is translated by name when written. Null until then.
   */
  private volatile Vocabulary vocabulary;

  /** An empty store with {@link #DEFAULT_SEGMENTS} lock segments. */
  public static InMemoryCapLedgerStore of() {
    return new InMemoryCapLedgerStore();
  }

  /** An empty store with {@code segments} lock segments (a power of two). */
  public static InMemoryCapLedgerStore of(int segments) {
    return new InMemoryCapLedgerStore(segments);
  }

  private InMemoryCapLedgerStore() {
    this(DEFAULT_SEGMENTS);
  }

  /** A store with {@code segments} lock segments, rounded up to a power of two. */
  private InMemoryCapLedgerStore(int segments) {
    if (segments < 1 || segments > (1 << 16)) {
      throw new InvalidLimiterArgumentException("segments must be 1 to 65536, was " + segments);
    }
    int bits = 32 - Integer.numberOfLeadingZeros(segments - 1);
    this.segments = new Segment[1 << bits];
    for (int i = 0; i < this.segments.length; i++) {
      this.segments[i] = new Segment();
    }
    this.shift = 32 - bits;
  }

  private static int hash(SubjectKey key) {
    return key.hashCode() * 0x9E3779B9; // Fibonacci mixing: high bits pick the segment
  }

  private int segmentOf(int hash) {
    return shift == 32 ? 0 : hash >>> shift;
  }

  @Override
  public <R> R update(List<SubjectKey> subjects, Function<List<SendLog>, LedgerChange<R>> change) {
    LedgerChecks.subjects(subjects);
    LedgerChecks.notNull(change, "change");
    if (subjects.size() == 1) {
      SubjectKey key = subjects.get(0);
      int h = hash(key);
      Segment segment = segments[segmentOf(h)];
      synchronized (segment) {
        LedgerChange<R> result =
            LedgerChecks.result(
                change.apply(List.of(SendLog.wrap(segment.get(key, h), vocabulary))), 1);
        List<SendLog> out = result.newLogs();
        if (out != null) {
          segment.put(key, h, bound(out.get(0)));
        }
        return result.result();
      }
    }
    int[] order = new int[subjects.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = segmentOf(hash(subjects.get(i)));
    }
    Arrays.sort(order);
    return lockFrom(order, 0, subjects, change);
  }

  private <R> R lockFrom(
      int[] order,
      int i,
      List<SubjectKey> subjects,
      Function<List<SendLog>, LedgerChange<R>> change) {
    if (i == order.length) {
      return applyLocked(subjects, change);
    }
    if (i > 0 && order[i] == order[i - 1]) {
      return lockFrom(order, i + 1, subjects, change); // already held; monitors are re-entrant
    }
    synchronized (segments[order[i]]) {
      return lockFrom(order, i + 1, subjects, change);
    }
  }

  private <R> R applyLocked(
      List<SubjectKey> subjects, Function<List<SendLog>, LedgerChange<R>> change) {
    List<SendLog> logs = new ArrayList<>(subjects.size());
    for (SubjectKey key : subjects) {
      int h = hash(key);
      logs.add(SendLog.wrap(segments[segmentOf(h)].get(key, h), vocabulary));
    }
    LedgerChange<R> result = LedgerChecks.result(change.apply(logs), subjects.size());
    List<SendLog> out = result.newLogs();
    if (out != null) {
      for (int i = 0; i < out.size(); i++) {
        SubjectKey key = subjects.get(i);
        int h = hash(key);
        segments[segmentOf(h)].put(key, h, bound(out.get(i)));
      }
    }
    return result.result();
  }

  /** {@code log} in this store's vocabulary, which the first log written with one decides. */
  private SendLog bound(SendLog log) {
    Vocabulary own = log.vocabulary();
    Vocabulary v = vocabulary;
    if (own == null || own == v) {
      return log;
    }
    if (v == null) {
      synchronized (this) {
        if (vocabulary == null) {
          vocabulary = own;
        }
        v = vocabulary;
      }
    }
    return log.in(v);
  }

  @Override
  public List<SendLog> read(List<SubjectKey> subjects) {
    LedgerChecks.subjects(subjects);
    if (subjects.size() == 1) {
      return List.of(read(subjects.get(0)));
    }
    List<SendLog> out = new ArrayList<>(subjects.size());
    for (SubjectKey key : subjects) {
      out.add(read(key));
    }
    return out;
  }

  private SendLog read(SubjectKey key) {
    int h = hash(key);
    Segment segment = segments[segmentOf(h)];
    synchronized (segment) {
      return SendLog.wrap(segment.get(key, h), vocabulary);
    }
  }

  @Override
  public boolean erase(SubjectKey key) {
    LedgerChecks.notNull(key, "subject");
    int h = hash(key);
    Segment segment = segments[segmentOf(h)];
    synchronized (segment) {
      return segment.remove(key, h);
    }
  }

  /** Scans the segments one at a time, each under its own monitor only while it is scanned. */
  @Override
  public int eraseTenant(TenantId tenant) {
    LedgerChecks.notNull(tenant, "tenant");
    int removed = 0;
    for (Segment s : segments) {
      synchronized (s) {
        removed += s.removeTenant(tenant.value());
      }
    }
    return removed;
  }

  /**
   * Scans the segments one at a time, each under its own monitor only while it is scanned, so a
   * purge never blocks more than one segment's updates at once; an update either ran before the
   * scan reached its segment (and its log is judged with its new entries) or runs after it.
   */
  @Override
  public int purgeIdleSince(Instant cutoff, int max) {
    LedgerChecks.purge(cutoff, max);
    // entries are whole seconds: one is before the cutoff when its second is below this
    long limit = cutoff.getNano() > 0 ? cutoff.getEpochSecond() + 1 : cutoff.getEpochSecond();
    int removed = 0;
    for (int i = 0; i < segments.length && removed < max; i++) {
      Segment s = segments[i];
      synchronized (s) {
        removed += s.removeIdle(limit, max - removed);
      }
    }
    return removed;
  }

  /** The number of subjects with a non-empty log. */
  public int subjectCount() {
    int n = 0;
    for (Segment s : segments) {
      synchronized (s) {
        n += s.size;
      }
    }
    return n;
  }

  /**
   * An open-addressing table (linear probing, backward-shift deletion) of key to the log's packed
   * array ({@code SendLog.packed()}); callers hold its monitor.
   *
   * <p>Tenant, key and value sit side by side in one array, so a lookup touches one line of it, and
   * a contact's key is stored as the contact's id string alone beside its tenant's id string (other
   * keys as the {@link SubjectKey}): a key made from the same strings then matches by identity,
   * without reading the stored key at all, and the key costs no object of its own. Each slot's hash
   * is kept too, so a probe past other keys compares ints, and growth and deletion never rehash.
   */
  private static final class Segment {
    private static final int W = 3; // tenant at 3i, key at 3i + 1, value at 3i + 2
    private Object[] table = new Object[4 * W];
    private int[] hashes = new int[4];
    private int size;

    /**
     * The slot count less one, kept in the segment itself: a lookup reads it from the segment's own
     * header line, not from the header of the {@code hashes} array, which it may not touch.
     */
    private int mask = 3;

    /** What the table holds for {@code key}: its id string for a contact, else the key. */
    private static Object stored(SubjectKey key) {
      return key.isContact() ? key.id() : key;
    }

    private static boolean matches(Object tenant, Object stored, SubjectKey key) {
      return key.isContact()
          ? stored instanceof String id
              && id.equals(key.id())
              && key.tenant().value().equals(tenant)
          : key.equals(stored);
    }

    private int find(SubjectKey key, int hash) {
      Object probe = stored(key);
      String tenant = key.tenant().value();
      int mask = this.mask;
      for (int i = hash & mask; ; i = (i + 1) & mask) {
        Object k = table[W * i + 1];
        if (k == null) {
          return -1 - i; // the empty slot where the key would go
        }
        if ((k == probe && table[W * i] == tenant)
            || (hashes[i] == hash && matches(table[W * i], k, key))) {
          return i;
        }
      }
    }

    long[] get(SubjectKey key, int hash) {
      int i = find(key, hash);
      return i < 0 ? null : (long[]) table[W * i + 2];
    }

    /** Stores {@code log}; an empty log removes the subject. */
    void put(SubjectKey key, int hash, SendLog log) {
      if (log.isEmpty()) {
        remove(key, hash);
        return;
      }
      int i = find(key, hash);
      if (i >= 0) {
        table[W * i + 2] = log.packed();
        return;
      }
      if ((size + 1) * 4 > hashes.length * 3) {
        grow();
        i = find(key, hash);
      }
      insertAt(-1 - i, key.tenant().value(), stored(key), hash, log.packed());
    }

    private void insertAt(int i, Object tenant, Object storedKey, int hash, long[] packed) {
      table[W * i] = tenant;
      table[W * i + 1] = storedKey;
      table[W * i + 2] = packed;
      hashes[i] = hash;
      size++;
    }

    boolean remove(SubjectKey key, int hash) {
      int i = find(key, hash);
      if (i < 0) {
        return false;
      }
      removeAt(i);
      return true;
    }

    /** Removes at most {@code max} logs whose newest entry is before {@code limit}; how many. */
    int removeIdle(long limit, int max) {
      int removed = 0;
      int i = 0;
      while (i < hashes.length && removed < max) {
        if (table[W * i + 2] instanceof long[] packed && packed[packed.length - 2] < limit) {
          removeAt(i);
          removed++;
          // the backward shift may have moved a later key into slot i: look at it again
        } else {
          i++;
        }
      }
      return removed;
    }

    /** Removes every log of the tenant; how many. */
    int removeTenant(String tenant) {
      int removed = 0;
      int i = 0;
      while (i < hashes.length) {
        if (table[W * i + 1] != null && tenant.equals(table[W * i])) {
          removeAt(i);
          removed++;
          // the backward shift may have moved a later key into slot i: look at it again
        } else {
          i++;
        }
      }
      return removed;
    }

    private void removeAt(int i) {
      // shift later members of the probe run back so that no lookup stops at the hole
      int mask = hashes.length - 1;
      int hole = i;
      for (int j = (hole + 1) & mask; table[W * j + 1] != null; j = (j + 1) & mask) {
        int home = hashes[j] & mask;
        boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
        if (movable) {
          table[W * hole] = table[W * j];
          table[W * hole + 1] = table[W * j + 1];
          table[W * hole + 2] = table[W * j + 2];
          hashes[hole] = hashes[j];
          hole = j;
        }
      }
      table[W * hole] = null;
      table[W * hole + 1] = null;
      table[W * hole + 2] = null;
      hashes[hole] = 0;
      size--;
    }

    private void grow() {
      Object[] oldTable = table;
      int[] oldHashes = hashes;
      table = new Object[oldTable.length * 2];
      hashes = new int[oldHashes.length * 2];
      size = 0;
      mask = hashes.length - 1;
      for (int j = 0; j < oldHashes.length; j++) {
        if (oldTable[W * j + 1] != null) {
          int i = oldHashes[j] & mask;
          while (table[W * i + 1] != null) {
            i = (i + 1) & mask;
          }
          insertAt(
              i, oldTable[W * j], oldTable[W * j + 1], oldHashes[j], (long[]) oldTable[W * j + 2]);
        }
      }
    }
  }
}
