package dev.steward.reviewgov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.steward.governance.DelegatingGovernanceMetricsStore;
import dev.steward.governance.GovernanceListener;
import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.Granularity;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.Ladder;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricsKey;
import dev.steward.governance.RecipientActivity;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An inactivity period longer than the instant range ({@code ChronoUnit.FOREVER}'s duration: "never
 * count anyone inactive") is accepted by both builders, but {@code at.minus(period)} overflows: the
 * listener threw on every batch that mailed a recipient it had mailed before, so those events were
 * retried and kept DEAD, and nothing else in their batch was counted.
 */
class RgovInactivePeriodOverflowTest {
  private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();
  private static final TenantId T = TenantId.of("t");

  @Test
  void bothBuildersAcceptAPeriodLongerThanTheInstantRange() {
    assertThat(Ladder.ofDefaults().toBuilder().inactiveAfter(FOREVER).build().inactiveAfter())
        .isEqualTo(FOREVER);
  }

  @Test
  void aRecipientIsNeverInactiveForAPeriodLongerThanTheInstantRange() {
    RecipientActivity r = new RecipientActivity(StoreLimits.MIN_INSTANT, Optional.empty());
    assertThat(r.inactiveAt(StoreLimits.MAX_INSTANT, FOREVER)).isFalse();
    assertThat(r.inactiveAt(StoreLimits.MIN_INSTANT, Duration.ofSeconds(Long.MAX_VALUE))).isFalse();
    // a period that just fits still works as before
    assertThat(r.inactiveAt(StoreLimits.MAX_INSTANT, Duration.ofDays(1))).isTrue();
  }

  @Test
  void theListenerCountsARepeatRecipientUnderAnEndlessPeriodOnTheInMemoryStore() {
    repeatRecipient(InMemoryGovernanceMetricsStore.of(), null);
  }

  @Test
  void theListenerCountsARepeatRecipientUnderAnEndlessPeriodOnAnyOtherStore() {
    InMemoryGovernanceMetricsStore behind = InMemoryGovernanceMetricsStore.of();
    repeatRecipient(behind, new DelegatingGovernanceMetricsStore(behind));
  }

  private static void repeatRecipient(
      InMemoryGovernanceMetricsStore store, DelegatingGovernanceMetricsStore wrapper) {
    GovernanceMetricsStore seen = wrapper == null ? store : wrapper;
    GovernanceListener l = GovernanceListener.builder(seen).inactiveAfter(FOREVER).build();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    l.onEvents(List.of(processed("1", t0)));
    assertThatCode(() -> l.onEvents(List.of(processed("2", t0.plus(Duration.ofDays(400))))))
        .doesNotThrowAnyException();
    MetricCounts c =
        store.counts(MetricsKey.of(T), Granularity.DAY, t0, t0.plus(Duration.ofDays(401)));
    assertThat(c.processed()).isEqualTo(2);
    assertThat(c.sentToInactive()).isZero();
  }

  private static EmailEvent processed(String id, Instant at) {
    return EmailEvent.builder(id, EmailEventType.PROCESSED, at)
        .tenant(T)
        .email("r@x.example")
        .build();
  }
}
