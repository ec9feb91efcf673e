package dev.steward.journey;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * A human task as a {@link TaskStore} keeps it: where it came from (journey, enrolment, step), whom
 * it is about (account, contact), who acts on it (owner, and the second owner it escalates to), the
 * suggested email, its dates, where it stands, and how it ended.
 *
 * @param id unique within the tenant; the id {@link JourneyScheduler#openTasks} shows
 * @param task what the task is, for people and reports ({@code csm-check-in})
 * @param owner who acts on it now: the first owner, or the second once escalated
 * @param secondOwner whom it escalates to when overdue; empty to stay with the owner
 * @param suggested the suggested email; empty for a task without one
 * @param dueAt when it is overdue (and escalates)
 * @param remindAt when its owner is reminded, at or before {@code dueAt}
 * @param escalateAt when it moves to the second owner, at or after {@code dueAt}
 * @param outcome what the owner did, once DONE
 * @param reason why it was dismissed, or why it expired
 * @param edited the email sent, when sent edited
 * @param closedAt when it was done or expired
 */
public record JourneyTask(
    TenantId tenant,
    String id,
    String journey,
    String enrolment,
    String step,
    String task,
    AccountId account,
    ContactId contact,
    String owner,
    Optional<String> secondOwner,
    Optional<TaskEmail> suggested,
    Instant dueAt,
    Instant remindAt,
    Instant escalateAt,
    TaskState state,
    Optional<TaskOutcome> outcome,
    Optional<String> reason,
    Optional<TaskEmail> edited,
    Instant createdAt,
    Instant updatedAt,
    Optional<Instant> closedAt) {

  /** The longest task id. */
  public static final int MAX_ID = 100;

  /** The longest owner name (the value of an owner attribute: a user id or an address). */
  public static final int MAX_OWNER = 200;

  /** The longest reason of a dismissal. */
  public static final int MAX_REASON = 1000;

  public JourneyTask {
    InvalidTaskException.require(tenant, "tenant of a task");
    InvalidTaskException.line(id, "task id", MAX_ID);
    String of = " of task " + id;
    InvalidTaskException.line(journey, "journey" + of, JourneyDefinition.MAX_ID);
    InvalidTaskException.line(enrolment, "enrolment" + of, Enrolment.MAX_ID);
    InvalidTaskException.line(step, "step" + of, Step.MAX_ID);
    InvalidTaskException.line(task, "task name" + of, 200);
    InvalidTaskException.require(account, "account" + of);
    InvalidTaskException.require(contact, "contact" + of);
    InvalidTaskException.line(owner, "owner" + of, MAX_OWNER);
    InvalidTaskException.require(secondOwner, "second owner" + of);
    secondOwner.ifPresent(o -> InvalidTaskException.line(o, "second owner" + of, MAX_OWNER));
    InvalidTaskException.require(suggested, "suggested email" + of);
    instant(dueAt, "due time" + of);
    instant(remindAt, "reminder time" + of);
    instant(escalateAt, "escalation time" + of);
    if (remindAt.isAfter(dueAt) || escalateAt.isBefore(dueAt)) {
      throw new InvalidTaskException(
          "task "
              + id
              + " must be reminded at or before it is due and escalate at or after: reminded "
              + remindAt
              + ", due "
              + dueAt
              + ", escalated "
              + escalateAt);
    }
    InvalidTaskException.require(state, "state" + of);
    InvalidTaskException.require(outcome, "outcome" + of);
    InvalidTaskException.require(reason, "reason" + of);
    reason.ifPresent(r -> InvalidTaskException.text(r, "reason" + of, MAX_REASON));
    InvalidTaskException.require(edited, "edited email" + of);
    instant(createdAt, "creation time" + of);
    instant(updatedAt, "update time" + of);
    InvalidTaskException.require(closedAt, "closing time" + of);
    closedAt.ifPresent(t -> instant(t, "closing time" + of));
    if ((state == TaskState.DONE) != outcome.isPresent()) {
      throw new InvalidTaskException(
          "task " + id + " is " + state + " with outcome " + outcome + "; only DONE has one");
    }
    if (state.open() == closedAt.isPresent()) {
      throw new InvalidTaskException(
          "task " + id + " is " + state + " with closing time " + closedAt);
    }
    if (outcome.equals(Optional.of(TaskOutcome.DISMISSED)) && reason.isEmpty()) {
      throw new InvalidTaskException("task " + id + " is dismissed without a reason");
    }
    if (outcome.equals(Optional.of(TaskOutcome.SENT_EDITED)) != edited.isPresent()) {
      throw new InvalidTaskException(
          "task " + id + " has an edited email if and only if it was sent edited; was " + outcome);
    }
  }

  private static void instant(Instant at, String what) {
    String problem = StoreLimits.instantProblem(at);
    if (problem != null) {
      throw new InvalidTaskException(what + " " + problem);
    }
  }

  /** True while someone is still expected to act on it. */
  public boolean isOpen() {
    return state.open();
  }

  /** True when open and past its due time at {@code now}. */
  public boolean overdueAt(Instant now) {
    return state.open() && now.isAfter(dueAt);
  }

  JourneyTask reminded(Instant now) {
    return with(owner, TaskState.REMINDED, Optional.empty(), reason, edited, now, closedAt);
  }

  JourneyTask escalated(Instant now) {
    return with(
        secondOwner.orElse(owner),
        TaskState.ESCALATED,
        Optional.empty(),
        reason,
        edited,
        now,
        closedAt);
  }

  JourneyTask done(
      TaskOutcome how, Optional<String> why, Optional<TaskEmail> sentEdited, Instant now) {
    return with(owner, TaskState.DONE, Optional.of(how), why, sentEdited, now, Optional.of(now));
  }

  JourneyTask expired(String why, Instant now) {
    return with(
        owner,
        TaskState.EXPIRED,
        Optional.empty(),
        Optional.of(why),
        Optional.empty(),
        now,
        Optional.of(now));
  }

  private JourneyTask with(
      String newOwner,
      TaskState newState,
      Optional<TaskOutcome> newOutcome,
      Optional<String> newReason,
      Optional<TaskEmail> newEdited,
      Instant now,
      Optional<Instant> newClosedAt) {
    return new JourneyTask(
        tenant,
        id,
        journey,
        enrolment,
        step,
        task,
        account,
        contact,
        newOwner,
        secondOwner,
        suggested,
        dueAt,
        remindAt,
        escalateAt,
        newState,
        newOutcome,
        newReason,
        newEdited,
        createdAt,
        now,
        newClosedAt);
  }
}
