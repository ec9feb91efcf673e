package dev.steward.journey;

import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The enrolment side of human tasks: which enrolment waits on a task, the message of a task's
 * email, the open tasks of a contact, and the move down a task outcome's path.
 */
final class TaskSteps {
  static final String TASK_PREFIX = "task-";

  private final Clock clock;
  private final JourneyStore store;
  private final Journeys journeys;
  private final JourneyWork work;
  private final Optional<ZoneId> defaultZone;

  private final java.util.function.BiConsumer<Enrolment, HistoryEntry> recorded;

  TaskSteps(
      Clock clock,
      JourneyStore store,
      Journeys journeys,
      JourneyWork work,
      Optional<ZoneId> defaultZone,
      java.util.function.BiConsumer<Enrolment, HistoryEntry> recorded) {
    this.recorded = recorded; // analytics hook (issue 14)
    this.clock = clock;
    this.store = store;
    this.journeys = journeys;
    this.work = work;
    this.defaultZone = defaultZone;
  }

  /** The id of the task a waiting enrolment's step created: its enrolment and sequence number. */
  static String taskId(Enrolment e) {
    return TASK_PREFIX + e.id() + "-" + e.seq();
  }

  /** The enrolment waiting on a stored task, if it still waits on it. */
  Optional<Enrolment> waitingOn(JourneyTask x) {
    return store
        .find(x.tenant(), x.enrolment())
        .filter(e -> e.state() == EnrolmentState.WAITING && taskId(e).equals(x.id()))
        .filter(e -> journeys.stepOf(e).orElse(null) instanceof Step.HumanTask);
  }

  /** See {@link JourneyScheduler#taskMessage}. */
  Message taskMessage(Enrolment e, JourneyTask x, TaskEmail email, TaskPolicy policy, Instant now) {
    ContactProfile p =
        store
            .contact(e.tenant(), e.contact())
            .orElseThrow(
                () -> new InvalidTaskException("task " + x.id() + ": the contact has no profile"));
    if (p.email().isEmpty()) {
      throw new InvalidTaskException("task " + x.id() + ": the contact has no email address");
    }
    String team = journeys.of(e).map(JourneyDefinition::team).orElse("csm");
    try {
      return Message.builder()
          .id(MessageId.of(JourneyMessageIds.PREFIX + x.id().substring(TASK_PREFIX.length())))
          .idempotencyKey("journey-task:" + x.id())
          .tenant(e.tenant())
          .account(p.account())
          .contact(e.contact())
          .to(p.email().get())
          .recipientZone(p.zone().or(() -> defaultZone).orElse(null))
          .kind(policy.kind())
          .category(policy.category())
          .source(Source.journey(team, e.journey(), x.step()))
          .templateId(email.template().orElse(null))
          .personalisation(email.personalisation())
          .createdAt(now)
          .build();
    } catch (dev.steward.model.InvalidModelException bad) {
      throw new InvalidTaskException("task " + x.id() + ": " + bad.getMessage());
    }
  }

  /** See {@link JourneyScheduler#openTasks}. */
  List<OpenTask> openTasks(TenantId tenant, ContactId contact) {
    List<OpenTask> out = new ArrayList<>();
    Optional<ContactProfile> p = store.contact(tenant, contact);
    for (Enrolment e : store.enrolments(tenant, contact)) {
      if (e.state() == EnrolmentState.WAITING
          && journeys.stepOf(e).orElse(null) instanceof Step.HumanTask t) {
        out.add(
            new OpenTask(
                tenant,
                taskId(e),
                contact,
                e.journey(),
                t.id(),
                t.task(),
                p.map(x -> x.attributes().get(t.ownerAttribute())),
                t.template(),
                e.dueAt()));
      }
    }
    return out;
  }

  /** See {@link JourneyScheduler#advanceTask}. */
  boolean advanceTask(TenantId tenant, String taskId, TaskOutcome outcome, String note) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(taskId, "task id");
    InvalidJourneyException.requireNonNull(outcome, "outcome");
    if (outcome == TaskOutcome.DISMISSED && (note == null || note.isBlank())) {
      throw new InvalidJourneyException("dismissing task " + taskId + " needs a reason");
    }
    if (note != null) {
      ContactProfile.checkAttribute(note, "note on task " + taskId); // stored in its history
    }
    int dash = taskId.lastIndexOf('-');
    if (!taskId.startsWith(TASK_PREFIX) || dash <= TASK_PREFIX.length()) {
      throw new InvalidJourneyException("'" + taskId + "' is not a journey task id");
    }
    Optional<Enrolment> found = store.find(tenant, taskId.substring(TASK_PREFIX.length(), dash));
    if (found.isEmpty()
        || found.get().state() != EnrolmentState.WAITING
        || !taskId(found.get()).equals(taskId)) {
      found.ifPresent(work::ensureDue); // a repeat after a completion whose reschedule failed
      return false;
    }
    Enrolment e = found.get();
    if (!(journeys.stepOf(e).orElse(null) instanceof Step.HumanTask t)) {
      return false;
    }
    Instant now = clock.instant();
    String detail =
        "task "
            + taskId
            + ": "
            + outcome
            + (note == null || note.isBlank() ? "" : " (" + note + ")");
    Change c = Change.go(e, t, t.after(outcome), now, now, StepOutcome.TASK_DONE, detail);
    if (!store.advance(c.next(), c.entry())) {
      return false;
    }
    recorded.accept(c.next(), c.entry()); // analytics hook (issue 14)
    work.after(c.next());
    return true;
  }
}
