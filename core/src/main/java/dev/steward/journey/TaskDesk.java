package dev.steward.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.internal.json.StrictJson;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InvalidWorkException;
import dev.steward.schedule.KindSettings;
import dev.steward.schedule.Next;
import dev.steward.schedule.RetryPolicy;
import dev.steward.schedule.WorkContext;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The human tasks of a {@link JourneyScheduler}'s journeys, kept in a {@link TaskStore}: the lists
 * an owner works from, completion (the "email assist" path: send the suggested email, send an
 * edited one, or dismiss with a reason), and reports per owner. Obtained from {@link
 * JourneyScheduler#tasks()} once the scheduler is built with {@link
 * JourneyScheduler.Builder#tasks}.
 *
 * <p>A task step creates the task when it begins; its reminder and its escalation are due work
 * (kinds {@value #REMIND_KIND} and {@value #ESCALATE_KIND}, keyed by the task id) run by the runner
 * the scheduler is registered with, each applied once across instances by a compare-and-set on the
 * task's state and then told to the {@link TaskListener}.
 *
 * <p>The {@link TaskListener} is told at least once, as due work ({@value #NOTICE_KIND}, one item
 * per task and notice type): the notice is stored before the change it announces, and told (on a
 * runner's thread) only once the change is on the task, so an instance that dies after the change,
 * or a store whose answer is lost, leaves the notice to be told by whichever instance claims it. A
 * listener that throws fails the delivery, which is retried with back-off ({@link #NOTICE_RETRY};
 * then DEAD, for an operator): listeners de-duplicate on {@link TaskNotice#id()}. A notice whose
 * change never got stored (the task was completed, expired or escalated first) is dropped unheard;
 * erasing the task's contact cancels its notices, and a notice whose task was erased (with its
 * tenant) is dropped when it comes due.
 */
public final class TaskDesk {
  private static final Logger log = LoggerFactory.getLogger(TaskDesk.class);

  /** The kind of the work items that remind a task's owner. */
  public static final String REMIND_KIND = "steward.journey-task-remind";

  /** The kind of the work items that escalate an overdue task to its second owner. */
  public static final String ESCALATE_KIND = "steward.journey-task-escalate";

  /** The kind of the work items that tell the {@link TaskListener} of a reminder or escalation. */
  public static final String NOTICE_KIND = "steward.journey-task-notice";

  /**
   * How a notice whose listener threw is retried: 30 seconds, doubling up to an hour apart, 50
   * attempts (about two days), then DEAD.
   */
  public static final RetryPolicy NOTICE_RETRY =
      new RetryPolicy(50, Duration.ofSeconds(30), Duration.ofHours(1));

  // a notice is stored due this long after its change is tried, and made due at once when the
  // change is stored; found before its change is on the task, it waits this long between looks,
  // and is dropped once the change has not appeared for NOTICE_ABANDON (it failed unanswered)
  private static final Duration NOTICE_WAIT = Duration.ofSeconds(30);
  private static final Duration NOTICE_ABANDON = Duration.ofHours(1);

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final WorkType<Pending> NOTICE =
      WorkType.of(NOTICE_KIND, 1, Pending::write, Pending::read);

  /** How often a change lost to a concurrent one (a reminder meanwhile) is tried again. */
  private static final int ATTEMPTS = 5;

  private static final WorkType<String> REMIND =
      WorkType.of(REMIND_KIND, 1, p -> p, (json, v) -> json);
  private static final WorkType<String> ESCALATE =
      WorkType.of(ESCALATE_KIND, 1, p -> p, (json, v) -> json);

  private final JourneyScheduler journeys;
  private final TaskStore store;
  private final TaskPolicy policy;
  private final TaskListener listener;
  private final Clock clock;
  private final WorkStore work;

  TaskDesk(
      JourneyScheduler journeys,
      TaskStore store,
      TaskPolicy policy,
      TaskListener listener,
      Clock clock,
      WorkStore work) {
    this.journeys = journeys;
    this.store = store;
    this.policy = policy;
    this.listener = listener;
    this.clock = clock;
    this.work = work;
  }

  /** The policy tasks are kept by. */
  public TaskPolicy policy() {
    return policy;
  }

  /** A task by id. */
  public Optional<JourneyTask> find(TenantId tenant, String taskId) {
    return store.find(tenant, taskId);
  }

  /** The owner's open tasks in id order, after {@code afterId}, at most {@code max}. */
  public List<JourneyTask> open(TenantId tenant, String owner, Optional<String> afterId, int max) {
    return store.open(tenant, owner, afterId, max);
  }

  /** The owner's open tasks past their due time now, in id order, after {@code afterId}. */
  public List<JourneyTask> overdue(
      TenantId tenant, String owner, Optional<String> afterId, int max) {
    return store.overdue(tenant, owner, clock.instant(), afterId, max);
  }

  /**
   * An account's tasks, open or closed, in id order, after {@code afterId}, at most {@code max}.
   */
  public List<JourneyTask> byAccount(
      TenantId tenant, AccountId account, Optional<String> afterId, int max) {
    return store.byAccount(tenant, account, afterId, max);
  }

  /**
   * The owner's tasks: open and overdue now, and those closed within {@code [from, to)} by how they
   * ended, with the share of sent ones that were edited.
   */
  public TaskReport report(TenantId tenant, String owner, Instant from, Instant to) {
    return store.report(tenant, owner, from, to, clock.instant());
  }

  /**
   * Completes a task as its owner reports: SENT_AS_SUGGESTED sends the suggested email, and
   * SENT_EDITED the edited one, through the scheduler's dispatcher (consent, suppressions, caps: a
   * capped email is deferred, not lost); DISMISSED sends nothing. The task is then DONE and its
   * enrolment goes down the step's path for the outcome. Everything is checked before anything is
   * sent or written.
   *
   * @throws InvalidTaskException for a bad argument, or SENT_AS_SUGGESTED of a task without a
   *     suggested email, or a contact without an address
   * @throws TaskNotFoundException if the tenant has no such task
   * @throws TaskClosedException if the task was done or expired already
   * @throws TaskJourneyEndedException if its enrolment no longer waits on it
   * @throws TaskSendFailedException if the transport refused the email (the task stays open)
   */
  public TaskResult complete(TenantId tenant, String taskId, TaskCompletion completion) {
    InvalidTaskException.require(tenant, "tenant");
    TaskStore.checkId(taskId);
    InvalidTaskException.require(completion, "completion of task " + taskId);
    JourneyTask x =
        store
            .find(tenant, taskId)
            .orElseThrow(
                () ->
                    new TaskNotFoundException(
                        "tenant " + tenant + " has no task '" + taskId + "'"));
    closedCheck(x);
    Optional<Enrolment> waiting = journeys.waitingOn(x);
    if (waiting.isEmpty()) {
      // completed by another instance between the two reads: that, not the journey, is the news
      store.find(tenant, taskId).ifPresent(TaskDesk::closedCheck);
    }
    Enrolment e =
        waiting.orElseThrow(
            () ->
                new TaskJourneyEndedException(
                    "task "
                        + taskId
                        + ": enrolment "
                        + x.enrolment()
                        + " in journey '"
                        + x.journey()
                        + "' no longer waits on it (exited, completed or gone on)"));
    Optional<TaskEmail> email;
    if (completion instanceof TaskCompletion.SentEdited s) {
      email = Optional.of(s.email());
    } else if (completion instanceof TaskCompletion.Dismissed) {
      email = Optional.empty();
    } else {
      email =
          Optional.of(
              x.suggested()
                  .orElseThrow(
                      () ->
                          new InvalidTaskException(
                              "task "
                                  + taskId
                                  + " has no suggested email to send; send an edited one or"
                                  + " dismiss it")));
    }
    Optional<String> reason =
        completion instanceof TaskCompletion.Dismissed d
            ? Optional.of(d.reason())
            : Optional.empty();
    Optional<TaskEmail> edited =
        completion instanceof TaskCompletion.SentEdited s
            ? Optional.of(s.email())
            : Optional.empty();
    Optional<DispatchResult> sent = Optional.empty();
    if (email.isPresent()) {
      Message m = journeys.taskMessage(e, x, email.get(), policy, clock.instant());
      DispatchResult r = journeys.dispatch(m);
      if (r.status() == DispatchStatus.FAILED) {
        throw new TaskSendFailedException(
            "task " + taskId + ": the email failed and the task stays open: " + r.decision());
      }
      sent = Optional.of(r);
    }
    JourneyTask done = null;
    JourneyTask current = x;
    TaskState from = x.state();
    for (int i = 0; i < ATTEMPTS && done == null; i++) {
      JourneyTask next = current.done(completion.outcome(), reason, edited, clock.instant());
      if (store.update(next, current.state())) {
        done = next;
        from = current.state();
      } else {
        current = store.find(tenant, taskId).orElseThrow(() -> erased(tenant, taskId));
        closedCheck(current);
      }
    }
    if (done == null) {
      throw new TaskClosedException("task " + taskId + " keeps changing; try again");
    }
    cancelWork(done, from);
    if (!journeys.advanceTask(tenant, taskId, completion.outcome(), reason.orElse(null))) {
      log.warn("task {} is done, but its enrolment {} had gone on meanwhile", taskId, e.id());
    }
    return new TaskResult(done, sent);
  }

  private static TaskNotFoundException erased(TenantId tenant, String taskId) {
    return new TaskNotFoundException("task '" + taskId + "' of tenant " + tenant + " was erased");
  }

  private static void closedCheck(JourneyTask x) {
    if (x.state() == TaskState.DONE) {
      throw new TaskClosedException(
          "task "
              + x.id()
              + " was completed already ("
              + x.outcome().orElseThrow()
              + " at "
              + x.closedAt().orElseThrow()
              + ")");
    }
    if (x.state() == TaskState.EXPIRED) {
      throw new TaskClosedException(
          "task "
              + x.id()
              + " expired at "
              + x.closedAt().orElseThrow()
              + ": "
              + x.reason().orElse(""));
    }
  }

  // ---------------------------------------------------------------- used by the scheduler

  /** When the journey gives up on a task due at {@code due}. */
  Instant givesUpAt(Instant due) {
    Instant at = due.plus(policy.escalatedFor());
    return at.isAfter(StoreLimits.MAX_INSTANT) ? StoreLimits.MAX_INSTANT : at;
  }

  /**
   * Creates the task of {@code waiting}, which has just begun to wait on step {@code t} since
   * {@code since}, due at {@code due}, and schedules its reminder and escalation. Repeating it (a
   * step run again) creates nothing more.
   */
  void create(
      String taskId,
      Enrolment waiting,
      Step.HumanTask t,
      ContactProfile p,
      Instant since,
      Instant due,
      Instant now) {
    String owner =
        TaskPolicy.owner(p.attributes().get(t.ownerAttribute())).orElse(policy.unassigned());
    Optional<String> second =
        TaskPolicy.owner(p.attributes().get(policy.secondOwnerAttribute()))
            .filter(s -> !s.equals(owner));
    Instant remindAt = due.minus(policy.remindBefore());
    if (remindAt.isBefore(since)) {
      remindAt = since;
    }
    JourneyTask task =
        new JourneyTask(
            waiting.tenant(),
            taskId,
            waiting.journey(),
            waiting.id(),
            t.id(),
            t.task(),
            p.account(),
            waiting.contact(),
            owner,
            second,
            t.template().map(tpl -> TaskEmail.template(tpl, data(p))),
            due,
            remindAt,
            due,
            TaskState.OPEN,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            now,
            now,
            Optional.empty());
    store.create(task);
    work.schedule(item(task, REMIND_KIND, remindAt), IfExists.KEEP);
    work.schedule(item(task, ESCALATE_KIND, due), IfExists.KEEP);
  }

  /** The template data of a suggested email: the contact's attributes that an email can carry. */
  private static Map<String, String> data(ContactProfile p) {
    Map<String, String> out = new TreeMap<>();
    p.attributes()
        .forEach(
            (k, v) -> {
              if (!k.equals("subject")
                  && !k.equals("body")
                  && StoreLimits.textProblem(k, ContactProfile.MAX_ATTRIBUTE) == null) {
                out.put(k, v);
              }
            });
    return out;
  }

  /** The outcome of a task that is DONE; empty if it is open, expired or unknown. */
  Optional<TaskOutcome> outcome(TenantId tenant, String taskId) {
    return store.find(tenant, taskId).flatMap(JourneyTask::outcome);
  }

  /** Expires an open task the journey no longer waits on; nothing if it is closed or unknown. */
  void expire(TenantId tenant, String taskId, String why) {
    for (int i = 0; i < ATTEMPTS; i++) {
      Optional<JourneyTask> x = store.find(tenant, taskId);
      if (x.isEmpty() || !x.get().isOpen()) {
        return;
      }
      if (store.update(x.get().expired(why, clock.instant()), x.get().state())) {
        cancelWork(x.get(), x.get().state());
        return;
      }
    }
    log.warn("task {} of tenant {} kept changing; not expired", taskId, tenant);
  }

  /** Forgets a contact's tasks and cancels their reminders, escalations and pending notices. */
  int eraseContact(TenantId tenant, ContactId contact) {
    for (String kind : List.of(REMIND_KIND, ESCALATE_KIND, NOTICE_KIND)) {
      for (WorkItem w : work.findBySubject(tenant, contact.value(), kind)) {
        work.cancel(w.key());
      }
    }
    return store.eraseContact(tenant, contact);
  }

  /**
   * Forgets a tenant's tasks; their pending work (notices too) finds no task when due and ends
   * unheard.
   */
  int eraseTenant(TenantId tenant) {
    return store.eraseTenant(tenant);
  }

  WorkRunner.Builder registerWith(WorkRunner.Builder runner) {
    KindSettings settings =
        KindSettings.DEFAULT.withRetry(
            new RetryPolicy(20, Duration.ofSeconds(5), Duration.ofMinutes(30)));
    return runner
        .handler(REMIND, WorkHandler.sync(ctx -> onDue(ctx, TaskNotice.Type.REMINDER)), settings)
        .handler(ESCALATE, WorkHandler.sync(ctx -> onDue(ctx, TaskNotice.Type.ESCALATED)), settings)
        .handler(
            NOTICE, WorkHandler.sync(this::deliver), KindSettings.DEFAULT.withRetry(NOTICE_RETRY));
  }

  /**
   * Cancels the reminder and escalation of a task just closed from state {@code from}, and the
   * notices of the changes it skipped: a compare-and-set from {@code from} succeeded, so they were
   * never stored.
   */
  private void cancelWork(JourneyTask x, TaskState from) {
    work.cancel(WorkKey.of(x.tenant(), REMIND_KIND, x.id()));
    work.cancel(WorkKey.of(x.tenant(), ESCALATE_KIND, x.id()));
    cancelSkipped(x, from, TaskState.ESCALATED);
  }

  /** Cancels the notices of the changes to states before {@code to} that {@code from} is before. */
  private void cancelSkipped(JourneyTask x, TaskState from, TaskState to) {
    for (TaskNotice.Type type : TaskNotice.Type.values()) {
      TaskState target = target(type);
      if (from.ordinal() < target.ordinal() && target.ordinal() <= to.ordinal()) {
        work.cancel(noticeKey(x.tenant(), x.id(), type));
      }
    }
  }

  /** The state a change of this type moves a task to. */
  private static TaskState target(TaskNotice.Type type) {
    return type == TaskNotice.Type.REMINDER ? TaskState.REMINDED : TaskState.ESCALATED;
  }

  private static WorkKey noticeKey(TenantId tenant, String taskId, TaskNotice.Type type) {
    return WorkKey.of(tenant, NOTICE_KIND, taskId + "/" + type.name().toLowerCase(Locale.ROOT));
  }

  /** Stores the notice of a change of {@code x}, due at {@code at}. */
  private void scheduleNotice(JourneyTask x, Pending n, Instant at, IfExists ifExists) {
    work.schedule(
        WorkItem.builder(noticeKey(x.tenant(), x.id(), n.type()))
            .subject(x.contact().value())
            .payload(Pending.write(n))
            .payloadVersion(1)
            .dueAt(at)
            .build(),
        ifExists);
  }

  /** Makes a stored notice whose change is on the task due now, if it waits for later. */
  private void wake(JourneyTask x, TaskNotice.Type type, Instant now) {
    Optional<WorkItem> w = work.find(noticeKey(x.tenant(), x.id(), type));
    if (w.isPresent() && w.get().state() == WorkState.READY && w.get().dueAt().isAfter(now)) {
      scheduleNotice(x, Pending.read(w.get().payload(), 1), now, IfExists.REPLACE);
    }
  }

  private Next deliver(WorkContext<Pending> w) {
    TenantId tenant = w.item().key().tenant();
    Pending n = w.payload();
    Optional<JourneyTask> found = store.find(tenant, n.task());
    if (found.isEmpty()) {
      log.debug("notice {} of task {} dropped: the task is gone", n.type(), n.task());
      return Next.done();
    }
    JourneyTask x = found.get();
    if (x.state().ordinal() < target(n.type()).ordinal()) {
      if (w.startedAt().isAfter(n.createdAt().plus(NOTICE_ABANDON))) {
        log.info("notice {} of task {} dropped: its change never got stored", n.type(), n.task());
        return Next.done();
      }
      return Next.rescheduleAt(w.startedAt().plus(NOTICE_WAIT));
    }
    // a listener that throws fails the delivery, retried with back-off (NOTICE_RETRY)
    listener.onTask(
        new TaskNotice(
            n.type(),
            n.recipient(),
            x,
            n.at(),
            tenant.value() + "/" + n.task() + "/" + n.type().name().toLowerCase(Locale.ROOT)));
    return Next.done();
  }

  private static WorkItem item(JourneyTask x, String kind, Instant at) {
    return WorkItem.builder(WorkKey.of(x.tenant(), kind, x.id()))
        .subject(x.contact().value())
        .payload("{}")
        .payloadVersion(1)
        .dueAt(at)
        .build();
  }

  private Next onDue(WorkContext<String> ctx, TaskNotice.Type type) {
    WorkKey k = ctx.item().key();
    Optional<JourneyTask> found = store.find(k.tenant(), k.id());
    if (found.isEmpty() || !found.get().isOpen()) {
      return Next.done(); // erased, done or expired
    }
    JourneyTask x = found.get();
    boolean due =
        type == TaskNotice.Type.REMINDER
            ? x.state() == TaskState.OPEN
            : x.state() != TaskState.ESCALATED;
    if (!due) {
      if (x.state() == target(type)) {
        // made already, by this item's earlier run whose answer was lost: tell it now
        wake(x, type, clock.instant());
      }
      return Next.done(); // escalated before its reminder came round, or escalated already
    }
    if (journeys.waitingOn(x).isEmpty()) {
      expire(x.tenant(), x.id(), "its enrolment " + x.enrolment() + " no longer waits on it");
      return Next.done();
    }
    if (!ctx.claimHeld()) {
      return Next.retry("the claim was lost before the task changed");
    }
    Instant now = clock.instant();
    JourneyTask next = type == TaskNotice.Type.REMINDER ? x.reminded(now) : x.escalated(now);
    // the notice is stored before the change, due a little later: told once the change is on the
    // task, whoever claims it, even if this instance dies or loses its answer after the change
    scheduleNotice(
        x, new Pending(type, x.id(), next.owner(), now, now), now.plus(NOTICE_WAIT), IfExists.KEEP);
    if (!store.update(next, x.state())) {
      // changed meanwhile (completed, or escalated): the notice is cancelled unless the change
      // is on the task (made by another instance that took this item over); look again soon
      Optional<JourneyTask> after = store.find(x.tenant(), x.id());
      if (after.isEmpty() || after.get().state() != target(type)) {
        work.cancel(noticeKey(x.tenant(), x.id(), type));
      }
      return Next.rescheduleAt(now);
    }
    if (type == TaskNotice.Type.ESCALATED) {
      cancelSkipped(x, x.state(), TaskState.REMINDED); // escalated straight from OPEN
    }
    wake(next, type, now);
    return Next.done();
  }

  /**
   * A notice to tell: of which change of which task, to whom, when the change was made and when the
   * notice was stored.
   */
  private record Pending(
      TaskNotice.Type type, String task, String recipient, Instant at, Instant createdAt) {

    static String write(Pending n) {
      ObjectNode o = NODES.objectNode();
      o.put("type", n.type.name());
      o.put("task", n.task);
      o.put("recipient", n.recipient);
      o.put("at", n.at.toString());
      o.put("createdAt", n.createdAt.toString());
      return o.toString();
    }

    static Pending read(String json, int version) {
      try {
        JsonNode o = StrictJson.read(json, "task notice payload", InvalidWorkException::new);
        return new Pending(
            TaskNotice.Type.valueOf(o.get("type").asText()),
            o.get("task").asText(),
            o.get("recipient").asText(),
            Instant.parse(o.get("at").asText()),
            Instant.parse(o.get("createdAt").asText()));
      } catch (InvalidWorkException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new InvalidWorkException("task notice payload cannot be read: " + e, e);
      }
    }
  }
}
