package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CommunicationCalendar;
import dev.steward.calendar.InMemoryCalendarStore;
import dev.steward.consent.ContactConsent;
import dev.steward.consent.InMemoryConsentStore;
import dev.steward.consent.PreferenceCentre;
import dev.steward.delivery.Dispatcher;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.frequency.SubjectKey;
import dev.steward.frequency.Window;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Erasing a contact in the preference centre reaches every store that holds data about them. */
class ContactErasureTest {

  @Test
  void erasureRemovesConsentDeferredMailCalendarAndCapHistory() {
    SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));
    ContactId ada = ContactId.of("ada");
    ContactId bob = ContactId.of("bob");
    InMemoryConsentStore consent = InMemoryConsentStore.of();
    TenantId tenant = TenantId.of("isv-tenant");
    Dispatcher dispatcher = Dispatcher.builder(RecordingTransport.of(), clock).build();
    InMemoryCapLedgerStore capLedger = InMemoryCapLedgerStore.of();
    CommunicationCalendar calendar =
        CommunicationCalendar.builder(InMemoryCalendarStore.of(), clock).build();
    PreferenceCentre centre =
        PreferenceCentre.builder(consent, clock)
            .erasureListener((t, c) -> dispatcher.workStore().cancelSubject(t, c.value()))
            .erasureListener((t, c) -> calendar.erase(t, c))
            .erasureListener((t, c) -> capLedger.erase(SubjectKey.contact(t, c)))
            .build();
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(capLedger, clock)
            .policy(CapPolicy.builder().cap(Cap.perContact(5, Window.week())).build())
            .build();
    for (ContactId c : List.of(ada, bob)) {
      Message m = Messages.promo(c.value()).build();
      centre.subscribe(tenant, c, "offers", "signup-form");
      dispatcher
          .workStore()
          .schedule(
              dev.steward.schedule.WorkItem.builder(
                      tenant, Dispatcher.DEFERRED_KIND, m.id().value())
                  .subject(c.value())
                  .dueAt(clock.instant().plusSeconds(60))
                  .build(),
              dev.steward.schedule.IfExists.KEEP);
      calendar.record(m, CalendarEntry.Status.SENT);
      assertThat(limiter.decide(m).isAllowed()).isTrue();
    }

    assertThat(centre.erase(tenant, ada)).isTrue();

    // only the tombstone stays, so late provider events about ada are ignored
    assertThat(consent.find(tenant, ada))
        .contains(ContactConsent.tombstone(tenant, ada, clock.instant()));
    assertThat(dispatcher.pendingFor(tenant, ada)).isEmpty();
    assertThat(calendar.forContact(tenant, ada, Instant.EPOCH, clock.instant().plusSeconds(3600)))
        .isEmpty();
    assertThat(
            capLedger
                .read(List.of(SubjectKey.contact(TenantId.of("isv-tenant"), ada)))
                .get(0)
                .isEmpty())
        .isTrue();
    // and nothing of anybody else
    assertThat(consent.find(tenant, bob)).isPresent();
    assertThat(dispatcher.workStore().findBySubject(tenant, "bob", Dispatcher.DEFERRED_KIND))
        .hasSize(1);
    assertThat(calendar.forContact(tenant, bob, Instant.EPOCH, clock.instant().plusSeconds(3600)))
        .hasSize(1);
    assertThat(
            capLedger
                .read(List.of(SubjectKey.contact(TenantId.of("isv-tenant"), bob)))
                .get(0)
                .isEmpty())
        .isFalse();
  }
}
