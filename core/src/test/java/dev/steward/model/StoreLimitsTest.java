package dev.steward.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.frequency.InvalidLimiterArgumentException;
import dev.steward.frequency.Window;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** One rule for what no store keeps exactly: half a surrogate pair, wherever a name or id goes. */
class StoreLimitsTest {

  @Test
  void findsHalfASurrogatePairAndLetsWholePairsThrough() {
    assertThat(StoreLimits.unpairedSurrogateAt("plain")).isEqualTo(-1);
    assertThat(StoreLimits.unpairedSurrogateAt("emoji \uD83D\uDE00 ok")).isEqualTo(-1);
    assertThat(StoreLimits.unpairedSurrogateAt("high \uD800")).isEqualTo(5);
    assertThat(StoreLimits.unpairedSurrogateAt("\uDC00 low first")).isZero();
    assertThat(StoreLimits.textProblem("team-\uD800", 200))
        .contains("half a surrogate pair at index 5");
  }

  @Test
  void theLimiterAndTheModelRefuseItAlike() {
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(
                InMemoryCapLedgerStore.of(),
                SettableClock.of(Instant.parse("2026-03-02T09:00:00Z")))
            .policy(CapPolicy.builder().cap(Cap.perContact(1, Window.day())).build())
            .build();
    assertThatThrownBy(
            () ->
                limiter.recordActivity(
                    TenantId.of("t1"),
                    ContactId.of("c1"),
                    "ticket-\uD800",
                    Instant.parse("2026-03-02T09:00:00Z")))
        .isInstanceOf(InvalidLimiterArgumentException.class)
        .hasMessageContaining("half a surrogate pair");
    assertThatThrownBy(() -> ContactId.of("c-\uDBFF"))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("half a surrogate pair at 2");
  }
}
