package dev.steward.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonToken;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code check} refuses exactly what {@code read} refuses, with the same message, tree or not. */
class StrictJsonCheckTest {

  private static IllegalArgumentException error(String message, Throwable cause) {
    return new IllegalArgumentException(message, cause);
  }

  @Test
  void checkAndReadAgreeOnEveryText() {
    List<String> texts =
        List.of(
            "{\"a\":1}",
            "{\"a\":{\"b\":[1,{\"c\":2,\"d\":[]}]}}",
            "{\"a\":1,\"a\":2}",
            "{\"a\":{\"b\":1,\"b\":2}}",
            "{\"a\":[{\"x\":1},{\"x\":1,\"x\":3}]}",
            "{} trailing",
            "{}{}",
            "{\"a\":",
            "{\"a\":1",
            "[1,2",
            "[1]",
            "\"text\"",
            "42",
            "  {\"a\":\"\\u00e9\"}  \n",
            "{\"a\":tru}",
            "{'a':1}",
            "");
    for (String text : texts) {
      Throwable fromRead =
          catchThrowable(() -> StrictJson.read(text, "payload", StrictJsonCheckTest::error));
      Throwable fromCheck =
          catchThrowable(() -> StrictJson.check(text, "payload", StrictJsonCheckTest::error));
      if (fromRead == null) {
        assertThat(fromCheck).as(text).isNull();
      } else {
        assertThat(fromCheck).as(text).isInstanceOf(IllegalArgumentException.class);
        assertThat(fromCheck.getMessage()).as(text).isEqualTo(fromRead.getMessage());
      }
    }
  }

  @Test
  void checkNamesTheKindOfValue() {
    assertThat(StrictJson.check("{\"a\":[1]}", "p", StrictJsonCheckTest::error))
        .isEqualTo(JsonToken.START_OBJECT);
    assertThat(StrictJson.check("[{}]", "p", StrictJsonCheckTest::error))
        .isEqualTo(JsonToken.START_ARRAY);
    assertThat(StrictJson.check(" ", "p", StrictJsonCheckTest::error)).isNull();
  }
}
