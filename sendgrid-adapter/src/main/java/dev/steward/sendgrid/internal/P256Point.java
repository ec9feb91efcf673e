package dev.steward.sendgrid.internal;

import java.math.BigInteger;

/**
 * A mutable point of the P-256 curve y^2 = x^3 - 3x + b in Jacobian coordinates (X : Y : Z) for the
 * affine point (X / Z^2, Y / Z^3); Z = 0 is the point at infinity. Coordinates are {@link
 * P256Field} elements (Montgomery form). The formulas are the standard ones for a = -3 (Cohen,
 * Miyaji, Ono; "dbl-2001-b", "madd" and "add-2007-bl" of the Explicit-Formulas Database), written
 * here from the math; each one handles its special cases (infinity, equal points, opposite points)
 * explicitly, because a verifier's inputs are chosen by whoever sends the request.
 */
final class P256Point {
  /** The curve's b. */
  static final BigInteger B =
      new BigInteger("5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B", 16);

  /** The order n of the base point (prime, and the order of the whole group: cofactor 1). */
  static final BigInteger N =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  /** The base point G's affine x. */
  static final BigInteger GX =
      new BigInteger("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296", 16);

  /** The base point G's affine y. */
  static final BigInteger GY =
      new BigInteger("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5", 16);

  private static final long[] B_M = P256Field.of(B);

  final long[] x = new long[4];
  final long[] y = new long[4];
  final long[] z = new long[4];

  // scratch space, so that no operation allocates
  private final long[] t1 = new long[4];
  private final long[] t2 = new long[4];
  private final long[] t3 = new long[4];
  private final long[] t4 = new long[4];
  private final long[] t5 = new long[4];
  private final long[] t6 = new long[4];

  /** A new point at infinity. */
  P256Point() {}

  boolean isInfinity() {
    return P256Field.isZero(z);
  }

  void setInfinity() {
    x[0] = x[1] = x[2] = x[3] = 0;
    y[0] = y[1] = y[2] = y[3] = 0;
    z[0] = z[1] = z[2] = z[3] = 0;
  }

  void set(P256Point p) {
    P256Field.copy(p.x, x);
    P256Field.copy(p.y, y);
    P256Field.copy(p.z, z);
  }

  /** Sets this point to the affine point (ax, ay). */
  void setAffine(long[] ax, long[] ay) {
    P256Field.copy(ax, x);
    P256Field.copy(ay, y);
    P256Field.copy(P256Field.one(), z);
  }

  /** True if the affine (ax, ay), both in [0, p), satisfies y^2 = x^3 - 3x + b. */
  static boolean isOnCurve(long[] ax, long[] ay) {
    long[] lhs = new long[4];
    P256Field.sqr(ay, lhs);
    long[] rhs = new long[4];
    P256Field.sqr(ax, rhs);
    P256Field.mul(rhs, ax, rhs);
    long[] threeX = new long[4];
    P256Field.add(ax, ax, threeX);
    P256Field.add(threeX, ax, threeX);
    P256Field.sub(rhs, threeX, rhs);
    P256Field.add(rhs, B_M, rhs);
    return P256Field.equal(lhs, rhs);
  }

  /**
   * this = 2 * this (dbl-2001-b, a = -3): delta = Z^2, gamma = Y^2, beta = X * gamma, alpha = 3 (X
   * - delta)(X + delta); X' = alpha^2 - 8 beta; Z' = (Y + Z)^2 - gamma - delta = 2YZ; Y' = alpha (4
   * beta - X') - 8 gamma^2. Infinity (Z = 0) stays infinity, since Z' = 2YZ; so does a point with Y
   * = 0, which P-256 (of prime order) does not have.
   */
  void twice() {
    long[] delta = t1;
    long[] gamma = t2;
    long[] beta = t3;
    long[] alpha = t4;
    P256Field.sqr(z, delta);
    P256Field.sqr(y, gamma);
    P256Field.mul(x, gamma, beta);
    P256Field.sub(x, delta, t5);
    P256Field.add(x, delta, t6);
    P256Field.mul(t5, t6, alpha);
    P256Field.add(alpha, alpha, t5);
    P256Field.add(t5, alpha, alpha);
    // Z' = (Y + Z)^2 - gamma - delta, before Y and Z are overwritten
    P256Field.add(y, z, t5);
    P256Field.sqr(t5, t5);
    P256Field.sub(t5, gamma, t5);
    P256Field.sub(t5, delta, z);
    // X' = alpha^2 - 8 beta
    P256Field.add(beta, beta, beta); // 2 beta
    P256Field.add(beta, beta, beta); // 4 beta
    P256Field.sqr(alpha, t5);
    P256Field.sub(t5, beta, t5);
    P256Field.sub(t5, beta, x);
    // Y' = alpha (4 beta - X') - 8 gamma^2
    P256Field.sub(beta, x, t5);
    P256Field.mul(alpha, t5, t5);
    P256Field.sqr(gamma, t6);
    P256Field.add(t6, t6, t6);
    P256Field.add(t6, t6, t6);
    P256Field.add(t6, t6, t6);
    P256Field.sub(t5, t6, y);
  }

