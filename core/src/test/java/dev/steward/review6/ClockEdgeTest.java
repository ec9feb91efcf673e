package dev.steward.review6;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.Decision;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.frequency.InvalidLimiterArgumentException;
import dev.steward.frequency.Window;
import dev.steward.model.Message;
import dev.steward.model.StoreLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * c81415b made {@code decide(Message)} read {@code clock.millis()} and check the range only on the
 * millisecond-truncated instant. {@code decide(Message)} must behave exactly as {@code
 * decide(message, clock.instant())} (and as {@code whatIf(message)}, which still reads {@code
 * clock.instant()}): accept every instant from {@link StoreLimits#MIN_INSTANT} to {@link
 * StoreLimits#MAX_INSTANT} and refuse every other one with an {@link
 * InvalidLimiterArgumentException} naming "now", as FrequencyCapLimiter's Javadoc promises.
 */
class ClockEdgeTest {
  private static final Message M = Review6Messages.promo("c1", "a1");

  private static FrequencyCapLimiter limiter(Clock clock) {
    return FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
        .policy(
            CapPolicy.builder().cap(Cap.perContact(2, Window.rolling(Duration.ofDays(7)))).build())
        .build();
  }

  /**
   * DEFECT: a clock standing at MIN_INSTANT (1677-09-21T00:12:43.145224192Z, storable by the
   * documented limits) is refused by decide(): its millis() drops the 224192 ns, and the check then
   * compares 00:12:43.145Z, which is before MIN_INSTANT. decide(m, MIN_INSTANT) and whatIf(m) with
   * the same clock accept it. Correct: decide(m) accepts it too (check the clock's instant, or
   * compare in seconds and only fall back to instant() at the boundary second).
   */
  @Test
  void aClockAtTheEarliestStorableInstantIsAcceptedByDecide() {
    Clock clock = Clock.fixed(StoreLimits.MIN_INSTANT, ZoneOffset.UTC);
    FrequencyCapLimiter limiter = limiter(clock);

    assertThat(limiter.whatIf(M).isAllowed()).isTrue(); // whatIf reads clock.instant(): accepted
    assertThat(limiter(clock).decide(M, clock.instant()).isAllowed()).isTrue();

    Decision d = limiter.decide(M); // throws InvalidLimiterArgumentException "now ..." today
    assertThat(d.isAllowed()).isTrue();
  }

  /**
   * DEFECT: a clock 1 ns past MAX_INSTANT (2262-04-11T23:47:16.854775808Z, which no store holds) is
   * accepted by decide() and a send is reserved: millis() truncates it to .854Z, inside the range.
   * whatIf(m) and decide(m, clock.instant()) refuse it. Correct: refused with
   * InvalidLimiterArgumentException before anything is written.
   */
  @Test
  void aClockPastTheLatestStorableInstantIsRefusedByDecide() {
    Clock clock = Clock.fixed(StoreLimits.MAX_INSTANT.plusNanos(1), ZoneOffset.UTC);
    FrequencyCapLimiter limiter = limiter(clock);

    assertThatThrownBy(() -> limiter.whatIf(M)).isInstanceOf(InvalidLimiterArgumentException.class);
    assertThatThrownBy(() -> limiter.decide(M, clock.instant()))
        .isInstanceOf(InvalidLimiterArgumentException.class);

    assertThatThrownBy(() -> limiter.decide(M)) // returns ALLOW and reserves a send today
        .isInstanceOf(InvalidLimiterArgumentException.class)
        .hasMessageContaining("now");
  }

  /**
   * DEFECT: a clock far outside the range (Instant.MAX, or any instant beyond +-292 million years)
   * makes decide() throw java.lang.ArithmeticException ("long overflow") out of Clock.millis()
   * instead of the documented InvalidLimiterArgumentException naming "now" (whatIf still throws the
   * latter). A caller catching StewardException/InvalidLimiterArgumentException does not catch it.
   * Correct: InvalidLimiterArgumentException, as before c81415b.
   */
  @Test
  void aClockBeyondTheMillisRangeIsRefusedWithTheLimitersOwnException() {
    Clock clock = Clock.fixed(Instant.MAX, ZoneOffset.UTC);
    FrequencyCapLimiter limiter = limiter(clock);

    assertThatThrownBy(() -> limiter.whatIf(M)).isInstanceOf(InvalidLimiterArgumentException.class);

    assertThatThrownBy(() -> limiter.decide(M)) // ArithmeticException: long overflow, today
        .isInstanceOf(InvalidLimiterArgumentException.class)
        .hasMessageContaining("now");
  }

  /**
   * DEFECT: on Java 17 (the library's target), a clock that ticks in microseconds, {@code
   * Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000))} (a common way to match PostgreSQL's
   * precision), throws ArithmeticException ("/ by zero") from its millis(): the JDK's TickClock
   * divides by the tick in whole milliseconds, 0. Its instant() is fine. decide(Message) now calls
   * millis(), so every decide fails, while whatIf(Message), recordSent and recordActivity (which
   * call instant()) work, and decide worked before c81415b. Correct: decide(Message) works with any
   * Clock whose instant() works (read instant(), or fall back to it when millis() throws, or use
   * millis() only for the system clock).
   */
  @Test
  void aMicrosecondTickClockDecides() {
    Clock micros = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    FrequencyCapLimiter limiter = limiter(micros);

    assertThat(limiter.whatIf(M).isAllowed()).isTrue(); // instant(): fine

    Decision d = limiter.decide(M); // ArithmeticException: / by zero, today
    assertThat(d.isAllowed()).isTrue();
  }
}
