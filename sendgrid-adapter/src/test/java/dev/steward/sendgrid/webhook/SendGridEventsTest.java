package dev.steward.sendgrid.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.governance.GovernanceListener;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SendGridEventsTest {
  private static final String SG_MESSAGE_ID =
      "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.000000000000000000000";

  private final SendGridEvents parser = SendGridEvents.of();

  static byte[] sample() {
    try (InputStream in = SendGridEventsTest.class.getResourceAsStream("events.json")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyDocumentedEventTypeParses() {
    List<EmailEvent> events = parser.parse(sample());

    assertThat(events)
        .extracting(EmailEvent::type)
        .containsExactly(
            EmailEventType.PROCESSED,
            EmailEventType.DEFERRED,
            EmailEventType.DELIVERED,
            EmailEventType.OPEN,
            EmailEventType.CLICK,
            EmailEventType.BOUNCE,
            EmailEventType.BOUNCE,
            EmailEventType.DROPPED,
            EmailEventType.SPAM_REPORT,
            EmailEventType.UNSUBSCRIBE,
            EmailEventType.GROUP_UNSUBSCRIBE,
            EmailEventType.GROUP_RESUBSCRIBE);
    assertThat(parser.unknownEventTypes()).isEqualTo(1); // account_status_change
    assertThat(events).allSatisfy(e -> assertThat(e.tenant()).contains(TenantId.of("acme")));
  }

  @Test
  void theProcessedEventCarriesEveryField() {
    EmailEvent processed = parser.parse(sample()).get(0);
    EmailEvent expected =
        EmailEvent.builder(
                "rbtnWrG1DVDGGGFHFyun0A==",
                EmailEventType.PROCESSED,
                Instant.ofEpochSecond(1513299569))
            .email("example@test.com")
            .message(MessageId.of("m-1"))
            .tenant(TenantId.of("acme"))
            .account(AccountId.of("acct-7"))
            .contact(ContactId.of("c-42"))
            .attribute("sg_message_id", SG_MESSAGE_ID)
            .attribute("category", "cat facts")
            .build();
    assertThat(processed).isEqualTo(expected);
    assertThat(processed.category()).isEmpty(); // "cat facts" is not a Steward category
    assertThat(parser.foreignCategories()).isEqualTo(1);
  }

  @Test
  void attributesAreKeptUnderTheNamesCoreReads() {
    List<EmailEvent> events = parser.parse(sample());
    EmailEvent bounce = events.get(5);
    assertThat(bounce.attributes())
        .containsEntry("type", "bounce")
        .containsEntry("reason", "500 unknown recipient")
        .containsEntry("status", "5.0.0")
        .doesNotContainKey("bounce_classification");
    EmailEvent blocked = events.get(6);
    assertThat(blocked.type()).isEqualTo(EmailEventType.BOUNCE);
    assertThat(blocked.attributes()).containsEntry("type", "blocked");
    assertThat(events.get(7).attributes()).containsEntry("reason", "Bounced Address");
    assertThat(events.get(4).attributes()).containsEntry("url", "http://www.sendgrid.com/");
    assertThat(events.get(10).attributes()).containsEntry("asm_group_id", "10");
    assertThat(events.get(3).attributes()).doesNotContainKeys("useragent", "ip");
    assertThat(events.get(3).messageId()).isEmpty();
  }

  @Test
  void thePoolAndJourneyStepTheTransportSentComeBackAsAttributes() {
    // SendGrid's own "pool" (an object, on processed events only) is not read: the transport's
    // custom arg names the pool on every event, under the attribute governance counts pools by
    EmailEvent delivered =
        parser
            .parse(
                bytes(
                    "[{\"sg_event_id\":\"e\",\"event\":\"delivered\",\"email\":\"a@example.com\","
                        + "\"timestamp\":1,\"pool\":{\"name\":\"other\",\"id\":210},"
                        + "\"steward_pool\":\"shared-standard\","
                        + "\"steward_journey_step\":\"onboarding/2/day-3\"}]"))
            .get(0);
    assertThat(delivered.attributes())
        .containsEntry(GovernanceListener.ATTRIBUTE_POOL, "shared-standard")
        .containsEntry(SendGridEvents.JOURNEY_STEP_ATTRIBUTE, "onboarding/2/day-3")
        .hasSize(2);
  }

  @Test
  void aJourneyMessagesEventsAreCountedByJourneyAnalyticsAtItsStep() {
    // the transport's custom args come back; core's analytics places the open by the journey
    // step attribute and counts it once, however often SendGrid delivers the batch
    dev.steward.journey.JourneyAnalyticsStore store =
        dev.steward.journey.InMemoryJourneyAnalyticsStore.of();
    dev.steward.journey.JourneyStepRef welcome =
        new dev.steward.journey.JourneyStepRef("onboarding", 2, "welcome");
    store.record(
        dev.steward.journey.JourneyFact.of(
            TenantId.of("t1"),
            "j-e1-0",
            welcome,
            dev.steward.journey.JourneyMetric.SENT,
            Instant.EPOCH));
    dev.steward.journey.JourneyAnalytics analytics =
        dev.steward.journey.JourneyAnalytics.builder(store, java.time.Clock.systemUTC()).build();
    List<EmailEvent> batch =
        parser.parse(
            bytes(
                "[{\"sg_event_id\":\"o1\",\"event\":\"open\",\"email\":\"a@example.com\","
                    + "\"timestamp\":1,\"steward_message_id\":\"j-e1-0\","
                    + "\"steward_tenant\":\"t1\",\"steward_journey_step\":\"onboarding/welcome\"},"
                    + "{\"sg_event_id\":\"c1\",\"event\":\"click\",\"email\":\"a@example.com\","
                    + "\"timestamp\":2,\"steward_message_id\":\"j-e1-0\","
                    + "\"steward_tenant\":\"t1\",\"url\":\"https://example.com\"}]"));
    analytics.emailEventListener().onEvents(batch);
    analytics.emailEventListener().onEvents(batch);

    var step = analytics.funnel(TenantId.of("t1"), "onboarding", 2).step("welcome").orElseThrow();
    assertThat(step.count(dev.steward.journey.JourneyMetric.OPENED)).isEqualTo(1);
    assertThat(step.count(dev.steward.journey.JourneyMetric.CLICKED)).isEqualTo(1);
  }

  @Test
  void anArrayOfCategoriesGivesTheFirst() {
    assertThat(parser.parse(sample()).get(2).category()).contains("newsletter");
    EmailEvent none =
        parser
            .parse(
                bytes(
                    "[{\"sg_event_id\":\"e\",\"event\":\"open\",\"email\":\"a@example.com\","
                        + "\"timestamp\":1,\"category\":[]}]"))
            .get(0);
    assertThat(none.category()).isEmpty();
  }

  private static String ok() {
    return "{\"sg_event_id\":\"e0\",\"event\":\"open\",\"email\":\"a@example.com\",\"timestamp\":1}";
  }

  @Test
  void anEmptyArrayIsAnEmptyBatch() {
    assertThat(parser.parse(bytes(" [ ] "))).isEmpty();
  }

  @Test
  void anEventWithoutItsIdAddressOrTimeIsRefusedByIndex() {
    String ok =
        "{\"sg_event_id\":\"e0\",\"event\":\"open\",\"email\":\"a@example.com\",\"timestamp\":1}";
    assertThatThrownBy(
            () ->
                parser.parse(
                    bytes(
                        "["
                            + ok
                            + ",{\"event\":\"open\",\"email\":\"a@example.com\",\"timestamp\":1}]")))
        .isInstanceOf(MalformedEventsException.class)
        .hasMessage("event [1] has no sg_event_id");
    assertThatThrownBy(
            () ->
                parser.parse(bytes("[{\"sg_event_id\":\"e\",\"event\":\"open\",\"timestamp\":1}]")))
        .isInstanceOf(MalformedEventsException.class)
        .hasMessage("event [0] has no email");
    assertThatThrownBy(
            () ->
                parser.parse(
                    bytes(
                        "[{\"sg_event_id\":\"e\",\"event\":\"open\",\"email\":\"a@example.com\"}]")))
        .isInstanceOf(MalformedEventsException.class)
        .hasMessage("event [0] has no timestamp");
    assertThatThrownBy(
            () ->
                parser.parse(
                    bytes(
                        "[{\"sg_event_id\":\"e\",\"event\":\"open\",\"email\":\"a@example.com\","
                            + "\"timestamp\":\"soon\"}]")))
        .isInstanceOf(MalformedEventsException.class)
        .hasMessageContaining("event [0] has a timestamp that is not");
    // an address the model cannot hold is that event's problem alone (review 5): skipped when
    // it names no contact, kept without the address when it does, and counted
    assertThat(
            parser.parse(
                bytes(
                    "[{\"sg_event_id\":\"e\",\"event\":\"open\",\"email\":\"secret-person\","
                        + "\"timestamp\":1}]")))
        .isEmpty();
    assertThat(
            parser.parse(
                bytes(
                    "[{\"sg_event_id\":\"e\",\"event\":\"open\",\"email\":\"secret-person\","
                        + "\"timestamp\":1,\"steward_contact\":\"c-1\"}]")))
        .singleElement()
        .satisfies(e -> assertThat(e.email()).isEmpty())
        .satisfies(e -> assertThat(e.contact()).contains(dev.steward.model.ContactId.of("c-1")));
    assertThat(parser.invalidAddresses()).isEqualTo(2);
  }

  @Test
  void malformedBodiesAreRefusedWithoutParserInternals() {
    for (String body :
        List.of(
            "",
            "{}",
            "[1]",
            "[{\"sg_event_id\":\"e\"",
            "[{\"sg_event_id\":\"e\",\"sg_event_id\":\"f\"}]",
            "[] []",
            "[{\"a\":tru}]")) {
      assertThatThrownBy(() -> parser.parse(bytes(body)))
          .as(body)
          .isInstanceOf(MalformedEventsException.class)
          .message()
          .doesNotContain("com.fasterxml")
          .doesNotContain("Source:")
          .doesNotContain("sg_event_id\":");
    }
    assertThatThrownBy(() -> parser.parse(bytes("[" + ok() + ",\n  oops]")))
        .hasMessage("the webhook body is not well-formed JSON (line 2, column 3)");
    assertThatThrownBy(() -> parser.parse(bytes("{}")))
        .hasMessageStartingWith("the webhook body is not a JSON array");
  }

  @Test
  void optionalFieldsMayBeNull() {
    EmailEvent e =
        parser
            .parse(
                bytes(
                    "[{\"sg_event_id\":\"e\",\"event\":\"unsubscribe\",\"email\":\"A@Example.com\","
                        + "\"timestamp\":1700000000,\"category\":null,\"steward_tenant\":null,"
                        + "\"reason\":null}]"))
            .get(0);
    assertThat(e.email()).contains(EmailAddress.of("A@example.com"));
    assertThat(e.tenant()).isEqualTo(Optional.empty());
    assertThat(e.attributes()).isEqualTo(Map.of());
  }
}
