package dev.steward.sendgrid.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.ToIntFunction;

/**
 * A rough, quick timing of one 1,000-event batch (the shape WebhookBenchmark signs): the tree-based
 * parse this package had, the streaming parse it has, Jackson's tree of the whole body (what the
 * SDK does after verifying) and Steward's verification. Not a benchmark (run JMH's WebhookBenchmark
 * on a quiet machine for figures); run by hand with the test classpath. Asserts nothing and is not
 * a test.
 */
final class ParseTiming {
  private ParseTiming() {}

  static byte[] batch() {
    String[] types = {
      "processed", "delivered", "open", "click", "delivered", "open", "processed", "deferred"
    };
    Instant now = Instant.parse("2026-11-27T14:00:00Z");
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < 1_000; i++) {
      String type = types[i % types.length];
      json.append(i == 0 ? "" : ",")
          .append("{\"email\":\"reader")
          .append(i % 250)
          .append("@example.com\",\"timestamp\":")
          .append(now.minusSeconds(60 + i).getEpochSecond())
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
    return json.append(']').toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Microseconds per call, the best of several rounds after a warm-up. */
  static double time(byte[] body, ToIntFunction<byte[]> work, int rounds, int perRound) {
    int sink = 0;
    for (int i = 0; i < 3 * perRound; i++) {
      sink += work.applyAsInt(body);
    }
    double best = Double.MAX_VALUE;
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      for (int i = 0; i < perRound; i++) {
        sink += work.applyAsInt(body);
      }
      best = Math.min(best, (System.nanoTime() - start) / 1_000.0 / perRound);
    }
    if (sink == 42) {
      System.err.print("");
    }
    return best;
  }

  public static void main(String[] args) throws Exception {
    byte[] body = batch();
    TreeSendGridEvents tree = TreeSendGridEvents.of();
    SendGridEvents streaming = SendGridEvents.of();
    ObjectMapper mapper = new ObjectMapper();
    KeyPair pair = Keys.p256();
    Instant now = Instant.parse("2026-11-27T14:00:00Z");
    String timestamp = Long.toString(now.minusSeconds(5).getEpochSecond());
    String signature = Keys.sign(pair, timestamp, body);
    EventWebhookVerifier verifier =
        EventWebhookVerifier.of(Keys.publicBase64(pair), Clock.fixed(now, ZoneOffset.UTC));
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    for (int pass = 0; pass < 2; pass++) {
      double t = time(body, b -> tree.parse(b).size(), rounds, 300);
      double s = time(body, b -> streaming.parse(b).size(), rounds, 300);
      double whole =
          time(
              body,
              b -> {
                try {
                  return mapper.readTree(b).size();
                } catch (java.io.IOException e) {
                  throw new IllegalStateException(e);
                }
              },
              rounds,
              300);
      double v =
          time(
              body,
              b -> {
                verifier.requireValid(signature, timestamp, b);
                return 1;
              },
              rounds,
              100);
      System.out.printf(
          "pass %d, %d bytes: tree parse %.0f us, streaming parse %.0f us (%.2fx),"
              + " whole-body readTree %.0f us, Steward verify %.0f us%n",
          pass, body.length, t, s, t / s, whole, v);
    }
  }
}
