package dev.steward.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The message documents of deferred-message payloads ({@code DeferredWork}): every value keeps its
 * Java type, older formats are read, and a bad stored document is refused whole.
 */
class MessageJsonTest {
  private static Message.Builder base() {
    return Message.builder()
        .tenant(TenantId.of("t"))
        .account(AccountId.of("a"))
        .contact(ContactId.of("c"))
        .to("c@example.com")
        .kind(MessageKind.EDUCATIONAL)
        .category("tips")
        .source(Source.PRODUCT)
        .createdAt(Instant.parse("2026-01-01T00:00:00.000000001Z"));
  }

  @Test
  void everyNumberTypeKeepsItsJavaTypeAndValue() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("int", 1);
    data.put("long", 1L);
    data.put("short", (short) 1);
    data.put("byte", (byte) 1);
    data.put("double", 1.0);
    data.put("nan", Double.NaN);
    data.put("float", 1.5f);
    data.put("bigInteger", new BigInteger("123456789012345678901234567890"));
    data.put("bigDecimal", new BigDecimal("1.10"));
    Message m = base().recipientZone(ZoneId.of("Europe/Lisbon")).personalisation(data).build();

    Message back = MessageJson.read(MessageJson.write(m));

    assertThat(back).isEqualTo(m);
    back.personalisation()
        .forEach((k, v) -> assertThat(v).as(k).isExactlyInstanceOf(data.get(k).getClass()));
    assertThat(((BigDecimal) back.personalisation().get("bigDecimal")).scale()).isEqualTo(2);
  }

  @Test
  void aMessageWithoutAZoneIsStoredWithoutOneAndOneWithAZoneKeepsIt() {
    Message without = base().build();
    Message with = base().recipientZone(ZoneId.of("Asia/Tokyo")).build();

    assertThat(MessageJson.write(without)).doesNotContain("recipientZone");
    assertThat(MessageJson.read(MessageJson.write(without)).recipientZone()).isEmpty();
    assertThat(MessageJson.read(MessageJson.write(with))).isEqualTo(with);
    // a document stored before zones were optional, with a zone, reads as before
    String stored = MessageJson.write(with);
    assertThat(stored).contains("\"recipientZone\":\"Asia/Tokyo\"");
    assertThat(MessageJson.read(stored).recipientZone()).contains(ZoneId.of("Asia/Tokyo"));
  }

  @Test
  void aSendByIsKeptAndAFormatOneDocumentStoredBeforeItReadsWithoutOne() {
    Instant by = Instant.parse("2026-02-01T00:00:00Z");
    Message with = base().sendBy(by).build();
    String stored = MessageJson.write(with);
    assertThat(stored).contains("\"format\":2").contains("\"sendBy\":\"2026-02-01T00:00:00Z\"");
    assertThat(MessageJson.read(stored)).isEqualTo(with);
    assertThat(MessageJson.write(base().build())).doesNotContain("sendBy");

    // as format 1 wrote it, before send-by existed
    String formatOne =
        "{\"format\":1,\"id\":\"m-1\",\"idempotencyKey\":\"k-1\",\"tenant\":\"t\","
            + "\"account\":\"a\",\"contact\":\"c\",\"to\":\"c@example.com\","
            + "\"kind\":\"PROMOTIONAL\",\"category\":\"offers\",\"channel\":\"EMAIL\","
            + "\"priority\":\"LOW\",\"sourceTeam\":\"marketing\","
            + "\"personalisation\":{\"n\":{\"long\":\"5\"}},"
            + "\"createdAt\":\"2026-01-01T00:00:00Z\"}";
    Message old = MessageJson.read(formatOne);
    assertThat(old.sendBy()).isEmpty();
    assertThat(old.idempotencyKey()).isEqualTo("k-1");
    assertThat(old.personalisation()).containsEntry("n", 5L);
    assertThat(MessageJson.read(MessageJson.write(old))).isEqualTo(old);
    assertThatThrownBy(() -> MessageJson.read(formatOne.replace("\"format\":1", "\"format\":3")))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessageContaining("unknown format 3");
  }

  @Test
  void aSendByBeforeTheMessageWasCreatedIsRefused() {
    Message.Builder b = base().createdAt(Instant.parse("2026-01-02T00:00:00Z"));
    assertThatThrownBy(() -> b.sendBy(Instant.parse("2026-01-01T00:00:00Z")).build())
        .isInstanceOf(dev.steward.model.InvalidModelException.class)
        .hasMessageContaining("sendBy 2026-01-01T00:00:00Z, before its createdAt");
  }

  @Test
  void keysThatLookLikeTypeTagsAreJustKeys() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("string", Map.of("long", "not a number"));
    data.put("map", List.of());
    Message m = base().personalisation(data).build();

    assertThat(MessageJson.read(MessageJson.write(m))).isEqualTo(m);
  }

  /** One value of every type {@link Message} accepts, alone and nested. */
  static Stream<Arguments> everyAcceptedValue() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("items", Arrays.asList(1, null, Map.of("sku", "x-1", "qty", 2L)));
    nested.put("flag", false);
    nested.put("empty", Map.of());
    Object deepest = "leaf";
    for (int i = 0; i < Message.MAX_PERSONALISATION_DEPTH; i++) {
      deepest = i % 2 == 0 ? List.of(deepest) : Map.of("k", deepest);
    }
    return Stream.of(
        Arguments.of("null", null),
        Arguments.of("String", "Zoë \u0000 \"quoted\" \uD83D\uDE00 \n"),
        Arguments.of("empty String", ""),
        Arguments.of("Boolean", true),
        Arguments.of("Integer", Integer.MIN_VALUE),
        Arguments.of("Long", Long.MAX_VALUE),
        Arguments.of("Short", Short.MIN_VALUE),
        Arguments.of("Byte", (byte) -7),
        Arguments.of("Double", 0.1),
        Arguments.of("Double -0.0", -0.0),
        Arguments.of("Double infinity", Double.NEGATIVE_INFINITY),
        Arguments.of("Double NaN", Double.NaN),
        Arguments.of("Float", 3.4028235e38f),
        Arguments.of("Float NaN", Float.NaN),
        Arguments.of("BigInteger", new BigInteger("-123456789012345678901234567890")),
        Arguments.of("BigDecimal with scale", new BigDecimal("12.500")),
        Arguments.of("BigDecimal with exponent", new BigDecimal("1E+400")),
        Arguments.of("empty List", List.of()),
        Arguments.of("List with null", Arrays.asList("a", null, 3)),
        Arguments.of("empty Map", Map.of()),
        Arguments.of("nested Map and List", nested),
        Arguments.of("nested to the limit", deepest));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyAcceptedValue")
  void everyAcceptedValueComesBackEqualAndOfTheSameTypes(String type, Object value) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("value", value);
    data.put("", value); // keys are free text too
    Message m = base().personalisation(data).build();

    Message back = MessageJson.read(MessageJson.write(m));

    assertThat(back).isEqualTo(m);
    assertSameTypes(back.personalisation().get("value"), value, type);
  }

  /** Equality alone would pass a Long 5 for an Integer 5, or BigDecimal 1.0 for 1.00 in a map. */
  private static void assertSameTypes(Object actual, Object expected, String path) {
    if (expected == null) {
      assertThat(actual).as(path).isNull();
      return;
    }
    assertThat(actual).as(path).isNotNull();
    if (expected instanceof List<?> list) {
      assertThat(actual).as(path).isInstanceOf(List.class);
      for (int i = 0; i < list.size(); i++) {
        assertSameTypes(((List<?>) actual).get(i), list.get(i), path + "[" + i + "]");
      }
    } else if (expected instanceof Map<?, ?> map) {
      assertThat(actual).as(path).isInstanceOf(Map.class);
      map.forEach((k, v) -> assertSameTypes(((Map<?, ?>) actual).get(k), v, path + "." + k));
    } else {
      assertThat(actual).as(path).isExactlyInstanceOf(expected.getClass());
      if (expected instanceof BigDecimal d) {
        assertThat(((BigDecimal) actual).scale()).as(path).isEqualTo(d.scale());
      }
    }
  }

  @Test
  void aStoredDocumentWithARepeatedKeyOrTrailingTextIsNotReadAsHalfOfIt() {
    String json = MessageJson.write(base().build());

    assertThatThrownBy(() -> MessageJson.read(json.replaceFirst("\\{", "{\"id\":\"x\",")))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessageStartingWith("stored message JSON has the key 'id' twice (line 1, column ");
    assertThatThrownBy(() -> MessageJson.read(json + json))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessageStartingWith("stored message JSON has text after its end (line 1, column ");
  }
}
