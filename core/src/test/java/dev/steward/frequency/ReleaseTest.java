package dev.steward.frequency;

import static dev.steward.frequency.Messages.promo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.model.Message;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code release} removes exactly the entry {@code decide} wrote, and never a send before it. */
class ReleaseTest {
  private static final Instant MON_10 = Instant.parse("2026-01-05T10:00:00Z");

  private final SettableClock clock = SettableClock.of(MON_10);
  private final List<Boolean> released = new ArrayList<>();
  private final FrequencyCapLimiter limiter =
      FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
          .policy(
              CapPolicy.builder()
                  .cap(Cap.perContact(2, Window.rolling(Duration.ofDays(7))))
                  .build())
          .listener(
              new LimiterListener() {
                @Override
                public void onRelease(Message message, Instant decidedAt, boolean wasReleased) {
                  released.add(wasReleased);
                }
              })
          .build();

  private int allowedOf(int tries, Instant from) {
    int allowed = 0;
    for (int i = 0; i < tries; i++) {
      if (limiter.decide(promo("c1"), from.plusSeconds(i)).isAllowed()) {
        allowed++;
      }
    }
    return allowed;
  }

  @Test
  void aRepeatedReleaseLeavesTheEarlierRealSend() {
    assertThat(limiter.decide(promo("c1"), MON_10).isAllowed()).isTrue(); // really sent
    assertThat(limiter.decide(promo("c1"), MON_10.plusSeconds(5)).isAllowed()).isTrue();

    limiter.release(promo("c1"), MON_10.plusSeconds(5));
    limiter.release(promo("c1"), MON_10.plusSeconds(5));

    assertThat(released).containsExactly(true, false);
    assertThat(allowedOf(3, MON_10.plusSeconds(10)))
        .as("one send left under a cap of 2")
        .isEqualTo(1);
  }

  @Test
  void aReleaseForASecondWithNoReservationChangesNothing() {
    assertThat(limiter.decide(promo("c1"), MON_10).isAllowed()).isTrue();

    limiter.release(promo("c1"), MON_10.plusSeconds(1));

    assertThat(released).containsExactly(false);
    assertThat(allowedOf(3, MON_10.plusSeconds(10))).isEqualTo(1);
  }

  @Test
  void aReleaseOfAnotherCategoryChangesNothing() {
    assertThat(limiter.decide(promo("c1"), MON_10).isAllowed()).isTrue();

    limiter.release(Messages.to("c1", promo("c1").kind(), "news"), MON_10);

    assertThat(released).containsExactly(false);
    assertThat(allowedOf(3, MON_10.plusSeconds(10))).isEqualTo(1);
  }

  @Test
  void ofTwoEqualReservationsInOneSecondAReleaseRemovesOne() {
    Decision first = limiter.decide(promo("c1"), MON_10);
    Decision second = limiter.decide(promo("c1"), MON_10);
    assertThat(first.isAllowed() && second.isAllowed()).isTrue();

    limiter.release(promo("c1"), MON_10);

    assertThat(allowedOf(3, MON_10.plusSeconds(10))).isEqualTo(1);
  }
}
