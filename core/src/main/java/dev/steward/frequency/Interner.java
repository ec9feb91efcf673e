package dev.steward.frequency;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps the strings of send logs to small ints, so that a log is a packed {@code long[]} and
 * matching is an int compare. Ids live as long as the JVM: they are never written to a store (the
 * byte form carries the strings), and in-memory logs hold them, so none can be taken back.
 *
 * <p>Only bounded vocabularies belong here: {@link #LABELS} holds categories and activity names,
 * {@link #TEAMS} the source teams, each in its own id space. Journey ids, which grow without bound,
 * are never interned: a log keeps them as strings.
 */
final class Interner {
  /** Categories and activity names (the label field of a packed entry). */
  static final Interner LABELS =
      new Interner(SendLog.MAX_LABEL_ID, "categories and activity names");

  /** Source teams (the team field of a packed entry). */
  static final Interner TEAMS = new Interner(SendLog.MAX_TEAM_ID, "teams");

  private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
  private final int capacity;
  private final String what;
  private volatile String[] names = new String[64];
  private int next;

  private Interner(int capacity, String what) {
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
          "more than " + capacity + " distinct " + what + " in send logs of this process");
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
