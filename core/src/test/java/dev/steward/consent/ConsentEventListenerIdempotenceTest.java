package dev.steward.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Events are applied at least once (EmailEventListener): applying a batch again, or a batch after a
 * part of it, must leave consent as applying it once does, evidence records included.
 */
class ConsentEventListenerIdempotenceTest {
  static final TenantId T = TenantId.of("acme");
  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  static final Instant T1 = NOW.minus(Duration.ofHours(2));
  static final Instant T2 = NOW.minus(Duration.ofHours(1));
  static final List<String> CONTACTS = List.of("c1", "c2", "c3", "c4", "c5", "c6");

  static EmailEvent ev(String id, EmailEventType type, Instant at, String contact) {
    return EmailEvent.of(
        id, type, at, null, null, T, null, ContactId.of(contact), "offers", java.util.Map.of());
  }

  static final List<EmailEvent> BATCH =
      List.of(
          ev("e1", EmailEventType.UNSUBSCRIBE, T1, "c1"),
          ev("e2", EmailEventType.SPAM_REPORT, T1, "c2"),
          ev("e3", EmailEventType.GROUP_RESUBSCRIBE, T1, "c3"),
          ev("e4", EmailEventType.GROUP_UNSUBSCRIBE, T2, "c3"),
          // the same second (SendGrid's timestamps have seconds): unsubscribe, then resubscribe
          ev("e5", EmailEventType.GROUP_UNSUBSCRIBE, T2, "c4"),
          ev("e6", EmailEventType.GROUP_RESUBSCRIBE, T2, "c4"),
          // a provider clock ahead of ours: EventIngestor.accept dates such an event at its
          // acceptance, so the listener gets it dated no later than that
          ev("e7", EmailEventType.GROUP_UNSUBSCRIBE, NOW, "c5"),
          ev("e9", EmailEventType.DELIVERED, T1, "c6"));

  final SettableClock clock = SettableClock.of(NOW);

  PreferenceCentre centre() {
    return PreferenceCentre.of(InMemoryConsentStore.of(), clock);
  }

  static List<ContactConsent> state(PreferenceCentre centre) {
    return CONTACTS.stream().map(c -> centre.consent(T, ContactId.of(c))).toList();
  }

  @Test
  void applyingABatchTwiceEqualsApplyingItOnce() {
    PreferenceCentre once = centre();
    ConsentEventListener.builder(once).build().onEvents(BATCH);
    PreferenceCentre twice = centre();
    ConsentEventListener listener = ConsentEventListener.builder(twice).build();

    listener.onEvents(BATCH);
    clock.advance(Duration.ofMinutes(5)); // the replay comes later, as after a crash
    listener.onEvents(BATCH);

    assertThat(state(twice)).isEqualTo(state(once));
    assertThat(twice.isOptedOut(T, ContactId.of("c1"))).isTrue();
    assertThat(twice.isUnsubscribed(T, ContactId.of("c3"), "offers")).isTrue();
  }

  @Test
  void applyingAPartThenTheWholeBatchEqualsApplyingItOnce() {
    PreferenceCentre once = centre();
    ConsentEventListener.builder(once).build().onEvents(BATCH);
    for (int cut = 1; cut < BATCH.size(); cut++) {
      PreferenceCentre replayed = centre();
      ConsentEventListener listener = ConsentEventListener.builder(replayed).build();
      listener.onEvents(BATCH.subList(0, cut));
      listener.onEvents(BATCH);
      // then one by one, as after a failure on the batch
      BATCH.forEach(e -> listener.onEvents(List.of(e)));

      assertThat(state(replayed)).as("cut after %d events", cut).isEqualTo(state(once));
    }
  }
}
