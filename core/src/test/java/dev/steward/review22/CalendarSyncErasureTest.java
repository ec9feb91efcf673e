package dev.steward.review22;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CommunicationCalendar;
import dev.steward.calendar.ConflictRule;
import dev.steward.calendar.InMemoryCalendarStore;
import dev.steward.journey.Condition;
import dev.steward.journey.Enrolment;
import dev.steward.journey.InMemoryJourneyStore;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyKit;
import dev.steward.journey.JourneyStore;
import dev.steward.journey.Step;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.testing.SettableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * review22: JourneyCalendar.sync (0c9d8f9) reads the enrolment outside the calendar's lock and
 * writes the plan it read. When the contact is erased (calendar, then journeys, as
 * Steward.eraseContact does, by another instance) between that read and the write, the write puts
 * the erased contact's upcoming-send entry back on the calendar, and the re-check that follows only
 * cancels it: an entry naming the erased contact and its account stays. Reading inside the lock (as
 * before) found no enrolment and wrote nothing.
 */
class CalendarSyncErasureTest {
  static final Instant SPRING = Instant.parse("2027-03-01T08:00:00Z");

  static final JourneyDefinition RENEWAL =
      JourneyDefinition.builder("renewal", 1)
          .team("csm")
          .exitWhen("signed", Condition.eq("signed", "yes"))
          .step(
              new Step.WaitUntilDate(
                  "t-30", "renewal_date", -30, LocalTime.of(9, 0), Optional.of("report")))
          .step(Step.Send.of("report", "tpl-report", MessageKind.RELATIONSHIP, "renewal", null))
          .build();

  @Test
  void aContactErasedBetweenTheSyncsReadAndItsWriteLeavesNoEntry() {
    SettableClock clock = SettableClock.of(SPRING);
    CommunicationCalendar calendar =
        CommunicationCalendar.builder(InMemoryCalendarStore.of(), clock)
            .zones(ConflictRule.Zones.fixed(BERLIN))
            .build();
    JourneyStore real = InMemoryJourneyStore.of();
    AtomicBoolean armed = new AtomicBoolean();
    AtomicReference<Runnable> eraser = new AtomicReference<>();
    // the calendar's read of the enrolment returns what it read, and then (before the calendar
    // writes) another instance erases the contact
    JourneyStore store =
        (JourneyStore)
            Proxy.newProxyInstance(
                JourneyStore.class.getClassLoader(),
                new Class<?>[] {JourneyStore.class},
                (proxy, method, args) -> {
                  Object out;
                  try {
                    out = method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                  if ((method.getName().equals("find") || method.getName().equals("seqOf"))
                      && inCalendarSync()
                      && armed.get()) {
                    armed.set(false);
                    eraser.get().run();
                  }
                  return out;
                });
    JourneyKit kit = new JourneyKit(clock, store, null, b -> b.journey(RENEWAL).calendar(calendar));
    ContactId ann = kit.contact("ann", BERLIN, Map.of("renewal_date", "2027-05-10"));
    kit.enrol(ann, "renewal");
    kit.driver.runDue();
    Enrolment e = kit.only(ann);
    assertThat(calendar.find(TENANT, "journey:" + e.id())).isPresent();

    eraser.set(
        () -> {
          calendar.erase(TENANT, ann);
          kit.scheduler.eraseContact(TENANT, ann);
        });
    armed.set(true);
    // the renewal moves: this instance re-anchors and syncs the calendar while the contact goes
    kit.scheduler.setAttribute(TENANT, ann, "renewal_date", Optional.of("2027-06-10"));
    assertThat(armed).as("the erasure ran inside the calendar's sync").isFalse();

    assertThat(store.enrolments(TENANT, ann)).isEmpty();
    Optional<CalendarEntry> left = calendar.find(TENANT, "journey:" + e.id());
    assertThat(left).as("the erased contact's entry").isEmpty();
    assertThat(calendar.forContact(TENANT, ann, SPRING, SPRING.plus(Duration.ofDays(400))))
        .isEmpty();
  }

  private static boolean inCalendarSync() {
    return StackWalker.getInstance()
        .walk(
            s ->
                s.anyMatch(
                    f ->
                        f.getClassName().equals("dev.steward.journey.JourneyCalendar")
                            && f.getMethodName().equals("sync")));
  }
}
