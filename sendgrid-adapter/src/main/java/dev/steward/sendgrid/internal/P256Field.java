package dev.steward.sendgrid.internal;

import java.math.BigInteger;

/**
 * Arithmetic modulo the P-256 field prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1, on elements held as
 * four 64-bit limbs, least significant first, in Montgomery form (x is held as x * 2^256 mod p).
 *
 * <p>Every operation takes fully reduced inputs (below p) and writes a fully reduced result, so an
 * element has one representation and equality is a comparison of limbs. The output array may be one
 * of the inputs. Nothing here is constant-time: it only ever sees public data (the webhook's public
 * key, signature and message digest).
 */
final class P256Field {
  private P256Field() {}

  /** The prime's limbs. p0 = 2^64 - 1 makes -p^-1 mod 2^64 equal to 1 (see {@link #mul}). */
  static final long P0 = 0xFFFFFFFFFFFFFFFFL;

  static final long P1 = 0x00000000FFFFFFFFL;
  static final long P2 = 0L;
  static final long P3 = 0xFFFFFFFF00000001L;

  /** The prime as a number, for conversions and tests. */
  static final BigInteger P =
      new BigInteger("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF", 16);

  /** 2^512 mod p: a Montgomery product with it moves a plain number into Montgomery form. */
  private static final long[] R2 = limbs(BigInteger.ONE.shiftLeft(512).mod(P));

  /** 1 in Montgomery form (2^256 mod p). */
  private static final long[] ONE = limbs(BigInteger.ONE.shiftLeft(256).mod(P));

  /** The plain number 1, whose Montgomery product leaves Montgomery form. */
  private static final long[] PLAIN_ONE = {1, 0, 0, 0};

  /** p - 2, the exponent of Fermat's inverse, most significant limb first for the ladder. */
  private static final long[] P_MINUS_2 = limbs(P.subtract(BigInteger.TWO));

  /** A new element equal to one (Montgomery form). */
  static long[] one() {
    return ONE.clone();
  }

  /** Copies a into r. */
  static void copy(long[] a, long[] r) {
    System.arraycopy(a, 0, r, 0, 4);
  }

  static boolean isZero(long[] a) {
    return (a[0] | a[1] | a[2] | a[3]) == 0;
  }

  static boolean equal(long[] a, long[] b) {
    return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
  }

  /**
   * The high 64 bits of the unsigned 128-bit product. Java 17 has only the signed {@code
   * multiplyHigh}; a negative (as signed) factor makes the signed product short by 2^64 times the
   * other factor, which is added back.
   */
  static long unsignedMultiplyHigh(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }

  /** The carry (0 or 1) out of s = x + y. */
  private static long carry(long x, long y, long s) {
    return ((x & y) | ((x | y) & ~s)) >>> 63;
  }

  /** The borrow (0 or 1) out of d = x - y. */
  private static long borrow(long x, long y, long d) {
    return ((~x & y) | (~(x ^ y) & d)) >>> 63;
  }

  /**
   * r = a * b / 2^256 mod p (Montgomery multiplication, operand-scanning form). Each round adds a *
   * b[i] to the running total t, then adds m * p with m = t0 so that the lowest word becomes zero
   * and can be dropped: since p0 = 2^64 - 1, -p^-1 mod 2^64 is 1, so m is t0 itself, and t0 + m *
   * p0 is exactly m * 2^64. Each t_j + x * y + c fits in 128 bits, so no carry is lost. t stays
   * below 2p, so one conditional subtraction reduces it.
   */
  static void mul(long[] a, long[] b, long[] r) {
    long a0 = a[0];
    long a1 = a[1];
    long a2 = a[2];
    long a3 = a[3];
    long t0 = 0;
    long t1 = 0;
    long t2 = 0;
    long t3 = 0;
    long t4 = 0;
    for (int i = 0; i < 4; i++) {
      long bi = b[i];
      // t += a * bi
      long lo = a0 * bi;
      long hi = unsignedMultiplyHigh(a0, bi);
      long s = t0 + lo;
      hi += carry(t0, lo, s);
      t0 = s;
      long c = hi;

      lo = a1 * bi;
      hi = unsignedMultiplyHigh(a1, bi);
      s = t1 + lo;
      hi += carry(t1, lo, s);
      long s2 = s + c;
      hi += carry(s, c, s2);
      t1 = s2;
      c = hi;

      lo = a2 * bi;
      hi = unsignedMultiplyHigh(a2, bi);
      s = t2 + lo;
      hi += carry(t2, lo, s);
      s2 = s + c;
      hi += carry(s, c, s2);
      t2 = s2;
      c = hi;

      lo = a3 * bi;
      hi = unsignedMultiplyHigh(a3, bi);
      s = t3 + lo;
      hi += carry(t3, lo, s);
      s2 = s + c;
      hi += carry(s, c, s2);
      t3 = s2;
      c = hi;

      s = t4 + c;
      long t5 = carry(t4, c, s);
      t4 = s;

      // t = (t + m * p) / 2^64 with m = t0; word 0 yields carry m and a zero word
      long m = t0;
      c = m;

      lo = m * P1;
      hi = unsignedMultiplyHigh(m, P1);
      s = t1 + lo;
      hi += carry(t1, lo, s);
      s2 = s + c;
      hi += carry(s, c, s2);
      t0 = s2;
      c = hi;

      // P2 is zero: only the carry moves up
      s = t2 + c;
      c = carry(t2, c, s);
      t1 = s;

      lo = m * P3;
      hi = unsignedMultiplyHigh(m, P3);
      s = t3 + lo;
      hi += carry(t3, lo, s);
      s2 = s + c;
      hi += carry(s, c, s2);
      t2 = s2;
      c = hi;

      s = t4 + c;
      long c2 = carry(t4, c, s);
      t3 = s;
      t4 = t5 + c2;
    }
    reduceOnce(t0, t1, t2, t3, t4, r);
  }

