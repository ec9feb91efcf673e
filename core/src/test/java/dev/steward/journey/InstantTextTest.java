package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The text of an instant made without the JDK's formatter is the JDK's text, to the character. */
class InstantTextTest {

  @Test
  void writesTheJdksTextAtTheEdgesOfYearsDaysAndFractions() {
    for (String text :
        List.of(
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999999999Z",
            "0000-01-01T00:00:00Z",
            "0000-02-29T12:00:00Z",
            "9999-12-31T23:59:59.999Z",
            "2000-02-29T00:00:00.100Z",
            "2100-02-28T23:59:59.000001Z",
            "2026-01-05T08:00:00.000000001Z",
            "2026-03-01T00:00:00Z",
            "1600-03-01T00:00:00.120Z")) {
      Instant t = Instant.parse(text);
      assertThat(InstantText.of(t)).isEqualTo(t.toString()).isEqualTo(text);
    }
    // the years the JDK writes with a sign or five digits are its own text
    for (Instant t : List.of(Instant.MIN, Instant.MAX, Instant.parse("-0001-12-31T23:59:59Z"))) {
      assertThat(InstantText.of(t)).isEqualTo(t.toString());
    }
    assertThat(InstantText.of(Instant.parse("+10000-01-01T00:00:00Z")))
        .isEqualTo("+10000-01-01T00:00:00Z");
  }

  @Test
  void writesTheJdksTextForRandomInstantsOfEveryYear() {
    Random random = new Random(14);
    long from = Instant.parse("-0100-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("+10100-01-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 200_000; i++) {
      long seconds = from + (long) (random.nextDouble() * (to - from));
      int nano =
          switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant t = Instant.ofEpochSecond(seconds, nano);
      assertThat(InstantText.of(t)).isEqualTo(t.toString());
    }
  }
}
