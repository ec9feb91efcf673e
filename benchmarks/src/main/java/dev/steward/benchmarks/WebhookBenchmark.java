package dev.steward.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sendgrid.helpers.eventwebhook.EventWebhook;
import dev.steward.Steward;
import dev.steward.model.EmailEvent;
import dev.steward.sendgrid.webhook.EventWebhookEndpoint;
import dev.steward.sendgrid.webhook.EventWebhookVerifier;
import dev.steward.sendgrid.webhook.SendGridEvents;
import dev.steward.testing.RecordingTransport;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signed Event Webhook batches of 1,000 events on one thread, reported in events per second:
 * SendGrid's SDK verifier ({@code EventWebhook}, over BouncyCastle, which it requires) with
 * Jackson's tree parse beside Steward's verifier with its streaming parser into {@link EmailEvent}s
 * (the same work), and Steward's whole endpoint, which also ingests the batch into an in-memory
 * {@link Steward} (de-duplication marks and due work, the durable acceptance), with and without
 * applying it at once to the ledger, consent, suppressions, calendar and engagement.
 *
 * <p>Every invocation gets a batch no one has seen: its event ids carry a counter, patched into the
 * body and signed again before the invocation (JMH does not time that), so de-duplication never
 * shortcuts the ingest. Each iteration starts with an empty Steward, so memory stays bounded.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Threads(1)
public class WebhookBenchmark {
  static final int EVENTS = 1_000;
  static final Instant NOW = Instant.parse("2026-11-27T14:00:00Z");
  private static final String[] TYPES = {
    "processed", "delivered", "open", "click", "delivered", "open", "processed", "deferred"
  };

  /**
   * The signing key, one for the run: JMH may hand a state's setup another instance of a state it
   * depends on than the benchmark gets, so nothing both must agree on may live in an instance.
   */
  static final KeyPair PAIR = p256();

  static KeyPair p256() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A batch of {@link #EVENTS} events, re-numbered and signed again before every invocation. */
  @State(Scope.Thread)
  public static class Batch {
    KeyPair pair;
    String publicKey;
    String timestamp;
    byte[] body;
    String signature;
    private int[] counterOffsets;
    private long counter;

    /** Builds the body once, with a 10-digit counter in every event id. */
    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
      pair = PAIR;
      publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
      timestamp = Long.toString(NOW.minusSeconds(5).getEpochSecond());
      StringBuilder json = new StringBuilder("[");
      for (int i = 0; i < EVENTS; i++) {
        String type = TYPES[i % TYPES.length];
        json.append(i == 0 ? "" : ",")
            .append("{\"email\":\"reader")
            .append(i % 250)
            .append("@example.com\",\"timestamp\":")
            .append(NOW.minusSeconds(60 + i).getEpochSecond())
            .append(",\"event\":\"")
            .append(type)
            .append("\",\"sg_event_id\":\"ev-0000000000-")
            .append(i)
            .append("\",\"sg_message_id\":\"sg-")
            .append(i % 400)
            .append(".filter0001\",\"category\":[\"onboarding\",\"day-3\"]")
            .append(",\"steward_message_id\":\"m-")
            .append(i % 400)
            .append("\",\"steward_tenant\":\"acme\",\"steward_account\":\"account-")
            .append(i % 40)
            .append("\",\"steward_contact\":\"contact-")
            .append(i % 250)
            .append('"');
        if (type.equals("click")) {
          json.append(",\"url\":\"https://app.example.com/setup?step=2\"");
        }
        if (type.equals("open") || type.equals("click")) {
          json.append(
              ",\"useragent\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\",\"ip\":\"192.0.2.7\"");
        }
        if (type.equals("deferred")) {
          json.append(",\"response\":\"400 try again later\",\"attempt\":\"1\"");
        }
        json.append('}');
      }
      body = json.append(']').toString().getBytes(StandardCharsets.US_ASCII);
      String marker = "\"ev-0000000000-";
      counterOffsets = new int[EVENTS];
      String text = new String(body, StandardCharsets.US_ASCII);
      int from = 0;
      for (int i = 0; i < EVENTS; i++) {
        int at = text.indexOf(marker, from);
        counterOffsets[i] = at + 4; // the first of the ten digits
        from = at + marker.length();
      }
    }

    /** Numbers the batch afresh and signs it, outside the measured time. */
    @Setup(Level.Invocation)
    public void renumber() throws GeneralSecurityException {
      counter++;
      long n = counter;
      byte[] digits = new byte[10];
      for (int d = 9; d >= 0; d--) {
        digits[d] = (byte) ('0' + n % 10);
        n /= 10;
      }
      for (int offset : counterOffsets) {
        System.arraycopy(digits, 0, body, offset, 10);
      }
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(pair.getPrivate());
      s.update(timestamp.getBytes(StandardCharsets.UTF_8));
      s.update(body);
      signature = Base64.getEncoder().encodeToString(s.sign());
    }

    Map<String, String> headers() {
      return Map.of(
          EventWebhookVerifier.SIGNATURE_HEADER, signature,
          EventWebhookVerifier.TIMESTAMP_HEADER, timestamp);
    }
  }

