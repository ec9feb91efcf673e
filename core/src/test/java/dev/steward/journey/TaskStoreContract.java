package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link TaskStore} meets; subclass it with a fresh store per test and a second
 * instance over the same data where the store is shared.
 */
public abstract class TaskStoreContract {
  protected static final TenantId T1 = TenantId.of("t1");
  protected static final TenantId T2 = TenantId.of("t2");
  protected static final ContactId ANN = ContactId.of("ann");
  protected static final ContactId BOB = ContactId.of("bob");
  protected static final Instant T0 = Instant.parse("2026-03-02T09:00:00.123456789Z");

  protected TaskStore store;

  /** A new, empty store. */
  protected abstract TaskStore newStore();

  /** Another instance over the same data as the last {@link #newStore()}; itself in memory. */
  protected TaskStore secondInstance() {
    return store;
  }

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  static JourneyTask task(TenantId t, String id, ContactId c, String owner, Instant due) {
    return new JourneyTask(
        t,
        id,
        "renewal",
        "enr-" + id,
        "csm-call",
        "csm-check-in",
        AccountId.of("acct-" + c.value()),
        c,
        owner,
        Optional.of("maria"),
        Optional.of(TaskEmail.template("tpl-check-in", Map.of("plan", "pro", "name", "Ann Ö"))),
        due,
        due.minus(Duration.ofDays(1)),
        due,
        TaskState.OPEN,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        T0,
        T0,
        Optional.empty());
  }

  private JourneyTask created(String id, ContactId c, String owner, Instant due) {
    JourneyTask x = task(T1, id, c, owner, due);
    assertThat(store.create(x)).isTrue();
    return x;
  }

  @Test
  void aTaskComesBackAsItWasCreated() {
    JourneyTask x = created("task-a-1", ANN, "carla", T0.plus(Duration.ofDays(3)));
    assertThat(store.find(T1, "task-a-1")).contains(x);
    assertThat(secondInstance().find(T1, "task-a-1")).contains(x);
    assertThat(store.find(T2, "task-a-1")).isEmpty();
    assertThat(store.find(T1, "task-a-2")).isEmpty();
  }

  @Test
  void creatingATaskTwiceKeepsTheFirst() {
    JourneyTask x = created("task-a-1", ANN, "carla", T0.plus(Duration.ofDays(3)));
    JourneyTask other = task(T1, "task-a-1", BOB, "dev", T0.plus(Duration.ofDays(9)));
    assertThat(secondInstance().create(other)).isFalse();
    assertThat(store.find(T1, "task-a-1")).contains(x);
    // the same id under another tenant is another task
    assertThat(store.create(task(T2, "task-a-1", ANN, "carla", T0))).isTrue();
  }

  @Test
  void onlyAnOpenTaskIsCreated() {
    JourneyTask x = task(T1, "task-a-1", ANN, "carla", T0).reminded(T0);
    assertThatThrownBy(() -> store.create(x))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("must be OPEN");
    assertThat(store.find(T1, "task-a-1")).isEmpty();
  }

  @Test
  void aChangeAppliesOnlyFromTheExpectedState() {
    JourneyTask x = created("task-a-1", ANN, "carla", T0.plus(Duration.ofDays(3)));
    Instant later = T0.plus(Duration.ofHours(5));
    assertThat(store.update(x.reminded(later), TaskState.OPEN)).isTrue();
    assertThat(secondInstance().update(x.reminded(later), TaskState.OPEN)).isFalse();
    JourneyTask reminded = store.find(T1, x.id()).orElseThrow();
    assertThat(reminded.state()).isEqualTo(TaskState.REMINDED);
    assertThat(reminded.updatedAt()).isEqualTo(later);

    JourneyTask escalated = reminded.escalated(later.plusSeconds(1));
    assertThat(store.update(escalated, TaskState.REMINDED)).isTrue();
    assertThat(store.find(T1, x.id())).contains(escalated);
    assertThat(escalated.owner()).isEqualTo("maria");
    assertThatThrownBy(() -> store.update(escalated, TaskState.DONE))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("only from an open state");
  }

