package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The event text written on the webhook's path (by hand) is exactly the text of the event's JSON
 * tree as Jackson writes it, which the payload readers read back; whatever the characters and the
 * instant in it.
 */
class EventJsonTest {

  private static EmailEvent strange() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("url", "https://example.com/a?b=\"c\"&d=\\e");
    attributes.put("reason", "\u00dcn\u00efc\u00f6d\u00e9 \ud83d\ude00 \u0000 \u001f \u2028 end");
    attributes.put("empty", "");
    attributes.put("x".repeat(300), "y".repeat(1_999));
    return EmailEvent.of(
        "ev-\"quoted\"\\-\u00f1",
        EmailEventType.CLICK,
        Instant.parse("2026-11-27T13:59:59.123456789Z"),
        EmailAddress.of("reader@example.com"),
        MessageId.of("m-1"),
        TenantId.of("acme"),
        AccountId.of("a-1"),
        ContactId.of("c-\u00f6"),
        "onboarding/day-3",
        attributes);
  }

  @Test
  void theStreamedTextIsTheTreesText() {
    EmailEvent e = strange();
    String streamed = EventJson.write(e);

    assertThat(streamed).isEqualTo(EventJson.text(EventJson.node(e)));
    assertThat(streamed.chars().allMatch(c -> c < 128)).isTrue();
    assertThat(EventJson.read(streamed)).isEqualTo(e);
  }

  @Test
  void aMinimalEventToo() {
    EmailEvent e =
        EmailEvent.of(
            "e1",
            EmailEventType.DELIVERED,
            Instant.parse("2026-11-27T14:00:00Z"),
            ContactId.of("c1"),
            null);

    assertThat(EventJson.write(e)).isEqualTo(EventJson.text(EventJson.node(e)));
    assertThat(EventJson.read(EventJson.write(e))).isEqualTo(e);
  }

  /** Characters of every class the writer treats apart, and a few plain ones. */
  private static final String ALPHABET =
      "aZ09 -_./:@\"\\\b\f\n\r\t\u0000\u0001\u001f\u007f\u0080\u00ff\u0100\u2028\u2029\ufffe"
          + "\ud83d\ude00\ud800\udfff";

  private static String text(Random r, int max) {
    int n = r.nextInt(max + 1);
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(
          r.nextInt(3) == 0
              ? (char) r.nextInt(0x10000)
              : ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  /** An instant anywhere Instant reaches, often near the edges of the years written by hand. */
  private static Instant instant(Random r) {
    long seconds =
        switch (r.nextInt(6)) {
          case 0 -> r.nextLong() % Instant.MAX.getEpochSecond();
          case 1 -> -62_135_596_800L + r.nextInt(200_000) - 100_000; // year 1 starts
          case 2 -> 253_402_300_799L + r.nextInt(200_000) - 100_000; // year 9999 ends
          case 3 -> r.nextInt(200_000) - 100_000L; // 1970 starts
          default -> 1_700_000_000L + r.nextInt(200_000_000);
        };
    int nano =
        switch (r.nextInt(4)) {
          case 0 -> 0;
          case 1 -> r.nextInt(1_000) * 1_000_000;
          case 2 -> r.nextInt(1_000_000) * 1_000;
          default -> r.nextInt(1_000_000_000);
        };
    return Instant.ofEpochSecond(seconds, nano);
  }

  @Test
  void theHandWrittenTextIsJacksonsOverGeneratedEvents() {
    Random r = new Random(20261127);
    StringBuilder scratch = new StringBuilder();
    EmailEventType[] types = EmailEventType.values();
    for (int i = 0; i < 20_000; i++) {
      Map<String, String> attributes = new LinkedHashMap<>();
      int count = r.nextInt(4);
      for (int a = 0; a < count; a++) {
        attributes.put(text(r, 12), r.nextInt(8) == 0 ? null : text(r, 40));
      }
      StringBuilder id = new StringBuilder("ev-").append(i).append('-');
      for (char c : text(r, 6).toCharArray()) {
        // ids hold no control characters nor halves of surrogate pairs
        id.append(Character.isISOControl(c) || Character.isSurrogate(c) ? 'x' : c);
      }
      EmailEvent e =
          EmailEvent.of(
              id.toString(),
              types[r.nextInt(types.length)],
              instant(r),
              r.nextBoolean() ? EmailAddress.of("r" + i + "@example.com") : null,
              r.nextBoolean() ? MessageId.of("m-" + i) : null,
              r.nextBoolean() ? TenantId.of("t\u00e9nant") : null,
              r.nextBoolean() ? AccountId.of("a-\"" + i) : null,
              ContactId.of("c\\" + i),
              r.nextBoolean() ? "onboarding/day-3" : null,
              attributes);

      String expected = EventJson.text(EventJson.node(e));
      assertThat(EventJson.write(e, scratch)).as("event %d", i).isEqualTo(expected);
      assertThat(EventJson.write(e)).isEqualTo(expected);
    }
  }

  @Test
  void instantsAreWrittenAsInstantToStringWrites() {
    Random r = new Random(7);
    StringBuilder out = new StringBuilder();
    Instant[] edges = {
      Instant.MIN,
      Instant.MAX,
      Instant.EPOCH,
      Instant.ofEpochSecond(-1),
      Instant.ofEpochSecond(-1, 999_999_999),
      Instant.parse("0001-01-01T00:00:00Z"),
      Instant.parse("0001-01-01T00:00:00Z").minusNanos(1),
      Instant.parse("9999-12-31T23:59:59.999999999Z"),
      Instant.parse("9999-12-31T23:59:59.999999999Z").plusNanos(1),
      Instant.parse("2024-02-29T12:00:00.100Z"),
      Instant.parse("2026-11-27T13:59:59.000001Z")
    };
    for (Instant t : edges) {
      out.setLength(0);
      EventJson.instant(out, t);
      assertThat(out.toString()).isEqualTo(t.toString());
    }
    for (int i = 0; i < 200_000; i++) {
      Instant t = instant(r);
      out.setLength(0);
      EventJson.instant(out, t);
      assertThat(out.toString()).isEqualTo(t.toString());
    }
  }
}
