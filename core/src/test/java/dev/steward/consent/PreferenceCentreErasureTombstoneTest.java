package dev.steward.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.ConsentRecord.Action;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An erased contact is kept as a tombstone (its erasure time, nothing else), so that changes that
 * happened before the erasure (provider events accepted before it and applied after it) cannot
 * bring the person back.
 */
class PreferenceCentreErasureTombstoneTest {
  static final TenantId T = TenantId.of("acme");
  static final TenantId OTHER = TenantId.of("globex");
  static final ContactId ANA = ContactId.of("ana");
  static final Instant BEFORE = Instant.parse("2024-03-01T09:00:00Z");
  static final Instant ERASED = BEFORE.plus(Duration.ofHours(1));

  final SettableClock clock = SettableClock.of(BEFORE);
  final InMemoryConsentStore store = InMemoryConsentStore.of();
  final PreferenceCentre centre = PreferenceCentre.of(store, clock);

  private void eraseAtErasedTime() {
    clock.set(ERASED);
    centre.erase(T, ANA);
  }

  @Test
  void erasureKeepsOnlyTheErasureTime() {
    centre.subscribe(T, ANA, "tips", Frequency.WEEKLY, "signup-form");
    centre.optOut(T, ANA, "preference-centre");
    clock.set(ERASED);

    assertThat(centre.erase(T, ANA)).isTrue();

    ContactConsent tombstone = ContactConsent.tombstone(T, ANA, ERASED);
    assertThat(store.find(T, ANA)).contains(tombstone);
    assertThat(tombstone.erasedAt()).contains(ERASED);
    assertThat(tombstone.optedOutAt()).isEmpty();
    assertThat(tombstone.subscriptions()).isEmpty();
    assertThat(tombstone.records()).isEmpty();
    assertThat(ContactConsent.empty(T, ANA).erasedAt()).isEmpty();
    // queries see nothing said
    assertThat(centre.isOptedOut(T, ANA)).isFalse();
    assertThat(centre.isUnsubscribed(T, ANA, "tips")).isFalse();
    assertThat(centre.records(T, ANA)).isEmpty();
    assertThat(centre.frequencies(T, ANA)).isEmpty();
    assertThat(centre.frequency(T, ANA, "tips")).isEmpty();
  }

  @Test
  void erasingAContactTheStoreNeverKnewStillLeavesATombstone() {
    clock.set(ERASED);

    assertThat(centre.erase(T, ANA)).as("nothing was there").isFalse();

    assertThat(store.find(T, ANA)).contains(ContactConsent.tombstone(T, ANA, ERASED));
    assertThat(store.find(OTHER, ANA)).as("only this tenant's contact").isEmpty();
    assertThat(centre.erase(T, ANA)).as("a tombstone is not consent").isFalse();
  }

  @Test
  void everyChangeThatHappenedAtOrBeforeTheErasureIsIgnored() {
    eraseAtErasedTime();
    ContactConsent tombstone = ContactConsent.tombstone(T, ANA, ERASED);

    for (Instant at : List.of(BEFORE, ERASED)) {
      assertThat(centre.optOut(T, ANA, "provider:unsubscribe", at)).isEqualTo(tombstone);
      assertThat(centre.optIn(T, ANA, "import", at)).isEqualTo(tombstone);
      assertThat(centre.subscribe(T, ANA, "tips", "provider:group-resubscribe", at))
          .isEqualTo(tombstone);
      assertThat(centre.unsubscribe(T, ANA, "tips", "provider:group-unsubscribe", at))
          .isEqualTo(tombstone);
      assertThat(centre.confirmConsent(T, ANA, "tips", at)).isEqualTo(tombstone);
    }

    assertThat(store.find(T, ANA)).contains(tombstone);
  }