  @Test
  void aChangeKeepsTheTasksOrigin() {
    JourneyTask x = created("task-a-1", ANN, "carla", T0.plus(Duration.ofDays(3)));
    JourneyTask forged = task(T1, "task-a-1", BOB, "carla", T0.plus(Duration.ofDays(30)));
    assertThat(store.update(forged.reminded(T0), TaskState.OPEN)).isTrue();
    JourneyTask stored = store.find(T1, x.id()).orElseThrow();
    assertThat(stored.contact()).isEqualTo(ANN);
    assertThat(stored.dueAt()).isEqualTo(x.dueAt());
    assertThat(stored.state()).isEqualTo(TaskState.REMINDED);
  }

  @Test
  void doneTasksKeepTheirOutcomeReasonAndEditedEmail() {
    JourneyTask a = created("task-a-1", ANN, "carla", T0.plus(Duration.ofDays(3)));
    JourneyTask b = created("task-b-1", BOB, "carla", T0.plus(Duration.ofDays(3)));
    TaskEmail edit =
        new TaskEmail(
            Optional.of("tpl-check-in"),
            Optional.of("Quick call about your renewal? ✓"),
            Optional.of("Hi Ann,\n\n\tcan we talk on Friday? 😀\r\nCarla"),
            Map.of("plan", "pro"));
    Instant at = T0.plus(Duration.ofHours(2));
    JourneyTask sent = a.done(TaskOutcome.SENT_EDITED, Optional.empty(), Optional.of(edit), at);
    JourneyTask dismissed =
        b.done(TaskOutcome.DISMISSED, Optional.of("they churned; no call"), Optional.empty(), at);
    assertThat(store.update(sent, TaskState.OPEN)).isTrue();
    assertThat(store.update(dismissed, TaskState.OPEN)).isTrue();
    assertThat(secondInstance().find(T1, a.id())).contains(sent);
    assertThat(secondInstance().find(T1, b.id())).contains(dismissed);
    assertThat(store.update(sent, TaskState.OPEN)).isFalse();
  }

  @Test
  void openAndOverdueTasksArePagedByOwner() {
    for (int i = 0; i < 5; i++) {
      created("task-c" + i + "-1", ANN, "carla", T0.plus(Duration.ofDays(i)));
    }
    created("task-d0-1", BOB, "dev", T0);
    JourneyTask done = created("task-c9-1", ANN, "carla", T0);
    store.update(
        done.done(TaskOutcome.SENT_AS_SUGGESTED, Optional.empty(), Optional.empty(), T0),
        TaskState.OPEN);

    List<JourneyTask> first = store.open(T1, "carla", Optional.empty(), 2);
    assertThat(first).extracting(JourneyTask::id).containsExactly("task-c0-1", "task-c1-1");
    List<JourneyTask> second = secondInstance().open(T1, "carla", Optional.of("task-c1-1"), 2);
    assertThat(second).extracting(JourneyTask::id).containsExactly("task-c2-1", "task-c3-1");
    assertThat(store.open(T1, "carla", Optional.of("task-c3-1"), 2))
        .extracting(JourneyTask::id)
        .containsExactly("task-c4-1");
    assertThat(store.open(T1, "nobody", Optional.empty(), 10)).isEmpty();
    assertThat(store.open(T2, "carla", Optional.empty(), 10)).isEmpty();

    // due strictly before now: c0 (due T0) and c1 (due T0 + 1 day) at T0 + 1 day + 1 ns
    Instant now = T0.plus(Duration.ofDays(1)).plusNanos(1);
    assertThat(store.overdue(T1, "carla", now, Optional.empty(), 10))
        .extracting(JourneyTask::id)
        .containsExactly("task-c0-1", "task-c1-1");
    assertThat(store.overdue(T1, "carla", now, Optional.of("task-c0-1"), 10))
        .extracting(JourneyTask::id)
        .containsExactly("task-c1-1");
    assertThat(store.overdue(T1, "carla", T0, Optional.empty(), 10)).isEmpty();
  }

