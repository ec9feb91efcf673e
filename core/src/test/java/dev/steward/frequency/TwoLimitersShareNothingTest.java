package dev.steward.frequency;

import static dev.steward.frequency.Messages.to;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Outcome;
import dev.steward.model.MessageKind;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Each limiter owns the ids of its categories, activities and teams: two limiters in one JVM share
 * no state, and over one in-memory store each counts the other's sends by name.
 */
class TwoLimitersShareNothingTest {
  private static final Instant MON_10 = Instant.parse("2026-01-05T10:00:00Z");

  @Test
  void twoLimitersOverOneStoreCountEachOthersSendsByName() {
    SettableClock clock = SettableClock.of(MON_10);
    InMemoryCapLedgerStore store = InMemoryCapLedgerStore.of();
    CapPolicy policy =
        CapPolicy.builder()
            .cap(Cap.perContact(1, Window.rolling(Duration.ofDays(1))).eachCategory())
            .build();
    FrequencyCapLimiter a = FrequencyCapLimiter.builder(store, clock).policy(policy).build();
    FrequencyCapLimiter b = FrequencyCapLimiter.builder(store, clock).policy(policy).build();
    // b meets the categories in the other order, so its ids differ from a's
    assertThat(b.whatIf(to("zed", MessageKind.PROMOTIONAL, "tips")).isAllowed()).isTrue();
    assertThat(b.decide(to("zed", MessageKind.PROMOTIONAL, "tips")).isAllowed()).isTrue();

    assertThat(a.decide(to("ada", MessageKind.PROMOTIONAL, "news")).isAllowed()).isTrue();
    assertThat(a.decide(to("ada", MessageKind.PROMOTIONAL, "tips")).isAllowed()).isTrue();

    assertThat(b.decide(to("ada", MessageKind.PROMOTIONAL, "news")).outcome())
        .isEqualTo(Outcome.DEFER);
    assertThat(b.decide(to("ada", MessageKind.PROMOTIONAL, "tips")).outcome())
        .isEqualTo(Outcome.DEFER);
    assertThat(b.decide(to("ada", MessageKind.PROMOTIONAL, "offers")).isAllowed()).isTrue();
    assertThat(a.decide(to("ada", MessageKind.PROMOTIONAL, "offers")).outcome())
        .isEqualTo(Outcome.DEFER);

    Vocabulary va = ((DefaultFrequencyCapLimiter) a).vocabulary();
    Vocabulary vb = ((DefaultFrequencyCapLimiter) b).vocabulary();
    assertThat(va).isNotSameAs(vb);
    assertThat(va.labels.existingId("news")).isNotEqualTo(vb.labels.existingId("news"));
  }
}
