package dev.steward.review14t;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.EntryTrigger;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.ReEntry;
import dev.steward.journey.Step;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A provider event accepted before a contact's erasure and applied after it (the batch is due work)
 * or a webhook retried after it (SendGrid retries for 24 hours) wrote the erased contact back into
 * the trigger store: the consent, calendar and governance listeners skip such events by the
 * erasure's tombstone, the journey triggers' listener did not.
 */
class TriggerEventAfterErasureTest {
  static final TenantId ACME = TenantId.of("acme");
  static final ContactId ANN = ContactId.of("ann");
  static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");

  static final JourneyDefinition OPENED =
      JourneyDefinition.builder("opened", 1)
          .trigger(new EntryTrigger.OnEvent("email.open"))
          .reEntry(ReEntry.always())
          .step(Step.Send.of("send", "tpl-opened", MessageKind.RELATIONSHIP, "csm", null))
          .build();

  static EmailEvent open(String id, Instant at) {
    return EmailEvent.builder(id, EmailEventType.OPEN, at)
        .email("ann@example.com")
        .tenant(ACME)
        .contact(ANN)
        .build();
  }

  static Steward steward(Stores stores, SettableClock clock) {
    Steward s =
        Steward.builder(clock)
            .stores(stores)
            .transport(RecordingTransport.of())
            .journeys(j -> j.journey(OPENED))
            .build();
    s.journeys()
        .orElseThrow()
        .putContact(
            new ContactProfile(
                ACME,
                ANN,
                AccountId.of("acct"),
                Optional.of(EmailAddress.of("ann@example.com")),
                Optional.of(ZoneOffset.UTC),
                Map.of()));
    return s;
  }

  @Test
  void anEventAcceptedBeforeTheErasureAndAppliedAfterItLeavesNothingOfTheContact() {
    SettableClock clock = SettableClock.of(T0);
    Stores stores = Stores.inMemory(clock);
    Steward steward = steward(stores, clock);
    steward.accept(List.of(open("ev-1", T0)));
    clock.set(T0.plusSeconds(60));
    steward.eraseContact(ACME, ANN);
    steward.runDue(); // the accepted batch is applied now

    assertThat(stores.triggers().countEvents(ACME, ANN, "email.open", T0.minusSeconds(1), T0))
        .isZero();
    assertThat(stores.journeys().enrolments(ACME, ANN)).isEmpty();
  }

  @Test
  void aWebhookRetriedAfterTheErasureLeavesNothingButALaterEventOfANewProfileCounts() {
    SettableClock clock = SettableClock.of(T0);
    Stores stores = Stores.inMemory(clock);
    Steward steward = steward(stores, clock);
    clock.set(T0.plusSeconds(60));
    steward.eraseContact(ACME, ANN);
    clock.set(T0.plusSeconds(120));
    steward.accept(List.of(open("ev-1", T0))); // SendGrid retries the batch
    steward.runDue();
    assertThat(stores.triggers().countEvents(ACME, ANN, "email.open", T0.minusSeconds(1), T0))
        .isZero();

    // an event after the erasure is the contact's new life: kept as before
    steward.accept(List.of(open("ev-2", T0.plusSeconds(100))));
    steward.runDue();
    assertThat(
            stores
                .triggers()
                .countEvents(ACME, ANN, "email.open", T0.minusSeconds(1), T0.plusSeconds(120)))
        .isEqualTo(1);
  }
}