  @Test
  void anAccountsTasksOpenAndClosed() {
    JourneyTask a = created("task-a-1", ANN, "carla", T0);
    created("task-a-2", ANN, "dev", T0);
    created("task-b-1", BOB, "carla", T0);
    store.update(a.expired("overdue", T0), TaskState.OPEN);
    assertThat(store.byAccount(T1, AccountId.of("acct-ann"), Optional.empty(), 10))
        .extracting(JourneyTask::id, JourneyTask::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("task-a-1", TaskState.EXPIRED),
            org.assertj.core.groups.Tuple.tuple("task-a-2", TaskState.OPEN));
    assertThat(store.byAccount(T1, AccountId.of("acct-ann"), Optional.of("task-a-1"), 10))
        .extracting(JourneyTask::id)
        .containsExactly("task-a-2");
  }

  @Test
  void aReportCountsOpenOverdueAndHowTasksEndedInThePeriod() {
    Instant from = T0.plus(Duration.ofDays(1));
    Instant to = T0.plus(Duration.ofDays(8));
    created("task-o1-1", ANN, "carla", T0.plus(Duration.ofDays(20)));
    created("task-o2-1", ANN, "carla", T0); // overdue
    created("task-x-1", BOB, "dev", T0); // another owner
    close("task-s1-1", TaskOutcome.SENT_AS_SUGGESTED, from); // the start is in
    close("task-s2-1", TaskOutcome.SENT_AS_SUGGESTED, to.minusNanos(1));
    close("task-s3-1", TaskOutcome.SENT_AS_SUGGESTED, to); // the end is out
    close("task-e1-1", TaskOutcome.SENT_EDITED, from.plus(Duration.ofDays(2)));
    close("task-d1-1", TaskOutcome.DISMISSED, from.plus(Duration.ofDays(3)));
    close("task-d2-1", TaskOutcome.DISMISSED, from.minusNanos(1)); // before the period
    JourneyTask gone = created("task-g1-1", ANN, "carla", T0);
    store.update(gone.expired("overdue", from.plus(Duration.ofDays(1))), TaskState.OPEN);

    TaskReport r = secondInstance().report(T1, "carla", from, to, T0.plus(Duration.ofHours(1)));
    assertThat(r.open()).isEqualTo(2);
    assertThat(r.overdue()).isEqualTo(1);
    assertThat(r.sentAsSuggested()).isEqualTo(2);
    assertThat(r.sentEdited()).isEqualTo(1);
    assertThat(r.dismissed()).isEqualTo(1);
    assertThat(r.expired()).isEqualTo(1);
    assertThat(r.done()).isEqualTo(4);
    assertThat(r.editedShare().getAsDouble()).isEqualTo(1.0 / 3);
    TaskReport none = store.report(T1, "nobody", from, to, to);
    assertThat(none.done()).isZero();
    assertThat(none.editedShare()).isEmpty();
    assertThat(store.report(T2, "carla", from, to, to).open()).isZero();
  }

  /**
   * Bounds after the storable range count a task due or closed at its last instant, as memory does;
   * the JDBC store clamped them onto that instant and, reading before it, missed the task.
   */
  @Test
  void boundsBeyondTheStorableRangeCountTheTasksAtItsEnds() {
    Instant last = dev.steward.model.StoreLimits.MAX_INSTANT;
    created("task-l1-1", ANN, "carla", last);
    close("task-l2-1", TaskOutcome.SENT_AS_SUGGESTED, last);

    assertThat(store.overdue(T1, "carla", Instant.MAX, Optional.empty(), 10))
        .extracting(JourneyTask::id)
        .containsExactly("task-l1-1");
    assertThat(store.overdue(T1, "carla", last, Optional.empty(), 10)).isEmpty();
    TaskReport all = secondInstance().report(T1, "carla", Instant.MIN, Instant.MAX, Instant.MAX);
    assertThat(all.open()).isEqualTo(1);
    assertThat(all.overdue()).isEqualTo(1);
    assertThat(all.sentAsSuggested()).isEqualTo(1);
    TaskReport atTheEnd = store.report(T1, "carla", last, Instant.MAX, last);
    assertThat(atTheEnd.overdue()).isZero();
    assertThat(atTheEnd.sentAsSuggested()).isEqualTo(1);
    assertThat(store.report(T1, "carla", Instant.MIN, last, last).done()).isZero();
    assertThat(store.report(T1, "carla", last.plusNanos(1), Instant.MAX, last).done()).isZero();
  }

