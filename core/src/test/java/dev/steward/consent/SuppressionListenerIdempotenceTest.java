package dev.steward.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Events are applied at least once (EmailEventListener): applying a batch again, or a batch after a
 * part of it, must leave the suppression list as applying it once does, removals included.
 */
class SuppressionListenerIdempotenceTest {
  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  static final Instant T1 = NOW.minus(Duration.ofHours(2));
  static final Instant T2 = NOW.minus(Duration.ofHours(1));
  static final TenantId ACME = TenantId.of("acme");
  static final List<String> ADDRESSES = List.of("a1", "a2", "a3", "a4", "a5", "a6");

  static EmailEvent ev(
      String id, EmailEventType type, Instant at, String address, Map<String, String> attrs) {
    return EmailEvent.of(
        id,
        type,
        at,
        EmailAddress.of(address + "@example.com"),
        null,
        ACME,
        null,
        null,
        "offers",
        attrs);
  }

  static final List<EmailEvent> BATCH =
      List.of(
          ev("e1", EmailEventType.UNSUBSCRIBE, T1, "a1", Map.of()),
          ev("e2", EmailEventType.SPAM_REPORT, T1, "a2", Map.of()),
          ev("e3", EmailEventType.GROUP_UNSUBSCRIBE, T1, "a3", Map.of()),
          ev("e4", EmailEventType.GROUP_RESUBSCRIBE, T2, "a3", Map.of()),
          // the same second (SendGrid's timestamps have seconds): unsubscribe, then resubscribe
          ev("e5", EmailEventType.GROUP_UNSUBSCRIBE, T2, "a4", Map.of()),
          ev("e6", EmailEventType.GROUP_RESUBSCRIBE, T2, "a4", Map.of()),
          ev("e7", EmailEventType.BOUNCE, T1, "a5", Map.of("type", "bounce")),
          ev("e8", EmailEventType.DROPPED, T2, "a5", Map.of("reason", "Bounced Address")),
          ev("e9", EmailEventType.DROPPED, T1, "a6", Map.of("reason", "Invalid")),
          ev("e10", EmailEventType.BOUNCE, T1, "a6", Map.of("type", "blocked")));

  final SettableClock clock = SettableClock.of(NOW);

  static List<AddressSuppressions> state(SuppressionStore store) {
    return ADDRESSES.stream()
        .map(a -> EmailAddress.of(a + "@example.com"))
        .map(a -> store.find(ACME, a).orElse(AddressSuppressions.empty(ACME, a)))
        .toList();
  }

  SuppressionStore appliedOnce() {
    InMemorySuppressionStore store = InMemorySuppressionStore.of();
    SuppressionListener.builder(store, clock).build().onEvents(BATCH);
    return store;
  }

  @Test
  void applyingABatchTwiceEqualsApplyingItOnce() {
    SuppressionStore once = appliedOnce();
    InMemorySuppressionStore twice = InMemorySuppressionStore.of();
    SuppressionListener listener = SuppressionListener.builder(twice, clock).build();

    listener.onEvents(BATCH);
    clock.advance(Duration.ofMinutes(5)); // the replay comes later, as after a crash
    listener.onEvents(BATCH);

    assertThat(state(twice)).isEqualTo(state(once));
    assertThat(twice.list(ACME, 10))
        .extracting(a -> a.address().localPart())
        .containsExactly("a1", "a2", "a5", "a6");
    assertThat(twice.find(ACME, EmailAddress.of("a5@example.com")).orElseThrow().active())
        .hasSize(1);
  }

  @Test
  void applyingAPartThenTheWholeBatchEqualsApplyingItOnce() {
    SuppressionStore once = appliedOnce();
    for (int cut = 1; cut < BATCH.size(); cut++) {
      InMemorySuppressionStore replayed = InMemorySuppressionStore.of();
      SuppressionListener listener = SuppressionListener.builder(replayed, clock).build();
      listener.onEvents(BATCH.subList(0, cut));
      listener.onEvents(BATCH);
      // then one by one, as after a failure on the batch
      BATCH.forEach(e -> listener.onEvents(List.of(e)));

      assertThat(state(replayed)).as("cut after %d events", cut).isEqualTo(state(once));
    }
  }
}
