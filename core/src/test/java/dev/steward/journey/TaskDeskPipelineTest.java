package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A task's email goes through the dispatcher's gates like any other message: a capped one is
 * deferred and sent later, once; a refused one is not sent; the task is done either way.
 */
class TaskDeskPipelineTest {
  private static final TenantId T = TenantId.of("t1");
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final Instant CAP_ENDS = START.plus(Duration.ofDays(1));

  /** Refuses mail to "opted"; defers everything else until CAP_ENDS (a cap's window). */
  private static final Gate GATE =
      new Gate() {
        @Override
        public String name() {
          return "test";
        }

        @Override
        public Decision evaluate(Message m, Instant now) {
          if (m.contact().value().equals("opted")) {
            return Decision.suppress(Reason.of("test", "opted-out", Outcome.SUPPRESS, "opted out"));
          }
          if (now.isBefore(CAP_ENDS)) {
            return Decision.defer(
                CAP_ENDS,
                List.of(Reason.of("test", "cap", Outcome.DEFER, "capped", null, CAP_ENDS)));
          }
          return Decision.allow();
        }
      };

  @Test
  void aTasksEmailIsDeferredByACapOrRefusedByConsentLikeAnyOther() {
    SettableClock clock = SettableClock.of(START);
    WorkStore work = InMemoryWorkStore.of(clock);
    RecordingTransport transport = RecordingTransport.of();
    Dispatcher dispatcher = Dispatcher.builder(transport, clock).workStore(work).gate(GATE).build();
    JourneyStore store = InMemoryJourneyStore.of();
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, store, work)
            .dispatcher(dispatcher)
            .journey(
                JourneyDefinition.builder("qbr", 1)
                    .step(
                        new Step.HumanTask(
                            "invite",
                            "qbr-invite",
                            Optional.of("tpl-qbr"),
                            null,
                            Duration.ofDays(5),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty()))
                    .build())
            .tasks(InMemoryTaskStore.of())
            .build();
    ManualWorkDriver driver =
        ManualWorkDriver.of(
            journeys.registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock))).build(),
            clock);
    for (String c : List.of("kim", "opted")) {
      store.putContact(
          new ContactProfile(
              T,
              ContactId.of(c),
              AccountId.of("acct-" + c),
              Optional.of(EmailAddress.of(c + "@example.com")),
              Optional.of(ZoneId.of("Europe/Berlin")),
              Map.of("csm", "carla")));
      journeys.enrol(T, ContactId.of(c), "qbr");
    }
    driver.runDue();
    driver.advance(Duration.ofHours(1));
    TaskDesk desk = journeys.tasks();
    List<JourneyTask> open = desk.open(T, "carla", Optional.empty(), 10);
    assertThat(open).hasSize(2);

    for (JourneyTask x : open) {
      TaskResult r = desk.complete(T, x.id(), TaskCompletion.sentAsSuggested());
      DispatchStatus expected =
          x.contact().value().equals("kim") ? DispatchStatus.DEFERRED : DispatchStatus.SUPPRESSED;
      assertThat(r.dispatch().orElseThrow().status()).isEqualTo(expected);
      assertThat(r.task().state()).isEqualTo(TaskState.DONE);
    }
    assertThat(transport.sent()).isEmpty();

    driver.advanceTo(CAP_ENDS.plusSeconds(1));
    driver.advance(Duration.ofDays(1));
    assertThat(transport.sent())
        .extracting(m -> m.contact().value() + " " + m.templateId())
        .containsExactly("kim tpl-qbr");
    assertThat(journeys.enrolments(T, ContactId.of("kim")).get(0).state())
        .isEqualTo(EnrolmentState.COMPLETED);
  }
}