  private void close(String id, TaskOutcome how, Instant at) {
    JourneyTask x = created(id, ANN, "carla", T0);
    Optional<String> why = how == TaskOutcome.DISMISSED ? Optional.of("no need") : Optional.empty();
    Optional<TaskEmail> edited =
        how == TaskOutcome.SENT_EDITED
            ? Optional.of(TaskEmail.written("Hello", "Body"))
            : Optional.empty();
    assertThat(store.update(x.done(how, why, edited, at), TaskState.OPEN)).isTrue();
  }

  @Test
  void erasureForgetsAContactsOrATenantsTasksOnly() {
    created("task-a-1", ANN, "carla", T0);
    created("task-a-2", ANN, "carla", T0);
    created("task-b-1", BOB, "carla", T0);
    store.create(task(T2, "task-a-1", ANN, "carla", T0));
    assertThat(store.eraseContact(T1, ANN)).isEqualTo(2);
    assertThat(store.find(T1, "task-a-1")).isEmpty();
    assertThat(store.find(T1, "task-b-1")).isPresent();
    assertThat(store.find(T2, "task-a-1")).isPresent();
    assertThat(store.eraseTenant(T1)).isEqualTo(1);
    assertThat(store.find(T1, "task-b-1")).isEmpty();
    assertThat(store.find(T2, "task-a-1")).isPresent();
    assertThat(store.eraseTenant(T1)).isZero();
  }

  @Test
  void badArgumentsAreRefusedAlikeAndWriteNothing() {
    created("task-a-1", ANN, "carla", T0);
    assertThatThrownBy(() -> store.find(T1, "task\u0000a"))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("task id");
    assertThatThrownBy(() -> store.find(T1, "x".repeat(JourneyTask.MAX_ID + 1)))
        .isInstanceOf(InvalidTaskException.class);
    assertThatThrownBy(() -> store.open(T1, "car\u0000la", Optional.empty(), 10))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("owner");
    assertThatThrownBy(() -> store.open(T1, "carla", Optional.empty(), 0))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("page size");
    assertThatThrownBy(() -> store.open(T1, "carla", Optional.empty(), TaskStore.MAX_PAGE + 1))
        .isInstanceOf(InvalidTaskException.class);
    assertThatThrownBy(() -> store.overdue(T1, "carla", null, Optional.empty(), 10))
        .isInstanceOf(InvalidTaskException.class);
    assertThatThrownBy(() -> store.report(T1, "carla", T0, T0, T0))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("period");
    assertThatThrownBy(() -> store.update(null, TaskState.OPEN))
        .isInstanceOf(InvalidTaskException.class);
    assertThatThrownBy(() -> store.create(null)).isInstanceOf(InvalidTaskException.class);
    assertThat(store.open(T1, "carla", Optional.empty(), 10)).hasSize(1);
  }

  @Test
  void ofConcurrentChangesFromOneStateOneApplies() {
    JourneyTask x = created("task-a-1", ANN, "carla", T0);
    List<Boolean> applied =
        Concurrently.run(
            6,
            i ->
                (i % 2 == 0 ? store : secondInstance())
                    .update(
                        i < 3
                            ? x.reminded(T0.plusSeconds(i))
                            : x.done(
                                TaskOutcome.DISMISSED,
                                Optional.of("by " + i),
                                Optional.empty(),
                                T0.plusSeconds(i)),
                        TaskState.OPEN));
    assertThat(applied).filteredOn(b -> b).hasSize(1);
  }
}
