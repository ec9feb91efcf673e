package dev.steward.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.ConsentRecord.Action;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
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

class ConsentEventListenerTest {
  static final TenantId T = TenantId.of("acme");
  static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");
  static final ContactId ANA = ContactId.of("ana");
  static final EmailAddress ANA_MAIL = EmailAddress.of("ana@globex.example");

  final SettableClock clock = SettableClock.of(T0.plus(Duration.ofHours(1)));
  final InMemoryConsentStore store = InMemoryConsentStore.of();
  final PreferenceCentre centre = PreferenceCentre.of(store, clock);
  final ConsentEventListener listener =
      ConsentEventListener.builder(centre)
          .resolver(
              (tenant, email) ->
                  tenant.equals(T) && email.equals(ANA_MAIL) ? Optional.of(ANA) : Optional.empty())
          .build();

  static EmailEvent event(String id, EmailEventType type, String category) {
    return EmailEvent.of(id, type, T0, null, null, T, null, ANA, category, Map.of());
  }

  static EmailEvent byEmail(String id, EmailEventType type, String email) {
    return EmailEvent.of(id, type, T0, EmailAddress.of(email), null, T, null, null, null, Map.of());
  }

  @Test
  void unsubscribeOptsOutOnceEvenWhenTheEventComesTwice() {
    EmailEvent unsubscribe = event("e1", EmailEventType.UNSUBSCRIBE, null);
    listener.onEvents(List.of(unsubscribe));
    listener.onEvents(List.of(unsubscribe));

    assertThat(centre.consent(T, ANA).optedOutAt()).contains(T0);
    assertThat(centre.records(T, ANA))
        .containsExactly(
            ConsentRecord.of(null, Action.WITHDRAWN, ConsentEventListener.SOURCE_UNSUBSCRIBE, T0));
  }

  @Test
  void spamReportOptsOutWithItsOwnSource() {
    listener.onEvents(List.of(event("e1", EmailEventType.SPAM_REPORT, "offers")));

    assertThat(centre.isOptedOut(T, ANA)).isTrue();
    assertThat(centre.records(T, ANA))
        .extracting(ConsentRecord::source)
        .containsExactly("provider:spam-report");
  }

  @Test
  void groupUnsubscribeAndResubscribeChangeTheCategory() {
    listener.onEvents(List.of(event("e1", EmailEventType.GROUP_UNSUBSCRIBE, "Tips")));
    assertThat(centre.isUnsubscribed(T, ANA, "tips")).isTrue();
    assertThat(centre.isOptedOut(T, ANA)).isFalse();

    clock.advance(Duration.ofHours(1));
    listener.onEvents(
        List.of(
            EmailEvent.of(
                "e2",
                EmailEventType.GROUP_RESUBSCRIBE,
                clock.instant(),
                null,
                null,
                T,
                null,
                ANA,
                "tips",
                Map.of())));
    assertThat(centre.isUnsubscribed(T, ANA, "tips")).isFalse();
    assertThat(centre.records(T, ANA))
        .extracting(r -> r.category().orElse(null), ConsentRecord::action, ConsentRecord::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "tips", Action.WITHDRAWN, "provider:group-unsubscribe"),
            org.assertj.core.groups.Tuple.tuple(
                "tips", Action.GRANTED, "provider:group-resubscribe"));

    // the unsubscribe event delivered again must not undo the later resubscribe
    listener.onEvents(List.of(event("e1", EmailEventType.GROUP_UNSUBSCRIBE, "tips")));
    assertThat(centre.isUnsubscribed(T, ANA, "tips")).isFalse();
  }

  @Test
  void resolvesEventsThatNameOnlyAnEmailAndSkipsUnknownOnes() {
    listener.onEvents(
        List.of(
            byEmail("e1", EmailEventType.UNSUBSCRIBE, "stranger@elsewhere.example"),
            byEmail("e2", EmailEventType.UNSUBSCRIBE, "ana@globex.example")));

    assertThat(centre.isOptedOut(T, ANA)).isTrue();
    assertThat(store.find(T, ContactId.of("stranger"))).isEmpty();
  }

  @Test
  void withoutAResolverEmailOnlyEventsChangeNothing() {
    ConsentEventListener.builder(centre)
        .build()
        .onEvents(List.of(byEmail("e1", EmailEventType.SPAM_REPORT, "ana@globex.example")));
    assertThat(store.find(T, ANA)).isEmpty();
  }

  @Test
  void ignoresOtherEventsAndGroupEventsWithoutCategory() {
    listener.onEvents(
        List.of(
            event("e1", EmailEventType.DELIVERED, "tips"),
            event("e2", EmailEventType.CLICK, "tips"),
            event("e3", EmailEventType.GROUP_UNSUBSCRIBE, null)));
    assertThat(store.find(T, ANA)).isEmpty();
  }

  @Test
  void anEventDatedAheadOfTheClockIsRecordedAtNow() {
    Instant ahead = clock.instant().plus(Duration.ofMinutes(2));
    listener.onEvents(
        List.of(
            EmailEvent.of(
                "e1",
                EmailEventType.UNSUBSCRIBE,
                ahead,
                null,
                null,
                T,
                null,
                ANA,
                null,
                Map.of())));
    assertThat(centre.consent(T, ANA).optedOutAt()).contains(clock.instant());
  }

  @Test
  void anEventWithoutATenantIsCountedAndSkippedUnlessADefaultIsSet() {
    EmailEvent noTenant = EmailEvent.of("e1", EmailEventType.UNSUBSCRIBE, T0, ANA, null);
    listener.onEvents(List.of(noTenant));

    assertThat(listener.eventsWithoutTenant()).isEqualTo(1);
    assertThat(store.find(T, ANA)).isEmpty();

    ConsentEventListener single = ConsentEventListener.builder(centre).defaultTenant(T).build();
    single.onEvents(List.of(noTenant));
    assertThat(single.eventsWithoutTenant()).isZero();
    assertThat(centre.isOptedOut(T, ANA)).isTrue();
  }

  @Test
  void anEventOfOneTenantNeverChangesTheSameContactIdOfAnother() {
    TenantId other = TenantId.of("globex");
    listener.onEvents(
        List.of(
            EmailEvent.of(
                "e1", EmailEventType.UNSUBSCRIBE, T0, null, null, other, null, ANA, null, Map.of()),
            byEmail("e2", EmailEventType.SPAM_REPORT, "ana@globex.example")));

    assertThat(centre.isOptedOut(other, ANA)).isTrue();
    assertThat(centre.records(T, ANA))
        .extracting(ConsentRecord::source)
        .containsExactly(ConsentEventListener.SOURCE_SPAM_REPORT);
    assertThat(centre.records(other, ANA))
        .extracting(ConsentRecord::source)
        .containsExactly(ConsentEventListener.SOURCE_UNSUBSCRIBE);
  }
}
