package dev.steward.sendgrid.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * P256Verifier against the JDK's SHA256withECDSA: random keys, messages and signatures, each also
 * mutated (bits of r, s, the message or the key flipped; r and s swapped; out-of-range values; the
 * high-s twin n - s, which ECDSA accepts). Both must give the same answer every time. Everything is
 * drawn from one seed, printed with any failure, so a failure can be replayed.
 */
class P256VerifierDifferentialTest {
  private static final BigInteger N = P256Point.N;
  private static final int KEYS = 60;
  private static final int MESSAGES_PER_KEY = 12;

  @Test
  void agreesWithTheJdkOnValidAndMutatedSignatures() throws Exception {
    long seed = Long.getLong("p256.seed", 0x2026_1128L);
    Random random = new Random(seed);
    SecureRandom keyRandom = SecureRandom.getInstance("SHA1PRNG");
    keyRandom.setSeed(seed); // seeded before first use: deterministic
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), keyRandom);
    KeyPair other = generator.generateKeyPair();
    P256Verifier otherVerifier = verifierOf((ECPublicKey) other.getPublic());
    int compared = 0;
    int accepted = 0;
    for (int k = 0; k < KEYS; k++) {
      KeyPair pair = generator.generateKeyPair();
      ECPublicKey pub = (ECPublicKey) pair.getPublic();
      P256Verifier ours = verifierOf(pub);
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(pair.getPrivate(), keyRandom);
      for (int m = 0; m < MESSAGES_PER_KEY; m++) {
        byte[] message = new byte[random.nextInt(200)];
        random.nextBytes(message);
        signer.update(message);
        byte[] der = signer.sign();
        BigInteger[] rs = rs(der);
        BigInteger r = rs[0];
        BigInteger s = rs[1];
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("valid", new Case(pub, message, der));
        cases.put("high s", new Case(pub, message, encode(r, N.subtract(s))));
        cases.put(
            "r bit flipped", new Case(pub, message, encode(r.flipBit(random.nextInt(256)), s)));
        cases.put(
            "s bit flipped", new Case(pub, message, encode(r, s.flipBit(random.nextInt(256)))));
        byte[] changed = message.length == 0 ? new byte[] {1} : message.clone();
        if (message.length > 0) {
          changed[random.nextInt(changed.length)] ^= (byte) (1 << random.nextInt(8));
        }
        cases.put("message bit flipped", new Case(pub, changed, der));
        cases.put("other key", new Case((ECPublicKey) other.getPublic(), message, der));
        cases.put("r and s swapped", new Case(pub, message, encode(s, r)));
        cases.put("r = 0", new Case(pub, message, encode(BigInteger.ZERO, s)));
        cases.put("s = 0", new Case(pub, message, encode(r, BigInteger.ZERO)));
        cases.put("r = n", new Case(pub, message, encode(N, s)));
        cases.put("s = n", new Case(pub, message, encode(r, N)));
        cases.put("r = n - 1", new Case(pub, message, encode(N.subtract(BigInteger.ONE), s)));
        cases.put("s = n - 1", new Case(pub, message, encode(r, N.subtract(BigInteger.ONE))));
        cases.put("r + n", new Case(pub, message, encode(r.add(N), s)));
        cases.put("s + n", new Case(pub, message, encode(r, s.add(N))));
        cases.put("-r", new Case(pub, message, encode(r.negate(), s)));
        cases.put(
            "random r, s",
            new Case(
                pub,
                message,
                encode(new BigInteger(256, random).mod(N), new BigInteger(256, random).mod(N))));
        for (Map.Entry<String, Case> c : cases.entrySet()) {
          Case tc = c.getValue();
          boolean jdk = jdkVerifies(tc.key, tc.message, tc.der);
          P256Verifier verifier = tc.key == pub ? ours : otherVerifier;
          boolean ourAnswer =
              verifier.verify(sha256(tc.message), tc.der) == P256Verifier.Outcome.VALID;
          assertThat(ourAnswer)
              .as(
                  "seed %d, key %d, message %d, case '%s': JDK says %s",
                  seed, k, m, c.getKey(), jdk)
              .isEqualTo(jdk);
          compared++;
          accepted += jdk ? 1 : 0;
        }
        // a flipped bit of the key's x: almost always off the curve, which both refuse
        ECPoint w = pub.getW();
        BigInteger x = w.getAffineX().flipBit(random.nextInt(256));
        boolean jdkAcceptsFlippedKey = jdkVerifiesRawKey(x, w.getAffineY(), message, der);
        boolean oursAcceptsFlippedKey;
        try {
          oursAcceptsFlippedKey =
              P256Verifier.of(x, w.getAffineY()).verify(sha256(message), der)
                  == P256Verifier.Outcome.VALID;
        } catch (IllegalArgumentException offTheCurve) {
          oursAcceptsFlippedKey = false;
        }
        assertThat(oursAcceptsFlippedKey)
            .as("seed %d, key %d, message %d, key bit flipped", seed, k, m)
            .isEqualTo(jdkAcceptsFlippedKey)
            .isFalse();
        compared++;
      }
    }
    // valid and high-s per message; the rest refused
    assertThat(accepted).isEqualTo(2 * KEYS * MESSAGES_PER_KEY);
    assertThat(compared).isEqualTo(KEYS * MESSAGES_PER_KEY * 18);
  }

  private record Case(ECPublicKey key, byte[] message, byte[] der) {}

  static P256Verifier verifierOf(ECPublicKey key) {
    return P256Verifier.of(key.getW().getAffineX(), key.getW().getAffineY());
  }

  private static boolean jdkVerifies(PublicKey key, byte[] message, byte[] der) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initVerify(key);
      s.update(message);
      return s.verify(der);
    } catch (GeneralSecurityException | RuntimeException refused) {
      return false;
    }
  }

  private static boolean jdkVerifiesRawKey(BigInteger x, BigInteger y, byte[] message, byte[] der) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      ECPublicKey template = (ECPublicKey) g.generateKeyPair().getPublic();
      PublicKey key =
          KeyFactory.getInstance("EC")
              .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), template.getParams()));
      return jdkVerifies(key, message, der);
    } catch (GeneralSecurityException | RuntimeException refused) {
      return false;
    }
  }

  static byte[] sha256(byte[] message) throws GeneralSecurityException {
    return MessageDigest.getInstance("SHA-256").digest(message);
  }

  /** The (r, s) of a DER signature made by the JDK (which writes strict DER). */
  static BigInteger[] rs(byte[] der) {
    EcdsaDer.Pair pair = EcdsaDer.decode(der).orElseThrow();
    return new BigInteger[] {pair.r(), pair.s()};
  }

  /** DER of (r, s): BigInteger.toByteArray is the shortest two's complement, as DER wants. */
  static byte[] encode(BigInteger r, BigInteger s) {
    byte[] rb = r.toByteArray();
    byte[] sb = s.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.write(2 + rb.length + 2 + sb.length);
    out.write(0x02);
    out.write(rb.length);
    out.writeBytes(rb);
    out.write(0x02);
    out.write(sb.length);
    out.writeBytes(sb);
    return out.toByteArray();
  }
}
