package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.health.HealthBandChanged;
import dev.steward.journey.Condition;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.EntryTrigger;
import dev.steward.journey.InvalidJourneyException;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.ReEntry;
import dev.steward.journey.Segment;
import dev.steward.journey.SegmentMembership;
import dev.steward.journey.Step;
import dev.steward.journey.TriggerStore;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Journey entry triggers through the front door: the stores carry the trigger store, Steward builds
 * {@code JourneyTriggers} with the scheduler, attribute changes, provider events accepted by
 * Steward and health band changes given to its health listener enrol, and erasure of a contact or a
 * tenant (through Steward or the scheduler) leaves nothing of it in the trigger store, and nothing
 * of another tenant is touched. Run on every kind of {@link Stores}.
 */
public abstract class StewardJourneyTriggerWiringContract {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");
  static final ContactId ANN = ContactId.of("ann");
  static final ContactId BOB = ContactId.of("bob");
  static final ContactId CY = ContactId.of("cy");
  static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");
  static final Instant LONG_AGO = T0.minusSeconds(86_400);
  static final Instant LATER = T0.plusSeconds(86_400);

  /** Entered when a contact's plan becomes "pro"; always, so that only the trigger limits it. */
  static final JourneyDefinition UPGRADE =
      oneSend("upgrade", new EntryTrigger.InSegment(Segment.where(Condition.eq("plan", "pro"))));

  /** Entered on every provider open event. */
  static final JourneyDefinition OPENED = oneSend("opened", new EntryTrigger.OnEvent("email.open"));

  /** Entered when an account's health turns red. */
  static final JourneyDefinition RISK =
      oneSend("risk", new EntryTrigger.OnHealthBand("red", Optional.empty()));

  /** The stores under test, fresh. */
  protected abstract Stores stores(Clock clock);

  static JourneyDefinition oneSend(String id, EntryTrigger trigger) {
    return JourneyDefinition.builder(id, 1)
        .trigger(trigger)
        .reEntry(ReEntry.always())
        .step(Step.Send.of("send", "tpl-" + id, MessageKind.RELATIONSHIP, "csm", null))
        .build();
  }

  private static void put(JourneyScheduler j, TenantId t, ContactId c, String plan) {
    j.putContact(
        new ContactProfile(
            t,
            c,
            AccountId.of("acct"),
            Optional.of(dev.steward.model.EmailAddress.of(c.value() + "@example.com")),
            Optional.of(ZoneOffset.UTC),
            Map.of("plan", plan)));
  }

  private static EmailEvent open(String id, TenantId t, ContactId c) {
    return EmailEvent.builder(id, EmailEventType.OPEN, T0)
        .email(c.value() + "@example.com")
        .tenant(t)
        .contact(c)
        .build();
  }

  private static long entered(Stores stores, TenantId t, ContactId c, String journey) {
    return stores.journeys().enrolments(t, c).stream()
        .filter(e -> e.journey().equals(journey))
        .count();
  }

  private Steward steward(Stores stores, Clock clock, RecordingTransport transport) {
    return Steward.builder(clock)
        .stores(stores)
        .transport(transport)
        .journeys(j -> j.journey(UPGRADE).journey(OPENED).journey(RISK))
        .journeyTriggers(t -> t.accountContacts((tenant, account) -> List.of(ANN, BOB)))
        .build();
  }

  @Test
  void aSegmentTriggerEnrolsWhenAnAttributeChangeMakesTheContactMatch() {
    SettableClock clock = SettableClock.of(T0);
    Stores stores = stores(clock);
    RecordingTransport transport = RecordingTransport.of();
    Steward steward = steward(stores, clock, transport);
    JourneyScheduler journeys = steward.journeys().orElseThrow();
    assertThat(steward.journeyTriggers()).isPresent();

    put(journeys, ACME, ANN, "free");
    assertThat(entered(stores, ACME, ANN, "upgrade")).isZero();
    assertThat(stores.triggers().membership(ACME, ANN, "upgrade"))
        .map(SegmentMembership::member)
        .contains(false);

    journeys.setAttribute(ACME, ANN, "plan", Optional.of("pro"));
    assertThat(entered(stores, ACME, ANN, "upgrade")).isEqualTo(1);
    assertThat(stores.triggers().membership(ACME, ANN, "upgrade"))
        .map(SegmentMembership::member)
        .contains(true);
    // still matching: no second entry, though the journey allows one
    journeys.setAttribute(ACME, ANN, "plan", Optional.of("pro"));
    assertThat(entered(stores, ACME, ANN, "upgrade")).isEqualTo(1);

    steward.runDue(); // the entry's step, sent through the dispatcher by Steward's runner
    assertThat(transport.sent()).extracting(Message::templateId).containsExactly("tpl-upgrade");
  }

  @Test
  void aProviderEventTriggerEnrolsOnceWhenTheBatchIsReplayed() {
    SettableClock clock = SettableClock.of(T0);
    Stores stores = stores(clock);
    RecordingTransport transport = RecordingTransport.of();
    Steward steward = steward(stores, clock, transport);
    put(steward.journeys().orElseThrow(), ACME, ANN, "free");

    List<EmailEvent> batch = List.of(open("ev-1", ACME, ANN));
    steward.accept(batch);
    steward.runDue();
    assertThat(entered(stores, ACME, ANN, "opened")).isEqualTo(1);
    steward.accept(batch); // the provider sends the batch again
    steward.runDue();
    assertThat(entered(stores, ACME, ANN, "opened")).isEqualTo(1);
    assertThat(stores.triggers().countEvents(ACME, ANN, "email.open", LONG_AGO, LATER))
        .isEqualTo(1);
    // a new event enrols again (re-entry always): the replay was refused by its id, not by rule
    steward.accept(List.of(open("ev-2", ACME, ANN)));
    steward.runDue();
    assertThat(entered(stores, ACME, ANN, "opened")).isEqualTo(2);
  }

