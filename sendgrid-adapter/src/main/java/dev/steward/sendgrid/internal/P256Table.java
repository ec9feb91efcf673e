package dev.steward.sendgrid.internal;

/**
 * A fixed-base table of one P-256 point P: for each of the 64 four-bit windows i of a 256-bit
 * scalar, the affine points k * 16^i * P for k = 1..15. Then u * P is the sum, over the windows, of
 * the entry named by u's i-th nibble: at most 64 mixed additions and no doubling, which is where
 * the verifier's speed comes from (the key is fixed, so its table is built once).
 *
 * <p>No entry is the point at infinity: k * 16^i is below 2^256 - 2^252, hence below the prime
 * order n, and not zero. 64 * 15 entries of two coordinates: 61 KB, held in one flat array.
 */
final class P256Table {
  static final int WINDOWS = 64;
  static final int PER_WINDOW = 15;
  private static final int ENTRY = 8; // x then y, four limbs each

  private final long[] entries;

  private P256Table(long[] entries) {
    this.entries = entries;
  }

  /**
   * The table of the affine point (x, y) (Montgomery form), which the caller has checked lies on
   * the curve. The entries are computed in Jacobian coordinates and made affine together, with one
   * field inversion (Montgomery's simultaneous inversion: invert the product of every Z, then peel
   * off each inverse with two multiplications).
   */
  static P256Table of(long[] x, long[] y) {
    int count = WINDOWS * PER_WINDOW;
    P256Point[] points = new P256Point[count];
    P256Point base = new P256Point();
    base.setAffine(x, y);
    for (int w = 0; w < WINDOWS; w++) {
      P256Point multiple = new P256Point();
      for (int k = 1; k <= PER_WINDOW; k++) {
        multiple.add(base); // k * base
        P256Point kept = new P256Point();
        kept.set(multiple);
        points[w * PER_WINDOW + k - 1] = kept;
      }
      // the next window's base, 16 * base = 2 * (8 * base)
      base.set(points[w * PER_WINDOW + 7]);
      base.twice();
    }
    // prefix[i] = z_0 * ... * z_i
    long[][] prefix = new long[count][];
    long[] running = P256Field.one();
    for (int i = 0; i < count; i++) {
      if (points[i].isInfinity()) {
        throw new IllegalStateException("a table entry is the point at infinity");
      }
      P256Field.mul(running, points[i].z, running);
      prefix[i] = running.clone();
    }
    long[] inverse = new long[4];
    P256Field.inv(running, inverse); // 1 / (z_0 * ... * z_last)
    long[] entries = new long[count * ENTRY];
    long[] zInv = new long[4];
    long[] zInv2 = new long[4];
    long[] t = new long[4];
    for (int i = count - 1; i >= 0; i--) {
      P256Point p = points[i];
      if (i > 0) {
        P256Field.mul(inverse, prefix[i - 1], zInv); // 1 / z_i
        P256Field.mul(inverse, p.z, inverse); // 1 / (z_0 * ... * z_{i-1})
      } else {
        P256Field.copy(inverse, zInv);
      }
      P256Field.sqr(zInv, zInv2);
      P256Field.mul(p.x, zInv2, t);
      System.arraycopy(t, 0, entries, i * ENTRY, 4);
      P256Field.mul(zInv2, zInv, zInv2);
      P256Field.mul(p.y, zInv2, t);
      System.arraycopy(t, 0, entries, i * ENTRY + 4, 4);
    }
    return new P256Table(entries);
  }

  /**
   * acc += u * P, for the scalar u given as four limbs (least significant first); x and y are the
   * caller's scratch space.
   */
  void addMultiple(long[] u, P256Point acc, long[] x, long[] y) {
    for (int w = 0; w < WINDOWS; w++) {
      int k = (int) (u[w >>> 4] >>> ((w & 15) << 2)) & 15;
      if (k != 0) {
        int at = (w * PER_WINDOW + k - 1) * ENTRY;
        System.arraycopy(entries, at, x, 0, 4);
        System.arraycopy(entries, at + 4, y, 0, 4);
        acc.addAffine(x, y);
      }
    }
  }

  /** The affine entry k * 16^w * P as {x, y} (Montgomery form), for tests. */
  long[][] entry(int w, int k) {
    int at = (w * PER_WINDOW + k - 1) * ENTRY;
    long[] x = new long[4];
    long[] y = new long[4];
    System.arraycopy(entries, at, x, 0, 4);
    System.arraycopy(entries, at + 4, y, 0, 4);
    return new long[][] {x, y};
  }
}
