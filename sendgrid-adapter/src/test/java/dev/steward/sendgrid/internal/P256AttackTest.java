package dev.steward.sendgrid.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A hostile reviewer's cases for the P-256 verifier, each checked against an independent affine
 * BigInteger reference and the JDK's NONEwithECDSA (which takes a chosen 32-byte digest): sums u1 G
 * + u2 Q that meet infinity or a doubling inside the table additions, keys with extreme coordinates
 * (small x, x near p, x in [n, p) so that the r + n comparison is the one that matters), field
 * products on structured limbs, and DER inputs of every shape. Seeded: the seed is printed with any
 * failure. The long run: {@code mvn -B -o -pl sendgrid-adapter test -Dtest=P256AttackTest
 * -Dp256.attack.rounds=5000} (about 250,000 JDK comparisons, 2.5 million DER inputs, 5 million
 * field operations; the default, 40, takes seconds).
 */
class P256AttackTest {
  private static final BigInteger P = P256Field.P;
  private static final BigInteger N = P256Point.N;
  private static final BigInteger B = P256Point.B;
  private static final BigInteger[] G = {P256Point.GX, P256Point.GY};
  private static final long SEED = Long.getLong("p256.attack.seed", 0xA77AC4L);
  private static final int ROUNDS = Integer.getInteger("p256.attack.rounds", 40);

  // ---- an independent affine reference (null is infinity) ----

  static BigInteger[] add(BigInteger[] a, BigInteger[] b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    BigInteger lambda;
    if (a[0].equals(b[0])) {
      if (a[1].add(b[1]).mod(P).signum() == 0) {
        return null;
      }
      BigInteger three = BigInteger.valueOf(3);
      lambda =
          three
              .multiply(a[0].pow(2))
              .subtract(three)
              .multiply(a[1].shiftLeft(1).modInverse(P))
              .mod(P);
    } else {
      lambda = b[1].subtract(a[1]).multiply(b[0].subtract(a[0]).modInverse(P)).mod(P);
    }
    BigInteger x = lambda.pow(2).subtract(a[0]).subtract(b[0]).mod(P);
    BigInteger y = lambda.multiply(a[0].subtract(x)).subtract(a[1]).mod(P);
    return new BigInteger[] {x, y};
  }

  static BigInteger[] times(BigInteger k, BigInteger[] p) {
    BigInteger[] acc = null;
    BigInteger[] base = p;
    k = k.mod(N);
    for (int i = 0; i < k.bitLength(); i++) {
      if (k.testBit(i)) {
        acc = add(acc, base);
      }
      base = add(base, base);
    }
    return acc;
  }

  static BigInteger[] negate(BigInteger[] p) {
    return new BigInteger[] {p[0], P.subtract(p[1]).mod(P)};
  }

  /** A point with affine x, if x^3 - 3x + b is a square (p = 3 mod 4: the root is a power). */
  static Optional<BigInteger[]> lift(BigInteger x) {
    BigInteger rhs = x.pow(3).subtract(x.multiply(BigInteger.valueOf(3))).add(B).mod(P);
    BigInteger y = rhs.modPow(P.add(BigInteger.ONE).shiftRight(2), P);
    return y.pow(2).mod(P).equals(rhs) ? Optional.of(new BigInteger[] {x, y}) : Optional.empty();
  }

