package dev.steward.reviewcal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CalendarStore;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.EnrolResult;
import dev.steward.journey.EntryTrigger;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.JourneyTriggers;
import dev.steward.journey.Step;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A contact erased, and put back, while a journey's calendar sync is between its plan write and its
 * read of the enrolment after it (another instance erases; the user signs up again). The sync finds
 * the enrolment gone but the contact present, and cancels the entry as of seq {@link
 * Long#MAX_VALUE}: the erased enrolment's entry survives the erasure, and when the contact is
 * enrolled again under the same keyed id (the same event id, the trigger's state erased with the
 * contact), every plan of the new enrolment is refused as older, so its upcoming send never shows
 * on the calendar.
 */
class ReEnrolAfterErasureRaceTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final ContactId ANN = ContactId.of("ann");
  private static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");

  private static final JourneyDefinition SIGNUP =
      JourneyDefinition.builder("signup", 1)
          .trigger(new EntryTrigger.OnEvent("signed-up"))
          .step(Step.Send.of("hello", "tpl-hello", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();

  @Test
  void theErasedEnrolmentsEntryGoesAndTheSameKeyedEnrolmentIsPlannedAgain() {
    SettableClock clock = SettableClock.of(T0);
    AtomicReference<Steward> steward = new AtomicReference<>();
    AtomicBoolean armed = new AtomicBoolean(true);
    steward.set(
        steward(
            clock,
            method -> {
              if (method.equals("putPlanned") && armed.getAndSet(false)) {
                // the plan was read, its write not yet made: erased everywhere meanwhile,
                // then signed up again
                steward.get().eraseContact(ACME, ANN);
                clock.advance(Duration.ofMinutes(1));
                putAnn(steward.get().journeys().orElseThrow());
              }
            }));
    putAnn(steward.get().journeys().orElseThrow());
    JourneyTriggers triggers = steward.get().journeyTriggers().orElseThrow();

    EnrolResult first = triggers.recordEvent(ACME, ANN, "signup-1", "signed-up", T0).get("signup");
    String id = first.enrolment().orElseThrow().id();
    assertThat(armed).isFalse(); // the erasure ran inside the sync
    assertThat(steward.get().journeys().orElseThrow().enrolment(ACME, id)).isEmpty();
    SoftAssertions soft = new SoftAssertions();
    // nothing of the erased enrolment stays on the calendar
    soft.assertThat(steward.get().calendar().find(ACME, "journey:" + id)).isEmpty();

    // signed up again, the same event id: the same keyed enrolment, from seq 0
    EnrolResult again =
        triggers.recordEvent(ACME, ANN, "signup-1", "signed-up", clock.instant()).get("signup");
    assertThat(again.status()).isEqualTo(EnrolResult.Status.ENROLLED);
    assertThat(again.enrolment().orElseThrow().id()).isEqualTo(id);
    Optional<CalendarEntry> entry = steward.get().calendar().find(ACME, "journey:" + id);
    soft.assertThat(entry.map(CalendarEntry::status)).contains(CalendarEntry.Status.SCHEDULED);
    soft.assertThat(entry.map(CalendarEntry::at)).contains(clock.instant());
    soft.assertAll();
  }

  /**
   * rcal (b), the triple race: the sync finds its enrolment gone and the contact back (erased and
   * put back after its plan write), and before its erasure of the plan it wrote, the contact is
   * enrolled again under the same keyed id and another runner plans the new enrolment's send at the
   * same seq. The erasure must take only the entry it wrote; it took the new plan, so the new
   * enrolment's upcoming send was missing from the calendar until its next change.
   */
  @Test
  void anErasedPlanTakesOnlyTheEntryItWroteNotANewerPlanAtTheSameSeq() {
    SettableClock clock = SettableClock.of(T0);
    AtomicReference<Steward> steward = new AtomicReference<>();
    AtomicBoolean erase = new AtomicBoolean(true);
    AtomicBoolean reEnrol = new AtomicBoolean(true);
    steward.set(
        steward(
            clock,
            method -> {
              if (method.equals("putPlanned") && erase.getAndSet(false)) {
                // the plan was read, its write not yet made: erased everywhere, then put back
                steward.get().eraseContact(ACME, ANN);
                clock.advance(Duration.ofMinutes(1));
                putAnn(steward.get().journeys().orElseThrow());
              } else if (method.equals("erasePlanned") && reEnrol.getAndSet(false)) {
                // the sync found its enrolment gone; before its erasure, signed up again (the
                // same event id), and that enrolment's plan written by another runner
                EnrolResult again =
                    steward
                        .get()
                        .journeyTriggers()
                        .orElseThrow()
                        .recordEvent(ACME, ANN, "signup-1", "signed-up", clock.instant())
                        .get("signup");
                assertThat(again.status()).isEqualTo(EnrolResult.Status.ENROLLED);
              }
            }));
    putAnn(steward.get().journeys().orElseThrow());
    JourneyTriggers triggers = steward.get().journeyTriggers().orElseThrow();

    EnrolResult first = triggers.recordEvent(ACME, ANN, "signup-1", "signed-up", T0).get("signup");
    String id = first.enrolment().orElseThrow().id();
    assertThat(reEnrol).as("the sync erased its plan").isFalse();

    // the new enrolment, same id and seq, is there; so must its upcoming send be
    assertThat(steward.get().journeys().orElseThrow().enrolment(ACME, id))
        .map(e -> e.seq())
        .contains(first.enrolment().orElseThrow().seq());
    Optional<CalendarEntry> entry = steward.get().calendar().find(ACME, "journey:" + id);
    assertThat(entry.map(CalendarEntry::status)).contains(CalendarEntry.Status.SCHEDULED);
    assertThat(entry.map(CalendarEntry::at)).contains(clock.instant());
  }

  /** Told of each calendar store call by method name before it reaches the in-memory store. */
  private interface BeforeCall {
    void before(String method);
  }

  /** A Steward over in-memory stores whose calendar store tells {@code before} of every call. */
  private static Steward steward(SettableClock clock, BeforeCall before) {
    Stores plain = Stores.inMemory(clock);
    CalendarStore calendar =
        (CalendarStore)
            Proxy.newProxyInstance(
                CalendarStore.class.getClassLoader(),
                new Class<?>[] {CalendarStore.class},
                (proxy, method, args) -> {
                  before.before(method.getName());
                  try {
                    return method.invoke(plain.calendar(), args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    Stores stores =
        new Stores(
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
    return Steward.builder(clock)
        .stores(stores)
        .transport(RecordingTransport.of())
        .journeys(j -> j.journey(SIGNUP))
        .build();
  }

  private static void putAnn(JourneyScheduler journeys) {
    journeys.putContact(
        new ContactProfile(
            ACME,
            ANN,
            AccountId.of("acct"),
            Optional.of(EmailAddress.of("ann@example.com")),
            Optional.of(ZoneOffset.UTC),
            Map.of()));
  }
}
