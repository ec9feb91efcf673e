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
import org.junit.jupiter.api.Test;

/**
 * The event text written on the webhook's path (streamed) is exactly the text of the event's JSON
 * tree, which the payload readers read back; whatever the characters in it.
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
}