  @Test
  void healthBandChangesGivenToStewardsListenerEnrolTheAccountsContactsOnce() {
    SettableClock clock = SettableClock.of(T0);
    Stores stores = stores(clock);
    Steward steward = steward(stores, clock, RecordingTransport.of());
    put(steward.journeys().orElseThrow(), ACME, ANN, "free");
    put(steward.journeys().orElseThrow(), ACME, BOB, "free");
    HealthBandChanged red =
        new HealthBandChanged(ACME, AccountId.of("acct"), "yellow", "red", true, T0, null);

    steward.healthListener().onBandChanged(red);
    steward.healthListener().onBandChanged(red); // delivered twice
    assertThat(entered(stores, ACME, ANN, "risk")).isEqualTo(1);
    assertThat(entered(stores, ACME, BOB, "risk")).isEqualTo(1);
  }

  @Test
  void aHealthTriggerWithoutAccountContactsAndTriggerSettingsWithoutJourneysAreRefused() {
    SettableClock clock = SettableClock.of(T0);
    Stores stores = stores(clock);
    assertThatThrownBy(
            () ->
                Steward.builder(clock)
                    .stores(stores)
                    .transport(RecordingTransport.of())
                    .journeys(j -> j.journey(RISK))
                    .build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("journey 'risk' has a health trigger");
    assertThatThrownBy(
            () ->
                Steward.builder(clock)
                    .stores(stores)
                    .transport(RecordingTransport.of())
                    .journeyTriggers(t -> t.accountContacts((tenant, account) -> List.of()))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("journeys are off");
    // without journeys, the health listener is there and does nothing
    Steward off = Steward.builder(clock).stores(stores).transport(RecordingTransport.of()).build();
    assertThat(off.journeyTriggers()).isEmpty();
    off.healthListener()
        .onBandChanged(
            new HealthBandChanged(ACME, AccountId.of("acct"), "yellow", "red", true, T0, null));
  }

  @Test
  void erasureThroughStewardAndTheSchedulerRemovesTheTriggerStateAndNothingOfAnotherTenant() {
    SettableClock clock = SettableClock.of(T0);
    Stores stores = stores(clock);
    Steward steward = steward(stores, clock, RecordingTransport.of());
    JourneyScheduler journeys = steward.journeys().orElseThrow();
    TriggerStore triggers = stores.triggers();
    for (TenantId t : List.of(ACME, GLOBEX)) {
      for (ContactId c : List.of(ANN, BOB, CY)) {
        put(journeys, t, c, "pro"); // a membership each
      }
    }
    steward.accept(
        List.of(
            open("a-ann", ACME, ANN),
            open("a-bob", ACME, BOB),
            open("a-cy", ACME, CY),
            open("g-ann", GLOBEX, ANN)));
    steward.runDue();
    for (ContactId c : List.of(ANN, BOB, CY)) {
      assertThat(triggers.membership(ACME, c, "upgrade")).isPresent();
      assertThat(triggers.countEvents(ACME, c, "email.open", LONG_AGO, LATER)).isEqualTo(1);
    }

    steward.eraseContact(ACME, BOB); // the front door
    assertThat(triggers.membership(ACME, BOB, "upgrade")).isEmpty();
    assertThat(triggers.countEvents(ACME, BOB, "email.open", LONG_AGO, LATER)).isZero();

    journeys.eraseContact(ACME, CY); // the scheduler alone reaches the trigger state too
    assertThat(triggers.membership(ACME, CY, "upgrade")).isEmpty();
    assertThat(triggers.countEvents(ACME, CY, "email.open", LONG_AGO, LATER)).isZero();
    // the other contact of the tenant is untouched
    assertThat(triggers.membership(ACME, ANN, "upgrade")).isPresent();
    assertThat(triggers.countEvents(ACME, ANN, "email.open", LONG_AGO, LATER)).isEqualTo(1);

    steward.eraseTenant(ACME);
    assertThat(triggers.memberships(Optional.empty(), 100))
        .extracting(SegmentMembership::tenant)
        .containsOnly(GLOBEX)
        .hasSize(3);
    assertThat(triggers.countEvents(ACME, ANN, "email.open", LONG_AGO, LATER)).isZero();
    assertThat(triggers.countEvents(GLOBEX, ANN, "email.open", LONG_AGO, LATER)).isEqualTo(1);
  }

  @Test
  void theSchedulersTenantErasureReachesTheTriggerStateToo() {
    SettableClock clock = SettableClock.of(T0);
    Stores stores = stores(clock);
    Steward steward = steward(stores, clock, RecordingTransport.of());
    JourneyScheduler journeys = steward.journeys().orElseThrow();
    put(journeys, ACME, ANN, "pro");
    put(journeys, GLOBEX, ANN, "pro");

    journeys.eraseTenant(ACME);
    assertThat(stores.triggers().membership(ACME, ANN, "upgrade")).isEmpty();
    assertThat(stores.triggers().membership(GLOBEX, ANN, "upgrade")).isPresent();
  }
}
