package dev.steward.sendgrid.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Point arithmetic and the fixed-base tables against a plain affine reference written with
 * BigInteger (the textbook chord-and-tangent formulas), and the curve constants against the JDK's.
 */
class P256PointTest {
  private static final BigInteger P = P256Field.P;
  private static final BigInteger N = P256Point.N;
  private static final BigInteger A = P.subtract(BigInteger.valueOf(3));
  private static final long SEED = 0x7AB1E5L;

  /** An affine point, null for infinity. */
  private record Affine(BigInteger x, BigInteger y) {}

  private static Affine add(Affine p, Affine q) {
    if (p == null) {
      return q;
    }
    if (q == null) {
      return p;
    }
    BigInteger lambda;
    if (p.x.equals(q.x)) {
      if (p.y.add(q.y).mod(P).signum() == 0) {
        return null;
      }
      BigInteger num = p.x.pow(2).multiply(BigInteger.valueOf(3)).add(A);
      lambda = num.multiply(p.y.shiftLeft(1).modInverse(P)).mod(P);
    } else {
      lambda = q.y.subtract(p.y).multiply(q.x.subtract(p.x).modInverse(P)).mod(P);
    }
    BigInteger x = lambda.pow(2).subtract(p.x).subtract(q.x).mod(P);
    BigInteger y = lambda.multiply(p.x.subtract(x)).subtract(p.y).mod(P);
    return new Affine(x, y);
  }

  private static Affine multiply(BigInteger k, Affine p) {
    Affine r = null;
    for (int i = k.bitLength() - 1; i >= 0; i--) {
      r = add(r, r);
      if (k.testBit(i)) {
        r = add(r, p);
      }
    }
    return r;
  }

  private static final Affine G = new Affine(P256Point.GX, P256Point.GY);

  private static Affine affine(P256Point p) {
    if (p.isInfinity()) {
      return null;
    }
    BigInteger z = P256Field.toBigInteger(p.z);
    BigInteger zInv = z.modInverse(P);
    BigInteger x = P256Field.toBigInteger(p.x).multiply(zInv.pow(2)).mod(P);
    BigInteger y = P256Field.toBigInteger(p.y).multiply(zInv.pow(3)).mod(P);
    return new Affine(x, y);
  }

  private static P256Point point(Affine a) {
    P256Point p = new P256Point();
    p.setAffine(P256Field.of(a.x), P256Field.of(a.y));
    return p;
  }

  @Test
  void theConstantsAreTheJdksSecp256r1() throws Exception {
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
    assertThat(spec.getOrder()).isEqualTo(N);
    assertThat(spec.getCurve().getB()).isEqualTo(P256Point.B);
    assertThat(spec.getCurve().getA()).isEqualTo(A);
    assertThat(spec.getGenerator()).isEqualTo(new ECPoint(P256Point.GX, P256Point.GY));
    assertThat(P256Point.isOnCurve(P256Field.of(P256Point.GX), P256Field.of(P256Point.GY)))
        .isTrue();
    assertThat(multiply(N, G)).isNull(); // the reference agrees n G is infinity
  }

