package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.SendResult;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One contact's strange but valid attribute in a batch of steps: a renewal date at the last day a
 * date can name, whose deadline (a day after it) no date can name.
 */
class StepBatchPoisonTest {
  private static final TenantId T = TenantId.of("t1");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final String LAST_DATE = "+999999999-12-31";
  private static final JourneyDefinition RENEWAL = renewal(1);

  private static JourneyDefinition renewal(int offsetDays) {
    return JourneyDefinition.builder("renewal", 1)
        .step(
            Step.Send.of("remind", "tpl-remind", MessageKind.EDUCATIONAL, "renewal", null)
                .withDeadline(Deadline.fromDate("renewal_date", offsetDays)))
        .build();
  }

  private static final class Setup {
    final SettableClock clock = SettableClock.of(T0);
    final WorkStore work = InMemoryWorkStore.of(clock);
    final InMemoryJourneyStore store = InMemoryJourneyStore.of();
    final List<String> to = new ArrayList<>();
    final JourneyScheduler journeys;
    final WorkRunner runner;

    Setup(boolean batch) {
      this(batch, RENEWAL);
    }

    Setup(boolean batch, JourneyDefinition journey) {
      Dispatcher dispatcher =
          Dispatcher.builder(
                  m -> {
                    to.add(m.contact().value());
                    return SendResult.accepted("p-" + m.id());
                  },
                  clock)
              .workStore(work)
              .build();
      journeys =
          JourneyScheduler.builder(clock, store, work)
              .journey(journey)
              .batchSteps(batch)
              .dispatcher(dispatcher)
              .build();
      runner =
          journeys
              .registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock).batchSize(100)))
              .build();
    }

    void enrol(String contact, Map<String, String> attributes) {
      ContactId c = ContactId.of(contact);
      journeys.putContact(
          new ContactProfile(
              T,
              c,
              AccountId.of("a-" + contact),
              Optional.of(EmailAddress.of(contact + "@example.com")),
              Optional.of(ZoneOffset.UTC),
              attributes));
      assertThat(journeys.enrol(T, c, "renewal").enrolled()).isTrue();
    }

    Enrolment enrolment(String contact) {
      return store.enrolments(T, ContactId.of(contact)).get(0);
    }
  }

  @Test
  void oneItemThatCannotBePlannedDoesNotKeepTheOthersOfItsBatchFromRunning() {
    Setup s = new Setup(true);
    for (int i = 0; i < 5; i++) {
      s.enrol("c" + i, i == 2 ? Map.of("renewal_date", LAST_DATE) : Map.of());
    }

    s.runner.runDue();

    assertThat(s.to).contains("c0", "c1", "c3", "c4");
    for (String c : List.of("c0", "c1", "c3", "c4")) {
      assertThat(s.enrolment(c).state().finished()).as(c).isTrue();
    }
  }

  @ParameterizedTest(name = "batch {0}")
  @ValueSource(booleans = {false, true})
  void aDeadlinePastTheLastDateIsNeverReachedAndTheStepSends(boolean batch) {
    Setup s = new Setup(batch);
    s.enrol("c0", Map.of("renewal_date", LAST_DATE));

    s.runner.runDue();

    assertThat(s.to).containsExactly("c0");
    Enrolment e = s.enrolment("c0");
    assertThat(e.state().finished()).isTrue();
    assertThat(s.store.history(T, e.id()))
        .extracting(HistoryEntry::outcome)
        .contains(StepOutcome.SENT);
  }

  @ParameterizedTest(name = "batch {0}")
  @ValueSource(booleans = {false, true})
  void aDeadlineOnTheLastDateIsNotReachedAndOneBeforeTheFirstDateHasPassed(boolean batch) {
    Setup last = new Setup(batch, renewal(0));
    last.enrol("c0", Map.of("renewal_date", LAST_DATE));
    last.runner.runDue();
    assertThat(last.to).containsExactly("c0");

    Setup first = new Setup(batch, renewal(-1));
    first.enrol("c0", Map.of("renewal_date", "-999999999-01-01"));
    first.runner.runDue();
    assertThat(first.to).isEmpty();
    Enrolment e = first.enrolment("c0");
    assertThat(e.state().finished()).isTrue();
    assertThat(first.store.history(T, e.id()))
        .extracting(HistoryEntry::outcome)
        .contains(StepOutcome.SKIPPED);
  }

  @ParameterizedTest(name = "batch {0}")
  @ValueSource(booleans = {false, true})
  void aDeadlineOnADateBeyondWhatAStoreKeepsIsNotReachedAndTheStepSends(boolean batch) {
    Setup s = new Setup(batch, renewal(0));
    s.enrol("c0", Map.of("renewal_date", "2300-01-01"));

    s.runner.runDue();

    assertThat(s.to).containsExactly("c0");
    Enrolment e = s.enrolment("c0");
    assertThat(s.store.history(T, e.id()))
        .extracting(HistoryEntry::outcome)
        .contains(StepOutcome.SENT);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"2300-01-01", LAST_DATE})
  void aWaitUntilADateBeyondWhatAStoreKeepsExitsWithTheReasonInsteadOfFailingEveryRetry(
      String date) {
    JourneyDefinition waits =
        JourneyDefinition.builder("renewal", 1)
            .step(
                new Step.WaitUntilDate(
                    "until", "renewal_date", 1, java.time.LocalTime.NOON, Optional.of("remind")))
            .step(Step.Send.of("remind", "tpl-remind", MessageKind.EDUCATIONAL, "renewal", null))
            .build();
    Setup s = new Setup(true, waits);
    s.enrol("c0", Map.of("renewal_date", date));

    s.runner.runDue();

    Enrolment e = s.enrolment("c0");
    assertThat(e.state().finished()).isTrue();
    assertThat(s.store.history(T, e.id()))
        .extracting(HistoryEntry::detail)
        .anySatisfy(d -> assertThat(d).contains("'renewal_date' moved by 1 days is beyond"));
    assertThat(s.to).isEmpty();
  }

  @Test
  void aRenewalDateMovedBeyondWhatAStoreKeepsLeavesTheWaitAsItWasAndIsSet() {
    JourneyDefinition waits =
        JourneyDefinition.builder("renewal", 1)
            .step(
                new Step.WaitUntilDate(
                    "until", "renewal_date", 1, java.time.LocalTime.NOON, Optional.of("remind")))
            .step(Step.Send.of("remind", "tpl-remind", MessageKind.EDUCATIONAL, "renewal", null))
            .build();
    Setup s = new Setup(true, waits);
    s.enrol("c0", Map.of("renewal_date", "2026-12-01"));
    s.runner.runDue();
    Enrolment waiting = s.enrolment("c0");
    assertThat(waiting.dueAt()).isAfter(Instant.parse("2026-12-02T11:59:00Z"));

    for (String date : List.of("2300-01-01", LAST_DATE)) {
      assertThat(s.journeys.setAttribute(T, ContactId.of("c0"), "renewal_date", Optional.of(date)))
          .isTrue();
      assertThat(s.journeys.profile(T, ContactId.of("c0")).orElseThrow().attributes())
          .containsEntry("renewal_date", date);
      assertThat(s.enrolment("c0").dueAt()).isEqualTo(waiting.dueAt());
    }
  }
}
