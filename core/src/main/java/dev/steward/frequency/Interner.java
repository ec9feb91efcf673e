package dev.steward.frequency;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps the strings of send logs (categories, teams, activity names, journey ids) to small ints, so
 * that a log is a packed {@code long[]} and matching is an int compare. Ids live as long as the JVM:
 * they are never written to a store (the byte form carries the strings).
 */
final class Interner {
  private static final ConcurrentHashMap<String, Integer> IDS = new ConcurrentHashMap<>();
  private static volatile String[] names = new String[64];
  private static int next;

  private Interner() {}

  /** The id of {@code s}, assigning one on first sight. */
  static int id(String s) {
    Integer id = IDS.get(s);
    return id != null ? id : assign(s);
  }

  /** The id of {@code s}, or -1 if it was never interned (so no log can hold it). */
  static int existingId(String s) {
    Integer id = IDS.get(s);
    return id == null ? -1 : id;
  }

  static String name(int id) {
    return names[id];
  }

  private static synchronized int assign(String s) {
    Integer id = IDS.get(s);
    if (id != null) {
      return id;
    }
    int n = next++;
    if (n >= SendLog.MAX_LABEL_ID) {
      throw new IllegalStateException("too many distinct send-log labels: " + n);
    }
    String[] current = names;
    if (n >= current.length) {
      current = Arrays.copyOf(current, current.length * 2);
    }
    current[n] = s;
    names = current; // publish the name before the id becomes visible in the map
    IDS.put(s, n);
    return n;
  }
}
