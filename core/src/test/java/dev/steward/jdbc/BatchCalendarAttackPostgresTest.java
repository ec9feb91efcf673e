package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CommunicationCalendar;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.SendResult;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.NumberedContacts;
import dev.steward.journey.Step;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Hostile review (rb2): a batch of more steps than one set-based statement holds on PostgreSQL
 * (1,100: over the 500 of the enrolments' compare-and-set and the calendar's kept plan cancels, and
 * the 1,000 of the analytics' facts), with the communication calendar: every calendar entry ends as
 * the single path (batchSteps(false)) leaves it, and every message leaves once.
 */
class BatchCalendarAttackPostgresTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final TenantId T = TenantId.of("t1");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final JourneyDefinition TWO =
      JourneyDefinition.builder("two", 1)
          .step(Step.Send.of("first", "tpl-first", MessageKind.EDUCATIONAL, "onboarding", "pause"))
          .step(new Step.Wait("pause", Duration.ofDays(1), Optional.of("second")))
          .step(Step.Send.of("second", "tpl-second", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();

  /** A contact's calendar entries after each phase, without what names the contact. */
  private static List<List<String>> drive(int contacts, boolean batch, Map<String, Integer> left) {
    DB.clear();
    SettableClock clock = SettableClock.of(T0);
    WorkStore work = JdbcWorkStore.of(DB.dataSource());
    Dispatcher dispatcher =
        Dispatcher.builder(
                m -> {
                  left.merge(m.id().value(), 1, Integer::sum);
                  return SendResult.accepted("p-" + m.id());
                },
                clock)
            .workStore(work)
            .ledger(JdbcDeliveryLedger.of(DB.dataSource()))
            .build();
    CommunicationCalendar calendar =
        CommunicationCalendar.builder(JdbcCalendarStore.of(DB.dataSource()), clock).build();
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, JdbcJourneyStore.of(DB.dataSource()), work)
            .journey(TWO)
            .dispatcher(dispatcher)
            .calendar(calendar)
            .batchSteps(batch)
            .build();
    NumberedContacts.enrolAll(journeys, T, contacts, "two");
    WorkRunner runner =
        journeys
            .registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock).batchSize(2_000)))
            .build();
    List<List<String>> phases = new ArrayList<>();
    for (int phase = 0; phase < 2; phase++) {
      runner.runDue();
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < contacts; i++) {
        List<String> mine = new ArrayList<>();
        for (CalendarEntry e :
            calendar.forContact(
                T, ContactId.of("c" + i), T0.minusSeconds(1), T0.plus(Duration.ofDays(30)))) {
          mine.add(
              e.type()
                  + " "
                  + e.status()
                  + " "
                  + e.kind()
                  + " "
                  + e.category()
                  + " "
                  + e.campaign()
                  + " "
                  + e.at());
        }
        seen.add(String.valueOf(mine));
      }
      phases.add(seen);
      clock.set(clock.instant().plus(Duration.ofDays(1)).plusSeconds(1));
    }
    return phases;
  }

  @Test
  void aBatchOverOneStatementsChunkLeavesEveryCalendarEntryAsTheSinglePathDoes() {
    Map<String, Integer> leftAlone = new ConcurrentHashMap<>();
    List<List<String>> alone = drive(2, false, leftAlone);
    assertThat(leftAlone).hasSize(4);

    int n = 520;
    Map<String, Integer> left = new ConcurrentHashMap<>();
    List<List<String>> batched = drive(n, true, left);

    assertThat(left).hasSize(2 * n);
    assertThat(left.values()).containsOnly(1);
    for (int phase = 0; phase < 2; phase++) {
      String expected = alone.get(phase).get(0);
      assertThat(expected).as("phase %s", phase).contains("onboarding");
      assertThat(alone.get(phase).get(1)).isEqualTo(expected);
      assertThat(batched.get(phase)).as("phase %s", phase).hasSize(n).containsOnly(expected);
    }
  }
}
