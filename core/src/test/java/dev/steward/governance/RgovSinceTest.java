package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link RecipientActivity#since} at the bottom of the instant range, to the nanosecond. */
class RgovSinceTest {
  private static final Instant AT = Instant.MIN.plusSeconds(5).plusNanos(7);

  @Test
  void aPeriodReachingExactlyTheEarliestInstantStillGivesIt() {
    assertThat(RecipientActivity.since(AT, Duration.ofSeconds(5, 7))).isEqualTo(Instant.MIN);
    assertThat(RecipientActivity.since(AT, Duration.ofSeconds(5, 6)))
        .isEqualTo(Instant.MIN.plusNanos(1));
    assertThat(RecipientActivity.since(AT, Duration.ofSeconds(4, 999_999_999)))
        .isEqualTo(Instant.MIN.plusNanos(8));
  }

  @Test
  void aPeriodReachingBeforeTheEarliestInstantGivesNull() {
    assertThat(RecipientActivity.since(AT, Duration.ofSeconds(5, 8))).isNull();
    assertThat(RecipientActivity.since(AT, Duration.ofSeconds(6))).isNull();
    assertThat(RecipientActivity.since(Instant.MAX, Duration.ofSeconds(Long.MAX_VALUE))).isNull();
  }

  @Test
  void anEarliestFirstSendIsInactiveExactlyWhenThePeriodFits() {
    RecipientActivity r = new RecipientActivity(Instant.MIN, java.util.Optional.empty());
    assertThat(r.inactiveAt(AT, Duration.ofSeconds(5, 7))).isTrue();
    assertThat(r.inactiveAt(AT, Duration.ofSeconds(5, 8))).isFalse();
  }
}
