package dev.steward.sendgrid.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** P256Field against BigInteger arithmetic mod p, on edge values and seeded random ones. */
class P256FieldTest {
  private static final BigInteger P = P256Field.P;
  private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);
  private static final long SEED = 0x5EED_0256L;

  /** Values where limbs, carries and the reduction meet their limits. */
  private static List<BigInteger> edges() {
    List<BigInteger> v = new ArrayList<>();
    for (long small = 0; small <= 3; small++) {
      v.add(BigInteger.valueOf(small));
      v.add(P.subtract(BigInteger.valueOf(small + 1))); // p-1 .. p-4
    }
    for (int bit : new int[] {31, 32, 63, 64, 95, 96, 127, 128, 191, 192, 223, 224, 254, 255}) {
      BigInteger two = BigInteger.ONE.shiftLeft(bit);
      for (BigInteger c : List.of(two.subtract(BigInteger.ONE), two, two.add(BigInteger.ONE))) {
        if (c.compareTo(P) < 0) {
          v.add(c);
        }
      }
    }
    // 2^256 - p and its neighbours: where a sum or product just passes 2^256 or p
    BigInteger gap = TWO_256.subtract(P);
    v.add(gap);
    v.add(gap.subtract(BigInteger.ONE));
    v.add(gap.add(BigInteger.ONE));
    v.add(P.shiftRight(1));
    v.add(P.shiftRight(1).add(BigInteger.ONE));
    // every limb all ones or all zeros, below p
    v.add(new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", 16));
    v.add(new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFF00000000000000000000000000000000", 16));
    v.add(new BigInteger("00000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", 16));
    return v;
  }

  private static List<BigInteger> values() {
    List<BigInteger> v = edges();
    Random random = new Random(SEED);
    for (int i = 0; i < 60; i++) {
      v.add(new BigInteger(256, random).mod(P));
    }
    // random values near p and near 2^256 - p
    for (int i = 0; i < 20; i++) {
      v.add(P.subtract(BigInteger.valueOf(1 + random.nextInt(1 << 20))));
      v.add(TWO_256.subtract(P).add(BigInteger.valueOf(random.nextInt(1 << 20))));
    }
    return v;
  }

  @Test
  void theConstantsAreTheCurvesPrime() {
    BigInteger expected =
        TWO_256
            .subtract(BigInteger.ONE.shiftLeft(224))
            .add(BigInteger.ONE.shiftLeft(192))
            .add(BigInteger.ONE.shiftLeft(96))
            .subtract(BigInteger.ONE);
    assertThat(P).isEqualTo(expected);
    assertThat(
            P256Field.number(new long[] {P256Field.P0, P256Field.P1, P256Field.P2, P256Field.P3}))
        .isEqualTo(P);
  }

  @Test
  void unsignedMultiplyHighIsTheTopOfTheUnsigned128BitProduct() {
    Random random = new Random(SEED);
    long[] special = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFFFFFFL, 0x100000000L};
    List<long[]> pairs = new ArrayList<>();
    for (long a : special) {
      for (long b : special) {
        pairs.add(new long[] {a, b});
      }
    }
    for (int i = 0; i < 10_000; i++) {
      pairs.add(new long[] {random.nextLong(), random.nextLong()});
    }
    for (long[] ab : pairs) {
      BigInteger product = unsigned(ab[0]).multiply(unsigned(ab[1]));
      assertThat(unsigned(P256Field.unsignedMultiplyHigh(ab[0], ab[1])))
          .as("high(%x * %x), seed %d", ab[0], ab[1], SEED)
          .isEqualTo(product.shiftRight(64));
    }
  }

  @Test
  void montgomeryFormRoundTrips() {
    for (BigInteger v : values()) {
      assertThat(P256Field.toBigInteger(P256Field.of(v))).as("%x", v).isEqualTo(v);
    }
    assertThat(P256Field.toBigInteger(P256Field.one())).isEqualTo(BigInteger.ONE);
  }

  @Test
  void mulSqrAddSubMatchBigIntegerOnEveryPair() {
    List<BigInteger> values = values();
    long[] r = new long[4];
    for (BigInteger a : values) {
      long[] am = P256Field.of(a);
      P256Field.sqr(am, r);
      assertThat(P256Field.toBigInteger(r)).as("%x^2", a).isEqualTo(a.multiply(a).mod(P));
      for (BigInteger b : values) {
        long[] bm = P256Field.of(b);
        P256Field.mul(am, bm, r);
        assertCanonical(r);
        assertThat(P256Field.toBigInteger(r)).as("%x * %x", a, b).isEqualTo(a.multiply(b).mod(P));
        P256Field.add(am, bm, r);
        assertCanonical(r);
        assertThat(P256Field.toBigInteger(r)).as("%x + %x", a, b).isEqualTo(a.add(b).mod(P));
        P256Field.sub(am, bm, r);
        assertCanonical(r);
        assertThat(P256Field.toBigInteger(r)).as("%x - %x", a, b).isEqualTo(a.subtract(b).mod(P));
      }
    }
  }

  @Test
  void plainLimbOperationsMatchBigIntegerToo() {
    // add and sub are the same on plain numbers; checks them without Montgomery conversion
    List<BigInteger> values = values();
    long[] r = new long[4];
    for (BigInteger a : values) {
      for (BigInteger b : values) {
        P256Field.add(P256Field.limbs(a), P256Field.limbs(b), r);
        assertThat(P256Field.number(r)).as("%x + %x", a, b).isEqualTo(a.add(b).mod(P));
        P256Field.sub(P256Field.limbs(a), P256Field.limbs(b), r);
        assertThat(P256Field.number(r)).as("%x - %x", a, b).isEqualTo(a.subtract(b).mod(P));
      }
    }
  }

  @Test
  void theOutputMayBeAnInput() {
    Random random = new Random(SEED + 1);
    for (int i = 0; i < 200; i++) {
      BigInteger a = new BigInteger(256, random).mod(P);
      BigInteger b = new BigInteger(256, random).mod(P);
      long[] x = P256Field.of(a);
      P256Field.mul(x, P256Field.of(b), x);
      assertThat(P256Field.toBigInteger(x)).isEqualTo(a.multiply(b).mod(P));
      long[] y = P256Field.of(b);
      P256Field.sub(P256Field.of(a), y, y);
      assertThat(P256Field.toBigInteger(y)).isEqualTo(a.subtract(b).mod(P));
      long[] z = P256Field.of(a);
      P256Field.sqr(z, z);
      assertThat(P256Field.toBigInteger(z)).isEqualTo(a.multiply(a).mod(P));
    }
  }

  @Test
  void inverseMatchesModInverse() {
    long[] r = new long[4];
    for (BigInteger a : values()) {
      if (a.signum() == 0) {
        continue;
      }
      P256Field.inv(P256Field.of(a), r);
      assertThat(P256Field.toBigInteger(r)).as("1 / %x", a).isEqualTo(a.modInverse(P));
    }
    P256Field.inv(P256Field.of(BigInteger.ZERO), r);
    assertThat(P256Field.isZero(r)).isTrue();
  }

  @Test
  void numbersOutsideTheFieldAreRefused() {
    assertThatThrownBy(() -> P256Field.of(P))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a field element");
    assertThatThrownBy(() -> P256Field.of(BigInteger.ONE.negate()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertCanonical(long[] r) {
    assertThat(P256Field.number(r)).isLessThan(P);
  }

  private static BigInteger unsigned(long v) {
    return new BigInteger(Long.toUnsignedString(v));
  }
}
