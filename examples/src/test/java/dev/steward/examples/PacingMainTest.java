package dev.steward.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keeps the README's main job true: the story it tells is the story the library produces. */
class PacingMainTest {

  @Test
  void theExampleTellsTheExpectedStory() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      PacingMain.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);

    // quiet hours in Tokyo defer Kenji's mail to 08:00 his time
    assertThat(out)
        .contains(
            "kenji PROMOTIONAL   spring-sale      at Mon 2 Mar 22:00 their time: DEFERRED until Tue 3 Mar 08:00");
    // the third message to Ada in a week waits for the rolling window, across New York's DST change
    assertThat(out)
        .contains(
            "ada   EDUCATIONAL   product-updates  at Mon 2 Mar 08:00 their time: DEFERRED until Mon 9 Mar 09:00");
    // opt-out suppresses marketing but not the invoice
    assertThat(out)
        .contains("lin   PROMOTIONAL   spring-sale      at Mon 2 Mar 14:00 their time: SUPPRESSED");
    assertThat(out)
        .contains("lin   TRANSACTIONAL invoice          at Mon 2 Mar 14:00 their time: SENT");
    // the webhook's repeat is dropped, and the unsubscribe reaches messages deferred before it
    assertThat(out)
        .contains(
            "repeated batch: AcceptResult[received=1, duplicates=1, accepted=0, workItems=0]");
    assertThat(out)
        .contains("kenji PROMOTIONAL   spring-sale      at Tue 3 Mar 08:00 their time: SUPPRESSED");
    assertThat(out)
        .contains("ada   EDUCATIONAL   product-updates  at Mon 9 Mar 09:00 their time: SENT");
    assertThat(out).contains("Still deferred: 0");
  }
}
