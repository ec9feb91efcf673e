package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CommunicationCalendar;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code Steward.eraseContact} erases the calendar before the journeys: a journey step that runs in
 * between (on another thread or instance) writes the contact's upcoming-send entry back. The entry
 * must not outlive the erasure, naming the erased contact and account.
 */
class EraseContactCalendarRaceTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final ContactId ANN = ContactId.of("ann");
  private static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");

  @Test
  void anEntryWrittenBackBetweenTheCalendarAndTheJourneysErasureIsErasedToo() {
    Steward steward = steward();
    steward.eraseContact(ACME, ANN);
    assertThat(steward.calendar().find(ACME, "journey:racing-step")).isEmpty();
  }

  @Test
  void soItIsWhenTheWholeTenantIsErased() {
    Steward steward = steward();
    steward.eraseTenant(ACME);
    assertThat(steward.calendar().find(ACME, "journey:racing-step")).isEmpty();
  }

  private static Steward steward() {
    SettableClock clock = SettableClock.of(T0);
    Stores plain = Stores.inMemory(clock);
    AtomicReference<CommunicationCalendar> calendar = new AtomicReference<>();
    // a journey store whose erasure first lets a racing step write the contact's entry back
    JourneyStore racing =
        new DelegatingJourneyStore(plain.journeys()) {
          @Override
          public int eraseContact(TenantId tenant, ContactId contact) {
            writeBack(calendar.get(), tenant, contact);
            return super.eraseContact(tenant, contact);
          }

          @Override
          public int eraseTenant(TenantId tenant) {
            writeBack(calendar.get(), tenant, ANN);
            return super.eraseTenant(tenant);
          }
        };
    Stores stores =
        new Stores(
            plain.consent(),
            plain.suppressions(),
            plain.capLedger(),
            plain.calendar(),
            plain.ledger(),
            plain.work(),
            plain.inbox(),
            plain.healthHistory(),
            plain.healthBands(),
            plain.engagement(),
            plain.governanceMetrics(),
            plain.standings(),
            plain.onboarding(),
            plain.pilot(),
            plain.poolAssignments(),
            racing,
            plain.tasks(),
            plain.journeyAnalytics(),
            plain.triggers());
    Steward steward =
        Steward.builder(clock)
            .stores(stores)
            .transport(RecordingTransport.of())
            .journeys(j -> {})
            .build();
    calendar.set(steward.calendar());
    steward
        .journeys()
        .orElseThrow()
        .putContact(
            new ContactProfile(
                ACME,
                ANN,
                AccountId.of("acct"),
                Optional.of(EmailAddress.of("ann@example.com")),
                Optional.of(ZoneOffset.UTC),
                Map.of()));
    return steward;
  }

  /** What a journey step's calendar sync racing the erasure writes: the contact's entry. */
  private static void writeBack(
      CommunicationCalendar calendar, TenantId tenant, ContactId contact) {
    calendar.schedule(
        CalendarEntry.of(
            tenant,
            "journey:racing-step",
            CalendarEntry.Type.COMMUNICATION,
            CalendarEntry.Status.SCHEDULED,
            AccountId.of("acct"),
            contact,
            "success",
            MessageKind.EDUCATIONAL,
            "onboarding",
            Channel.EMAIL,
            "welcome/hello",
            T0.plus(Duration.ofDays(1))));
  }
}
