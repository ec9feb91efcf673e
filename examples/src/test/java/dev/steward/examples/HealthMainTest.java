package dev.steward.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keeps the health example's story true. */
class HealthMainTest {

  @Test
  void theAccountSlidesToRedOnceAndThePlaybookFires() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      HealthMain.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);

    assertThat(out).contains("smb-health v3 at 2026-03-02T09:00:00Z: 81.5 (coverage 100.0%)");
    assertThat(out).contains("smb-health v3 at 2026-03-23T09:00:00Z: 28.2 (coverage 100.0%)");
    // hysteresis: the first red score (28.2) alone does not move the band; the second confirms it
    assertThat(out.indexOf("yellow -> red")).isGreaterThan(out.indexOf("2026-03-30T09:00:00Z"));
    assertThat(out).containsOnlyOnce("playbook enrols it in journey 'csm-check-in'");
  }
}
