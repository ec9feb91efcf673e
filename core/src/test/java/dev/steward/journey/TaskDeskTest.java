package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.DispatchStatus;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Human tasks kept in a task store, end to end with the scheduler, a real dispatcher and the manual
 * driver: reminded, escalated, completed three ways, expired, and refused when done or when the
 * journey ended.
 */
class TaskDeskTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final Map<String, String> CSM = Map.of("csm", "carla", "csm-manager", "maria");

  private final List<TaskNotice> heard = new CopyOnWriteArrayList<>();
  private final TaskStore tasks = InMemoryTaskStore.of();

  /** The renewal's CSM step: due in 3 days; reminded a day before; escalated 2 days. */
  private static JourneyDefinition renewal() {
    return JourneyDefinition.builder("renewal-csm", 1)
        .exitWhen("signed", Condition.eq("renewal", "signed"))
        .step(
            new Step.HumanTask(
                "csm-call",
                "csm-check-in",
                Optional.of("tpl-renewal-check-in"),
                null,
                Duration.ofDays(3),
                Optional.of("sent"),
                Optional.of("edited"),
                Optional.of("dismissed"),
                Optional.of("fallback")))
        .step(new Step.UpdateAttribute("sent", "call", Optional.of("sent"), Optional.empty()))
        .step(new Step.UpdateAttribute("edited", "call", Optional.of("edited"), Optional.empty()))
        .step(
            new Step.UpdateAttribute(
                "dismissed", "call", Optional.of("dismissed"), Optional.empty()))
        .step(
            Step.Send.of("fallback", "tpl-renewal-reminder", MessageKind.RELATIONSHIP, "csm", null))
        .build();
  }

  private JourneyKit kit() {
    return new JourneyKit(
        START, b -> b.journey(renewal()).tasks(tasks, TaskPolicy.DEFAULTS, heard::add));
  }

  private static JourneyTask only(JourneyKit kit, ContactId c) {
    List<JourneyTask> all =
        kit.scheduler.tasks().byAccount(TENANT, AccountId.of("acct-" + c), Optional.empty(), 10);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void aRenewalTaskIsRemindedThenEscalatedThenSentEdited() {
    JourneyKit kit = kit();
    TaskDesk desk = kit.scheduler.tasks();
    ContactId ann = kit.contact("ann", BERLIN, Map.of("csm", "carla", "csm-manager", "maria"));
    kit.enrol(ann, "renewal-csm");
    kit.driver.runDue();

    JourneyTask created = only(kit, ann);
    assertThat(created.state()).isEqualTo(TaskState.OPEN);
    assertThat(created.owner()).isEqualTo("carla");
    assertThat(created.secondOwner()).contains("maria");
    assertThat(created.task()).isEqualTo("csm-check-in");
    assertThat(created.dueAt()).isEqualTo(START.plus(Duration.ofDays(3)));
    assertThat(created.remindAt()).isEqualTo(START.plus(Duration.ofDays(2)));
    assertThat(created.suggested().orElseThrow().template()).contains("tpl-renewal-check-in");
    assertThat(created.suggested().orElseThrow().data()).containsEntry("csm", "carla");
    assertThat(kit.scheduler.openTasks(TENANT, ann))
        .extracting(OpenTask::id)
        .containsExactly(created.id());
    assertThat(desk.open(TENANT, "carla", Optional.empty(), 10)).containsExactly(created);
    assertThat(heard).isEmpty();

    kit.runUntil(START.plus(Duration.ofDays(2)).minusSeconds(1), Duration.ofHours(1));
    assertThat(heard).as("nothing before the reminder time").isEmpty();
    kit.driver.advanceTo(START.plus(Duration.ofDays(2)));
    assertThat(heard).hasSize(1);
    assertThat(heard.get(0).type()).isEqualTo(TaskNotice.Type.REMINDER);
    assertThat(heard.get(0).recipient()).isEqualTo("carla");
    assertThat(desk.find(TENANT, created.id()).orElseThrow().state()).isEqualTo(TaskState.REMINDED);
    assertThat(desk.overdue(TENANT, "carla", Optional.empty(), 10)).isEmpty();

    kit.runUntil(START.plus(Duration.ofDays(3)), Duration.ofHours(1));
    assertThat(heard)
        .extracting(TaskNotice::type)
        .containsExactly(TaskNotice.Type.REMINDER, TaskNotice.Type.ESCALATED);
    assertThat(heard.get(1).recipient()).isEqualTo("maria");
    assertThat(desk.open(TENANT, "carla", Optional.empty(), 10)).isEmpty();
    kit.driver.advance(Duration.ofHours(1));
    assertThat(desk.overdue(TENANT, "maria", Optional.empty(), 10))
        .extracting(JourneyTask::id)
        .containsExactly(created.id());
    assertThat(kit.only(ann).state())
        .as("the journey still waits")
        .isEqualTo(EnrolmentState.WAITING);
    assertThat(kit.transport.sent()).isEmpty();

    TaskEmail edit =
        created
            .suggested()
            .orElseThrow()
            .edited("Renewal: 15 minutes?", "Hi Ann,\nhow is it going?");
    TaskResult done = desk.complete(TENANT, created.id(), TaskCompletion.sentEdited(edit));

    assertThat(done.dispatch().orElseThrow().status()).isEqualTo(DispatchStatus.SENT);
    assertThat(done.task().state()).isEqualTo(TaskState.DONE);
    assertThat(done.task().outcome()).contains(TaskOutcome.SENT_EDITED);
    assertThat(done.task().edited()).contains(edit);
    assertThat(desk.find(TENANT, created.id())).contains(done.task());
    Message m = kit.transport.sent().get(0);
    assertThat(kit.transport.sent()).hasSize(1);
    assertThat(m.templateId()).isEqualTo("tpl-renewal-check-in");
    assertThat(m.personalisation())
        .containsEntry("subject", "Renewal: 15 minutes?")
        .containsEntry("body", "Hi Ann,\nhow is it going?")
        .containsEntry("csm", "carla");
    assertThat(m.kind()).isEqualTo(MessageKind.RELATIONSHIP);
    assertThat(m.source().journeyStep()).contains("renewal-csm").contains("csm-call");
    kit.driver.runDue(); // the enrolment goes on as due work
    assertThat(kit.store.contact(TENANT, ann).orElseThrow().attributes())
        .containsEntry("call", "edited");
    assertThat(kit.outcomes(kit.only(ann)))
        .containsExactly(
            StepOutcome.ENTERED,
            StepOutcome.TASK_CREATED,
            StepOutcome.TASK_DONE,
            StepOutcome.UPDATED);

    assertThatThrownBy(() -> desk.complete(TENANT, created.id(), TaskCompletion.sentAsSuggested()))
        .isInstanceOf(TaskClosedException.class)
        .hasMessageContaining("completed already (SENT_EDITED");
    kit.runUntil(START.plus(Duration.ofDays(10)), Duration.ofHours(6));
    assertThat(kit.transport.sent()).as("sent once; no overdue path").hasSize(1);
    assertThat(heard).hasSize(2);

    TaskReport r = desk.report(TENANT, "maria", START, START.plus(Duration.ofDays(30)));
    assertThat(r.sentEdited()).isEqualTo(1);
    assertThat(r.open()).isZero();
    assertThat(r.editedShare().getAsDouble()).isEqualTo(1.0);
    assertThat(desk.report(TENANT, "carla", START, START.plus(Duration.ofDays(30))).done())
        .as("the task went to maria when it escalated")
        .isZero();
  }

  @Test
  void aDismissalTakesTheDismissedPathAndSendsNothing() {
    JourneyKit kit = kit();
    TaskDesk desk = kit.scheduler.tasks();
    ContactId bob = kit.contact("bob", BERLIN, CSM);
    kit.enrol(bob, "renewal-csm");
    kit.driver.runDue();
    String id = only(kit, bob).id();

    for (String bad : List.of(" ", "", "a\u0000b", "x".repeat(JourneyTask.MAX_REASON + 1))) {
      assertThatThrownBy(() -> desk.complete(TENANT, id, TaskCompletion.dismissed(bad)))
          .isInstanceOf(InvalidTaskException.class)
          .hasMessageContaining("reason for dismissing a task");
    }
    assertThatThrownBy(() -> desk.complete(TENANT, id, TaskCompletion.dismissed(null)))
        .isInstanceOf(InvalidTaskException.class);
    assertThat(desk.find(TENANT, id).orElseThrow().state()).isEqualTo(TaskState.OPEN);

    kit.driver.advance(Duration.ofHours(4));
    TaskResult r = desk.complete(TENANT, id, TaskCompletion.dismissed("they signed by phone"));
    assertThat(r.dispatch()).isEmpty();
    assertThat(r.task().reason()).contains("they signed by phone");
    assertThat(kit.transport.sent()).isEmpty();
    kit.driver.runDue();
    assertThat(kit.store.contact(TENANT, bob).orElseThrow().attributes())
        .containsEntry("call", "dismissed");
    assertThat(kit.store.history(TENANT, kit.only(bob).id()).get(2).detail())
        .isEqualTo("task " + id + ": DISMISSED (they signed by phone)");
    kit.runUntil(START.plus(Duration.ofDays(8)), Duration.ofHours(6));
    assertThat(heard).as("a done task is neither reminded nor escalated").isEmpty();
    TaskReport report = desk.report(TENANT, "carla", START, START.plus(Duration.ofDays(1)));
    assertThat(report.dismissed()).isEqualTo(1);
    assertThat(report.editedShare()).isEmpty();
  }

  @Test
  void sentAsSuggestedGoesThroughTheDispatcherOnceWhateverTheRepeats() {
    JourneyKit kit = kit();
    TaskDesk desk = kit.scheduler.tasks();
    ContactId cem = kit.contact("cem", BERLIN, Map.of("csm", "carla"));
    kit.enrol(cem, "renewal-csm");
    kit.driver.runDue();
    JourneyTask x = only(kit, cem);
    assertThat(x.secondOwner()).isEmpty();

    TaskResult r = desk.complete(TENANT, x.id(), TaskCompletion.sentAsSuggested());
    assertThat(r.dispatch().orElseThrow().status()).isEqualTo(DispatchStatus.SENT);
    assertThat(kit.sentTo(cem))
        .extracting(Message::templateId)
        .containsExactly("tpl-renewal-check-in");
    assertThat(kit.sentTo(cem).get(0).personalisation()).doesNotContainKey("subject");
    // the message id derives from the task: a second dispatch of it is a duplicate
    assertThat(kit.dispatcher.dispatch(kit.sentTo(cem).get(0)).status())
        .isEqualTo(DispatchStatus.DUPLICATE);
    assertThat(kit.sentTo(cem)).hasSize(1);
    assertThatThrownBy(
            () -> desk.complete(TENANT, x.id(), TaskCompletion.dismissed("changed my mind")))
        .isInstanceOf(TaskClosedException.class);
    assertThat(desk.find(TENANT, x.id()).orElseThrow().outcome())
        .contains(TaskOutcome.SENT_AS_SUGGESTED);
  }

  @Test
  void nobodyActingEscalatesThenExpiresAndTheJourneyTakesTheOverduePath() {
    JourneyKit kit = kit();
    TaskDesk desk = kit.scheduler.tasks();
    ContactId dan = kit.contact("dan", BERLIN, Map.of()); // no CSM: unassigned, no second owner
    kit.enrol(dan, "renewal-csm");
    kit.runUntil(START.plus(Duration.ofDays(5)).minusSeconds(1), Duration.ofHours(1));
    JourneyTask x = only(kit, dan);
    assertThat(x.owner()).isEqualTo(TaskPolicy.DEFAULT_UNASSIGNED);
    assertThat(x.state()).isEqualTo(TaskState.ESCALATED);
    assertThat(heard)
        .extracting(TaskNotice::type, TaskNotice::recipient)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(TaskNotice.Type.REMINDER, "unassigned"),
            org.assertj.core.groups.Tuple.tuple(TaskNotice.Type.ESCALATED, "unassigned"));
    assertThat(kit.transport.sent()).isEmpty();

    kit.runUntil(START.plus(Duration.ofDays(5)).plusSeconds(1), Duration.ofHours(1));
    JourneyTask expired = desk.find(TENANT, x.id()).orElseThrow();
    assertThat(expired.state()).isEqualTo(TaskState.EXPIRED);
    assertThat(expired.reason()).contains("overdue: nobody acted in time");
    assertThat(kit.sentTo(dan))
        .extracting(Message::templateId)
        .containsExactly("tpl-renewal-reminder");
    assertThatThrownBy(() -> desk.complete(TENANT, x.id(), TaskCompletion.sentAsSuggested()))
        .isInstanceOf(TaskClosedException.class)
        .hasMessageContaining("expired");
    assertThat(kit.sentTo(dan)).hasSize(1);
    assertThat(desk.report(TENANT, "unassigned", START, START.plus(Duration.ofDays(9))).expired())
        .isEqualTo(1);
  }

  @Test
  void completingATaskWhoseJourneyExitedIsRefusedAndChangesNothing() {
    JourneyKit kit = kit();
    TaskDesk desk = kit.scheduler.tasks();
    ContactId eve = kit.contact("eve", BERLIN, CSM);
    kit.enrol(eve, "renewal-csm");
    kit.driver.runDue();
    JourneyTask x = only(kit, eve);
    // the journey ends by other means while the task is open (here: its enrolment is moved on)
    Enrolment e = kit.only(eve);
    Instant now = kit.clock.instant();
    assertThat(
            kit.store.advance(
                e.next(e.step(), EnrolmentState.EXITED, now, now).withExitReason("test"),
                new HistoryEntry(e.seq() + 1, e.step(), now, StepOutcome.EXITED, "test")))
        .isTrue();

    assertThatThrownBy(() -> desk.complete(TENANT, x.id(), TaskCompletion.sentAsSuggested()))
        .isInstanceOf(TaskJourneyEndedException.class)
        .hasMessageContaining("no longer waits on it");
    assertThat(kit.transport.sent()).isEmpty();
    assertThat(desk.find(TENANT, x.id())).contains(x);

    // its reminder finds the journey gone and expires the task without telling anyone
    kit.runUntil(START.plus(Duration.ofDays(4)), Duration.ofHours(6));
    assertThat(heard).isEmpty();
    assertThat(desk.find(TENANT, x.id()).orElseThrow().state()).isEqualTo(TaskState.EXPIRED);
  }

  @Test
  void anExitCriterionExpiresTheTaskTheEnrolmentWaitedOn() {
    JourneyKit kit = kit();
    TaskDesk desk = kit.scheduler.tasks();
    ContactId fay = kit.contact("fay", BERLIN, CSM);
    kit.enrol(fay, "renewal-csm");
    kit.driver.runDue();
    JourneyTask x = only(kit, fay);
    kit.scheduler.setAttribute(TENANT, fay, "renewal", Optional.of("signed"));
    kit.runUntil(START.plus(Duration.ofDays(6)), Duration.ofHours(6));
    assertThat(kit.only(fay).state()).isEqualTo(EnrolmentState.EXITED);
    JourneyTask after = desk.find(TENANT, x.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(TaskState.EXPIRED);
    assertThat(after.reason()).contains("the journey exited: 'signed'");
    assertThat(kit.transport.sent()).isEmpty();
  }

  @Test
  void badInputIsRefusedBeforeAnythingIsSentOrWritten() {
    JourneyKit kit = kit();
    TaskDesk desk = kit.scheduler.tasks();
    ContactId gil = kit.contact("gil", BERLIN, CSM);
    kit.enrol(gil, "renewal-csm");
    kit.driver.runDue();
    String id = only(kit, gil).id();

    assertThatThrownBy(() -> desk.complete(TENANT, "task-nope-1", TaskCompletion.sentAsSuggested()))
        .isInstanceOf(TaskNotFoundException.class)
        .hasMessageContaining("task-nope-1");
    assertThatThrownBy(() -> desk.complete(TENANT, "ta\u0000sk", TaskCompletion.sentAsSuggested()))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("task id");
    assertThatThrownBy(() -> desk.complete(TENANT, id, null))
        .isInstanceOf(InvalidTaskException.class);
    assertThatThrownBy(() -> TaskEmail.written("Subject", "body with \u0000 NUL"))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("body of a task email contains a control character (U+0000)");
    assertThatThrownBy(() -> TaskEmail.written("Sub\nject", "body"))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("subject");
    assertThatThrownBy(() -> TaskEmail.written("Subject", "x".repeat(TaskEmail.MAX_BODY + 1)))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("at most " + TaskEmail.MAX_BODY);
    assertThatThrownBy(() -> TaskEmail.written("Subject", null))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("needs a template or a body");
    assertThatThrownBy(() -> TaskEmail.template("tpl", Map.of("body", "x")))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("reserved");
    assertThatThrownBy(
            () -> kit.scheduler.completeTask(TENANT, id, TaskOutcome.SENT_AS_SUGGESTED, null))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("tasks().complete");
    assertThatThrownBy(() -> TaskPolicy.builder().escalatedFor(Duration.ZERO).build())
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("escalatedFor");
    assertThatThrownBy(() -> TaskPolicy.builder().unassigned("a\u0000").build())
        .isInstanceOf(InvalidTaskException.class);
    assertThat(kit.transport.sent()).isEmpty();
    assertThat(desk.find(TENANT, id).orElseThrow().state()).isEqualTo(TaskState.OPEN);
    assertThat(kit.only(gil).state()).isEqualTo(EnrolmentState.WAITING);
  }

  @Test
  void aCompletionWhoseInstanceDiedBeforeTheJourneyMovedIsTakenUpLater() {
    JourneyKit kit = kit();
    ContactId jo = kit.contact("jo", BERLIN, CSM);
    kit.enrol(jo, "renewal-csm");
    kit.driver.runDue();
    JourneyTask x = only(kit, jo);
    // the task was stored DONE, and the instance died before it advanced the enrolment
    TaskEmail edit = TaskEmail.written("Hi", "Shall we talk?");
    assertThat(
            tasks.update(
                x.done(TaskOutcome.SENT_EDITED, Optional.empty(), Optional.of(edit), START),
                TaskState.OPEN))
        .isTrue();
    kit.runUntil(START.plus(Duration.ofDays(6)), Duration.ofHours(6));
    assertThat(kit.store.contact(TENANT, jo).orElseThrow().attributes())
        .as(
            "the outcome's path, not the overdue one: %s",
            kit.store.history(TENANT, kit.only(jo).id()))
        .containsEntry("call", "edited");
    assertThat(kit.transport.sent()).isEmpty();
    assertThat(kit.store.history(TENANT, kit.only(jo).id()).get(2).detail())
        .isEqualTo("task " + x.id() + ": SENT_EDITED (taken up after the completion)");
    assertThat(heard).as("a done task is neither reminded nor escalated").isEmpty();
  }

  @Test
  void erasingAContactForgetsItsTasksAndTheirReminders() {
    JourneyKit kit = kit();
    TaskDesk desk = kit.scheduler.tasks();
    ContactId hal = kit.contact("hal", BERLIN, CSM);
    ContactId ida = kit.contact("ida", BERLIN, CSM);
    kit.enrol(hal, "renewal-csm");
    kit.enrol(ida, "renewal-csm");
    kit.driver.runDue();
    kit.scheduler.eraseContact(TENANT, hal);
    assertThat(desk.open(TENANT, "carla", Optional.empty(), 10))
        .extracting(JourneyTask::contact)
        .containsExactly(ida);
    kit.runUntil(START.plus(Duration.ofDays(2)).plusSeconds(1), Duration.ofHours(6));
    assertThat(heard).extracting(n -> n.task().contact()).containsExactly(ida);
    kit.scheduler.eraseTenant(TENANT);
    assertThat(desk.open(TENANT, "carla", Optional.empty(), 10)).isEmpty();
  }
}
