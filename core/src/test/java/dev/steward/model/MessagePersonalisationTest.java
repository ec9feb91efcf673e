package dev.steward.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.testing.Messages;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Personalisation is refused when the message is built if a value could not be stored, so that a
 * message is never accepted and then lost when it is deferred.
 */
class MessagePersonalisationTest {

  private static Message build(Map<String, Object> data) {
    return Messages.promo("c1").personalisation(data).build();
  }

  @Test
  void aValueOfAnUnsupportedTypeIsRefusedNamingTheKeyAndTheType() {
    assertThatThrownBy(() -> build(Map.of("renewal", LocalDate.of(2026, 5, 1))))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("personalisation 'renewal'")
        .hasMessageContaining("java.time.LocalDate");
    assertThatThrownBy(() -> build(Map.of("token", UUID.randomUUID())))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("personalisation 'token'")
        .hasMessageContaining("java.util.UUID");
    assertThatThrownBy(() -> build(Map.of("initial", 'J')))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("personalisation 'initial'")
        .hasMessageContaining("java.lang.Character");
  }

  @Test
  void aNestedUnsupportedValueIsRefusedNamingItsPath() {
    Map<String, Object> data = Map.of("order", Map.of("items", List.of("a", new Object())));

    assertThatThrownBy(() -> build(data))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("personalisation 'order.items[1]' holds a java.lang.Object");
  }

  @Test
  void mapKeysMustBeNonNullStrings() {
    Map<String, Object> nullKey = new HashMap<>();
    nullKey.put(null, "x");
    assertThatThrownBy(() -> build(nullKey))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("personalisation has the key null; keys must be strings");

    Map<Object, Object> numbered = new HashMap<>();
    numbered.put(7, "x");
    assertThatThrownBy(() -> build(Map.of("order", numbered)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("personalisation 'order' has the key 7 of type java.lang.Integer");
  }

  @Test
  void nestingDeeperThanTheLimitIsRefusedSoACycleCannotOverflowTheStack() {
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThatThrownBy(() -> build(Map.of("loop", cycle)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("personalisation 'loop[0]")
        .hasMessageContaining("nested more than " + Message.MAX_PERSONALISATION_DEPTH);

    Object deepest = "leaf";
    for (int i = 0; i < Message.MAX_PERSONALISATION_DEPTH; i++) {
      deepest = List.of(deepest);
    }
    assertThat(build(Map.of("deep", deepest)).personalisation()).containsKey("deep");
    Object tooDeep = List.of(deepest);
    assertThatThrownBy(() -> build(Map.of("deep", tooDeep)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("nested more than " + Message.MAX_PERSONALISATION_DEPTH);
  }

  @Test
  void nestedListsAndMapsAreCopiedSoNoUnsupportedValueCanBeAddedLater() {
    List<Object> items = new ArrayList<>(List.of("a"));
    Map<String, Object> order = new LinkedHashMap<>();
    order.put("items", items);
    Message m = build(Map.of("order", order));

    items.add(UUID.randomUUID());
    order.put("late", LocalDate.EPOCH);

    assertThat(m.personalisation()).isEqualTo(Map.of("order", Map.of("items", List.of("a"))));
    @SuppressWarnings("unchecked")
    Map<String, Object> kept = (Map<String, Object>) m.personalisation().get("order");
    assertThatThrownBy(() -> kept.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    List<Object> keptItems = (List<Object>) kept.get("items");
    assertThatThrownBy(() -> keptItems.add(1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void textThatIsNotWellFormedUnicodeIsRefusedAsKeyOrValue() {
    // an unpaired surrogate cannot be encoded as UTF-8: a store would change it or fail to read it
    assertThatThrownBy(() -> build(Map.of("name", "Jo\uD800")))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("personalisation 'name'")
        .hasMessageContaining("unpaired surrogate at index 2");
    assertThatThrownBy(() -> build(Map.of("order", Map.of("\uDC00x", 1))))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("personalisation 'order' has a key")
        .hasMessageContaining("unpaired surrogate at index 0");
    assertThat(build(Map.of("emoji \uD83D\uDE00", "\uD83D\uDE00")).personalisation()).hasSize(1);
  }
}
