package dev.steward.sendgrid.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class EventWebhookVerifierTest {
  private static final Instant NOW = Instant.parse("2026-11-27T14:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final byte[] BODY =
      "[{\"email\":\"a@example.com\",\"timestamp\":1,\"event\":\"processed\",\"sg_event_id\":\"e1\"}]\r\n"
          .getBytes(StandardCharsets.UTF_8);

  private final KeyPair pair = Keys.p256();
  private final EventWebhookVerifier verifier =
      EventWebhookVerifier.of(Keys.publicBase64(pair), CLOCK);
  private final String ts = Long.toString(NOW.minusSeconds(30).getEpochSecond());

  @Test
  void aSignatureOverTheTimestampAndBodyIsValid() {
    String sig = Keys.sign(pair, ts, BODY);
    assertThat(verifier.verify(sig, ts, BODY)).isEqualTo(Verification.VALID);
    verifier.requireValid(sig, ts, BODY);
  }

  @Test
  void headersAreFoundWhateverTheirCase() {
    Map<String, String> headers = new HashMap<>();
    headers.put("x-twilio-email-event-webhook-signature", Keys.sign(pair, ts, BODY));
    headers.put("X-TWILIO-EMAIL-EVENT-WEBHOOK-TIMESTAMP", ts);
    assertThat(verifier.verify(headers, BODY)).isEqualTo(Verification.VALID);
  }

  @Test
  void aChangedBodyFails() {
    String sig = Keys.sign(pair, ts, BODY);
    byte[] changed = BODY.clone();
    changed[changed.length - 3] = ' '; // even white space counts: the raw bytes are signed
    assertThat(verifier.verify(sig, ts, changed)).isEqualTo(Verification.BAD_SIGNATURE);
  }

  @Test
  void aChangedTimestampFails() {
    String sig = Keys.sign(pair, ts, BODY);
    String other = Long.toString(Long.parseLong(ts) + 1);
    assertThat(verifier.verify(sig, other, BODY)).isEqualTo(Verification.BAD_SIGNATURE);
  }

  @Test
  void anotherKeysSignatureFails() {
    String sig = Keys.sign(Keys.p256(), ts, BODY);
    assertThat(verifier.verify(sig, ts, BODY)).isEqualTo(Verification.BAD_SIGNATURE);
    assertThatThrownBy(() -> verifier.requireValid(sig, ts, BODY))
        .isInstanceOf(WebhookRejectedException.class)
        .hasMessageContaining("does not match")
        .extracting(e -> ((WebhookRejectedException) e).verification())
        .isEqualTo(Verification.BAD_SIGNATURE);
  }

  @Test
  void anOldTimestampIsStaleEvenWhenSignedByTheRightKey() {
    String old = Long.toString(NOW.minus(Duration.ofMinutes(11)).getEpochSecond());
    assertThat(verifier.verify(Keys.sign(pair, old, BODY), old, BODY))
        .isEqualTo(Verification.STALE_TIMESTAMP);
    String edge = Long.toString(NOW.minus(Duration.ofMinutes(10)).getEpochSecond());
    assertThat(verifier.verify(Keys.sign(pair, edge, BODY), edge, BODY))
        .isEqualTo(Verification.VALID);
  }

  @Test
  void theMaximumAgeIsConfigurableOrOff() {
    String old = Long.toString(NOW.minus(Duration.ofHours(3)).getEpochSecond());
    String sig = Keys.sign(pair, old, BODY);
    String key = Keys.publicBase64(pair);
    assertThat(
            EventWebhookVerifier.builder(key, CLOCK)
                .maxAge(Duration.ofHours(4))
                .build()
                .verify(sig, old, BODY))
        .isEqualTo(Verification.VALID);
    assertThat(EventWebhookVerifier.builder(key, CLOCK).noMaxAge().build().verify(sig, old, BODY))
        .isEqualTo(Verification.VALID);
    assertThatThrownBy(() -> EventWebhookVerifier.builder(key, CLOCK).maxAge(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAge must be positive");
  }

  @Test
  void aFutureTimestampBeyondTheSkewFails() {
    String ahead = Long.toString(NOW.plus(Duration.ofMinutes(2)).getEpochSecond());
    assertThat(verifier.verify(Keys.sign(pair, ahead, BODY), ahead, BODY))
        .isEqualTo(Verification.FUTURE_TIMESTAMP);
    String slightly = Long.toString(NOW.plusSeconds(30).getEpochSecond());
    assertThat(verifier.verify(Keys.sign(pair, slightly, BODY), slightly, BODY))
        .isEqualTo(Verification.VALID);
  }

  @Test
  void malformedSignaturesAreNamed() {
    assertThat(verifier.verify("not base64 !!", ts, BODY))
        .isEqualTo(Verification.MALFORMED_SIGNATURE);
    String notDer = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4});
    assertThat(verifier.verify(notDer, ts, BODY)).isEqualTo(Verification.MALFORMED_SIGNATURE);
    String valid = Keys.sign(pair, ts, BODY);
    assertThat(verifier.verify(valid + "*", ts, BODY)).isEqualTo(Verification.MALFORMED_SIGNATURE);
  }

  @Test
  void missingAndMalformedHeadersAreNamed() {
    String sig = Keys.sign(pair, ts, BODY);
    assertThat(verifier.verify(null, ts, BODY)).isEqualTo(Verification.MISSING_SIGNATURE);
    assertThat(verifier.verify(" ", ts, BODY)).isEqualTo(Verification.MISSING_SIGNATURE);
    assertThat(verifier.verify(sig, null, BODY)).isEqualTo(Verification.MISSING_TIMESTAMP);
    assertThat(verifier.verify(sig, "yesterday", BODY)).isEqualTo(Verification.MALFORMED_TIMESTAMP);
    assertThat(verifier.verify(Map.of(), BODY)).isEqualTo(Verification.MISSING_SIGNATURE);
    assertThatThrownBy(() -> verifier.requireValid(Map.of("x", "y"), BODY))
        .isInstanceOf(WebhookRejectedException.class)
        .hasMessageContaining(EventWebhookVerifier.SIGNATURE_HEADER);
  }

  @Test
  void aTimestampIsAsciiDigitsOnlyEvenWhenCorrectlySigned() {
    // each is signed by the right key, so only the timestamp's form can refuse it; Long.parseLong
    // reads all but the last three as the same instant as ts
    String arabicIndic =
        ts.chars()
            .mapToObj(c -> String.valueOf((char) ('\u0660' + c - '0')))
            .reduce("", String::concat);
    String fullWidth =
        ts.chars()
            .mapToObj(c -> String.valueOf((char) ('\uff10' + c - '0')))
            .reduce("", String::concat);
    for (String odd :
        List.of("+" + ts, arabicIndic, fullWidth, " " + ts, ts + "\n", "-1", "0000000" + ts)) {
      String sig = Keys.sign(pair, odd, BODY);
      assertThat(verifier.verify(sig, odd, BODY))
          .as("timestamp '%s'", odd)
          .isEqualTo(Verification.MALFORMED_TIMESTAMP);
    }
    // the bound is on digits, not on value: twelve digits are read (and judged by age)
    String twelve = "00" + Long.toString(NOW.minusSeconds(30).getEpochSecond());
    assertThat(twelve).hasSize(EventWebhookVerifier.MAX_TIMESTAMP_DIGITS);
    assertThat(verifier.verify(Keys.sign(pair, twelve, BODY), twelve, BODY))
        .isEqualTo(Verification.VALID);
  }

  @Test
  void aKeyInPemArmourIsAccepted() {
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    assertThat(EventWebhookVerifier.of(pem, CLOCK).verify(Keys.sign(pair, ts, BODY), ts, BODY))
        .isEqualTo(Verification.VALID);
  }

  @Test
  void aWrongKeyIsRefusedNamingWhatIsWrongButNotTheKey() throws Exception {
    assertThatThrownBy(() -> EventWebhookVerifier.of("", CLOCK))
        .isInstanceOf(InvalidVerificationKeyException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> EventWebhookVerifier.of("secret!key*material=", CLOCK))
        .isInstanceOf(InvalidVerificationKeyException.class)
        .hasMessageContaining("not base64")
        .hasMessageNotContaining("secret!key*material");
    String validWithJunk = Keys.publicBase64(pair) + "!";
    assertThatThrownBy(() -> EventWebhookVerifier.of(validWithJunk, CLOCK))
        .isInstanceOf(InvalidVerificationKeyException.class)
        .hasMessageContaining("not base64");
    String garbage =
        Base64.getEncoder().encodeToString("not a key at all".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> EventWebhookVerifier.of(garbage, CLOCK))
        .isInstanceOf(InvalidVerificationKeyException.class)
        .hasMessageContaining("X.509 SubjectPublicKeyInfo")
        .hasMessageNotContaining(garbage)
        .hasNoCause();
    String p384 = Keys.publicBase64(Keys.ec("secp384r1"));
    assertThatThrownBy(() -> EventWebhookVerifier.of(p384, CLOCK))
        .isInstanceOf(InvalidVerificationKeyException.class)
        .hasMessageContaining("P-256")
        .hasMessageNotContaining(p384);
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    String rsaKey =
        Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded());
    assertThatThrownBy(() -> EventWebhookVerifier.of(rsaKey, CLOCK))
        .isInstanceOf(InvalidVerificationKeyException.class)
        .hasMessageNotContaining(rsaKey);
  }

  @Test
  void theKeyIsNotInToString() {
    String key = Keys.publicBase64(pair);
    assertThat(verifier.toString()).doesNotContain(key).contains("PT10M");
  }

  @Test
  void theSignatureMustBeStrictDerAndItsValuesInRange() {
    String sig = Keys.sign(pair, ts, BODY);
    byte[] der = Base64.getDecoder().decode(sig);
    java.math.BigInteger[] rs = rs(der);
    java.math.BigInteger n =
        ((java.security.interfaces.ECPublicKey) pair.getPublic()).getParams().getOrder();
    // the same (r, s) with the sequence length in BER's long form: refused, not re-read
    byte[] ber = new byte[der.length + 1];
    ber[0] = 0x30;
    ber[1] = (byte) 0x81;
    System.arraycopy(der, 1, ber, 2, der.length - 1);
    assertThat(verifier.verify(Base64.getEncoder().encodeToString(ber), ts, BODY))
        .isEqualTo(Verification.MALFORMED_SIGNATURE);
    // trailing bytes after a valid signature
    byte[] trailing = java.util.Arrays.copyOf(der, der.length + 2);
    assertThat(verifier.verify(Base64.getEncoder().encodeToString(trailing), ts, BODY))
        .isEqualTo(Verification.MALFORMED_SIGNATURE);
    // well-formed, out of range: a bad signature
    for (java.math.BigInteger[] bad :
        new java.math.BigInteger[][] {
          {java.math.BigInteger.ZERO, rs[1]},
          {rs[0], java.math.BigInteger.ZERO},
          {n, rs[1]},
          {rs[0], n},
          {rs[0].add(n), rs[1]},
          {rs[0].negate(), rs[1]}
        }) {
      assertThat(verifier.verify(der(bad[0], bad[1]), ts, BODY))
          .as("r=%x s=%x", bad[0], bad[1])
          .isEqualTo(Verification.BAD_SIGNATURE);
    }
    // high s, n - s, is as valid as s (ECDSA is malleable; SendGrid's signer may produce either)
    assertThat(verifier.verify(der(rs[0], n.subtract(rs[1])), ts, BODY))
        .isEqualTo(Verification.VALID);
  }

  @Test
  void aKeyOffTheCurveIsRefused() {
    byte[] encoded = pair.getPublic().getEncoded();
    encoded[encoded.length - 1] ^= 1; // the last byte of y: the point leaves the curve
    String offCurve = Base64.getEncoder().encodeToString(encoded);
    assertThatThrownBy(() -> EventWebhookVerifier.of(offCurve, CLOCK))
        .isInstanceOf(InvalidVerificationKeyException.class)
        .hasMessageNotContaining(offCurve);
  }

  private static java.math.BigInteger[] rs(byte[] der) {
    // the JDK writes minimal DER: 30 len 02 lr r 02 ls s
    int lr = der[3];
    byte[] r = java.util.Arrays.copyOfRange(der, 4, 4 + lr);
    int ls = der[5 + lr];
    byte[] s = java.util.Arrays.copyOfRange(der, 6 + lr, 6 + lr + ls);
    return new java.math.BigInteger[] {new java.math.BigInteger(r), new java.math.BigInteger(s)};
  }

  private static String der(java.math.BigInteger r, java.math.BigInteger s) {
    byte[] rb = r.toByteArray();
    byte[] sb = s.toByteArray();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(0x30);
    out.write(4 + rb.length + sb.length);
    out.write(0x02);
    out.write(rb.length);
    out.writeBytes(rb);
    out.write(0x02);
    out.write(sb.length);
    out.writeBytes(sb);
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  @Test
  void oneVerifierServesManyThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> checks = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        byte[] body = ("[" + i + "]").getBytes(StandardCharsets.UTF_8);
        String sig = Keys.sign(pair, ts, body);
        boolean tamper = i % 3 == 0;
        byte[] sent = tamper ? ("[" + (i + 1) + "]").getBytes(StandardCharsets.UTF_8) : body;
        checks.add(() -> verifier.verify(sig, ts, sent).isValid() == !tamper);
      }
      for (Future<Boolean> f : pool.invokeAll(checks)) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