  @Test
  void aChangeAfterTheErasureAppliesAndOlderLateEventsStayIgnored() {
    eraseAtErasedTime();
    Instant signsUpAgain = ERASED.plusSeconds(60);
    clock.set(signsUpAgain.plusSeconds(60));

    ContactConsent back = centre.subscribe(T, ANA, "tips", "signup-form", signsUpAgain);

    assertThat(back.erasedAt()).as("the tombstone's time is kept").contains(ERASED);
    assertThat(back.records())
        .containsExactly(ConsentRecord.of("tips", Action.GRANTED, "signup-form", signsUpAgain));
    // a late unsubscribe from before the erasure still cannot touch the new consent
    centre.unsubscribe(T, ANA, "tips", "provider:group-unsubscribe", BEFORE);
    centre.optOut(T, ANA, "provider:unsubscribe", ERASED);
    assertThat(centre.consent(T, ANA)).isEqualTo(back);
    // and a newer one applies, still keeping the erasure time
    ContactConsent out = centre.optOut(T, ANA, "provider:unsubscribe", signsUpAgain.plusSeconds(1));
    assertThat(out.optedOut()).isTrue();
    assertThat(out.erasedAt()).contains(ERASED);
  }

  @Test
  void changesDatedByTheCentresClockAreTheApplicationActingNowAndApply() {
    eraseAtErasedTime(); // the clock stays at the erasure instant

    centre.requestConsent(T, ANA, "tips", "signup-form");
    centre.chooseFrequency(T, ANA, "tips", Frequency.MONTHLY);
    centre.optOut(T, ANA, "preference-centre");

    ContactConsent c = centre.consent(T, ANA);
    assertThat(c.erasedAt()).contains(ERASED);
    assertThat(c.optedOut()).isTrue();
    assertThat(c.subscription("tips")).map(Subscription::frequency).contains(Frequency.MONTHLY);
    assertThat(c.records()).extracting(ConsentRecord::source).contains("signup-form");
  }

  @Test
  void erasingAgainMovesTheTombstoneForwardNeverBack() {
    eraseAtErasedTime();
    Instant again = ERASED.plus(Duration.ofDays(1));
    clock.set(again);
    centre.subscribe(T, ANA, "tips", "signup-form");

    assertThat(centre.erase(T, ANA)).isTrue();
    assertThat(centre.consent(T, ANA)).isEqualTo(ContactConsent.tombstone(T, ANA, again));

    clock.set(ERASED); // an instance whose clock is behind
    centre.erase(T, ANA);
    assertThat(centre.consent(T, ANA).erasedAt()).contains(again);
  }

  @Test
  void erasingTheTenantRemovesItsTombstones() {
    eraseAtErasedTime();
    centre.erase(OTHER, ANA);

    assertThat(centre.eraseTenant(T)).isEqualTo(1);

    assertThat(store.find(T, ANA)).isEmpty();
    assertThat(store.find(OTHER, ANA)).contains(ContactConsent.tombstone(OTHER, ANA, ERASED));
  }

  @Test
  void aProviderEventAcceptedBeforeTheErasureAndAppliedAfterItIsIgnored() {
    ConsentEventListener listener = ConsentEventListener.builder(centre).build();
    List<EmailEvent> batch =
        List.of(
            EmailEvent.of(
                "e1",
                EmailEventType.GROUP_RESUBSCRIBE,
                BEFORE,
                null,
                null,
                T,
                null,
                ANA,
                "tips",
                Map.of()),
            EmailEvent.of(
                "e2", EmailEventType.UNSUBSCRIBE, ERASED, null, null, T, null, ANA, null, Map.of()),
            EmailEvent.of(
                "e3",
                EmailEventType.SPAM_REPORT,
                BEFORE,
                null,
                null,
                T,
                null,
                ANA,
                null,
                Map.of()));
    eraseAtErasedTime();
    clock.advance(Duration.ofMinutes(5));

    listener.onEvents(batch);

    assertThat(centre.consent(T, ANA)).isEqualTo(ContactConsent.tombstone(T, ANA, ERASED));
    assertThat(centre.records(T, ANA)).isEmpty();
  }

  @Test
  void aContactNeverErasedHasNoErasureTime() {
    assertThat(store.find(T, ANA)).isEqualTo(Optional.empty());
    assertThat(centre.consent(T, ANA)).isEqualTo(ContactConsent.empty(T, ANA));
    assertThat(centre.consent(T, ANA).erasedAt()).isEmpty();
  }
}
