package dev.steward.sendgrid.internal;

import java.math.BigInteger;
import java.util.Optional;

/**
 * ECDSA verification (SEC 1 section 4.1.4, FIPS 186-4 section 6.4.2) on P-256 for one fixed public
 * key Q, over a message digest: with w = s^-1 mod n, u1 = e w, u2 = r w, the signature is valid
 * when R = u1 G + u2 Q is not infinity and R's x mod n equals r.
 *
 * <p>Both G and Q are fixed, so both get a {@link P256Table}: G's is built once for the JVM, Q's
 * when this verifier is built (522 KB and about 13 ms of CPU: build one per key and keep it). A
 * verification is then at most 64 mixed point additions, one modular inverse mod n and no field
 * inversion: R's affine x is never computed, the check is X == r Z^2 (or (r + n) Z^2, the one other
 * value below p whose residue mod n is r).
 *
 * <p>Public only for the adapter's own packages (this package is not exported) and the benchmarks.
 * Only public data passes through here, so nothing needs to be constant-time. Thread-safe: the
 * tables are never written after construction, and each call has its own scratch space.
 */
public final class P256Verifier {
  /** The outcome of one verification. */
  public enum Outcome {
    /** The signature is valid for the digest under the key. */
    VALID,
    /** A well-formed signature that does not match (including r or s outside [1, n - 1]). */
    INVALID,
    /** Not a DER ECDSA signature (see {@code EcdsaDer}). */
    MALFORMED
  }

  /** G's table, built on first use and shared: it is constant. */
  private static final class Generator {
    static final P256Table TABLE =
        P256Table.of(P256Field.of(P256Point.GX), P256Field.of(P256Point.GY), G_BITS);
  }

  private static final BigInteger N = P256Point.N;

  /**
   * Window widths. Eight-bit windows halve the additions of four-bit ones (32 per scalar, not 64)
   * for tables 8.5 times larger (522 KB, not 61 KB) and slower to build (about 13 ms of CPU, not
   * 1.5; measured under load): G's is built once per JVM, and a verifier is built once per key, so
   * both take 8. A verify then costs about 51 us (G and Q at 4 bits: about 91 us; G 8, Q 4: 70).
   */
  static final int G_BITS = 8;

  static final int Q_BITS = 8;

  private final P256Table keyTable;

  private P256Verifier(P256Table keyTable) {
    this.keyTable = keyTable;
  }

  /**
   * A verifier for the public key with affine coordinates (x, y).
   *
   * @throws IllegalArgumentException if a coordinate is outside [0, p) or the point is not on P-256
   *     (the point at infinity has no affine coordinates, so it cannot be given)
   */
  public static P256Verifier of(BigInteger x, BigInteger y) {
    if (x.signum() < 0
        || x.compareTo(P256Field.P) >= 0
        || y.signum() < 0
        || y.compareTo(P256Field.P) >= 0) {
      throw new IllegalArgumentException("the public key's coordinates are not below p");
    }
    long[] ax = P256Field.of(x);
    long[] ay = P256Field.of(y);
    if (!P256Point.isOnCurve(ax, ay)) {
      throw new IllegalArgumentException("the public key is not a point of P-256");
    }
    return new P256Verifier(P256Table.of(ax, ay, Q_BITS));
  }

  /** Verifies a DER signature over a SHA-256 digest (32 bytes). */
  public Outcome verify(byte[] digest, byte[] der) {
    Optional<EcdsaDer.Pair> pair = EcdsaDer.decode(der);
    if (pair.isEmpty()) {
      return Outcome.MALFORMED;
    }
    return verify(digest, pair.get().r(), pair.get().s()) ? Outcome.VALID : Outcome.INVALID;
  }

  /** True if (r, s) is a valid signature over the digest (32 bytes: its bit length is n's). */
  boolean verify(byte[] digest, BigInteger r, BigInteger s) {
    if (digest.length != 32) {
      throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + digest.length);
    }
    if (!inRange(r) || !inRange(s)) {
      return false;
    }
    // the digest has n's bit length, so it is used whole (no truncation), reduced by the products
    BigInteger e = new BigInteger(1, digest);
    BigInteger w = s.modInverse(N);
    long[] u1 = P256Field.limbs(e.multiply(w).mod(N));
    long[] u2 = P256Field.limbs(r.multiply(w).mod(N));
    P256Point acc = new P256Point();
    long[] x = new long[4];
    long[] y = new long[4];
    Generator.TABLE.addMultiple(u1, acc, x, y);
    keyTable.addMultiple(u2, acc, x, y);
    if (acc.isInfinity()) {
      return false;
    }
    // R's affine x is X / Z^2: compare X with r Z^2 instead of inverting Z
    long[] zz = new long[4];
    P256Field.sqr(acc.z, zz);
    long[] candidate = new long[4];
    P256Field.mul(P256Field.of(r), zz, candidate);
    if (P256Field.equal(candidate, acc.x)) {
      return true;
    }
    // x mod n = r also when x = r + n, which is possible while r + n < p (r below p - n)
    BigInteger rn = r.add(N);
    if (rn.compareTo(P256Field.P) < 0) {
      P256Field.mul(P256Field.of(rn), zz, candidate);
      return P256Field.equal(candidate, acc.x);
    }
    return false;
  }

  private static boolean inRange(BigInteger v) {
    return v.signum() > 0 && v.compareTo(N) < 0;
  }
}
