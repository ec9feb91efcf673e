package dev.steward.consent;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SuppressionListenerTest {
  static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  static final TenantId ACME = TenantId.of("acme");
  static final EmailAddress ANA = EmailAddress.of("ana@globex.example");

  final SettableClock clock = SettableClock.of(T0.plus(Duration.ofHours(1)));
  final InMemorySuppressionStore store = InMemorySuppressionStore.of();
  final SuppressionListener listener = SuppressionListener.builder(store, clock).build();

  /** An event naming only an address, as SendGrid's do. */
  static EmailEvent event(
      String id, EmailEventType type, TenantId tenant, String category, Map<String, String> attrs) {
    return EmailEvent.of(id, type, T0, ANA, null, tenant, null, null, category, attrs);
  }

  static EmailEvent event(String id, EmailEventType type) {
    return event(id, type, ACME, null, Map.of());
  }

  List<Suppression> active() {
    return store.find(ACME, ANA).map(AddressSuppressions::active).orElse(List.of());
  }

  @Test
  void anUnsubscribeNamingOnlyAnAddressSuppressesIt() {
    listener.onEvents(List.of(event("e1", EmailEventType.UNSUBSCRIBE)));

    assertThat(active())
        .containsExactly(
            Suppression.of(
                ACME,
                ANA,
                SuppressionReason.UNSUBSCRIBE,
                T0,
                SuppressionListener.SOURCE_UNSUBSCRIBE));
  }

  @Test
  void aSpamReportSuppressesTheAddress() {
    listener.onEvents(List.of(event("e1", EmailEventType.SPAM_REPORT)));

    assertThat(active())
        .extracting(Suppression::reason)
        .containsExactly(SuppressionReason.SPAM_REPORT);
  }

  @Test
  void aGroupUnsubscribeAndResubscribeChangeThatGroupOnly() {
    listener.onEvents(
        List.of(
            event("e1", EmailEventType.GROUP_UNSUBSCRIBE, ACME, "tips", Map.of()),
            event("e2", EmailEventType.GROUP_UNSUBSCRIBE, ACME, "offers", Map.of())));
    assertThat(active())
        .extracting(Suppression::category)
        .containsExactly(Optional.of("tips"), Optional.of("offers"));

    listener.onEvents(
        List.of(
            EmailEvent.of(
                "e3",
                EmailEventType.GROUP_RESUBSCRIBE,
                T0.plusSeconds(60),
                ANA,
                null,
                ACME,
                null,
                null,
                "tips",
                Map.of())));

    assertThat(active()).extracting(Suppression::category).containsExactly(Optional.of("offers"));
    Delisting d =
        store
            .find(ACME, ANA)
            .orElseThrow()
            .delisting(SuppressionReason.GROUP_UNSUBSCRIBE, Optional.of("tips"))
            .orElseThrow();
    assertThat(d.source()).isEqualTo(SuppressionListener.SOURCE_GROUP_RESUBSCRIBE);
    assertThat(d.note()).contains("e3");
  }

  @Test
  void aHardBounceSuppressesButABlockNever() {
    listener.onEvents(
        List.of(
            event("e1", EmailEventType.BOUNCE, ACME, null, Map.of("type", "blocked")),
            event("e2", EmailEventType.BLOCKED, ACME, null, Map.of())));
    assertThat(store.find(ACME, ANA)).isEmpty();
    assertThat(listener.eventsNotApplied()).isZero();

    listener.onEvents(
        List.of(event("e3", EmailEventType.BOUNCE, ACME, null, Map.of("type", "bounce"))));
    assertThat(active())
        .extracting(Suppression::reason, Suppression::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                SuppressionReason.HARD_BOUNCE, SuppressionListener.SOURCE_BOUNCE));
  }

  @ParameterizedTest
  @CsvSource({
    "Invalid, INVALID_ADDRESS",
    "Bounced Address, HARD_BOUNCE",
    "Spam Reporting Address, SPAM_REPORT",
    "Unsubscribed Address, UNSUBSCRIBE",
    "' invalid ', INVALID_ADDRESS"
  })
  void aDropForTheAddressSuppressesItForTheMatchingReason(
      String reason, SuppressionReason expected) {
    listener.onEvents(
        List.of(event("e1", EmailEventType.DROPPED, ACME, null, Map.of("reason", reason))));

    assertThat(active())
        .extracting(Suppression::reason, Suppression::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(expected, SuppressionListener.SOURCE_DROPPED));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Spam Content (if spam checker app enabled)",
        "Invalid SMTPAPI header",
        "Recipient List over Package Quota"
      })
  void aDropForTheMessageOrTheAccountDoesNotSuppress(String reason) {
    listener.onEvents(
        List.of(event("e1", EmailEventType.DROPPED, ACME, null, Map.of("reason", reason))));

    assertThat(store.find(ACME, ANA)).isEmpty();
    assertThat(listener.eventsNotApplied()).isZero();
  }

  @Test
  void eventsThatShouldHaveMatteredButCannotBeAppliedAreCounted() {
    listener.onEvents(
        List.of(
            event("e1", EmailEventType.DROPPED, ACME, null, Map.of("reason", "Something New")),
            event("e2", EmailEventType.DROPPED, ACME, null, Map.of()),
            event("e3", EmailEventType.BOUNCE, ACME, null, Map.of()),
            event("e4", EmailEventType.BOUNCE, ACME, null, Map.of("type", "soft")),
            event("e5", EmailEventType.GROUP_UNSUBSCRIBE, ACME, null, Map.of()),
            EmailEvent.of(
                "e6",
                EmailEventType.UNSUBSCRIBE,
                T0,
                null,
                null,
                ACME,
                null,
                ContactId.of("ana"),
                null,
                Map.of())));

    assertThat(listener.eventsNotApplied()).isEqualTo(6);
    assertThat(listener.eventsWithoutTenant()).isZero();
    assertThat(store.list(ACME, 10)).isEmpty();
  }

  @Test
  void anEventWithoutATenantIsCountedUnlessADefaultTenantIsSet() {
    EmailEvent noTenant = event("e1", EmailEventType.UNSUBSCRIBE, null, null, Map.of());

    listener.onEvents(List.of(noTenant));
    assertThat(listener.eventsWithoutTenant()).isEqualTo(1);
    assertThat(store.find(ACME, ANA)).isEmpty();

    SuppressionListener single =
        SuppressionListener.builder(store, clock).defaultTenant(ACME).build();
    single.onEvents(List.of(noTenant));
    assertThat(single.eventsWithoutTenant()).isZero();
    assertThat(active())
        .extracting(Suppression::reason)
        .containsExactly(SuppressionReason.UNSUBSCRIBE);
  }

  @Test
  void otherEventsChangeNothing() {
    listener.onEvents(
        List.of(
            event("e1", EmailEventType.DELIVERED),
            event("e2", EmailEventType.OPEN),
            event("e3", EmailEventType.CLICK),
            event("e4", EmailEventType.DEFERRED),
            event("e5", EmailEventType.PROCESSED)));

    assertThat(store.find(ACME, ANA)).isEmpty();
    assertThat(listener.eventsNotApplied()).isZero();
  }

  @Test
  void anEventDatedAheadOfTheClockIsDatedNow() {
    listener.onEvents(
        List.of(
            EmailEvent.of(
                "e1",
                EmailEventType.SPAM_REPORT,
                clock.instant().plusSeconds(120),
                ANA,
                null,
                ACME,
                null,
                null,
                null,
                Map.of())));

    assertThat(active()).extracting(Suppression::since).containsExactly(clock.instant());
  }
}
