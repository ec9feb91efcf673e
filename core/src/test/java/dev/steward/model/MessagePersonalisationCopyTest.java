package dev.steward.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.testing.Messages;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The message's copy of its personalisation: in the caller's order, equal to what was given,
 * unmodifiable through every mutator, small or large, and not copied again when a message is built
 * from another's.
 */
class MessagePersonalisationCopyTest {

  private static Message build(Map<String, Object> data) {
    return Messages.promo("c1").personalisation(data).build();
  }

  private static Map<String, Object> entries(int n) {
    Map<String, Object> data = new LinkedHashMap<>();
    for (int i = n; i > 0; i--) { // descending: an order no hash or sort would give
      data.put("k" + i, i % 2 == 0 ? "v" + i : null);
    }
    return data;
  }

  @Test
  void smallAndLargeCopiesKeepTheCallersOrderAndEqualIt() {
    for (int n : new int[] {0, 1, 2, 8, 9, 20}) {
      Map<String, Object> given = entries(n);
      Map<String, Object> kept = build(given).personalisation();
      assertThat(kept).isEqualTo(given).hasSameHashCodeAs(given);
      assertThat(kept.toString()).isEqualTo(given.toString());
      assertThat(new ArrayList<>(kept.keySet())).isEqualTo(new ArrayList<>(given.keySet()));
      List<String> walked = new ArrayList<>();
      kept.forEach((k, v) -> walked.add(k + "=" + v));
      assertThat(walked).hasSize(n);
      if (n > 0) {
        assertThat(kept.get("k1")).isNull();
        assertThat(kept.containsKey("k1")).isTrue();
        assertThat(kept.get("k" + (n - n % 2))).isEqualTo(n < 2 ? null : "v" + (n - n % 2));
      }
      assertThat(kept.get("absent")).isNull();
      assertThat(kept.getOrDefault("absent", "d")).isEqualTo("d");
      assertThat(kept.get(null)).isNull();
    }
  }

  @Test
  void everyMutatorThrowsEvenWhenItWouldChangeNothing() {
    for (int n : new int[] {0, 2, 9}) {
      Map<String, Object> kept = build(entries(n)).personalisation();
      List<Consumer<Map<String, Object>>> mutators =
          List.of(
              m -> m.put("k1", "x"),
              m -> m.remove("absent"),
              m -> m.remove("absent", null),
              m -> m.putAll(Map.of()),
              m -> m.clear(),
              m -> m.replaceAll((k, v) -> v),
              m -> m.putIfAbsent("k2", "x"),
              m -> m.replace("absent", "x"),
              m -> m.replace("absent", "x", "y"),
              m -> m.computeIfAbsent("k2", k -> "x"),
              m -> m.computeIfPresent("absent", (k, v) -> v),
              m -> m.compute("absent", (k, v) -> null),
              m -> m.merge("k2", "x", (a, b) -> a),
              m -> m.keySet().remove("absent"),
              m -> m.keySet().clear(),
              m -> m.values().clear(),
              m -> m.entrySet().clear(),
              m -> m.entrySet().iterator().remove());
      for (Consumer<Map<String, Object>> mutate : mutators) {
        assertThatThrownBy(() -> mutate.accept(kept))
            .isInstanceOf(UnsupportedOperationException.class);
      }
      if (n > 0) {
        assertThatThrownBy(() -> kept.entrySet().iterator().next().setValue("x"))
            .isInstanceOf(UnsupportedOperationException.class);
      }
      assertThat(kept).isEqualTo(entries(n));
    }
  }

  @Test
  void aMessageBuiltFromAnothersPersonalisationKeepsItWithoutACopy() {
    Message first = build(entries(3));
    Message second = first.toBuilder().build();
    assertThat(second.personalisation()).isSameAs(first.personalisation());
    assertThat(second).isEqualTo(first);
  }

  @Test
  void aContactsSortedReadOnlyAttributesAreCopiedInTheirOrder() {
    Map<String, Object> attributes = new TreeMap<>(Map.of("plan", "pro", "first_name", "Ann"));
    Map<String, Object> view = Collections.unmodifiableMap(attributes);
    Map<String, Object> kept = build(view).personalisation();
    attributes.put("late", "x");
    assertThat(new ArrayList<>(kept.keySet())).containsExactly("first_name", "plan");
  }

  @Test
  void aKeptCopyNestedDeeperIsCheckedForItsDepthAgain() {
    // a copy made at the top holds lists nested to the bound; one level deeper is too deep
    Object deepest = "x";
    for (int i = 0; i < Message.MAX_PERSONALISATION_DEPTH; i++) {
      deepest = List.of(deepest);
    }
    Map<String, Object> top = build(Map.of("deep", deepest)).personalisation();
    assertThatThrownBy(() -> build(Map.of("outer", top)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("nested more than " + Message.MAX_PERSONALISATION_DEPTH);
  }
}