  @Test
  void doublingAndAdditionMatchTheReference() {
    Random random = new Random(SEED);
    for (int i = 0; i < 30; i++) {
      Affine a =
          multiply(
              new BigInteger(256, random).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE), G);
      Affine b =
          multiply(
              new BigInteger(256, random).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE), G);
      P256Point p = point(a);
      p.twice();
      assertThat(affine(p)).as("seed %d: 2a", SEED).isEqualTo(add(a, a));
      P256Point q = point(a);
      q.twice(); // Jacobian with Z != 1
      q.addAffine(P256Field.of(b.x), P256Field.of(b.y));
      assertThat(affine(q)).as("seed %d: 2a + b", SEED).isEqualTo(add(add(a, a), b));
      P256Point r = point(b);
      r.twice();
      P256Point s = point(a);
      s.twice();
      s.add(r);
      assertThat(affine(s)).as("seed %d: 2a + 2b", SEED).isEqualTo(add(add(a, a), add(b, b)));
    }
  }

  @Test
  void theSpecialCasesOfAdditionAreHandled() {
    Affine a = multiply(BigInteger.valueOf(123456789), G);
    // a point plus itself, given in a different Jacobian form: doubled, not a division by zero
    P256Point p = point(a);
    p.twice();
    p.addAffine(P256Field.of(add(a, a).x), P256Field.of(add(a, a).y));
    assertThat(affine(p)).isEqualTo(multiply(BigInteger.valueOf(4L * 123456789), G));
    // a point plus its negation is infinity
    P256Point q = point(a);
    q.addAffine(P256Field.of(a.x), P256Field.of(a.y.negate().mod(P)));
    assertThat(q.isInfinity()).isTrue();
    // infinity plus a point is the point; a point plus infinity is the point
    P256Point inf = new P256Point();
    inf.addAffine(P256Field.of(a.x), P256Field.of(a.y));
    assertThat(affine(inf)).isEqualTo(a);
    P256Point r = point(a);
    r.add(new P256Point());
    assertThat(affine(r)).isEqualTo(a);
    // doubling infinity stays infinity
    P256Point twiceInf = new P256Point();
    twiceInf.twice();
    assertThat(twiceInf.isInfinity()).isTrue();
    // Jacobian add of a point and itself, and of a point and its negation
    P256Point s = point(a);
    s.add(point(a));
    assertThat(affine(s)).isEqualTo(add(a, a));
    P256Point t = point(a);
    t.add(point(new Affine(a.x, a.y.negate().mod(P))));
    assertThat(t.isInfinity()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 8})
  void tableEntriesAreTheMultiplesTheyClaim(int bits) {
    Random random = new Random(SEED + 1);
    Affine q = multiply(new BigInteger(255, random).add(BigInteger.ONE), G);
    P256Table table = P256Table.of(P256Field.of(q.x), P256Field.of(q.y), bits);
    assertThat(table.windows()).isEqualTo(256 / bits);
    int last = table.windows() - 1;
    int[] windows = {0, 1, 2, last / 2, last / 2 + 1, last - 1, last};
    for (int w : windows) {
      // every multiple at four bits; at eight, both ends, the middle and a spread in between
      java.util.List<Integer> multiples = new java.util.ArrayList<>();
      for (int k = 1; k <= table.perWindow(); k += bits == 4 ? 1 : 17) {
        multiples.add(k);
      }
      if (bits == 8) {
        multiples.addAll(java.util.List.of(2, 127, 128, 129, 254, 255));
      }
      for (int k : multiples) {
        long[][] e = table.entry(w, k);
        Affine expected = multiply(BigInteger.valueOf(k).shiftLeft(bits * w), q);
        assertThat(new Affine(P256Field.toBigInteger(e[0]), P256Field.toBigInteger(e[1])))
            .as("window %d, multiple %d", w, k)
            .isEqualTo(expected);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 8})
  void aTableMultipliesLikeTheReference(int bits) {
    Random random = new Random(SEED + 2);
    P256Table gTable = P256Table.of(P256Field.of(G.x), P256Field.of(G.y), bits);
    long[] x = new long[4];
    long[] y = new long[4];
    BigInteger[] scalars = {
      BigInteger.ONE,
      BigInteger.TWO,
      BigInteger.valueOf(15),
      BigInteger.valueOf(16),
      N.subtract(BigInteger.ONE),
      N.subtract(BigInteger.TWO),
      BigInteger.ONE.shiftLeft(255),
      BigInteger.ONE.shiftLeft(252).subtract(BigInteger.ONE),
      BigInteger.ONE.shiftLeft(248).subtract(BigInteger.ONE),
      BigInteger.valueOf(255),
      BigInteger.valueOf(256),
      new BigInteger(256, random).mod(N),
      new BigInteger(256, random).mod(N),
      new BigInteger(256, random).mod(N)
    };
    for (BigInteger k : scalars) {
      P256Point acc = new P256Point();
      gTable.addMultiple(P256Field.limbs(k), acc, x, y);
      assertThat(affine(acc)).as("%x G", k).isEqualTo(multiply(k, G));
    }
    P256Point zero = new P256Point();
    gTable.addMultiple(new long[4], zero, x, y);
    assertThat(zero.isInfinity()).isTrue();
  }
}
