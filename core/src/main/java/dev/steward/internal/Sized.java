package dev.steward.internal;

/**
 * Initial capacities for hash maps and sets filled with a known number of entries at once, so that
 * a map made per call is not grown (rehashed) while it is filled.
 */
public final class Sized {
  private Sized() {}

  /**
   * The initial capacity at which a {@link java.util.HashMap} (or a set or linked map over one) of
   * the default load factor holds {@code entries} without growing.
   */
  public static int capacity(int entries) {
    return entries < 12 ? 16 : (int) Math.min(1 << 30, (long) entries * 4 / 3 + 1);
  }
}
