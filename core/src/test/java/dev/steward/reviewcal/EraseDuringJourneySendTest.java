package dev.steward.reviewcal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.delivery.SendResult;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.Step;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A contact erased while a journey's send step is at the provider (another thread or instance calls
 * {@code Steward.eraseContact} then): when the step comes back it records the message it handed
 * over on the calendar. The erasure erased the calendar twice (before and after the journeys), but
 * both ran before that record, and with the enrolment gone no sync and no later erasure comes: the
 * SENT entry naming the erased contact and account must not survive.
 */
class EraseDuringJourneySendTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final ContactId ANN = ContactId.of("ann");
  private static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");
  private static final Instant MIN = Instant.parse("2000-01-01T00:00:00Z");
  private static final Instant MAX = Instant.parse("2100-01-01T00:00:00Z");

  private static final JourneyDefinition HELLO =
      JourneyDefinition.builder("hello", 1)
          .step(Step.Send.of("hello", "tpl-hello", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();

  @Test
  void noCalendarEntryOfAContactErasedWhileItsJourneySendWasAtTheProviderSurvives() {
    SettableClock clock = SettableClock.of(T0);
    Stores stores = Stores.inMemory(clock);
    RecordingTransport transport = RecordingTransport.of();
    Steward steward =
        Steward.builder(clock)
            .stores(stores)
            .transport(transport)
            .journeys(j -> j.journey(HELLO))
            .build();
    JourneyScheduler journeys = steward.journeys().orElseThrow();
    journeys.putContact(
        new ContactProfile(
            ACME,
            ANN,
            AccountId.of("acct"),
            Optional.of(EmailAddress.of("ann@example.com")),
            Optional.of(ZoneOffset.UTC),
            Map.of()));
    journeys.enrol(ACME, ANN, "hello");
    AtomicBoolean erased = new AtomicBoolean();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    transport.respondWith(
        m -> {
          // the erasure runs to its end while the message is at the provider
          try {
            steward.eraseContact(ACME, ANN);
            erased.set(true);
          } catch (RuntimeException e) {
            failed.set(e);
          }
          return SendResult.accepted("provider-1");
        });

    steward.runDue();

    assertThat(failed.get()).isNull();
    assertThat(erased).isTrue();
    assertThat(transport.sent()).hasSize(1);
    assertThat(stores.journeys().contact(ACME, ANN)).isEmpty();
    assertThat(steward.calendar().forContact(ACME, ANN, MIN, MAX)).isEmpty();
    assertThat(steward.calendar().forAccount(ACME, AccountId.of("acct"), MIN, MAX)).isEmpty();
  }
}
