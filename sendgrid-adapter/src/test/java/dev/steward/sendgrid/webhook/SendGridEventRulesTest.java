package dev.steward.sendgrid.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.TenantId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rules of the event parser that the older tests did not pin, each with the answer written out
 * (StreamingParseMatchesTreeTest compares against the tree-based parser instead).
 */
class SendGridEventRulesTest {
  private final SendGridEvents parser = SendGridEvents.of();

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** One open event with these extra fields (a JSON fragment, or empty). */
  private static byte[] open(String extra) {
    return bytes(
        "[{\"sg_event_id\":\"e\",\"event\":\"open\",\"email\":\"a@example.com\",\"timestamp\":1"
            + (extra.isEmpty() ? "" : "," + extra)
            + "}]");
  }

  private EmailEvent one(String extra) {
    List<EmailEvent> events = parser.parse(open(extra));
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  @Test
  void attributesKeepTheTextOfScalarsInTheirDocumentedOrderAndDropNullsAndContainers() {
    EmailEvent e =
        one(
            "\"asm_group_id\":1e3,\"url\":{\"a\":\"b\"},\"sg_message_id\":[\"x\"],"
                + "\"status\":5.0,\"type\":false,\"reason\":-0");
    assertThat(List.copyOf(e.attributes().entrySet()))
        .containsExactly(
            Map.entry("reason", "0"),
            Map.entry("type", "false"),
            Map.entry("status", "5.0"),
            Map.entry("asm_group_id", "1000.0"));
    assertThat(one("\"reason\":null,\"url\":[]").attributes()).isEmpty();
  }

  @Test
  void attributesAndForeignCategoriesAreCutTo2000Chars() {
    String huge = "\u00e9".repeat(2_500);
    EmailEvent e = one("\"reason\":\"" + huge + "\",\"category\":[\"" + huge + "\",\"x\"]");
    assertThat(e.attributes().get("reason")).isEqualTo("\u00e9".repeat(2_000));
    assertThat(e.attributes().get("category")).isEqualTo("\u00e9".repeat(2_000));
    assertThat(List.copyOf(e.attributes().keySet())).containsExactly("reason", "category");
    assertThat(parser.foreignCategories()).isEqualTo(1);
  }

  @Test
  void aCategoryMustBeAStringOrAnArrayWhoseFirstIsAString() {
    assertThat(one("\"category\":[\"Newsletter\",5]").category()).contains("newsletter");
    assertThat(one("\"category\":[]").category()).isEmpty();
    for (String bad : List.of("5", "true", "{}", "[5,\"newsletter\"]", "[null]", "[[\"x\"]]")) {
      assertThatThrownBy(() -> parser.parse(open("\"category\":" + bad)))
          .as(bad)
          .isInstanceOf(MalformedEventsException.class)
          .hasMessage("event [0] has a category that is neither a string nor an array of strings");
    }
  }

  @Test
  void aTimestampIsAnIntegerOfUnixSecondsThatAnInstantHolds() {
    assertThat(
            parser
                .parse(
                    bytes(
                        "[{\"sg_event_id\":\"e\",\"event\":\"open\",\"email\":\"a@example.com\","
                            + "\"timestamp\":-5}]"))
                .get(0)
                .occurredAt()
                .getEpochSecond())
        .isEqualTo(-5);
    for (String bad : List.of("1.0", "1e3", "\"1\"", "true", "[1]", "9223372036854775808")) {
      assertThatThrownBy(
              () ->
                  parser.parse(
                      bytes(
                          "[{\"sg_event_id\":\"e\",\"event\":\"open\",\"email\":\"a@example.com\","
                              + "\"timestamp\":"
                              + bad
                              + "}]")))
          .as(bad)
          .hasMessage("event [0] has a timestamp that is not a unix time in seconds");
    }
    assertThatThrownBy(
            () ->
                parser.parse(
                    bytes(
                        "[{\"sg_event_id\":\"e\",\"event\":\"open\",\"email\":\"a@example.com\","
                            + "\"timestamp\":9223372036854775807}]")))
        .hasMessage("event [0] has a timestamp out of range");
    assertThatThrownBy(
            () ->
                parser.parse(
                    bytes(
                        "[{\"sg_event_id\":\"e\",\"event\":\"open\",\"email\":\"a@example.com\","
                            + "\"timestamp\":null}]")))
        .hasMessage("event [0] has no timestamp");
  }

  @Test
  void requiredFieldsMustBeNonBlankStringsAndAreCheckedInOrder() {
    assertThatThrownBy(() -> parser.parse(bytes("[{\"sg_event_id\":7,\"event\":5}]")))
        .hasMessage("event [0] has a sg_event_id that is not a non-blank string");
    assertThatThrownBy(() -> parser.parse(bytes("[{\"sg_event_id\":\"e\",\"event\":\" \"}]")))
        .hasMessage("event [0] has a event that is not a non-blank string");
    assertThatThrownBy(
            () ->
                parser.parse(
                    bytes(
                        "[{\"sg_event_id\":\"e\",\"event\":\"open\",\"timestamp\":1,"
                            + "\"email\":{\"a\":1}}]")))
        .hasMessage("event [0] has a email that is not a non-blank string");
    // an unknown type is skipped before its time or address is looked at
    assertThat(parser.parse(bytes("[{\"sg_event_id\":\"e\",\"event\":\"nope\"}]"))).isEmpty();
    assertThat(parser.unknownEventTypes()).isEqualTo(1);
  }

  @Test
  void customArgsTakeTheTextOfNumbers() {
    EmailEvent e = one("\"steward_contact\":42,\"steward_tenant\":12345678901");
    assertThat(e.contact()).contains(ContactId.of("42"));
    assertThat(e.tenant()).contains(TenantId.of("12345678901"));
    assertThatThrownBy(() -> parser.parse(open("\"steward_tenant\":{}")))
        .isInstanceOf(MalformedEventsException.class)
        .hasMessageStartingWith("event [0] e: ");
  }

  @Test
  void aDuplicateFieldIsRefusedWhereJacksonNamesItEvenDeepInAFieldNotRead() {
    assertThatThrownBy(
            () ->
                parser.parse(
                    bytes(
                        "[{\"sg_event_id\":\"e\",\n \"pool\":[{\"id\":1,\"id\":2}],\"event\":5}]")))
        .isInstanceOf(MalformedEventsException.class)
        .hasMessage("the webhook body is not well-formed JSON (line 2, column 22)");
    assertThatThrownBy(() -> parser.parse(bytes("[{\"email\":1,\"\\u0065mail\":2}]")))
        .hasMessage("the webhook body is not well-formed JSON (line 1, column 25)");
  }

  @Test
  void aStringThatIsNotUtf8IsRefusedInAFieldNotReadToo() throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(bytes("[{\"useragent\":\"a"));
    body.write(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}); // an encoded surrogate
    body.write(bytes("\"}]"));
    assertThatThrownBy(() -> parser.parse(body.toByteArray()))
        .isInstanceOf(MalformedEventsException.class)
        .hasMessageStartingWith("the webhook body is not well-formed JSON (line 1, column");
  }
}
