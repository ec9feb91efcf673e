package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The listener reads recipient activity per event from the in-memory store and once per tenant of a
 * batch from any other store: both reads must find the same inactive recipients, before the batch
 * touches any of them (an address first mailed in a batch is not inactive within it, and an open in
 * a batch does not make an earlier send of the same batch active).
 */
class ListenerInactiveReadTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void perEventAndBatchedReadsFindTheSameInactiveRecipients() {
    SplittableRandom random = new SplittableRandom(42);
    InMemoryGovernanceMetricsStore direct = InMemoryGovernanceMetricsStore.of();
    InMemoryGovernanceMetricsStore behind = InMemoryGovernanceMetricsStore.of();
    GovernanceListener perEvent = GovernanceListener.builder(direct).build();
    GovernanceListener batched =
        GovernanceListener.builder(new DelegatingGovernanceMetricsStore(behind)).build();
    TenantId[] tenants = {TenantId.of("a"), TenantId.of("b"), TenantId.of("c")};
    long inactiveSeen = 0;
    int id = 0;
    // 400 days in 40 batches of 10 days each: long enough for 180 days of silence to happen
    for (int batch = 0; batch < 40; batch++) {
      List<EmailEvent> events = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        EmailEventType type =
            random.nextInt(8) == 0 ? EmailEventType.OPEN : EmailEventType.PROCESSED;
        Instant at = T0.plus(Duration.ofDays(batch * 10L)).plusSeconds(random.nextInt(864_000));
        events.add(
            EmailEvent.builder("e" + id++, type, at)
                .tenant(tenants[random.nextInt(tenants.length)])
                .email("r" + random.nextInt(12) + "@x.example")
                .build());
      }
      perEvent.onEvents(events);
      batched.onEvents(events);
      Instant to = T0.plus(Duration.ofDays(batch * 10L + 11));
      for (TenantId t : tenants) {
        MetricCounts a = direct.counts(MetricsKey.of(t), Granularity.DAY, T0, to);
        MetricCounts b = behind.counts(MetricsKey.of(t), Granularity.DAY, T0, to);
        assertThat(a).as("tenant %s after batch %d", t, batch).isEqualTo(b);
        inactiveSeen += a.sentToInactive();
      }
    }
    // the stream did reach inactive recipients, so the comparison compared something
    assertThat(inactiveSeen).isPositive();
  }

  @Test
  void anOpenInTheSameBatchDoesNotMakeAnEarlierSendActiveInEitherRead() {
    for (boolean viaMemory : new boolean[] {true, false}) {
      InMemoryGovernanceMetricsStore store = InMemoryGovernanceMetricsStore.of();
      GovernanceMetricsStore seen = viaMemory ? store : new DelegatingGovernanceMetricsStore(store);
      GovernanceListener l = GovernanceListener.builder(seen).build();
      TenantId t = TenantId.of("a");
      l.onEvents(List.of(ev("1", EmailEventType.PROCESSED, t, T0)));
      Instant later = T0.plus(Duration.ofDays(200));
      // the open comes first in the batch but the read is of the activity before the batch
      l.onEvents(
          List.of(
              ev("2", EmailEventType.OPEN, t, later),
              ev("3", EmailEventType.PROCESSED, t, later.plusSeconds(1))));
      MetricCounts c =
          store.counts(MetricsKey.of(t), Granularity.DAY, T0, later.plus(Duration.ofDays(1)));
      assertThat(c.sentToInactive()).as("via memory %s", viaMemory).isEqualTo(1);
      assertThat(
              store
                  .activity(t, List.of(EmailAddress.of("r@x.example")))
                  .get(EmailAddress.of("r@x.example"))
                  .lastEngaged())
          .contains(later);
    }
  }

  private static EmailEvent ev(String id, EmailEventType type, TenantId t, Instant at) {
    return EmailEvent.builder(id, type, at).tenant(t).email("r@x.example").build();
  }
}
