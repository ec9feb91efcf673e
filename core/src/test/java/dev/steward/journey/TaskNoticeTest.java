package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.schedule.WorkKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Task notices are told at least once: a listener that throws hears the notice again, with back-off
 * and the same id, until it returns; a notice is dropped with its erased tenant and cancelled with
 * its erased contact; a reminder that never got stored (the task was completed first) is never
 * told.
 */
class TaskNoticeTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final Map<String, String> CSM = Map.of("csm", "carla", "csm-manager", "maria");
  private static final Instant REMIND = START.plus(Duration.ofDays(2));

  private final List<TaskNotice> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final TaskStore tasks = InMemoryTaskStore.of();

  private static JourneyDefinition renewal() {
    return JourneyDefinition.builder("renewal-csm", 1)
        .step(
            new Step.HumanTask(
                "csm-call",
                "csm-check-in",
                Optional.of("tpl-renewal-check-in"),
                null,
                Duration.ofDays(3),
                Optional.of("done"),
                Optional.of("done"),
                Optional.of("done"),
                Optional.of("done")))
        .step(new Step.UpdateAttribute("done", "call", Optional.of("done"), Optional.empty()))
        .build();
  }

  /** A kit whose listener records every call and throws while failures are left. */
  private JourneyKit kit() {
    TaskListener listener =
        n -> {
          calls.add(n);
          if (failuresLeft.getAndUpdate(f -> Math.max(0, f - 1)) > 0) {
            throw new IllegalStateException("listener down");
          }
        };
    return new JourneyKit(
        START, b -> b.journey(renewal()).tasks(tasks, TaskPolicy.DEFAULTS, listener));
  }

  private static JourneyTask only(JourneyKit kit, ContactId c) {
    List<JourneyTask> all =
        kit.scheduler.tasks().byAccount(TENANT, AccountId.of("acct-" + c), Optional.empty(), 10);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private static WorkKey noticeKey(JourneyTask t, String type) {
    return WorkKey.of(TENANT, TaskDesk.NOTICE_KIND, t.id() + "/" + type);
  }

  @Test
  void aListenerThatThrowsHearsTheNoticeAgainUntilItReturns() {
    JourneyKit kit = kit();
    ContactId ann = kit.contact("ann", BERLIN, CSM);
    kit.enrol(ann, "renewal-csm");
    kit.driver.runDue();
    JourneyTask task = only(kit, ann);

    failuresLeft.set(3);
    kit.driver.advanceTo(REMIND);
    assertThat(calls).as("told at once, and it threw").hasSize(1);
    assertThat(tasks.find(TENANT, task.id()).orElseThrow().state())
        .as("the change stays made")
        .isEqualTo(TaskState.REMINDED);
    assertThat(kit.work.find(noticeKey(task, "reminder"))).as("kept to tell again").isPresent();

    // retried with back-off (30 s, 1 min, 2 min, with jitter) until the listener returns
    kit.runUntil(REMIND.plus(Duration.ofMinutes(10)), Duration.ofSeconds(10));
    assertThat(calls).hasSize(4);
    assertThat(calls)
        .extracting(TaskNotice::id)
        .containsOnly(TENANT.value() + "/" + task.id() + "/reminder");
    assertThat(calls).extracting(TaskNotice::type).containsOnly(TaskNotice.Type.REMINDER);
    assertThat(calls).extracting(TaskNotice::recipient).containsOnly("carla");
    assertThat(calls).extracting(TaskNotice::at).containsOnly(REMIND);
    assertThat(calls.get(1).at()).isEqualTo(calls.get(0).at());
    assertThat(kit.work.find(noticeKey(task, "reminder"))).as("told: gone").isEmpty();

    // heard once it returned: never again
    kit.runUntil(REMIND.plus(Duration.ofHours(12)), Duration.ofMinutes(10));
    assertThat(calls).hasSize(4);

    // the escalation is another notice, with its own id, to the second owner
    kit.runUntil(START.plus(Duration.ofDays(3)).plusSeconds(1), Duration.ofHours(1));
    assertThat(calls).hasSize(5);
    assertThat(calls.get(4).type()).isEqualTo(TaskNotice.Type.ESCALATED);
    assertThat(calls.get(4).recipient()).isEqualTo("maria");
    assertThat(calls.get(4).id()).isEqualTo(TENANT.value() + "/" + task.id() + "/escalated");
  }

  @Test
  void anErasedTenantsPendingNoticesAreDropped() {
    JourneyKit kit = kit();
    ContactId ann = kit.contact("ann", BERLIN, CSM);
    kit.enrol(ann, "renewal-csm");
    kit.driver.runDue();
    JourneyTask task = only(kit, ann);

    failuresLeft.set(1000);
    kit.driver.advanceTo(REMIND);
    assertThat(calls).hasSize(1);
    kit.scheduler.eraseTenant(TENANT);
    kit.runUntil(REMIND.plus(Duration.ofDays(5)), Duration.ofMinutes(10));
    assertThat(calls).as("not told again after the erasure").hasSize(1);
    assertThat(kit.work.find(noticeKey(task, "reminder"))).isEmpty();
    assertThat(kit.work.find(noticeKey(task, "escalated"))).isEmpty();
  }

  @Test
  void anErasedContactsPendingNoticesAreCancelled() {
    JourneyKit kit = kit();
    ContactId ann = kit.contact("ann", BERLIN, CSM);
    ContactId bob = kit.contact("bob", BERLIN, CSM);
    kit.enrol(ann, "renewal-csm");
    kit.enrol(bob, "renewal-csm");
    kit.driver.runDue();
    JourneyTask annTask = only(kit, ann);

    failuresLeft.set(2);
    kit.driver.advanceTo(REMIND);
    assertThat(calls).as("both told, both threw").hasSize(2);
    kit.scheduler.eraseContact(TENANT, ann);
    assertThat(kit.work.findBySubject(TENANT, ann.value(), TaskDesk.NOTICE_KIND)).isEmpty();
    assertThat(kit.work.find(noticeKey(annTask, "reminder"))).isEmpty();
    kit.runUntil(REMIND.plus(Duration.ofHours(1)), Duration.ofMinutes(1));
    assertThat(calls).hasSize(3);
    assertThat(calls.get(2).task().contact()).isEqualTo(bob);
  }

  @Test
  void aTaskCompletedBeforeItsReminderIsNeverToldOfIt() {
    JourneyKit kit = kit();
    ContactId ann = kit.contact("ann", BERLIN, CSM);
    kit.enrol(ann, "renewal-csm");
    kit.driver.runDue();
    JourneyTask task = only(kit, ann);
    kit.scheduler.tasks().complete(TENANT, task.id(), TaskCompletion.dismissed("called instead"));
    kit.runUntil(START.plus(Duration.ofDays(5)), Duration.ofHours(1));
    assertThat(calls).isEmpty();
    assertThat(kit.work.findBySubject(TENANT, ann.value(), TaskDesk.NOTICE_KIND)).isEmpty();
  }
}
