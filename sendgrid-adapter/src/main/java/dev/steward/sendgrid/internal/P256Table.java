package dev.steward.sendgrid.internal;

/**
 * A fixed-base table of one P-256 point P: for each of the 256 / b windows i of b bits (b = 4 or 8)
 * of a 256-bit scalar, the affine points k * 2^(b i) * P for k = 1..2^b - 1. Then u * P is the sum,
 * over the windows, of the entry named by u's i-th window: at most 256 / b mixed additions and no
 * doubling, which is where the verifier's speed comes from (the key is fixed, so its table is built
 * once).
 *
 * <p>No entry is the point at infinity: k * 2^(b i) is at most (2^b - 1) 2^(256 - b) = 2^256 -
 * 2^(256 - b), below the prime order n (n > 2^256 - 2^224), and not zero. Entries of two
 * coordinates in one flat array: 61 KB at b = 4, 522 KB at b = 8.
 */
final class P256Table {
  private static final int ENTRY = 8; // x then y, four limbs each

  private final int bits;
  private final int windows;
  private final int perWindow;
  private final long[] entries;

  private P256Table(int bits, long[] entries) {
    this.bits = bits;
    this.windows = 256 / bits;
    this.perWindow = (1 << bits) - 1;
    this.entries = entries;
  }

  /**
   * The table, with windows of {@code bits} bits (4 or 8), of the affine point (x, y) (Montgomery
   * form), which the caller has checked lies on the curve. The entries are computed in Jacobian
   * coordinates and made affine together, with one field inversion (Montgomery's simultaneous
   * inversion: invert the product of every Z, then peel off each inverse with two multiplications).
   */
  static P256Table of(long[] x, long[] y, int bits) {
    if (bits != 4 && bits != 8) {
      throw new IllegalArgumentException("a window is 4 or 8 bits (a divisor of 64), not " + bits);
    }
    int windows = 256 / bits;
    int perWindow = (1 << bits) - 1;
    int count = windows * perWindow;
    P256Point[] points = new P256Point[count];
    P256Point base = new P256Point();
    base.setAffine(x, y);
    for (int w = 0; w < windows; w++) {
      P256Point multiple = new P256Point();
      for (int k = 1; k <= perWindow; k++) {
        multiple.add(base); // k * base
        P256Point kept = new P256Point();
        kept.set(multiple);
        points[w * perWindow + k - 1] = kept;
      }
      // the next window's base, 2^bits * base = 2 * (2^(bits-1) * base)
      base.set(points[w * perWindow + (1 << (bits - 1)) - 1]);
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
    return new P256Table(bits, entries);
  }

  /**
   * acc += u * P, for the scalar u given as four limbs (least significant first); x and y are the
   * caller's scratch space.
   */
  void addMultiple(long[] u, P256Point acc, long[] x, long[] y) {
    for (int w = 0; w < windows; w++) {
      int bit = w * bits;
      int k = (int) (u[bit >>> 6] >>> (bit & 63)) & perWindow;
      if (k != 0) {
        int at = (w * perWindow + k - 1) * ENTRY;
        System.arraycopy(entries, at, x, 0, 4);
        System.arraycopy(entries, at + 4, y, 0, 4);
        acc.addAffine(x, y);
      }
    }
  }

  int windows() {
    return windows;
  }

  int perWindow() {
    return perWindow;
  }

  /** The affine entry k * 16^w * P as {x, y} (Montgomery form), for tests. */
  long[][] entry(int w, int k) {
    int at = (w * perWindow + k - 1) * ENTRY;
    long[] x = new long[4];
    long[] y = new long[4];
    System.arraycopy(entries, at, x, 0, 4);
    System.arraycopy(entries, at + 4, y, 0, 4);
    return new long[][] {x, y};
  }
}