  /** r = a^2 (Montgomery form). */
  static void sqr(long[] a, long[] r) {
    mul(a, a, r);
  }

  /** r = t - p if t (five words, t4 the top) is at least p, else t. */
  private static void reduceOnce(long t0, long t1, long t2, long t3, long t4, long[] r) {
    long d0 = t0 - P0;
    long b = borrow(t0, P0, d0);
    long x = t1 - P1;
    long d1 = x - b;
    b = borrow(t1, P1, x) | borrow(x, b, d1);
    x = t2 - P2;
    long d2 = x - b;
    b = borrow(t2, P2, x) | borrow(x, b, d2);
    x = t3 - P3;
    long d3 = x - b;
    b = borrow(t3, P3, x) | borrow(x, b, d3);
    if (t4 != 0 || b == 0) {
      r[0] = d0;
      r[1] = d1;
      r[2] = d2;
      r[3] = d3;
    } else {
      r[0] = t0;
      r[1] = t1;
      r[2] = t2;
      r[3] = t3;
    }
  }

  /** r = a + b mod p. */
  static void add(long[] a, long[] b, long[] r) {
    long x = a[0];
    long s0 = x + b[0];
    long c = carry(x, b[0], s0);
    x = a[1];
    long y = x + b[1];
    long s1 = y + c;
    c = carry(x, b[1], y) | carry(y, c, s1);
    x = a[2];
    y = x + b[2];
    long s2 = y + c;
    c = carry(x, b[2], y) | carry(y, c, s2);
    x = a[3];
    y = x + b[3];
    long s3 = y + c;
    c = carry(x, b[3], y) | carry(y, c, s3);
    reduceOnce(s0, s1, s2, s3, c, r);
  }

  /** r = a - b mod p. */
  static void sub(long[] a, long[] b, long[] r) {
    long x = a[0];
    long d0 = x - b[0];
    long bo = borrow(x, b[0], d0);
    x = a[1];
    long y = x - b[1];
    long d1 = y - bo;
    bo = borrow(x, b[1], y) | borrow(y, bo, d1);
    x = a[2];
    y = x - b[2];
    long d2 = y - bo;
    bo = borrow(x, b[2], y) | borrow(y, bo, d2);
    x = a[3];
    y = x - b[3];
    long d3 = y - bo;
    bo = borrow(x, b[3], y) | borrow(y, bo, d3);
    if (bo != 0) {
      // a - b went below zero: add p back (the carry out of the top word cancels the borrow)
      long s0 = d0 + P0;
      long c = carry(d0, P0, s0);
      y = d1 + P1;
      long s1 = y + c;
      c = carry(d1, P1, y) | carry(y, c, s1);
      y = d2 + P2;
      long s2 = y + c;
      c = carry(d2, P2, y) | carry(y, c, s2);
      long s3 = d3 + P3 + c;
      d0 = s0;
      d1 = s1;
      d2 = s2;
      d3 = s3;
    }
    r[0] = d0;
    r[1] = d1;
    r[2] = d2;
    r[3] = d3;
  }

  /**
   * r = a^-1 (Montgomery form in and out) by Fermat, a^(p-2); a must not be zero (zero gives zero).
   * About 256 squarings: used only when building a key's tables, never per signature.
   */
  static void inv(long[] a, long[] r) {
    long[] acc = one();
    long[] base = a.clone();
    for (int i = 255; i >= 0; i--) {
      sqr(acc, acc);
      if (((P_MINUS_2[i >>> 6] >>> (i & 63)) & 1) != 0) {
        mul(acc, base, acc);
      }
    }
    copy(acc, r);
  }

  /** The element of a plain number below p, in Montgomery form. */
  static long[] toMontgomery(long[] plain) {
    long[] r = new long[4];
    mul(plain, R2, r);
    return r;
  }

  /** The plain number of a Montgomery-form element. */
  static long[] fromMontgomery(long[] a) {
    long[] r = new long[4];
    mul(a, PLAIN_ONE, r);
    return r;
  }

  /** The Montgomery-form element of v, which must lie in [0, p). */
  static long[] of(BigInteger v) {
    if (v.signum() < 0 || v.compareTo(P) >= 0) {
      throw new IllegalArgumentException("not a field element: out of [0, p)");
    }
    return toMontgomery(limbs(v));
  }

  /** The number of a Montgomery-form element. */
  static BigInteger toBigInteger(long[] a) {
    return number(fromMontgomery(a));
  }

  /** The four limbs of a number below 2^256. */
  static long[] limbs(BigInteger v) {
    long[] r = new long[4];
    for (int i = 0; i < 4; i++) {
      r[i] = v.shiftRight(64 * i).longValue();
    }
    return r;
  }

  /** The number of four limbs. */
  static BigInteger number(long[] limbs) {
    BigInteger v = BigInteger.ZERO;
    for (int i = 3; i >= 0; i--) {
      v = v.shiftLeft(64).or(new BigInteger(Long.toUnsignedString(limbs[i])));
    }
    return v;
  }
}
