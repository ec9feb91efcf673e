package dev.steward.journey;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable human tasks, every key scoped by tenant. A task is created once (insert if absent, so a
 * step run twice creates it once) and changed only by compare-and-set on its state, so that a
 * reminder, an escalation, a completion or an expiry is applied once however many instances try.
 *
 * <p>Implementations: {@link InMemoryTaskStore}, and {@code dev.steward.jdbc.JdbcTaskStore} for H2
 * and PostgreSQL. All pass one contract suite and refuse the same inputs with {@link
 * InvalidTaskException}, before anything is written.
 */
public interface TaskStore {

  /** The most tasks one page of a query returns. */
  int MAX_PAGE = 1000;

  /**
   * Stores a new task (OPEN); false, and nothing written, if the tenant has a task of that id.
   *
   * @throws InvalidTaskException if the task is not OPEN
   */
  boolean create(JourneyTask task);

  /** A task by id. */
  Optional<JourneyTask> find(TenantId tenant, String id);

  /**
   * Replaces a task by {@code next} only if the stored one is in state {@code expected}, which must
   * be open; true if applied. The task's identity and origin (journey, enrolment, step, account,
   * contact, suggested email, dates, creation time) are kept as stored.
   */
  boolean update(JourneyTask next, TaskState expected);

  /**
   * The owner's open tasks (OPEN, REMINDED, ESCALATED) in id order, those after {@code afterId}
   * only (the last id of the previous page), at most {@code max}.
   */
  List<JourneyTask> open(TenantId tenant, String owner, Optional<String> afterId, int max);

  /** As {@link #open}, those past their due time at {@code now} only. */
  List<JourneyTask> overdue(
      TenantId tenant, String owner, Instant now, Optional<String> afterId, int max);

  /**
   * An account's tasks, open or closed, in id order, after {@code afterId}, at most {@code max}.
   */
  List<JourneyTask> byAccount(
      TenantId tenant, AccountId account, Optional<String> afterId, int max);

  /**
   * The owner's tasks counted: open and overdue at {@code now}, and those closed within {@code
   * [from, to)} by how they ended.
   */
  TaskReport report(TenantId tenant, String owner, Instant from, Instant to, Instant now);

  /** Forgets a contact's tasks; how many. */
  int eraseContact(TenantId tenant, ContactId contact);

  /** Forgets every task of a tenant; how many. */
  int eraseTenant(TenantId tenant);

  /** Checks a task id as every store does; returns it. */
  static String checkId(String id) {
    return InvalidTaskException.line(id, "task id", JourneyTask.MAX_ID);
  }

  /** Checks the arguments of a page query as every store does. */
  static void checkPage(TenantId tenant, String owner, Optional<String> afterId, int max) {
    InvalidTaskException.require(tenant, "tenant");
    InvalidTaskException.line(owner, "owner", JourneyTask.MAX_OWNER);
    InvalidTaskException.require(afterId, "after id");
    afterId.ifPresent(a -> InvalidTaskException.line(a, "after id", JourneyTask.MAX_ID));
    if (max < 1 || max > MAX_PAGE) {
      throw new InvalidTaskException("page size must be 1 to " + MAX_PAGE + ", was " + max);
    }
  }

  /** Checks the arguments of {@link #report} as every store does. */
  static void checkReport(TenantId tenant, String owner, Instant from, Instant to, Instant now) {
    InvalidTaskException.require(tenant, "tenant");
    InvalidTaskException.line(owner, "owner", JourneyTask.MAX_OWNER);
    InvalidTaskException.require(from, "start of the period");
    InvalidTaskException.require(to, "end of the period");
    InvalidTaskException.require(now, "now");
    if (!from.isBefore(to)) {
      throw new InvalidTaskException("the period must start before it ends: " + from + " to " + to);
    }
  }

  /** Checks the arguments of {@link #update} as every store does. */
  static void checkUpdate(JourneyTask next, TaskState expected) {
    InvalidTaskException.require(next, "task");
    InvalidTaskException.require(expected, "expected state");
    if (!expected.open()) {
      throw new InvalidTaskException(
          "task " + next.id() + " can change only from an open state, not " + expected);
    }
  }

  /** Checks the argument of {@link #create} as every store does. */
  static void checkNew(JourneyTask task) {
    InvalidTaskException.require(task, "task");
    if (task.state() != TaskState.OPEN) {
      throw new InvalidTaskException(
          "a new task must be OPEN; task " + task.id() + " is " + task.state());
    }
  }
}
