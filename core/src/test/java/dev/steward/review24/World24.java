package dev.steward.review24;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.calendar.CalendarStore;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.JourneyDefinition;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/** A Steward over in-memory stores with its calendar store swapped, for the review-24 tests. */
final class World24 {
  static final TenantId ACME = TenantId.of("acme");
  static final ContactId ANN = ContactId.of("ann");
  static final AccountId ACCT = AccountId.of("acct");
  static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");
  static final Instant MIN = Instant.parse("2000-01-01T00:00:00Z");
  static final Instant MAX = Instant.parse("2100-01-01T00:00:00Z");

  final SettableClock clock = SettableClock.of(T0);
  final Stores plain = Stores.inMemory(clock);
  final FlakyCalendarStore calendarStore = new FlakyCalendarStore(plain.calendar());
  final RecordingTransport transport = RecordingTransport.of();
  final Steward steward;

  World24(JourneyDefinition... journeys) {
    steward =
        Steward.builder(clock)
            .stores(withCalendar(plain, calendarStore))
            .transport(transport)
            .journeys(
                j -> {
                  for (JourneyDefinition d : journeys) {
                    j.journey(d);
                  }
                })
            .build();
  }

  void putAnn() {
    steward
        .journeys()
        .orElseThrow()
        .putContact(
            new ContactProfile(
                ACME,
                ANN,
                ACCT,
                Optional.of(EmailAddress.of("ann@example.com")),
                Optional.of(ZoneOffset.UTC),
                Map.of()));
  }

  static Stores withCalendar(Stores plain, CalendarStore calendar) {
    return new Stores(
        plain.consent(),
        plain.suppressions(),
        plain.capLedger(),
        calendar,
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
        plain.journeys(),
        plain.tasks(),
        plain.journeyAnalytics(),
        plain.triggers());
  }
}
