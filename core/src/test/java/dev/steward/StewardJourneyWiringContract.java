package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.frequency.CapPolicy;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.EnrolResult;
import dev.steward.journey.Enrolment;
import dev.steward.journey.HistoryEntry;
import dev.steward.journey.JourneyAlert;
import dev.steward.journey.JourneyAlertKind;
import dev.steward.journey.JourneyBenchmarks;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyMetric;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.JourneyTask;
import dev.steward.journey.Step;
import dev.steward.journey.StepFunnel;
import dev.steward.journey.StepOutcome;
import dev.steward.journey.TaskEmail;
import dev.steward.journey.TaskState;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Journeys through the front door: the stores carry the journey, task and analytics stores; the
 * scheduler sends through the dispatcher and runs on Steward's runner; provider events accepted by
 * Steward resume waits and are counted, and raise alerts; erasure of a contact or a tenant reaches
 * every journey store, and nothing of another tenant. Run on every kind of {@link Stores}.
 */
public abstract class StewardJourneyWiringContract {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");
  static final ContactId ANN = ContactId.of("ann");
  static final ContactId BOB = ContactId.of("bob");
  static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");

  static final JourneyDefinition WELCOME =
      JourneyDefinition.builder("welcome", 1)
          .step(
              Step.Send.of("hello", "tpl-hello", MessageKind.EDUCATIONAL, "onboarding", "opened?"))
          .step(
              new Step.WaitForEvent(
                  "opened?",
                  Step.OPENED,
                  Duration.ofDays(3),
                  Optional.of("thanks"),
                  Optional.empty()))
          .step(Step.Send.of("thanks", "tpl-thanks", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();

  /** The stores under test, fresh. */
  protected abstract Stores stores(Clock clock);

  private static void put(JourneyScheduler j, TenantId t, ContactId c) {
    j.putContact(
        new ContactProfile(
            t,
            c,
            AccountId.of("acct"),
            Optional.of(EmailAddress.of(c.value() + "@example.com")),
            Optional.of(ZoneOffset.UTC),
            Map.of()));
  }

  private static EmailEvent event(String id, EmailEventType type, Message m) {
    return EmailEvent.builder(id, type, T0.plusSeconds(30))
        .email(m.to())
        .message(m.id())
        .tenant(m.tenant())
        .contact(m.contact())
        .build();
  }

  private static JourneyTask task(TenantId t, String id, ContactId c) {
    return new JourneyTask(
        t,
        id,
        "welcome",
        "e-" + id,
        "call",
        "check-in",
        AccountId.of("acct"),
        c,
        "carla",
        Optional.empty(),
        Optional.of(TaskEmail.template("tpl", Map.of())),
        T0,
        T0,
        T0,
        TaskState.OPEN,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        T0,
        T0,
        Optional.empty());
  }

  @Test
  void journeysRunCountAlertAndAreErasedThroughTheFrontDoor() {
    SettableClock clock = SettableClock.of(T0);
    Stores stores = stores(clock);
    RecordingTransport transport = RecordingTransport.of();
    List<JourneyAlert> alerts = new CopyOnWriteArrayList<>();
    Steward steward =
        Steward.builder(clock)
            .stores(stores)
            .transport(transport)
            .journeys(j -> j.journey(WELCOME))
            .journeyAnalytics(
                a ->
                    a.benchmarks(JourneyBenchmarks.builder().minimumVolume(2).build())
                        .alertListener(alerts::add))
            .build();
    JourneyScheduler journeys = steward.journeys().orElseThrow();
    put(journeys, ACME, ANN);
    put(journeys, ACME, BOB);
    put(journeys, GLOBEX, ANN);
    for (TenantId t : List.of(ACME, GLOBEX)) {
      journeys.enrol(t, ANN, "welcome");
    }
    journeys.enrol(ACME, BOB, "welcome");

    steward.runDue(); // the hello step of each, sent through the dispatcher
    assertThat(transport.sent())
        .extracting(Message::templateId)
        .containsOnly("tpl-hello")
        .hasSize(3);
    Message annHello =
        transport.sent().stream()
            .filter(m -> m.tenant().equals(ACME) && m.contact().equals(ANN))
            .findFirst()
            .orElseThrow();
    Message bobHello =
        transport.sent().stream().filter(m -> m.contact().equals(BOB)).findFirst().orElseThrow();

    steward.accept(
        List.of(
            event("ev1", EmailEventType.DELIVERED, annHello),
            event("ev2", EmailEventType.OPEN, annHello),
            event("ev3", EmailEventType.DELIVERED, bobHello)));
    steward.runDue(); // the events, then ann's thanks step that her open made due
    steward.accept(List.of(event("ev2", EmailEventType.OPEN, annHello))); // repeated
    steward.runDue();

    // the open resumed ann's wait, and she was thanked
    Enrolment ann = stores.journeys().enrolments(ACME, ANN).get(0);
    assertThat(stores.journeys().history(ACME, ann.id()))
        .extracting(HistoryEntry::outcome)
        .contains(StepOutcome.EVENT);
    assertThat(transport.sent()).extracting(Message::templateId).contains("tpl-thanks");
    // counted once each, by the front door's analytics over the stores' analytics store
    StepFunnel hello = steward.journeyAnalytics().funnel(ACME, WELCOME).step("hello").orElseThrow();
    assertThat(hello.count(JourneyMetric.ENTERED)).isEqualTo(2);
    assertThat(hello.count(JourneyMetric.SENT)).isEqualTo(2);
    assertThat(hello.count(JourneyMetric.DELIVERED)).isEqualTo(2);
    assertThat(hello.count(JourneyMetric.OPENED)).isEqualTo(1);
    assertThat(stores.journeyAnalytics().counts(ACME, "welcome", 1)).isNotEmpty();
    // two delivered, one opened (50%) and no click: raised once each, the repeat raised nothing
    assertThat(alerts)
        .extracting(a -> a.kind() + " " + a.tenant() + " " + a.step().step())
        .containsExactlyInAnyOrder(
            JourneyAlertKind.LOW_CLICK_RATE + " acme hello",
            JourneyAlertKind.OPENS_WITHOUT_CLICKS + " acme hello");

    stores.tasks().create(task(ACME, "task-1", ANN));
    stores.tasks().create(task(ACME, "task-2", BOB));
    stores.tasks().create(task(GLOBEX, "task-1", ANN));

    steward.eraseContact(ACME, BOB);
    assertThat(stores.journeys().enrolments(ACME, BOB)).isEmpty();
    assertThat(stores.journeys().contact(ACME, BOB)).isEmpty();
    assertThat(stores.tasks().find(ACME, "task-2")).isEmpty();
    assertThat(stores.journeys().enrolments(ACME, ANN)).hasSize(1);
    assertThat(stores.tasks().find(ACME, "task-1")).isPresent();

    steward.eraseTenant(ACME);
    assertThat(stores.journeys().enrolments(ACME, ANN)).isEmpty();
    assertThat(stores.journeys().contact(ACME, ANN)).isEmpty();
    assertThat(stores.tasks().find(ACME, "task-1")).isEmpty();
    assertThat(stores.journeyAnalytics().counts(ACME, "welcome", 1)).isEmpty();
    // nothing of another tenant
    assertThat(stores.journeys().enrolments(GLOBEX, ANN)).hasSize(1);
    assertThat(stores.tasks().find(GLOBEX, "task-1")).isPresent();
    assertThat(stores.journeyAnalytics().counts(GLOBEX, "welcome", 1)).isNotEmpty();
  }

  @Test
  void withoutJourneysTurnedOnTheStoresAreStillErased() {
    SettableClock clock = SettableClock.of(T0);
    Stores stores = stores(clock);
    Steward steward =
        Steward.builder(clock).stores(stores).transport(RecordingTransport.of()).build();
    assertThat(steward.journeys()).isEmpty();
    stores
        .journeys()
        .putContact(
            new ContactProfile(
                ACME, ANN, AccountId.of("acct"), Optional.empty(), Optional.empty(), Map.of()));
    stores
        .journeyAnalytics()
        .record(
            dev.steward.journey.JourneyFact.of(
                ACME,
                "j-e-0",
                new dev.steward.journey.JourneyStepRef("welcome", 1, "hello"),
                JourneyMetric.SENT,
                T0));

    steward.eraseContact(ACME, ANN);
    assertThat(stores.journeys().contact(ACME, ANN)).isEmpty();
    steward.eraseTenant(ACME);
    assertThat(stores.journeyAnalytics().counts(ACME, "welcome", 1)).isEmpty();
  }

  /** A reminder five days after entry: an upcoming send every team sees on the calendar. */
  static final JourneyDefinition REMINDER =
      JourneyDefinition.builder("reminder", 1)
          .step(new Step.Wait("five-days", Duration.ofDays(5), Optional.of("remind")))
          .step(Step.Send.of("remind", "tpl-remind", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();

  @Test
  void upcomingJourneySendsAreOnTheCalendarAndErasedWithTheContactOrTenant() {
    SettableClock clock = SettableClock.of(T0);
    Stores stores = stores(clock);
    Steward steward =
        Steward.builder(clock)
            .stores(stores)
            .transport(RecordingTransport.of())
            .journeys(j -> j.journey(REMINDER))
            .build();
    JourneyScheduler journeys = steward.journeys().orElseThrow();
    for (TenantId t : List.of(ACME, GLOBEX)) {
      put(journeys, t, ANN);
      journeys.enrol(t, ANN, "reminder");
    }
    steward.runDue(); // the waits begin: the reminders are upcoming

    for (TenantId t : List.of(ACME, GLOBEX)) {
      Enrolment e = stores.journeys().enrolments(t, ANN).get(0);
      assertThat(steward.calendar().find(t, "journey:" + e.id()))
          .hasValueSatisfying(
              c -> {
                assertThat(c.at()).isEqualTo(T0.plus(Duration.ofDays(5)));
                assertThat(c.campaign()).contains("reminder/remind");
              });
    }
    String annAtAcme = "journey:" + stores.journeys().enrolments(ACME, ANN).get(0).id();
    String annAtGlobex = "journey:" + stores.journeys().enrolments(GLOBEX, ANN).get(0).id();

    steward.eraseContact(ACME, ANN);
    assertThat(steward.calendar().find(ACME, annAtAcme)).isEmpty();
    assertThat(steward.calendar().find(GLOBEX, annAtGlobex)).isPresent();
    steward.eraseTenant(GLOBEX);
    assertThat(steward.calendar().find(GLOBEX, annAtGlobex)).isEmpty();
  }

  @Test
  void aTenantsCapPolicyLimitsItsContactsJourneysAndTheFloorLowersEveryTenantsLimit() {
    SettableClock clock = SettableClock.of(T0);
    JourneyDefinition second =
        JourneyDefinition.builder("second", 1)
            .step(Step.Send.of("s", "tpl-s", MessageKind.EDUCATIONAL, "onboarding", null))
            .build();
    JourneyDefinition third =
        JourneyDefinition.builder("third", 1)
            .step(Step.Send.of("t", "tpl-t", MessageKind.EDUCATIONAL, "onboarding", null))
            .build();
    CapPolicy one = CapPolicy.builder().maxConcurrentJourneys(1).build();
    Steward steward =
        Steward.builder(clock)
            .stores(stores(clock))
            .transport(RecordingTransport.of())
            .capPolicies(t -> t.equals(ACME) ? one : CapPolicy.builder().build())
            .platformFloor(CapPolicy.builder().maxConcurrentJourneys(2).build())
            .journeys(j -> j.journey(WELCOME).journey(second).journey(third))
            .build();
    JourneyScheduler journeys = steward.journeys().orElseThrow();
    put(journeys, ACME, ANN);
    put(journeys, GLOBEX, ANN);
    // acme's own policy: one journey at once
    assertThat(journeys.enrol(ACME, ANN, "welcome").status())
        .isEqualTo(EnrolResult.Status.ENROLLED);
    EnrolResult refused = journeys.enrol(ACME, ANN, "second");
    assertThat(refused.status()).isEqualTo(EnrolResult.Status.TOO_MANY_JOURNEYS);
    // globex has no limit of its own: the platform floor's two, below the scheduler's default
    assertThat(journeys.enrol(GLOBEX, ANN, "welcome").status())
        .isEqualTo(EnrolResult.Status.ENROLLED);
    assertThat(journeys.enrol(GLOBEX, ANN, "second").status())
        .isEqualTo(EnrolResult.Status.ENROLLED);
    assertThat(journeys.enrol(GLOBEX, ANN, "third").status())
        .isEqualTo(EnrolResult.Status.TOO_MANY_JOURNEYS);
  }
}
