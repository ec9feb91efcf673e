package dev.steward.frequency;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps the strings of send logs to small ints, so that a log is a packed {@code long[]} and
 * matching is an int compare. One {@link Vocabulary} holds two, each in its own id space; ids live
 * as long as their vocabulary: they are never written to a store (the byte form carries the
 * strings), and logs bound to the vocabulary hold them, so none can be taken back.
 *
 * <p>Only bounded vocabularies belong here: categories and activity names, source teams. Journey
 * ids, which grow without bound, are never interned: a log keeps them as strings.
 */
final class Interner {
  private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
  private final int capacity;
  private final String what;
  private volatile String[] names = new String[4];
  private int next;

  Interner(int capacity, String what) {
    this.capacity = capacity;
    this.what = what;
  }

  /** The id of {@code s}, assigning one on first sight. */
  int id(String s) {
    Integer id = ids.get(s);
    return id != null ? id : assign(s);
  }

  /** The id of {@code s}, or -1 if it was never interned (so no log can hold it). */
  int existingId(String s) {
    Integer id = ids.get(s);
    return id == null ? -1 : id;
  }

  String name(int id) {
    return names[id];
  }

  /** How many strings have an id. */
  int size() {
    return ids.size();
  }

  private synchronized int assign(String s) {
    Integer id = ids.get(s);
    if (id != null) {
      return id;
    }
    int n = next;
    if (n >= capacity) {
      throw new IllegalStateException(
          "more than " + capacity + " distinct " + what + " in send logs of one limiter");
    }
    next++;
    String[] current = names;
    if (n >= current.length) {
      current = Arrays.copyOf(current, current.length * 2);
    }
    current[n] = s;
    names = current; // publish the name before the id becomes visible in the map
    ids.put(s, n);
    return n;
  }
}
