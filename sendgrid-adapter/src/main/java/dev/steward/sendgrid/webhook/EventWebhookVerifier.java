package dev.steward.sendgrid.webhook;

import dev.steward.sendgrid.internal.P256Verifier;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies SendGrid's signed Event Webhook without BouncyCastle: the {@value #SIGNATURE_HEADER}
 * header holds a base64 DER ECDSA P-256 signature, with SHA-256, over the bytes of the {@value
 * #TIMESTAMP_HEADER} header followed by the raw request body. A timestamp older than {@link
 * Builder#maxAge} (default {@link #DEFAULT_MAX_AGE}) or further ahead than {@link
 * Builder#maxClockSkew} (default {@link #DEFAULT_MAX_CLOCK_SKEW}) is refused, so a captured request
 * cannot be replayed later.
 *
 * <p>The ECDSA check is Steward's own P-256 arithmetic: the key is fixed, so tables of its
 * multiples (and the base point's) are computed once when the verifier is built, and a check costs
 * a fraction of the JDK 17 SunEC verify. Building a verifier therefore takes about half a megabyte
 * and some milliseconds: build one per key and share it. The signature must be strict DER: BER
 * spellings of the same (r, s) are refused as malformed.
 *
 * <p>Check the request before parsing it, against the exact bytes received (not a re-encoded body).
 * Thread-safe: one verifier serves every request. The key is never logged nor named in an exception
 * or result.
 */
public final class EventWebhookVerifier {
  private static final Logger log = LoggerFactory.getLogger(EventWebhookVerifier.class);

  /** The header carrying the base64 DER ECDSA signature. */
  public static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";

  /** The header carrying the unix time in seconds at which SendGrid signed the request. */
  public static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";

  /** How old a request's timestamp may be by default: 10 minutes. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);

  /** How far ahead of this clock a request's timestamp may be by default: 1 minute. */
  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(1);

  private final P256Verifier ecdsa;
  private final Clock clock;
  private final Optional<Duration> maxAge;
  private final Duration maxClockSkew;

  private EventWebhookVerifier(Builder b) {
    this.ecdsa = b.ecdsa;
    this.clock = b.clock;
    this.maxAge = Optional.ofNullable(b.maxAge);
    this.maxClockSkew = b.maxClockSkew;
  }

  /**
   * A verifier with the defaults, for the account's verification key as SendGrid shows it (base64
   * of an X.509 SubjectPublicKeyInfo; PEM armour is accepted too).
   *
   * @throws InvalidVerificationKeyException if the key is not a P-256 public key in that form
   */
  public static EventWebhookVerifier of(String base64PublicKey, Clock clock) {
    return builder(base64PublicKey, clock).build();
  }

  /**
   * A builder for the key (see {@link #of}) and the clock against which timestamps are judged.
   *
   * @throws InvalidVerificationKeyException if the key is not a P-256 public key in that form
   */
  public static Builder builder(String base64PublicKey, Clock clock) {
    return new Builder(base64PublicKey, clock);
  }

  /**
   * Checks a request from its signature and timestamp header values (each may be null when the
   * request lacked it) and its raw body.
   */
  public Verification verify(String signature, String timestamp, byte[] body) {
    Objects.requireNonNull(body, "body");
    Verification v = check(signature, timestamp, body);
    if (!v.isValid()) {
      log.debug("Event Webhook request refused: {}", v.description());
    }
    return v;
  }

  /**
   * Checks a request from its headers, looked up without regard to case (HTTP header names are
   * case-insensitive), and its raw body.
   */
  public Verification verify(Map<String, String> headers, byte[] body) {
    Objects.requireNonNull(headers, "headers");
    return verify(header(headers, SIGNATURE_HEADER), header(headers, TIMESTAMP_HEADER), body);
  }

  /**
   * Like {@link #verify(String, String, byte[])}, but throws when the request is not valid.
   *
   * @throws WebhookRejectedException naming what is wrong
   */
  public void requireValid(String signature, String timestamp, byte[] body) {
    Verification v = verify(signature, timestamp, body);
    if (!v.isValid()) {
      throw new WebhookRejectedException(v);
    }
  }

  /**
   * Like {@link #verify(Map, byte[])}, but throws when the request is not valid.
   *
   * @throws WebhookRejectedException naming what is wrong
   */
  public void requireValid(Map<String, String> headers, byte[] body) {
    Objects.requireNonNull(headers, "headers");
    requireValid(header(headers, SIGNATURE_HEADER), header(headers, TIMESTAMP_HEADER), body);
  }

  /** The maximum age of a request's timestamp; empty when age is not checked. */
  public Optional<Duration> maxAge() {
    return maxAge;
  }

  /** How far ahead of this verifier's clock a timestamp may lie. */
  public Duration maxClockSkew() {
    return maxClockSkew;
  }

  @Override
  public String toString() {
    return "EventWebhookVerifier[maxAge="
        + maxAge.map(Duration::toString).orElse("unchecked")
        + ", maxClockSkew="
        + maxClockSkew
        + "]";
  }

  /** The most digits a timestamp may have: epoch seconds stay below 10^12 until the year 33658. */
  static final int MAX_TIMESTAMP_DIGITS = 12;

  /**
   * The timestamp's epoch seconds, or -1 unless it is 1 to {@value #MAX_TIMESTAMP_DIGITS} ASCII
   * digits and nothing else: {@code Long.parseLong} would also take a sign and other scripts'
   * digits (Arabic-Indic, full-width), so two different signed byte strings would name one instant.
   */
  static long epochSeconds(String timestamp) {
    int n = timestamp.length();
    if (n == 0 || n > MAX_TIMESTAMP_DIGITS) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      char c = timestamp.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private Verification check(String signature, String timestamp, byte[] body) {
    if (signature == null || signature.isBlank()) {
      return Verification.MISSING_SIGNATURE;
    }
    if (timestamp == null || timestamp.isBlank()) {
      return Verification.MISSING_TIMESTAMP;
    }
    long seconds = epochSeconds(timestamp);
    if (seconds < 0) {
      return Verification.MALFORMED_TIMESTAMP;
    }
    Instant signedAt;
    try {
      signedAt = Instant.ofEpochSecond(seconds);
    } catch (RuntimeException e) {
      return Verification.MALFORMED_TIMESTAMP;
    }
    Instant now = clock.instant();
    // compared as the gap between the two instants, so that no limit, however large, overflows
    Duration gap = Duration.between(signedAt, now);
    if (maxAge.isPresent() && gap.compareTo(maxAge.get()) > 0) {
      return Verification.STALE_TIMESTAMP;
    }
    if (gap.isNegative() && gap.negated().compareTo(maxClockSkew) > 0) {
      return Verification.FUTURE_TIMESTAMP;
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(signature.strip());
    } catch (IllegalArgumentException e) {
      return Verification.MALFORMED_SIGNATURE;
    }
    if (der.length == 0) {
      return Verification.MALFORMED_SIGNATURE;
    }
    MessageDigest sha256;
    try {
      // a MessageDigest holds state: one per call keeps the verifier thread-safe
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
    // the header's exact bytes, as signed; the body as received, hashed in place
    sha256.update(timestamp.getBytes(StandardCharsets.UTF_8));
    byte[] digest = sha256.digest(body);
    return switch (ecdsa.verify(digest, der)) {
      case VALID -> Verification.VALID;
      case INVALID -> Verification.BAD_SIGNATURE;
      case MALFORMED -> Verification.MALFORMED_SIGNATURE;
    };
  }

  private static String header(Map<String, String> headers, String name) {
    String exact = headers.get(name);
    if (exact != null) {
      return exact;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (h.getKey() != null && h.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
        return h.getValue();
      }
    }
    return null;
  }

  /** Reads the key; every message names what is wrong, never the key itself. */
  private static P256Verifier parseKey(String base64PublicKey) {
    if (base64PublicKey == null || base64PublicKey.isBlank()) {
      throw new InvalidVerificationKeyException("the Event Webhook verification key is empty");
    }
    String text =
        base64PublicKey
            .replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .strip();
    byte[] der;
    try {
      der = Base64.getDecoder().decode(text.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new InvalidVerificationKeyException("the Event Webhook verification key is not base64");
    }
    PublicKey key;
    try {
      key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
    } catch (InvalidKeySpecException | RuntimeException e) {
      // no cause attached: a provider's message could quote the encoding
      throw new InvalidVerificationKeyException(
          "the Event Webhook verification key is not an X.509 SubjectPublicKeyInfo of an EC key");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no EC key factory", e);
    }
    if (!(key instanceof ECPublicKey ec) || !isP256(ec.getParams())) {
      throw new InvalidVerificationKeyException(
          "the Event Webhook verification key is not on the P-256 (secp256r1) curve");
    }
    ECPoint w = ec.getW();
    if (ECPoint.POINT_INFINITY.equals(w)) {
      throw new InvalidVerificationKeyException(
          "the Event Webhook verification key is the point at infinity");
    }
    // the JDK's decoder ignores bytes after the key and after a 65-byte point (it reads a point of
    // 66 bytes as its first 65), and getEncoded() hands those bytes back: the key is rebuilt from
    // its point and only that one encoding is taken
    if (!Arrays.equals(canonical(w, ec.getParams()), der)) {
      throw new InvalidVerificationKeyException(
          "the Event Webhook verification key is not exactly the DER of a P-256 public key"
              + " (bytes after the point or the key)");
    }
    try {
      // checks that the point lies on the curve before its tables are built
      return P256Verifier.of(w.getAffineX(), w.getAffineY());
    } catch (IllegalArgumentException e) {
      throw new InvalidVerificationKeyException(
          "the Event Webhook verification key is not a point of the P-256 (secp256r1) curve");
    }
  }

  /** The X.509 encoding of the key with point w, made afresh; empty if the JDK refuses it. */
  private static byte[] canonical(ECPoint w, ECParameterSpec params) {
    try {
      return KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(w, params))
          .getEncoded();
    } catch (InvalidKeySpecException | RuntimeException e) {
      return new byte[0];
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no EC key factory", e);
    }
  }

  private static boolean isP256(ECParameterSpec params) {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec p256 = p.getParameterSpec(ECParameterSpec.class);
      return params.getCurve().equals(p256.getCurve())
          && params.getOrder().equals(p256.getOrder())
          && params.getGenerator().equals(p256.getGenerator());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK does not know the secp256r1 curve", e);
    }
  }

  /** Configures an {@link EventWebhookVerifier}; the key is checked when the builder is made. */
  public static final class Builder {
    private final P256Verifier ecdsa;
    private final Clock clock;
    private Duration maxAge = DEFAULT_MAX_AGE;
    private Duration maxClockSkew = DEFAULT_MAX_CLOCK_SKEW;

    private Builder(String base64PublicKey, Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      this.ecdsa = parseKey(base64PublicKey);
    }

    /**
     * The oldest timestamp accepted, counted back from the clock's now (default {@link
     * #DEFAULT_MAX_AGE}).
     */
    public Builder maxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /** Accept timestamps of any age (replays are then possible): for tests and tools only. */
    public Builder noMaxAge() {
      this.maxAge = null;
      return this;
    }

    /**
     * How far ahead of the clock a timestamp may lie (default {@link #DEFAULT_MAX_CLOCK_SKEW});
     * zero refuses any timestamp ahead of the clock.
     */
    public Builder maxClockSkew(Duration skew) {
      Objects.requireNonNull(skew, "skew");
      if (skew.isNegative()) {
        throw new IllegalArgumentException("maxClockSkew must not be negative, was " + skew);
      }
      this.maxClockSkew = skew;
      return this;
    }

    /** The verifier. */
    public EventWebhookVerifier build() {
      return new EventWebhookVerifier(this);
    }
  }
}
