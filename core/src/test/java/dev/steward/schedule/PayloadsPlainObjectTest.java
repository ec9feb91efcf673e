package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonToken;
import dev.steward.internal.json.StrictJson;
import dev.steward.model.TenantId;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The short cut of {@link Payloads#check} for payloads of one name and a plain number: it takes
 * only texts that the strict parse accepts as an object, so it never lets through what the parse
 * refuses.
 */
class PayloadsPlainObjectTest {
  private static final WorkKey KEY = WorkKey.of(TenantId.of("t1"), "k", "i1");

  /** What the strict parse says of a text: its first token, or null when it refuses the text. */
  private static JsonToken strict(String text) {
    try {
      return StrictJson.check(text, "payload", (m, c) -> new IllegalArgumentException(m, c));
    } catch (IllegalArgumentException refused) {
      return null;
    }
  }

  @Test
  void takesAJourneyStepsPayloadAndOthersOfItsShape() {
    for (String plain : List.of("{\"seq\":12}", "{\"seq\":0}", "{\"a_1\":123456789012345678}")) {
      assertThat(Payloads.plainObject(plain)).as(plain).isTrue();
      assertThat(strict(plain)).as(plain).isEqualTo(JsonToken.START_OBJECT);
      Payloads.check(KEY, plain);
    }
  }

  @Test
  void leavesEveryOtherTextToTheStrictParse() {
    for (String other :
        List.of(
            "{\"seq\":012}",
            "{\"seq\":-1}",
            "{\"seq\":1.5}",
            "{\"seq\": 1}",
            "{\"seq\":1} ",
            "{\"seq\":1}}",
            "{\"se q\":1}",
            "{\"se\\\"q\":1}",
            "{\"\":1}",
            "{\"seq\":}",
            "{\"seq\"1}",
            "{\"seq\":1234567890123456789}",
            "{\"" + "n".repeat(65) + "\":1}",
            "{}",
            "[1]")) {
      assertThat(Payloads.plainObject(other)).as(other).isFalse();
    }
    assertThatThrownBy(() -> Payloads.check(KEY, "{\"seq\":012}"))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("payload of");
    assertThatThrownBy(() -> Payloads.check(KEY, "{\"seq\":1}}"))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("payload of");
  }

  @Test
  void everyTextTheShortCutTakesIsAnObjectToTheStrictParse() {
    // random texts near the shape: a wrong character anywhere must send the text to the parse
    String alphabet = "{}\":,0123456789az_ -.\\";
    Random random = new Random(14);
    int taken = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder("{\"");
      int length = random.nextInt(8);
      for (int j = 0; j < length; j++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = random.nextBoolean() ? b.toString() : mutate("{\"seq\":1203}", random);
      if (Payloads.plainObject(text)) {
        taken++;
        assertThat(strict(text)).as(text).isEqualTo(JsonToken.START_OBJECT);
      }
    }
    assertThat(taken).as("texts the short cut took").isGreaterThan(1_000);
  }

  /**
   * Hostile review (rb6): texts at the edges of the shape outside the random test's alphabet (a
   * byte order mark, digits of other scripts, signs, exponents, escaped names, control characters)
   * are judged by check exactly as the strict parse alone judges them: taken, or refused with the
   * parse's own message.
   */
  @Test
  void textsAtTheEdgesOfTheShapeAreJudgedAsTheStrictParseJudgesThem() {
    for (String text :
        List.of(
            "\ufeff{\"seq\":1}",
            "{\"seq\":\u0661}",
            "{\"seq\":\uff11}",
            "{\"seq\":1\u0663}",
            "{\"s\u00e9q\":1}",
            "{\"seq\":-0}",
            "{\"seq\":+1}",
            "{\"seq\":00}",
            "{\"seq\":0}",
            "{\"seq\":1e3}",
            "{\"seq\":1E3}",
            "{\"seq\":NaN}",
            "{\"seq\":Infinity}",
            "{\"s\\u0065q\":1}",
            "{ \"seq\":1}",
            "{\"seq\":1,\"seq\":1}",
            "{\"seq\":999999999999999999}",
            "{\"seq\":99999999999999999999999999999999}",
            "{\"seq\":1}\n",
            "{\"seq\":1}\u0000",
            "{\"seq\u0000\":1}",
            "{\"" + "n".repeat(64) + "\":1}",
            "{\"a\":1}")) {
      String expected;
      try {
        JsonToken first =
            StrictJson.check(text, "payload of " + KEY, (m, c) -> new InvalidWorkException(m, c));
        expected = first == JsonToken.START_OBJECT ? "taken" : "not an object";
      } catch (InvalidWorkException refused) {
        expected = refused.getMessage();
      }
      String actual;
      try {
        Payloads.check(KEY, text);
        actual = "taken";
      } catch (InvalidWorkException refused) {
        actual =
            refused.getMessage().endsWith("must be a JSON object")
                ? "not an object"
                : refused.getMessage();
      }
      assertThat(actual).as(text).isEqualTo(expected);
    }
  }

  /** {@code text} with one character replaced, inserted or removed at random. */
  private static String mutate(String text, Random random) {
    String alphabet = "{}\":,0123456789az_ -.";
    int at = random.nextInt(text.length());
    char c = alphabet.charAt(random.nextInt(alphabet.length()));
    return switch (random.nextInt(4)) {
      case 0 -> text.substring(0, at) + c + text.substring(at + 1);
      case 1 -> text.substring(0, at) + c + text.substring(at);
      case 2 -> text.substring(0, at) + text.substring(at + 1);
      default -> text;
    };
  }
}
