package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engagement retention keeps what the aggregators' windows read, and says when it cannot. */
class EngagementRetentionTest {
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  static final TenantId T1 = TenantId.of("t1");
  static final AccountId ACME = AccountId.of("acme");

  @Test
  void theRetentionIsTwiceTheLongestWindowAndPurgesInBatches() {
    EngagementStore store = InMemoryEngagementStore.of();
    EmailEngagementAggregator week =
        EmailEngagementAggregator.builder(store).window(Duration.ofDays(7)).build();
    EmailEngagementAggregator month =
        EmailEngagementAggregator.builder(store).window(Duration.ofDays(30)).build();
    SettableClock clock = SettableClock.of(T0.plus(Duration.ofDays(70)));
    EngagementRetention retention =
        EngagementRetention.builder(store, clock).aggregator(week).aggregator(month).build();
    store.record(
        List.of(
            EngagementEvent.of(T1, ACME, "a", EngagementKind.SENT, T0),
            EngagementEvent.of(T1, ACME, "b", EngagementKind.SENT, T0.plusSeconds(1)),
            EngagementEvent.of(T1, ACME, "c", EngagementKind.SENT, T0.plus(Duration.ofDays(11)))));

    assertThat(retention.retention()).isEqualTo(Duration.ofDays(60));
    assertThat(retention.purge(1)).isEqualTo(1);
    assertThat(retention.purge(10)).isEqualTo(1);
    assertThat(retention.purge(10)).isZero();
    assertThat(store.events(T1, ACME, Instant.MIN, Instant.MAX))
        .extracting(EngagementEvent::eventId)
        .containsExactly("c");
  }

  @Test
  void aRetentionThatWouldPurgeEverythingOrAnotherStoreIsRefused() {
    EngagementStore store = InMemoryEngagementStore.of();
    SettableClock clock = SettableClock.of(T0);

    assertThatThrownBy(() -> EngagementRetention.builder(store, clock).build())
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("give the aggregators of the store, or keepAtLeast");
    assertThatThrownBy(
            () ->
                EngagementRetention.builder(store, clock)
                    .aggregator(
                        EmailEngagementAggregator.builder(InMemoryEngagementStore.of()).build()))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("another store");
    assertThatThrownBy(() -> EngagementRetention.builder(store, null))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("clock");
    assertThat(
            EngagementRetention.builder(store, clock)
                .keepAtLeast(Duration.ofDays(90))
                .build()
                .retention())
        .isEqualTo(Duration.ofDays(90));
  }
}