  /**
   * this += the affine point (ax, ay) (never infinity): U2 = ax Z^2, S2 = ay Z^3, H = U2 - X, r =
   * S2 - Y; X' = r^2 - H^3 - 2 X H^2, Y' = r (X H^2 - X') - Y H^3, Z' = Z H. When H = 0 the two
   * points share x: equal points (r = 0) are doubled, opposite ones sum to infinity.
   */
  void addAffine(long[] ax, long[] ay) {
    if (isInfinity()) {
      setAffine(ax, ay);
      return;
    }
    long[] zz = t1;
    long[] h = t2;
    long[] r = t3;
    P256Field.sqr(z, zz);
    P256Field.mul(ax, zz, h); // U2
    P256Field.sub(h, x, h); // H = U2 - X
    P256Field.mul(zz, z, t4);
    P256Field.mul(ay, t4, r); // S2
    P256Field.sub(r, y, r); // r = S2 - Y
    if (P256Field.isZero(h)) {
      if (P256Field.isZero(r)) {
        twice();
      } else {
        setInfinity();
      }
      return;
    }
    finishAdd(h, r, x, y);
    P256Field.mul(z, h, z);
  }

  /**
   * this += q, both Jacobian (add-2007-bl without its doublings): U1 = X1 Z2^2, U2 = X2 Z1^2, S1 =
   * Y1 Z2^3, S2 = Y2 Z1^3, H = U2 - U1, r = S2 - S1; then as {@link #addAffine} with U1 and S1 in
   * place of X and Y, and Z' = Z1 Z2 H. Used only to build tables.
   */
  void add(P256Point q) {
    if (q.isInfinity()) {
      return;
    }
    if (isInfinity()) {
      set(q);
      return;
    }
    long[] u1 = new long[4];
    long[] s1 = new long[4];
    long[] h = new long[4];
    long[] r = new long[4];
    long[] zz = new long[4];
    P256Field.sqr(q.z, zz);
    P256Field.mul(x, zz, u1);
    P256Field.mul(zz, q.z, zz);
    P256Field.mul(y, zz, s1);
    P256Field.sqr(z, zz);
    P256Field.mul(q.x, zz, h);
    P256Field.sub(h, u1, h);
    P256Field.mul(zz, z, zz);
    P256Field.mul(q.y, zz, r);
    P256Field.sub(r, s1, r);
    if (P256Field.isZero(h)) {
      if (P256Field.isZero(r)) {
        twice();
      } else {
        setInfinity();
      }
      return;
    }
    finishAdd(h, r, u1, s1);
    P256Field.mul(z, q.z, z);
    P256Field.mul(z, h, z);
  }

  /**
   * Sets X and Y from H, r and the first point's U1 and S1 (which may be this point's own X and Y):
   * X' = r^2 - H^3 - 2 U1 H^2, Y' = r (U1 H^2 - X') - S1 H^3. Leaves Z to the caller.
   */
  private void finishAdd(long[] h, long[] r, long[] u1, long[] s1) {
    long[] hh = t4;
    long[] hhh = t5;
    long[] v = t6;
    P256Field.sqr(h, hh);
    P256Field.mul(h, hh, hhh);
    P256Field.mul(u1, hh, v);
    // Y's S1 H^3 first: S1 may be this point's Y, about to be overwritten
    long[] s1hhh = hh; // H^2 is no longer needed once V is known
    P256Field.mul(s1, hhh, s1hhh);
    P256Field.sqr(r, x);
    P256Field.sub(x, hhh, x);
    P256Field.sub(x, v, x);
    P256Field.sub(x, v, x);
    P256Field.sub(v, x, v);
    P256Field.mul(r, v, v);
    P256Field.sub(v, s1hhh, y);
  }
}
