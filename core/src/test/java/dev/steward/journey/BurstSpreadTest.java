package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.Dispatcher;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Many enrolments due at one wall-clock instant are spread over a window, each by its own offset.
 */
class BurstSpreadTest {
  /** 2027-03-11 09:00 in Berlin (CET): 30 days before a renewal on 2027-04-10. */
  private static final Instant NINE = Instant.parse("2027-03-11T08:00:00Z");

  private static final Duration WINDOW = JourneyScheduler.DEFAULT_BURST_WINDOW;

  @Test
  void aHundredThousandRenewalsAtNineAreSpreadOverFifteenMinutesTheSameWayEveryTime() {
    BurstSpread spread = new BurstSpread(WINDOW);
    Set<Instant> instants = new HashSet<>();
    TreeMap<Long, Integer> perMinute = new TreeMap<>();
    TreeMap<Long, Integer> perSecond = new TreeMap<>();
    for (int i = 0; i < 100_000; i++) {
      Enrolment e = enrolment("renewal-" + i);
      Instant at = spread.spread(NINE, e);
      assertThat(at).isAfterOrEqualTo(NINE).isBefore(NINE.plus(WINDOW));
      assertThat(spread.spread(NINE, enrolment("renewal-" + i))).isEqualTo(at); // deterministic
      instants.add(at);
      long ms = Duration.between(NINE, at).toMillis();
      perMinute.merge(ms / 60_000, 1, Integer::sum);
      perSecond.merge(ms / 1_000, 1, Integer::sum);
    }
    // one instant becomes about 95,000 (900,000 milliseconds to choose from)
    assertThat(instants.size()).isGreaterThan(90_000);
    // every minute of the window takes its share (6,667 each), no second more than about twice
    // its share (111)
    assertThat(perMinute).hasSize(15);
    assertThat(perMinute.values()).allSatisfy(n -> assertThat(n).isBetween(6_000, 7_300));
    assertThat(perSecond).hasSize(900);
    assertThat(perSecond.values()).allSatisfy(n -> assertThat(n).isLessThan(200));
  }

  @Test
  void theSchedulerSpreadsByDefaultAndReanchoringKeepsEachOffset() {
    SettableClock clock = SettableClock.of(Instant.parse("2027-03-01T08:00:00Z"));
    InMemoryWorkStore work = InMemoryWorkStore.of(clock);
    RecordingTransport transport = RecordingTransport.of();
    Dispatcher dispatcher = Dispatcher.builder(transport, clock).workStore(work).build();
    JourneyStore store = InMemoryJourneyStore.of();
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, store, work)
            .dispatcher(dispatcher)
            .journey(ReanchorTest.RENEWAL)
            .build(); // the default window
    ManualWorkDriver driver =
        ManualWorkDriver.of(
            journeys.registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock))).build(),
            clock);
    List<ContactId> contacts = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      ContactId c = ContactId.of("c" + i);
      contacts.add(c);
      journeys.putContact(
          new ContactProfile(
              TENANT,
              c,
              AccountId.of("acct"),
              Optional.of(EmailAddress.of("c" + i + "@example.com")),
              Optional.of(BERLIN),
              Map.of("renewal_date", "2027-04-10")));
      journeys.enrol(TENANT, c, "renewal");
    }
    driver.runDue();

    Set<Instant> due = new HashSet<>();
    for (ContactId c : contacts) {
      Instant at = journeys.enrolments(TENANT, c).get(0).dueAt();
      assertThat(at).isAfterOrEqualTo(NINE).isBefore(NINE.plus(WINDOW));
      due.add(at);
    }
    assertThat(due.size()).isGreaterThan(1_990); // not one instant: about one each

    // a renewal moved by a day keeps its offset after 09:00
    ContactId first = contacts.get(0);
    Instant before = journeys.enrolments(TENANT, first).get(0).dueAt();
    journeys.setAttribute(TENANT, first, "renewal_date", Optional.of("2027-04-11"));
    assertThat(journeys.enrolments(TENANT, first).get(0).dueAt())
        .isEqualTo(before.plus(Duration.ofDays(1)));

    clock.set(NINE.plus(WINDOW));
    driver.runDue();
    Set<Instant> sentAt = new HashSet<>();
    for (Message m : transport.sent()) {
      sentAt.add(m.createdAt());
    }
    assertThat(transport.sent()).hasSize(1_999);
    assertThat(sentAt).hasSize(1); // the manual driver ran them all at one later instant
  }

  @Test
  void theWindowIsValidated() {
    JourneyScheduler.Builder b =
        JourneyScheduler.builder(
            SettableClock.of(NINE),
            InMemoryJourneyStore.of(),
            InMemoryWorkStore.of(SettableClock.of(NINE)));
    assertThatThrownBy(() -> b.burstWindow(Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessage("burst window must be from 0 to PT12H, was PT-1S");
    assertThatThrownBy(() -> b.burstWindow(Duration.ofHours(13)))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("was PT13H");
    assertThatThrownBy(() -> b.burstWindow(null))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("burst window");
    assertThat(b.burstWindow(Duration.ZERO)).isSameAs(b);
    assertThat(new BurstSpread(Duration.ZERO).spread(NINE, enrolment("x"))).isEqualTo(NINE);
  }

  private static Enrolment enrolment(String id) {
    return new Enrolment(
        TENANT,
        id,
        ContactId.of("c"),
        "renewal",
        1,
        "t-30",
        0,
        EnrolmentState.ACTIVE,
        NINE,
        NINE,
        NINE,
        Optional.empty(),
        Optional.empty());
  }
}