  static byte[] fixed32(BigInteger e) {
    byte[] out = new byte[32];
    byte[] b = e.toByteArray();
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, 32 - n, n);
    return out;
  }

  static PublicKey jdkKey(BigInteger[] q) throws Exception {
    AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
    p.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
    return KeyFactory.getInstance("EC")
        .generatePublic(new ECPublicKeySpec(new ECPoint(q[0], q[1]), spec));
  }

  static boolean jdkNone(PublicKey key, byte[] digest, byte[] der) {
    try {
      Signature s = Signature.getInstance("NONEwithECDSA");
      s.initVerify(key);
      s.update(digest);
      return s.verify(der);
    } catch (Exception refused) {
      return false;
    }
  }

  /** What the math says: R = (e/s) G + (r/s) Q, valid when R is finite and x(R) = r mod n. */
  static boolean reference(BigInteger[] q, BigInteger e, BigInteger r, BigInteger s) {
    if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0) {
      return false;
    }
    BigInteger w = s.modInverse(N);
    BigInteger[] big = add(times(e.mod(N).multiply(w), G), times(r.multiply(w), q));
    return big != null && big[0].mod(N).equals(r);
  }

  /** The signature (r, s) over e = u1 s whose verification computes u1 G + u2 Q. */
  record Forged(BigInteger e, BigInteger r, BigInteger s) {}

  static Forged forge(BigInteger u1, BigInteger u2, BigInteger[] q, BigInteger rIfInfinity) {
    BigInteger[] big = add(times(u1, G), times(u2, q));
    BigInteger r = big == null ? rIfInfinity : big[0].mod(N);
    BigInteger s = r.multiply(u2.modInverse(N)).mod(N);
    return new Forged(u1.multiply(s).mod(N), r, s);
  }

  private final Map<String, P256Verifier> verifiers = new HashMap<>();

  private void check(String what, BigInteger[] q, Forged f, boolean expected) throws Exception {
    check(what, q, f, expected, true);
  }

  /**
   * askJdk false where JDK 17's SunEC is wrong: when x(R) is in [n, p) it compares x(R) itself, not
   * x(R) mod n, with r, and refuses the valid signature (seen on 17.0.15).
   */
  private void check(String what, BigInteger[] q, Forged f, boolean expected, boolean askJdk)
      throws Exception {
    P256Verifier ours =
        verifiers.computeIfAbsent(q[0] + "," + q[1], k -> P256Verifier.of(q[0], q[1]));
    byte[] digest = fixed32(f.e());
    byte[] der = P256VerifierDifferentialTest.encode(f.r(), f.s());
    boolean math = reference(q, f.e(), f.r(), f.s());
    boolean jdk = askJdk ? jdkNone(jdkKey(q), digest, der) : expected;
    boolean mine = ours.verify(digest, der) == P256Verifier.Outcome.VALID;
    assertThat(new boolean[] {math, jdk, mine})
        .as("%s: e=%x r=%x s=%x (math, JDK, ours)", what, f.e(), f.r(), f.s())
        .containsExactly(expected, expected, expected);
  }

  @Test
  void sumsThatMeetInfinityOrADoublingInsideTheTableAdditions() throws Exception {
    Random random = new Random(SEED);
    for (int round = 0; round < 6; round++) {
      BigInteger d = new BigInteger(255, random).add(BigInteger.TWO);
      BigInteger[] q = times(d, G);
      BigInteger r0 = new BigInteger(200, random).add(BigInteger.ONE);
      // u2 in one window (k 2^(8j)) or several; u1 = u2 d: the key's last addition doubles
      for (BigInteger u2 :
          List.of(
              BigInteger.valueOf(5),
              BigInteger.valueOf(255).shiftLeft(8 * random.nextInt(32)),
              BigInteger.valueOf(1 + random.nextInt(255)).shiftLeft(8 * random.nextInt(32)))) {
        check("u1 G = u2 Q, round " + round, q, forge(u2.multiply(d), u2, q, r0), true);
        // u1 G = -u2 Q: infinity, refused whatever r is
        check("u1 G = -u2 Q, round " + round, q, forge(u2.multiply(d).negate(), u2, q, r0), false);
      }
      // infinity in the middle: u1 G = -5 Q, then 5 Q (infinity), then 7 * 2^8 Q
      BigInteger u2 = BigInteger.valueOf(5 + 7 * 256);
      check(
          "infinity midway, round " + round,
          q,
          forge(BigInteger.valueOf(-5).multiply(d), u2, q, r0),
          true);
      // doubling midway: u1 G = 5 Q, then 5 Q (doubling), then 7 * 2^8 Q
      check(
          "doubling midway, round " + round,
          q,
          forge(BigInteger.valueOf(5).multiply(d), u2, q, r0),
          true);
      // the key G itself, -G, 2G: the two tables hold the same points
      // the key G itself, -G, 2G: both tables hold the same points
      BigInteger[][] special = {G, negate(G), times(BigInteger.TWO, G)};
      BigInteger[] logs = {BigInteger.ONE, N.subtract(BigInteger.ONE), BigInteger.TWO};
      for (int i = 0; i < special.length; i++) {
        BigInteger u = BigInteger.valueOf(1 + random.nextInt(1 << 16));
        BigInteger[] key = special[i];
        check("key " + i + ", doubling", key, forge(u.multiply(logs[i]), u, key, r0), true);
        check(
            "key " + i + ", infinity", key, forge(u.multiply(logs[i]).negate(), u, key, r0), false);
      }
    }
  }

  /** Keys whose x is small, near p, or in [n, p): the last make r + n the matching value. */
  @Test
  void keysWithExtremeCoordinates() throws Exception {
    Random random = new Random(SEED + 1);
    List<BigInteger[]> keys = new ArrayList<>();
    List<BigInteger> xs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      xs.add(BigInteger.valueOf(i));
      xs.add(P.subtract(BigInteger.valueOf(i + 1)));
      xs.add(N.add(BigInteger.valueOf(i)));
    }
    for (BigInteger x : xs) {
      lift(x)
          .ifPresent(
              pt -> {
                keys.add(pt);
                keys.add(negate(pt));
              });
    }
    assertThat(keys).hasSizeGreaterThan(10);
    int highX = 0;
    for (BigInteger[] q : keys) {
      if (q[0].compareTo(N) >= 0) {
        // u1 = 0, u2 = 1: R = Q, x(R) = r + n with r = x - n; also the wrong r = x refused
        highX++;
        BigInteger r = q[0].subtract(N);
        check("x(Q) in [n, p): r = x - n", q, new Forged(BigInteger.ZERO, r, r), true, false);
        check("x(Q) in [n, p): r = x - n, digest n", q, new Forged(N, r, r), true, false);
        check(
            "x(Q) in [n, p): r + 1",
            q,
            new Forged(BigInteger.ZERO, r.add(BigInteger.ONE), r.add(BigInteger.ONE)),
            false);
      }
      // a random valid signature through u1 G + u2 Q with small u1, u2
      BigInteger u1 = new BigInteger(256, random).mod(N);
      BigInteger u2 =
          new BigInteger(256, random).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      Forged f = forge(u1, u2, q, BigInteger.ONE);
      check("extreme key x=" + q[0].toString(16), q, f, true);
      check(
          "extreme key, s + 1",
          q,
          new Forged(f.e(), f.r(), f.s().add(BigInteger.ONE).mod(N).max(BigInteger.ONE)),
          reference(q, f.e(), f.r(), f.s().add(BigInteger.ONE).mod(N).max(BigInteger.ONE)));
    }
    assertThat(highX).isPositive();
  }

  /** r and s values at the edges: around 0, n, p and 2^256, x(G), negative with many 0xFF. */
  private static List<BigInteger> edgeScalars(Random random) {
    BigInteger two256 = BigInteger.ONE.shiftLeft(256);
    List<BigInteger> v = new ArrayList<>();
    for (BigInteger base : List.of(BigInteger.ZERO, N, P, two256)) {
      for (int d = -2; d <= 2; d++) {
        BigInteger c = base.add(BigInteger.valueOf(d));
        v.add(c);
      }
    }
    v.add(G[0]);
    v.add(G[0].mod(N));
    v.add(N.add(BigInteger.valueOf(random.nextInt(1 << 20)))); // in [n, p)
    v.add(BigInteger.ONE.shiftLeft(8 * (1 + random.nextInt(40))).negate()); // 0xFF.. 00..
    v.add(BigInteger.ONE.negate());
    v.add(two256.negate().add(BigInteger.ONE));
    v.add(BigInteger.ONE.shiftLeft(8 * random.nextInt(32)));
    return v;
  }

  /**
   * Random keys and chosen digests (0, 1, n - 1, n, 2^256 - 1, random), signed by the JDK's
   * NONEwithECDSA, then (r, s) replaced one at a time by edge values, by n - s, by the other's
   * value: ours, the JDK and the affine reference agree on every canonical encoding.
   */
  @Test
  void differentialAgainstTheJdkOnEdgeScalarsAndDigests() throws Exception {
    Random random = new Random(SEED + 2);
    SecureRandom keyRandom = SecureRandom.getInstance("SHA1PRNG");
    keyRandom.setSeed(SEED + 2);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), keyRandom);
    BigInteger two256 = BigInteger.ONE.shiftLeft(256);
    BigInteger[] digests = {
      BigInteger.ZERO,
      BigInteger.ONE,
      N.subtract(BigInteger.ONE),
      N,
      two256.subtract(BigInteger.ONE),
      P.subtract(BigInteger.ONE)
    };
    KeyPair pair = null;
    P256Verifier ours = null;
    int valid = 0;
    int compared = 0;
    for (int round = 0; round < ROUNDS; round++) {
      if (round % 25 == 0) {
        pair = generator.generateKeyPair();
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        ours = P256Verifier.of(pub.getW().getAffineX(), pub.getW().getAffineY());
      }
      BigInteger e =
          random.nextInt(3) == 0
              ? digests[random.nextInt(digests.length)]
              : new BigInteger(256, random);
      byte[] digest = fixed32(e);
      Signature signer = Signature.getInstance("NONEwithECDSA");
      signer.initSign(pair.getPrivate(), keyRandom);
      signer.update(digest);
      EcdsaDer.Pair rs = EcdsaDer.decode(signer.sign()).orElseThrow();
      BigInteger r = rs.r();
      BigInteger s = rs.s();
      List<BigInteger[]> cases = new ArrayList<>();
      cases.add(new BigInteger[] {r, s});
      cases.add(new BigInteger[] {r, N.subtract(s)});
      cases.add(new BigInteger[] {s, r});
      cases.add(new BigInteger[] {r, r});
      for (BigInteger edge : edgeScalars(random)) {
        cases.add(new BigInteger[] {edge, s});
        cases.add(new BigInteger[] {r, edge});
      }
      for (BigInteger[] c : cases) {
        byte[] der = P256VerifierDifferentialTest.encode(c[0], c[1]);
        boolean jdk = jdkNone(pair.getPublic(), digest, der);
        P256Verifier.Outcome outcome = ours.verify(digest, der);
        assertThat(outcome)
            .as("seed %d round %d: e=%x r=%x s=%x, JDK %s", SEED, round, e, c[0], c[1], jdk)
            .isEqualTo(jdk ? P256Verifier.Outcome.VALID : P256Verifier.Outcome.INVALID);
        compared++;
        valid += jdk ? 1 : 0;
      }
    }
    // the signature and its high-s twin each round, nothing else (an edge value hitting r or s
    // exactly is 2^-200 unlikely)
    assertThat(valid).isEqualTo(2 * ROUNDS);
    assertThat(compared).isGreaterThan(40 * ROUNDS);
  }

  /**
   * DER shapes: every encoding the decoder accepts is the one canonical encoding of its (r, s)
   * (re-encoding gives the same bytes), and no input, however its lengths lie, throws.
   */
  @Test
  void derInputsOfEveryShapeNeverThrowAndOnlyCanonicalOnesDecode() {
    Random random = new Random(SEED + 3);
    P256Verifier verifier = P256Verifier.of(G[0], G[1]);
    byte[] digest = new byte[32];
    int decoded = 0;
    int total = ROUNDS * 500;
    for (int i = 0; i < total; i++) {
      BigInteger r = randomScalar(random);
      BigInteger s = randomScalar(random);
      byte[] der = P256VerifierDifferentialTest.encode(r, s);
      if (der.length - 2 > 0x7F) {
        continue;
      }
      byte[] input = mutate(der, random);
      Optional<EcdsaDer.Pair> pair = EcdsaDer.decode(input);
      if (pair.isPresent()) {
        decoded++;
        byte[] again = P256VerifierDifferentialTest.encode(pair.get().r(), pair.get().s());
        assertThat(again).as("seed %d, input %s", SEED, hex(input)).isEqualTo(input);
      }
      P256Verifier.Outcome outcome = verifier.verify(digest, input);
      assertThat(outcome == P256Verifier.Outcome.MALFORMED).isEqualTo(pair.isEmpty());
    }
    assertThat(decoded).isGreaterThan(total / 10);
    // lengths that lie: long forms, indefinite, huge, truncated
    for (byte[] lie :
        List.of(
            new byte[] {0x30, (byte) 0x80, 2, 1, 1, 2, 1, 1, 0, 0},
            new byte[] {0x30, (byte) 0x81, 6, 2, 1, 1, 2, 1, 1},
            new byte[] {0x30, (byte) 0x84, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 2, 1, 1},
            new byte[] {0x30, 6, 2, (byte) 0x81, 1, 1, 2, 1, 1},
            new byte[] {0x30, 6, 2, 0x7F, 1, 2, 1, 1},
            new byte[] {0x30, 6, 2, 1, 1, 2, 0x7F, 1},
            new byte[] {0x30, 5, 2, 1, 1, 2, 0},
            new byte[] {0x30, 0},
            new byte[] {0x30},
            new byte[] {},
            new byte[] {0x30, 6, 2, 1, 1, 2, 1, 1, 0},
            new byte[] {0x31, 6, 2, 1, 1, 2, 1, 1},
            new byte[] {0x30, 6, 3, 1, 1, 2, 1, 1},
            new byte[] {0x30, 7, 2, 2, 0, 1, 2, 1, 1},
            new byte[] {0x30, 7, 2, 2, (byte) 0xFF, (byte) 0x80, 2, 1, 1})) {
      assertThat(EcdsaDer.decode(lie)).as(hex(lie)).isEmpty();
      assertThat(verifier.verify(digest, lie)).isEqualTo(P256Verifier.Outcome.MALFORMED);
    }
    byte[] huge = new byte[1 << 20];
    huge[0] = 0x30;
    huge[1] = (byte) 0x83;
    assertThat(verifier.verify(digest, huge)).isEqualTo(P256Verifier.Outcome.MALFORMED);
  }

  private static BigInteger randomScalar(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> BigInteger.valueOf(random.nextInt(512) - 256);
      case 1 -> new BigInteger(256, random).mod(N);
      case 2 -> new BigInteger(8 * random.nextInt(34), random);
      case 3 -> new BigInteger(8 * random.nextInt(34), random).negate();
      case 4 -> BigInteger.ONE.shiftLeft(random.nextInt(264)).subtract(BigInteger.ONE);
      default -> BigInteger.ONE.shiftLeft(random.nextInt(264));
    };
  }

  /** Unchanged, a byte changed, a byte inserted or removed, a leading 0x00 or 0xFF added. */
  private static byte[] mutate(byte[] der, Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = random.nextInt(der.length);
    switch (random.nextInt(6)) {
      case 0 -> {
        return der;
      }
      case 1 -> {
        byte[] c = der.clone();
        c[at] =
            (byte) (random.nextBoolean() ? random.nextInt(256) : c[at] ^ (1 << random.nextInt(8)));
        return c;
      }
      case 2 -> {
        out.write(der, 0, at);
        out.write(random.nextInt(256));
        out.write(der, at, der.length - at);
      }
      case 3 -> {
        out.write(der, 0, at);
        out.write(der, at + 1, der.length - at - 1);
      }
      default -> {
        // pad r's content with a 0x00 or 0xFF and fix every length: non-minimal, same value
        int rLength = der[3];
        byte pad = random.nextBoolean() ? 0 : (byte) 0xFF;
        out.write(0x30);
        out.write(der[1] + 1);
        out.write(0x02);
        out.write(rLength + 1);
        out.write(pad);
        out.write(der, 4, der.length - 4);
      }
    }
    return out.toByteArray();
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }

  /**
   * Montgomery products, sums and differences of limbs at their carry limits, against BigInteger.
   */
  @Test
  void fieldOperationsOnStructuredLimbs() {
    Random random = new Random(SEED + 4);
    long[] limbValues = {
      0,
      -1,
      1,
      0xFFFFFFFFL,
      0xFFFFFFFF00000000L,
      0xFFFFFFFF00000001L,
      1L << 63,
      (1L << 63) - 1,
      0xFFFFFFFEL,
      0x100000000L
    };
    BigInteger rInverse = BigInteger.ONE.shiftLeft(256).modInverse(P);
    long[] out = new long[4];
    for (int i = 0; i < ROUNDS * 1000; i++) {
      long[] a = structured(random, limbValues);
      long[] b = structured(random, limbValues);
      BigInteger x = P256Field.number(a);
      BigInteger y = P256Field.number(b);
      P256Field.mul(a, b, out);
      assertThat(P256Field.number(out)).isEqualTo(x.multiply(y).multiply(rInverse).mod(P));
      P256Field.add(a, b, out);
      assertThat(P256Field.number(out)).isEqualTo(x.add(y).mod(P));
      P256Field.sub(a, b, out);
      assertThat(P256Field.number(out)).isEqualTo(x.subtract(y).mod(P));
    }
  }

  private static long[] structured(Random random, long[] limbValues) {
    while (true) {
      long[] a = new long[4];
      for (int j = 0; j < 4; j++) {
        a[j] =
            random.nextInt(4) == 0
                ? random.nextLong()
                : limbValues[random.nextInt(limbValues.length)];
      }
      if (random.nextInt(8) == 0) {
        a = P256Field.limbs(P.subtract(BigInteger.valueOf(1 + random.nextInt(1 << 16))));
      }
      if (P256Field.number(a).compareTo(P) < 0) {
        return a;
      }
    }
  }
}
