package dev.steward.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sendgrid.helpers.eventwebhook.EventWebhook;
import dev.steward.model.EmailEvent;
import dev.steward.sendgrid.internal.P256Verifier;
import dev.steward.sendgrid.webhook.EventWebhookVerifier;
import dev.steward.sendgrid.webhook.SendGridEvents;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the time of {@link WebhookBenchmark}'s verify + parse goes, one part at a time, in
 * microseconds per batch of 1,000 events (one body, signed once; nothing here ingests):
 *
 * <ul>
 *   <li>{@code sha256Body}: the JDK's SHA-256 over timestamp and body (the hash inside the verify);
 *   <li>{@code jdkEcdsaPrehashed}: the JDK's ECDSA P-256 verify of that digest alone ({@code
 *       NONEwithECDSA});
 *   <li>{@code stewardEcdsaPrehashed}: Steward's own P-256 verify of the same digest ({@code
 *       P256Verifier}: tables of the fixed key's and the base point's multiples, built in the
 *       set-up as the webhook verifier builds them once per key), beside {@code jdkEcdsaPrehashed};
 *   <li>{@code jdkVerify}: the JDK's two together, as {@code SHA256withECDSA};
 *   <li>{@code stewardVerify}: Steward's {@link EventWebhookVerifier} (SHA-256 and its own ECDSA,
 *       plus the timestamp and base64 checks);
 *   <li>{@code sdkVerify}: the SDK's {@code EventWebhook.VerifySignature} over BouncyCastle;
 *   <li>{@code bcSha256Body}: BouncyCastle's SHA-256 over the same bytes (inside the SDK's verify);
 *   <li>{@code stewardParse}: {@link SendGridEvents#parse} into typed events;
 *   <li>{@code jacksonReadTree}: the SDK side's parse, Jackson's tree of the whole body.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Threads(1)
public class WebhookSplitBenchmark {

  /** One batch of {@link WebhookBenchmark}'s shape, signed once, with every part's objects. */
  @State(Scope.Thread)
  public static class Parts {
    byte[] timestamp;
    String timestampText;
    byte[] body;
    String signature;
    byte[] der;
    byte[] digest;
    ECPublicKey key;
    EventWebhook sdk;
    ECPublicKey sdkKey;
    EventWebhookVerifier verifier;
    P256Verifier ecdsa;
    SendGridEvents parser;
    ObjectMapper mapper;

    /** Builds and signs the batch; registers BouncyCastle for the SDK. */
    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
      WebhookBenchmark.Batch batch = new WebhookBenchmark.Batch();
      batch.setUp();
      batch.renumber();
      timestampText = batch.timestamp;
      timestamp = batch.timestamp.getBytes(StandardCharsets.UTF_8);
      body = batch.body;
      signature = batch.signature;
      der = Base64.getDecoder().decode(signature);
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(timestamp);
      digest = md.digest(body);
      key = (ECPublicKey) batch.pair.getPublic();
      if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
        Security.addProvider(new BouncyCastleProvider());
      }
      sdk = new EventWebhook();
      sdkKey = sdk.ConvertPublicKeyToECDSA(batch.publicKey);
      verifier =
          EventWebhookVerifier.of(
              batch.publicKey, Clock.fixed(WebhookBenchmark.NOW, ZoneOffset.UTC));
      ecdsa = P256Verifier.of(key.getW().getAffineX(), key.getW().getAffineY());
      parser = SendGridEvents.of();
      mapper = new ObjectMapper();
    }
  }

  /** The JDK's SHA-256 over timestamp and body. */
  @Benchmark
  public byte[] sha256Body(Parts p) throws GeneralSecurityException {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(p.timestamp);
    return md.digest(p.body);
  }

  /** BouncyCastle's SHA-256 over timestamp and body. */
  @Benchmark
  public byte[] bcSha256Body(Parts p) {
    org.bouncycastle.crypto.digests.SHA256Digest d =
        new org.bouncycastle.crypto.digests.SHA256Digest();
    d.update(p.timestamp, 0, p.timestamp.length);
    d.update(p.body, 0, p.body.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  /** The JDK's ECDSA verify of the digest alone. */
  @Benchmark
  public boolean jdkEcdsaPrehashed(Parts p) throws GeneralSecurityException {
    Signature s = Signature.getInstance("NONEwithECDSA");
    s.initVerify(p.key);
    s.update(p.digest);
    return check(s.verify(p.der));
  }

  /** Steward's own P-256 ECDSA verify of the same digest, with the key's tables already built. */
  @Benchmark
  public boolean stewardEcdsaPrehashed(Parts p) {
    return check(p.ecdsa.verify(p.digest, p.der) == P256Verifier.Outcome.VALID);
  }

  /** The JDK's SHA256withECDSA over timestamp and body. */
  @Benchmark
  public boolean jdkVerify(Parts p) throws GeneralSecurityException {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initVerify(p.key);
    s.update(p.timestamp);
    s.update(p.body);
    return check(s.verify(p.der));
  }

  /** Steward's verifier. */
  @Benchmark
  public Parts stewardVerify(Parts p) {
    p.verifier.requireValid(p.signature, p.timestampText, p.body);
    return p;
  }

  /** The SDK's verifier over BouncyCastle. */
  @Benchmark
  public boolean sdkVerify(Parts p) throws Exception {
    return check(p.sdk.VerifySignature(p.sdkKey, p.body, p.signature, p.timestampText));
  }

  /** Steward's parse into typed events. */
  @Benchmark
  public List<EmailEvent> stewardParse(Parts p) {
    return p.parser.parse(p.body);
  }

  /** Jackson's tree of the whole body (the SDK side's parse). */
  @Benchmark
  public JsonNode jacksonReadTree(Parts p) throws Exception {
    return p.mapper.readTree(p.body);
  }

  private static boolean check(boolean valid) {
    if (!valid) {
      throw new IllegalStateException("a valid signature was refused");
    }
    return valid;
  }
}
