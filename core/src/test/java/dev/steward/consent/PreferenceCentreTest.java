package dev.steward.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.consent.ConsentRecord.Action;
import dev.steward.model.ContactId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PreferenceCentreTest {
  static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");
  static final ContactId ANA = ContactId.of("ana");

  final SettableClock clock = new SettableClock(T0);
  final InMemoryConsentStore store = new InMemoryConsentStore();
  final PreferenceCentre centre = PreferenceCentre.create(store, clock);

  @Test
  void optOutIsRecordedOnceWithItsSource() {
    centre.optOut(ANA, "preference-centre");
    clock.advance(Duration.ofHours(1));
    ContactConsent again = centre.optOut(ANA, "provider:unsubscribe");

    assertThat(again.optedOutAt()).isEqualTo(T0);
    assertThat(centre.isOptedOut(ANA)).isTrue();
    assertThat(centre.records(ANA))
        .containsExactly(new ConsentRecord(null, Action.WITHDRAWN, "preference-centre", T0));
  }

  @Test
  void optInAfterOptOutClearsItAndKeepsBothRecords() {
    centre.optOut(ANA, "preference-centre");
    clock.advance(Duration.ofDays(2));
    centre.optIn(ANA, "preference-centre");
    centre.optIn(ANA, "preference-centre");

    assertThat(centre.isOptedOut(ANA)).isFalse();
    assertThat(centre.records(ANA))
        .extracting(ConsentRecord::action, ConsentRecord::at)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Action.WITHDRAWN, T0),
            org.assertj.core.groups.Tuple.tuple(Action.GRANTED, T0.plus(Duration.ofDays(2))));
  }

  @Test
  void staleOptOutDoesNotUndoALaterOptIn() {
    centre.optOut(ANA, "provider:unsubscribe", T0);
    clock.advance(Duration.ofDays(1));
    centre.optIn(ANA, "preference-centre");
    // the provider delivers the same unsubscribe event again after a failed batch
    centre.optOut(ANA, "provider:unsubscribe", T0);

    assertThat(centre.isOptedOut(ANA)).isFalse();
    assertThat(centre.records(ANA)).hasSize(2);
  }

  @Test
  void categoriesCarryFrequenciesAndUnsubscribesAreRemembered() {
    centre.subscribe(ANA, "Product-Updates", Frequency.MONTHLY, "signup-form");
    centre.subscribe(ANA, "tips", Frequency.WEEKLY, "signup-form");
    centre.chooseFrequency(ANA, "check-ins", Frequency.QUARTERLY);
    centre.unsubscribe(ANA, "tips", "preference-centre");

    assertThat(centre.frequencies(ANA))
        .containsExactly(
            Map.entry("check-ins", Frequency.QUARTERLY),
            Map.entry("product-updates", Frequency.MONTHLY));
    assertThat(centre.isUnsubscribed(ANA, "tips")).isTrue();
    assertThat(centre.isUnsubscribed(ANA, "product-updates")).isFalse();
    assertThat(centre.frequency(ANA, "tips")).contains(Frequency.WEEKLY);
    // a frequency choice is a preference, not evidence: only subscribe and unsubscribe record
    assertThat(centre.records(ANA))
        .extracting(ConsentRecord::category, ConsentRecord::action)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("product-updates", Action.GRANTED),
            org.assertj.core.groups.Tuple.tuple("tips", Action.GRANTED),
            org.assertj.core.groups.Tuple.tuple("tips", Action.WITHDRAWN));
  }

  @Test
  void resubscribingKeepsTheChosenFrequency() {
    centre.subscribe(ANA, "tips", Frequency.WEEKLY, "signup-form");
    centre.unsubscribe(ANA, "tips", "preference-centre");
    centre.unsubscribe(ANA, "tips", "preference-centre");
    centre.subscribe(ANA, "tips", "preference-centre");
    centre.subscribe(ANA, "tips", "preference-centre");

    assertThat(centre.frequencies(ANA)).containsExactly(Map.entry("tips", Frequency.WEEKLY));
    assertThat(centre.records(ANA))
        .extracting(ConsentRecord::action)
        .containsExactly(Action.GRANTED, Action.WITHDRAWN, Action.GRANTED);
  }

  @Test
  void doubleOptInRecordsTheConfirmationTime() {
    centre.requestConsent(ANA, "newsletter", "signup-form");
    assertThat(centre.isConfirmed(ANA, "newsletter")).isFalse();

    clock.advance(Duration.ofMinutes(30));
    Instant clicked = T0.plus(Duration.ofMinutes(12));
    centre.confirmConsent(ANA, "newsletter", clicked);
    centre.confirmConsent(ANA, "newsletter", clicked);

    assertThat(centre.isConfirmed(ANA, "newsletter")).isTrue();
    assertThat(centre.records(ANA))
        .containsExactly(
            new ConsentRecord("newsletter", Action.GRANTED, "signup-form", T0),
            new ConsentRecord(
                "newsletter", Action.CONFIRMED, PreferenceCentre.DOUBLE_OPT_IN_SOURCE, clicked));
  }

  @Test
  void confirmationKeepsRecordsInTimeOrder() {
    centre.requestConsent(ANA, "newsletter", "signup-form");
    clock.advance(Duration.ofMinutes(20));
    centre.subscribe(ANA, "tips", "signup-form");
    centre.confirmConsent(ANA, "newsletter", T0.plus(Duration.ofMinutes(5)));

    assertThat(centre.records(ANA))
        .extracting(ConsentRecord::at)
        .isSorted()
        .containsExactly(T0, T0.plus(Duration.ofMinutes(5)), T0.plus(Duration.ofMinutes(20)));
  }

  @Test
  void confirmingWithoutARequestOrAfterWithdrawalIsRefused() {
    assertThatThrownBy(() -> centre.confirmConsent(ANA, "newsletter", T0))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("no consent request");
    assertThat(store.find(ANA)).isEmpty();

    centre.requestConsent(ANA, "newsletter", "signup-form");
    centre.unsubscribe(ANA, "newsletter", "preference-centre");
    ContactConsent before = store.find(ANA).orElseThrow();
    assertThatThrownBy(() -> centre.confirmConsent(ANA, "newsletter", T0))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("withdrawn");
    assertThat(store.find(ANA)).contains(before);
  }

  @Test
  void confirmationBeforeTheRequestOrInTheFutureIsRefused() {
    clock.advance(Duration.ofHours(1));
    centre.requestConsent(ANA, "newsletter", "signup-form");
    ContactConsent before = store.find(ANA).orElseThrow();

    assertThatThrownBy(() -> centre.confirmConsent(ANA, "newsletter", T0))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("before the consent request");
    assertThatThrownBy(() -> centre.confirmConsent(ANA, "newsletter", T0.plus(Duration.ofHours(2))))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("at ")
        .hasMessageContaining("in the future");
    assertThat(store.find(ANA)).contains(before);
  }

  @Test
  void badInputNamesTheFieldAndStoresNothing() {
    assertThatThrownBy(() -> centre.optOut(ANA, "  "))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("source");
    assertThatThrownBy(() -> centre.optOut(null, "form"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("contact");
    assertThatThrownBy(() -> centre.subscribe(ANA, "Tips & Tricks", "form"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("category");
    assertThatThrownBy(() -> centre.unsubscribe(ANA, "", "form"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("category");
    assertThatThrownBy(() -> centre.subscribe(ANA, "tips", null, "form"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("frequency");
    assertThatThrownBy(() -> centre.requestConsent(ANA, "tips", "a\u0000b"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("source");
    assertThatThrownBy(() -> centre.optOut(ANA, "form", T0.plusSeconds(1)))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("in the future");

    assertThat(store.find(ANA)).isEmpty();
  }

  @Test
  void eraseDeletesConsentAndRunsEveryListenerEvenWhenOneFails() {
    List<String> erased = new ArrayList<>();
    PreferenceCentre withListeners =
        PreferenceCentre.builder(store)
            .clock(clock)
            .erasureListener(c -> erased.add("queue:" + c))
            .erasureListener(
                c -> {
                  throw new IllegalStateException("calendar down");
                })
            .erasureListener(c -> erased.add("calendar:" + c))
            .build();
    withListeners.optOut(ANA, "form");

    assertThatThrownBy(() -> withListeners.erase(ANA))
        .isInstanceOf(ErasureException.class)
        .hasMessageContaining("1 of 3")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    assertThat(erased).containsExactly("queue:ana", "calendar:ana");
    assertThat(store.find(ANA)).isEmpty();
    assertThat(withListeners.consent(ANA)).isEqualTo(ContactConsent.empty(ANA));
  }

  @Test
  void eraseReportsWhetherConsentExisted() {
    List<ContactId> erased = new ArrayList<>();
    PreferenceCentre c =
        PreferenceCentre.builder(store).clock(clock).erasureListener(erased::add).build();
    assertThat(c.erase(ANA)).isFalse();
    c.subscribe(ANA, "tips", "form");
    assertThat(c.erase(ANA)).isTrue();
    assertThat(erased).containsExactly(ANA, ANA);
    assertThat(c.frequency(ANA, "tips")).isEqualTo(Optional.empty());
  }
}
