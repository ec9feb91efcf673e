package dev.steward.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SettableClockTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  @Test
  void standsStillUntilMovedAndMovesBySetOrAdvance() {
    SettableClock clock = SettableClock.of(T0);
    assertThat(clock.instant()).isEqualTo(T0);
    assertThat(clock.advance(Duration.ofMinutes(5))).isEqualTo(T0.plusSeconds(300));
    clock.set(T0.minusSeconds(1));
    assertThat(clock.instant()).isEqualTo(T0.minusSeconds(1));
    assertThat(clock.millis()).isEqualTo(T0.minusSeconds(1).toEpochMilli());
  }

  @Test
  void aClockInAnotherZoneSharesTheTime() {
    SettableClock clock = SettableClock.of(T0);
    Clock tokyo = clock.withZone(ZoneId.of("Asia/Tokyo"));

    clock.advance(Duration.ofHours(1));

    assertThat(tokyo.getZone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
    assertThat(tokyo.instant()).isEqualTo(T0.plusSeconds(3600));
  }

  @Test
  void advancesFromManyThreadsLoseNoStep() {
    SettableClock clock = SettableClock.of(T0);
    Concurrently.run(
        8,
        i -> {
          for (int n = 0; n < 1000; n++) {
            clock.advance(Duration.ofSeconds(1));
          }
          return null;
        });
    assertThat(clock.instant()).isEqualTo(T0.plusSeconds(8000));
  }
}
