package dev.steward.frequency;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A {@link CapLedgerStore} in memory, for one process and for tests. Thread-safe: reads take no
 * lock; an update locks the subjects' lock stripes in ascending stripe order (a fixed global order,
 * so overlapping updates cannot deadlock), and only holds monitors, so the common one-subject update
 * allocates nothing for locking.
 */
public final class InMemoryCapLedgerStore implements CapLedgerStore {
  /** The number of lock stripes unless told otherwise. */
  public static final int DEFAULT_STRIPES = 1024;

  private final ConcurrentHashMap<SubjectKey, SendLog> logs;
  private final Object[] stripes;
  private final int mask;

  /** A store with {@link #DEFAULT_STRIPES} lock stripes. */
  public InMemoryCapLedgerStore() {
    this(DEFAULT_STRIPES);
  }

  /** A store with {@code stripes} lock stripes, rounded up to a power of two. */
  public InMemoryCapLedgerStore(int stripes) {
    if (stripes < 1 || stripes > (1 << 20)) {
      throw new IllegalArgumentException("stripes must be 1 to 1048576, was " + stripes);
    }
    int n = Integer.highestOneBit(stripes);
    n = n < stripes ? n << 1 : n;
    this.stripes = new Object[n];
    for (int i = 0; i < n; i++) {
      this.stripes[i] = new Object();
    }
    this.mask = n - 1;
    this.logs = new ConcurrentHashMap<>(1024);
  }

  private int stripe(SubjectKey key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & mask;
  }

  @Override
  public <R> R update(List<SubjectKey> subjects, Function<List<SendLog>, LedgerChange<R>> change) {
    Objects.requireNonNull(change, "change");
    if (subjects.size() == 1) {
      synchronized (stripes[stripe(subjects.get(0))]) {
        return apply(subjects, change);
      }
    }
    int[] order = new int[subjects.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = stripe(subjects.get(i));
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
      return apply(subjects, change);
    }
    if (i > 0 && order[i] == order[i - 1]) {
      return lockFrom(order, i + 1, subjects, change); // monitors are re-entrant; skip the repeat
    }
    synchronized (stripes[order[i]]) {
      return lockFrom(order, i + 1, subjects, change);
    }
  }

  private <R> R apply(List<SubjectKey> subjects, Function<List<SendLog>, LedgerChange<R>> change) {
    LedgerChange<R> result = change.apply(read(subjects));
    List<SendLog> out = result.newLogs();
    if (out != null) {
      if (out.size() != subjects.size()) {
        throw new IllegalArgumentException(
            "change returned " + out.size() + " logs for " + subjects.size() + " subjects");
      }
      for (int i = 0; i < out.size(); i++) {
        SendLog log = Objects.requireNonNull(out.get(i), "log");
        if (log.isEmpty()) {
          logs.remove(subjects.get(i));
        } else {
          logs.put(subjects.get(i), log);
        }
      }
    }
    return result.result();
  }

  @Override
  public List<SendLog> read(List<SubjectKey> subjects) {
    if (subjects.size() == 1) {
      return List.of(logs.getOrDefault(subjects.get(0), SendLog.empty()));
    }
    List<SendLog> out = new ArrayList<>(subjects.size());
    for (SubjectKey key : subjects) {
      out.add(logs.getOrDefault(key, SendLog.empty()));
    }
    return out;
  }

  @Override
  public boolean erase(SubjectKey subject) {
    synchronized (stripes[stripe(subject)]) {
      return logs.remove(subject) != null;
    }
  }

  /** The number of subjects with a non-empty log. */
  public int subjectCount() {
    return logs.size();
  }
}
