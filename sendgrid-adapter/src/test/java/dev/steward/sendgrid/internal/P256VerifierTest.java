package dev.steward.sendgrid.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Signatures made here from the ECDSA equations (r = x(kG) mod n, s = k^-1 (e + r d) mod n), so
 * that digests no hash would give on demand can be tried: e = 0 (u1 = 0: only the key's table
 * contributes), e = n and e above n (reduced mod n), e = 2^256 - 1. The JDK's NONEwithECDSA, which
 * takes the 32 bytes as the digest, must agree.
 */
class P256VerifierTest {
  private static final BigInteger N = P256Point.N;
  private static final long SEED = 0xD16E57L;

  @Test
  void specialDigestsVerifyLikeTheJdk() throws Exception {
    Random random = new Random(SEED);
    P256Table g = P256Table.of(P256Field.of(P256Point.GX), P256Field.of(P256Point.GY), 4);
    BigInteger[] digests = {
      BigInteger.ZERO,
      BigInteger.ONE,
      N.subtract(BigInteger.ONE),
      N,
      N.add(BigInteger.ONE),
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE),
      new BigInteger(256, random)
    };
    for (int round = 0; round < 5; round++) {
      BigInteger d =
          new BigInteger(256, random).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      BigInteger[] q = multiply(g, d);
      P256Verifier verifier = P256Verifier.of(q[0], q[1]);
      PublicKey jdkKey = jdkKey(q[0], q[1]);
      for (BigInteger e : digests) {
        BigInteger k =
            new BigInteger(256, random).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        BigInteger r = multiply(g, k)[0].mod(N);
        BigInteger s = k.modInverse(N).multiply(e.add(r.multiply(d))).mod(N);
        byte[] digest = fixed32(e);
        byte[] der = P256VerifierDifferentialTest.encode(r, s);
        assertThat(verifier.verify(digest, der))
            .as("seed %d, round %d, e = %x", SEED, round, e)
            .isEqualTo(P256Verifier.Outcome.VALID);
        assertThat(jdkNone(jdkKey, digest, der)).as("JDK, e = %x", e).isTrue();
        byte[] other = digest.clone();
        other[31] ^= 1;
        assertThat(verifier.verify(other, der)).isEqualTo(P256Verifier.Outcome.INVALID);
        assertThat(jdkNone(jdkKey, other, der)).isFalse();
      }
    }
  }

  @Test
  void keysOffTheCurveOrOutOfRangeAreRefused() {
    BigInteger gx = P256Point.GX;
    BigInteger gy = P256Point.GY;
    assertThatThrownBy(() -> P256Verifier.of(gx, gy.add(BigInteger.ONE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a point of P-256");
    assertThatThrownBy(() -> P256Verifier.of(gx.add(P256Field.P), gy))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not below p");
    assertThatThrownBy(() -> P256Verifier.of(BigInteger.ZERO, BigInteger.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> P256Verifier.of(gx, gy.negate()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDigestIs32Bytes() {
    P256Verifier v = P256Verifier.of(P256Point.GX, P256Point.GY);
    byte[] der = P256VerifierDifferentialTest.encode(BigInteger.ONE, BigInteger.ONE);
    assertThatThrownBy(() -> v.verify(new byte[31], der))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
    assertThat(v.verify(new byte[32], new byte[] {0x30, 0}))
        .isEqualTo(P256Verifier.Outcome.MALFORMED);
  }

  private static BigInteger[] multiply(P256Table table, BigInteger k) {
    P256Point acc = new P256Point();
    table.addMultiple(P256Field.limbs(k), acc, new long[4], new long[4]);
    BigInteger p = P256Field.P;
    BigInteger zInv = P256Field.toBigInteger(acc.z).modInverse(p);
    return new BigInteger[] {
      P256Field.toBigInteger(acc.x).multiply(zInv.pow(2)).mod(p),
      P256Field.toBigInteger(acc.y).multiply(zInv.pow(3)).mod(p)
    };
  }

  private static byte[] fixed32(BigInteger e) {
    byte[] raw = e.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  private static PublicKey jdkKey(BigInteger x, BigInteger y) throws Exception {
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec("secp256r1"));
    return KeyFactory.getInstance("EC")
        .generatePublic(
            new ECPublicKeySpec(new ECPoint(x, y), params.getParameterSpec(ECParameterSpec.class)));
  }

  private static boolean jdkNone(PublicKey key, byte[] digest, byte[] der) {
    try {
      Signature s = Signature.getInstance("NONEwithECDSA");
      s.initVerify(key);
      s.update(digest);
      return s.verify(der);
    } catch (Exception refused) {
      return false;
    }
  }
}
