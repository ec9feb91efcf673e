package dev.steward.sendgrid.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile verification keys: the P-256 SubjectPublicKeyInfo re-spelt with a compressed point, the
 * point at infinity, a point of the wrong length, x or y replaced by p or by 0, another curve's OID
 * with a P-256 point, the point or the whole key followed by one more byte (the JDK's decoder reads
 * a 66-byte point as its first 65 bytes and ignores the rest). Each is refused with {@link
 * InvalidVerificationKeyException} (no other exception escapes, none names the key); the honest key
 * in PEM armour with line breaks is taken.
 */
class EventWebhookKeyAttackTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-28T02:00:00Z"), ZoneOffset.UTC);

  /** SEQUENCE { SEQUENCE { id-ecPublicKey, curve OID }, BIT STRING { 0, point } }. */
  private static String spki(String curveOidHex, byte[] point) {
    byte[] algorithm = HexFormat.of().parseHex("06072a8648ce3d0201" + curveOidHex);
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    inner.write(0x30);
    inner.write(algorithm.length);
    inner.writeBytes(algorithm);
    inner.write(0x03);
    inner.write(point.length + 1);
    inner.write(0);
    inner.writeBytes(point);
    byte[] body = inner.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.write(body.length);
    out.writeBytes(body);
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  private static final String P256_OID = "06082a8648ce3d030107";
  private static final String P384_OID = "06052b81040022";
  private static final byte[] P =
      HexFormat.of().parseHex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");

  @Test
  void hostileKeysAreRefusedCleanly() {
    KeyPair pair = Keys.p256();
    ECPublicKey pub = (ECPublicKey) pair.getPublic();
    byte[] encoded = pub.getEncoded();
    byte[] point = Arrays.copyOfRange(encoded, encoded.length - 65, encoded.length);
    assertThat(point[0]).isEqualTo((byte) 4);
    // the honest key, re-built by this test's encoder, is accepted: the encoder is right
    assertThat(spki(P256_OID, point)).isEqualTo(Keys.publicBase64(pair));
    byte[] x = Arrays.copyOfRange(point, 1, 33);
    byte[] y = Arrays.copyOfRange(point, 33, 65);
    byte[] compressed = new byte[33];
    compressed[0] = (byte) (2 + (y[31] & 1));
    System.arraycopy(x, 0, compressed, 1, 32);
    byte[] xIsP = point.clone();
    System.arraycopy(P, 0, xIsP, 1, 32);
    byte[] yIsP = point.clone();
    System.arraycopy(P, 0, yIsP, 33, 32);
    byte[] zeros = new byte[65];
    zeros[0] = 4;
    byte[] hybrid = point.clone();
    hybrid[0] = (byte) (6 + (y[31] & 1));
    List<String> hostile =
        List.of(
            spki(P256_OID, compressed),
            spki(P256_OID, new byte[] {0}),
            spki(P256_OID, Arrays.copyOf(point, 64)),
            spki(P256_OID, Arrays.copyOf(point, 66)),
            spki(P256_OID, xIsP),
            spki(P256_OID, yIsP),
            spki(P256_OID, zeros),
            spki(P256_OID, hybrid),
            spki(P384_OID, point),
            spki("", point),
            Base64.getEncoder().encodeToString(Arrays.copyOf(encoded, encoded.length + 1)));
    for (int i = 0; i < hostile.size(); i++) {
      String key = hostile.get(i);
      assertThatThrownBy(() -> EventWebhookVerifier.of(key, CLOCK))
          .as("hostile key %d: %s", i, key)
          .isInstanceOf(InvalidVerificationKeyException.class)
          .hasMessageNotContaining(key)
          .hasNoCause();
    }
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(encoded)
            + "\n-----END PUBLIC KEY-----\n";
    EventWebhookVerifier verifier = EventWebhookVerifier.of(pem, CLOCK);
    String ts = Long.toString(CLOCK.instant().getEpochSecond());
    byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
    assertThat(verifier.verify(Keys.sign(pair, ts, body), ts, body)).isEqualTo(Verification.VALID);
  }
}
