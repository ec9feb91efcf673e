package dev.steward.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class QuickStartTest {

  @Test
  void theReadmeSnippetDefersMailDuringTheRecipientsNight() {
    // 03:00 UTC is 22:00 in New York: quiet hours until 08:00 local, 13:00 UTC
    DispatchResult r =
        QuickStart.run(Clock.fixed(Instant.parse("2026-03-02T03:00:00Z"), ZoneOffset.UTC));
    assertThat(r.status()).isEqualTo(DispatchStatus.DEFERRED);
    assertThat(r.decision().notBefore().orElseThrow())
        .isEqualTo(Instant.parse("2026-03-02T13:00:00Z"));
  }

  @Test
  void theReadmeSnippetSendsInTheDaytime() {
    DispatchResult r =
        QuickStart.run(Clock.fixed(Instant.parse("2026-03-02T15:00:00Z"), ZoneOffset.UTC));
    assertThat(r.status()).isEqualTo(DispatchStatus.SENT);
  }
}