  /** The SDK's verifier, with BouncyCastle registered as it needs, and a Jackson mapper. */
  @State(Scope.Thread)
  public static class Sdk {
    EventWebhook webhook;
    ECPublicKey key;
    ObjectMapper mapper;

    /** Registers BouncyCastle and reads the public key as the SDK's README shows. */
    @Setup(Level.Trial)
    public void setUp(Batch batch) throws GeneralSecurityException {
      if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
        Security.addProvider(new BouncyCastleProvider());
      }
      webhook = new EventWebhook();
      key = webhook.ConvertPublicKeyToECDSA(batch.publicKey);
      mapper = new ObjectMapper();
    }
  }

  /** The SDK: verify the signature, then parse the body into a Jackson tree. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public JsonNode sdkVerifyAndParse(Sdk sdk, Batch batch) throws Exception {
    if (!sdk.webhook.VerifySignature(sdk.key, batch.body, batch.signature, batch.timestamp)) {
      throw new IllegalStateException("the SDK refused a valid signature");
    }
    return sdk.mapper.readTree(batch.body);
  }

  /** Steward's verifier and parser, as used apart from the endpoint. */
  @State(Scope.Thread)
  public static class Parts {
    EventWebhookVerifier verifier;
    SendGridEvents parser;

    /** A verifier on a clock at the batch's time. */
    @Setup(Level.Trial)
    public void setUp(Batch batch) {
      verifier = EventWebhookVerifier.of(batch.publicKey, Clock.fixed(NOW, ZoneOffset.UTC));
      parser = SendGridEvents.of();
    }
  }

  /** Steward: verify the signature, then parse the body into events (the SDK's work, typed). */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public List<EmailEvent> stewardVerifyAndParse(Parts parts, Batch batch) {
    parts.verifier.requireValid(batch.signature, batch.timestamp, batch.body);
    return parts.parser.parse(batch.body);
  }

  /** Steward's endpoint over an in-memory Steward, new every iteration. */
  @State(Scope.Thread)
  public static class Endpoint {
    Steward steward;
    EventWebhookEndpoint endpoint;

    /** An empty Steward, so what the last iteration accepted does not pile up. */
    @Setup(Level.Iteration)
    public void setUp(Batch batch) {
      Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
      steward = Steward.builder(clock).transport(RecordingTransport.of()).build();
      endpoint =
          EventWebhookEndpoint.builder(
                  EventWebhookVerifier.of(batch.publicKey, clock), events -> steward.accept(events))
              .build();
    }
  }

  /** Verify, parse and ingest: the events and their de-duplication marks accepted durably. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public EventWebhookEndpoint.Answer stewardEndpointAccept(Endpoint e, Batch batch) {
    EventWebhookEndpoint.Answer answer = e.endpoint.handle(batch.headers(), batch.body);
    if (answer.status() != 200) {
      throw new IllegalStateException("refused: " + answer);
    }
    return answer;
  }

  /** As above, then the accepted batch applied at once (ledger, consent, suppressions, ...). */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public int stewardEndpointApplied(Endpoint e, Batch batch) {
    EventWebhookEndpoint.Answer answer = e.endpoint.handle(batch.headers(), batch.body);
    if (answer.status() != 200) {
      throw new IllegalStateException("refused: " + answer);
    }
    return e.steward.runDue();
  }
}
