package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.delivery.SendResult;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.Enrolment;
import dev.steward.journey.HistoryEntry;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.Step;
import dev.steward.journey.StepOutcome;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile review (rb3): a gate of the ISV's own that suppresses with a reason holding a NUL or half
 * a surrogate pair (a note cut in the middle of an emoji): the journey writes the decision into the
 * step's history, which PostgreSQL refuses (NUL: every enrolment stayed at the step, its step
 * failing again and again) or keeps as '?'. The step's outcome is stored for every contact of the
 * batch, the text no store keeps shown as U+FFFD.
 */
class JourneyRb3GateReasonPostgresTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final TenantId T = TenantId.of("rb3");

  @ParameterizedTest
  @ValueSource(strings = {"note\u0000cut", "note \uD83D"})
  void aGatesReasonWithTextNoStoreKeepsDoesNotStopTheStep(String detail) {
    DB.clear();
    SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T09:00:00Z"));
    WorkStore work = JdbcWorkStore.of(DB.dataSource());
    Gate own =
        new Gate() {
          @Override
          public String name() {
            return "own";
          }

          @Override
          public Decision evaluate(Message message, Instant now) {
            return Decision.suppress(Reason.of("own", "notes", Outcome.SUPPRESS, detail));
          }
        };
    Dispatcher dispatcher =
        Dispatcher.builder(m -> SendResult.accepted("p-" + m.id()), clock)
            .workStore(work)
            .ledger(JdbcDeliveryLedger.of(DB.dataSource()))
            .gate(own)
            .build();
    JdbcJourneyStore store = JdbcJourneyStore.of(DB.dataSource());
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, store, work)
            .journey(
                JourneyDefinition.builder("one", 1)
                    .step(Step.Send.of("s0", "tpl", MessageKind.EDUCATIONAL, "news", null))
                    .build())
            .dispatcher(dispatcher)
            .build();
    WorkRunner runner =
        journeys.registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock))).build();
    for (int i = 0; i < 3; i++) {
      ContactId c = ContactId.of("c" + i);
      journeys.putContact(
          new ContactProfile(
              T,
              c,
              AccountId.of("a"),
              Optional.of(EmailAddress.of("c" + i + "@example.com")),
              Optional.of(ZoneOffset.UTC),
              Map.of()));
      assertThat(journeys.enrol(T, c, "one").enrolled()).isTrue();
    }

    for (int round = 0; round < 3 && runner.runDue() > 0; round++) {
      // the steps, and a retry if one failed
    }

    for (int i = 0; i < 3; i++) {
      Enrolment e = store.enrolments(T, ContactId.of("c" + i)).get(0);
      assertThat(e.state().finished()).as("enrolment of c%d finished", i).isTrue();
      HistoryEntry last = store.history(T, e.id()).get(1);
      assertThat(last.outcome()).isEqualTo(StepOutcome.SUPPRESSED);
      // what no store keeps is shown as U+FFFD, as any text for people would show it
      assertThat(last.detail())
          .contains(detail.replace('\u0000', '\uFFFD').replace('\uD83D', '\uFFFD'));
    }
  }
}
