package dev.steward.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.consent.ConsentRecord.Action;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PreferenceCentreTest {
  static final TenantId T = TenantId.of("acme");
  static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");
  static final ContactId ANA = ContactId.of("ana");

  final SettableClock clock = SettableClock.of(T0);
  final InMemoryConsentStore store = InMemoryConsentStore.of();
  final PreferenceCentre centre = PreferenceCentre.of(store, clock);

  @Test
  void optOutIsRecordedOnceWithItsSource() {
    centre.optOut(T, ANA, "preference-centre");
    clock.advance(Duration.ofHours(1));
    ContactConsent again = centre.optOut(T, ANA, "provider:unsubscribe");

    assertThat(again.optedOutAt()).contains(T0);
    assertThat(centre.isOptedOut(T, ANA)).isTrue();
    assertThat(centre.records(T, ANA))
        .containsExactly(ConsentRecord.of(null, Action.WITHDRAWN, "preference-centre", T0));
  }

  @Test
  void optInAfterOptOutClearsItAndKeepsBothRecords() {
    centre.optOut(T, ANA, "preference-centre");
    clock.advance(Duration.ofDays(2));
    centre.optIn(T, ANA, "preference-centre");
    centre.optIn(T, ANA, "preference-centre");

    assertThat(centre.isOptedOut(T, ANA)).isFalse();
    assertThat(centre.records(T, ANA))
        .extracting(ConsentRecord::action, ConsentRecord::at)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Action.WITHDRAWN, T0),
            org.assertj.core.groups.Tuple.tuple(Action.GRANTED, T0.plus(Duration.ofDays(2))));
  }

  @Test
  void staleOptOutDoesNotUndoALaterOptIn() {
    centre.optOut(T, ANA, "provider:unsubscribe", T0);
    clock.advance(Duration.ofDays(1));
    centre.optIn(T, ANA, "preference-centre");
    // the provider delivers the same unsubscribe event again after a failed batch
    centre.optOut(T, ANA, "provider:unsubscribe", T0);

    assertThat(centre.isOptedOut(T, ANA)).isFalse();
    assertThat(centre.records(T, ANA)).hasSize(2);
  }

  @Test
  void categoriesCarryFrequenciesAndUnsubscribesAreRemembered() {
    centre.subscribe(T, ANA, "Product-Updates", Frequency.MONTHLY, "signup-form");
    centre.subscribe(T, ANA, "tips", Frequency.WEEKLY, "signup-form");
    centre.chooseFrequency(T, ANA, "check-ins", Frequency.QUARTERLY);
    centre.unsubscribe(T, ANA, "tips", "preference-centre");

    assertThat(centre.frequencies(T, ANA))
        .containsExactly(
            Map.entry("check-ins", Frequency.QUARTERLY),
            Map.entry("product-updates", Frequency.MONTHLY));
    assertThat(centre.isUnsubscribed(T, ANA, "tips")).isTrue();
    assertThat(centre.isUnsubscribed(T, ANA, "product-updates")).isFalse();
    assertThat(centre.frequency(T, ANA, "tips")).contains(Frequency.WEEKLY);
    // a frequency choice is a preference, not evidence: only subscribe and unsubscribe record
    assertThat(centre.records(T, ANA))
        .extracting(r -> r.category().orElse(null), ConsentRecord::action)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("product-updates", Action.GRANTED),
            org.assertj.core.groups.Tuple.tuple("tips", Action.GRANTED),
            org.assertj.core.groups.Tuple.tuple("tips", Action.WITHDRAWN));
  }

  @Test
  void resubscribingKeepsTheChosenFrequency() {
    centre.subscribe(T, ANA, "tips", Frequency.WEEKLY, "signup-form");
    centre.unsubscribe(T, ANA, "tips", "preference-centre");
    centre.unsubscribe(T, ANA, "tips", "preference-centre");
    centre.subscribe(T, ANA, "tips", "preference-centre");
    centre.subscribe(T, ANA, "tips", "preference-centre");

    assertThat(centre.frequencies(T, ANA)).containsExactly(Map.entry("tips", Frequency.WEEKLY));
    assertThat(centre.records(T, ANA))
        .extracting(ConsentRecord::action)
        .containsExactly(Action.GRANTED, Action.WITHDRAWN, Action.GRANTED);
  }

  @Test
  void doubleOptInRecordsTheConfirmationTime() {
    centre.requestConsent(T, ANA, "newsletter", "signup-form");
    assertThat(centre.isConfirmed(T, ANA, "newsletter")).isFalse();

    clock.advance(Duration.ofMinutes(30));
    Instant clicked = T0.plus(Duration.ofMinutes(12));
    centre.confirmConsent(T, ANA, "newsletter", clicked);
    centre.confirmConsent(T, ANA, "newsletter", clicked);

    assertThat(centre.isConfirmed(T, ANA, "newsletter")).isTrue();
    assertThat(centre.records(T, ANA))
        .containsExactly(
            ConsentRecord.of("newsletter", Action.GRANTED, "signup-form", T0),
            ConsentRecord.of(
                "newsletter", Action.CONFIRMED, PreferenceCentre.DOUBLE_OPT_IN_SOURCE, clicked));
  }

  @Test
  void confirmationKeepsRecordsInTimeOrder() {
    centre.requestConsent(T, ANA, "newsletter", "signup-form");
    clock.advance(Duration.ofMinutes(20));
    centre.subscribe(T, ANA, "tips", "signup-form");
    centre.confirmConsent(T, ANA, "newsletter", T0.plus(Duration.ofMinutes(5)));

    assertThat(centre.records(T, ANA))
        .extracting(ConsentRecord::at)
        .isSorted()
        .containsExactly(T0, T0.plus(Duration.ofMinutes(5)), T0.plus(Duration.ofMinutes(20)));
  }

  @Test
  void confirmingWithoutARequestOrAfterWithdrawalIsRefused() {
    assertThatThrownBy(() -> centre.confirmConsent(T, ANA, "newsletter", T0))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("no consent request");
    assertThat(store.find(T, ANA)).isEmpty();

    centre.requestConsent(T, ANA, "newsletter", "signup-form");
    centre.unsubscribe(T, ANA, "newsletter", "preference-centre");
    ContactConsent before = store.find(T, ANA).orElseThrow();
    assertThatThrownBy(() -> centre.confirmConsent(T, ANA, "newsletter", T0))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("withdrawn");
    assertThat(store.find(T, ANA)).contains(before);
  }

  @Test
  void confirmationBeforeTheRequestOrInTheFutureIsRefused() {
    clock.advance(Duration.ofHours(1));
    centre.requestConsent(T, ANA, "newsletter", "signup-form");
    ContactConsent before = store.find(T, ANA).orElseThrow();

    assertThatThrownBy(() -> centre.confirmConsent(T, ANA, "newsletter", T0))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("before the consent request");
    assertThatThrownBy(
            () -> centre.confirmConsent(T, ANA, "newsletter", T0.plus(Duration.ofHours(2))))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("at ")
        .hasMessageContaining("in the future");
    assertThat(store.find(T, ANA)).contains(before);
  }

  @Test
  void badInputNamesTheFieldAndStoresNothing() {
    assertThatThrownBy(() -> centre.optOut(T, ANA, "  "))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("source");
    assertThatThrownBy(() -> centre.optOut(T, null, "form"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("contact");
    assertThatThrownBy(() -> centre.subscribe(T, ANA, "Tips & Tricks", "form"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("category");
    assertThatThrownBy(() -> centre.unsubscribe(T, ANA, "", "form"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("category");
    assertThatThrownBy(() -> centre.subscribe(T, ANA, "tips", null, "form"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("frequency");
    assertThatThrownBy(() -> centre.requestConsent(T, ANA, "tips", "a\u0000b"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("source");
    assertThatThrownBy(() -> centre.optOut(T, ANA, "form", T0.plusSeconds(1)))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("in the future");

    assertThat(store.find(T, ANA)).isEmpty();
  }

  @Test
  void eraseDeletesConsentAndRunsEveryListenerEvenWhenOneFails() {
    List<String> erased = new ArrayList<>();
    PreferenceCentre withListeners =
        PreferenceCentre.builder(store, clock)
            .erasureListener((t, c) -> erased.add("queue:" + t + "/" + c))
            .erasureListener(
                (t, c) -> {
                  throw new IllegalStateException("calendar down");
                })
            .erasureListener((t, c) -> erased.add("calendar:" + t + "/" + c))
            .build();
    withListeners.optOut(T, ANA, "form");

    assertThatThrownBy(() -> withListeners.erase(T, ANA))
        .isInstanceOf(ErasureException.class)
        .hasMessageContaining("1 of 3")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    assertThat(erased).containsExactly("queue:acme/ana", "calendar:acme/ana");
    assertThat(store.find(T, ANA)).contains(ContactConsent.tombstone(T, ANA, T0));
    assertThat(withListeners.consent(T, ANA)).isEqualTo(ContactConsent.tombstone(T, ANA, T0));
  }

  @Test
  void eraseReportsWhetherConsentExisted() {
    List<ContactId> erased = new ArrayList<>();
    PreferenceCentre c =
        PreferenceCentre.builder(store, clock).erasureListener((t, id) -> erased.add(id)).build();
    assertThat(c.erase(T, ANA)).isFalse();
    c.subscribe(T, ANA, "tips", "form");
    assertThat(c.erase(T, ANA)).isTrue();
    assertThat(erased).containsExactly(ANA, ANA);
    assertThat(c.frequency(T, ANA, "tips")).isEqualTo(Optional.empty());
  }

  @Test
  void theSameContactIdUnderTwoTenantsIsTwoContacts() {
    TenantId other = TenantId.of("globex");
    centre.optOut(T, ANA, "preference-centre");
    centre.subscribe(other, ANA, "tips", Frequency.WEEKLY, "signup-form");

    assertThat(centre.isOptedOut(T, ANA)).isTrue();
    assertThat(centre.isOptedOut(other, ANA)).isFalse();
    assertThat(centre.frequencies(T, ANA)).isEmpty();
    assertThat(centre.frequencies(other, ANA)).containsExactly(Map.entry("tips", Frequency.WEEKLY));

    assertThat(centre.erase(other, ANA)).isTrue();
    assertThat(centre.isOptedOut(T, ANA)).isTrue();
    assertThat(centre.records(other, ANA)).isEmpty();
  }

  @Test
  void eraseTenantRemovesEveryContactOfThatTenantOnly() {
    TenantId other = TenantId.of("globex");
    centre.optOut(T, ANA, "form");
    centre.optOut(T, ContactId.of("bo"), "form");
    centre.optOut(other, ANA, "form");

    assertThat(centre.eraseTenant(T)).isEqualTo(2);
    assertThat(centre.eraseTenant(T)).isZero();
    assertThat(centre.isOptedOut(T, ANA)).isFalse();
    assertThat(centre.isOptedOut(other, ANA)).isTrue();
    assertThatThrownBy(() -> centre.eraseTenant(null))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("tenant");
  }
}
