package dev.steward.jdbc;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
  void keysThatLookLikeTypeTagsAreJustKeys() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("string", Map.of("long", "not a number"));
    data.put("map", List.of());
    Message m = base().personalisation(data).build();

    assertThat(MessageJson.read(MessageJson.write(m))).isEqualTo(m);
  }

  @Test
  void unsupportedValuesAreRefusedNamingTheirPath() {
    Message m =
        base()
            .personalisation(Map.of("order", Map.of("items", List.of("a", new Object()))))
            .build();

    assertThatThrownBy(() -> MessageJson.write(m))
        .isInstanceOf(InvalidStoreInputException.class)
        .hasMessageContaining("personalisation.order.items[1] holds a java.lang.Object");
  }
}
