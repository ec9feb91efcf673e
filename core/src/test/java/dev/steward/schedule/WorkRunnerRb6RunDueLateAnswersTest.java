package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hostile review (rb6): runDue now waits on a single item's own future (mem5) instead of the list
 * future the claim loop uses. Answers that come later, on another thread, are still waited for and
 * written, whatever they are (an answer, null, a failure with an Error, none before the time-out),
 * and listeners that throw on each of them change nothing.
 */
class WorkRunnerRb6RunDueLateAnswersTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final WorkType<String> JOB = WorkType.json("test.job");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  /** Runs its task on a new thread after a pause, so the answer comes after runDue asked. */
  private static final Executor LATER =
      CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS);

  @Test
  void everyLateAnswerOfARunDueIsWaitedForAndWrittenThoughListenersThrow() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .handler(
                JOB,
                w -> {
                  String id = w.item().key().id();
                  CompletableFuture<Next> answer = new CompletableFuture<>();
                  switch (id) {
                    case "late-done" -> LATER.execute(() -> answer.complete(Next.done()));
                    case "late-null" -> LATER.execute(() -> answer.complete(null));
                    case "late-error" ->
                        LATER.execute(
                            () -> answer.completeExceptionally(new AssertionError("late Error")));
                    case "never" -> {} // the time-out answers for it
                    default -> throw new IllegalStateException("at once");
                  }
                  return answer;
                },
                // far beyond the late answers' 50 ms, so a loaded machine does not time them out
                KindSettings.DEFAULT.withTimeout(Duration.ofSeconds(2)))
            .listener(
                new WorkListener() {
                  @Override
                  public void onFinished(WorkItem item, Next next, Duration took) {
                    heard.add("finished " + item.key().id());
                    throw new IllegalStateException("listener fails on finished");
                  }

                  @Override
                  public void onFailed(WorkItem item, Throwable error, boolean dead) {
                    heard.add("failed " + item.key().id());
                    throw new AssertionError("listener fails with an Error on failed");
                  }
                })
            .build();
    List<String> ids = List.of("late-done", "late-null", "late-error", "never", "throws");
    for (String id : ids) {
      store.schedule(
          WorkItem.builder(ACME, JOB.kind(), id).dueAt(T0).payload("{\"seq\":1}").build(),
          IfExists.KEEP);
    }

    assertThat(runner.runDue()).isEqualTo(ids.size());

    assertThat(runner.inFlight()).isZero();
    assertThat(heard)
        .containsExactlyInAnyOrder(
            "finished late-done",
            "failed late-null",
            "failed late-error",
            "failed never",
            "failed throws");
    assertThat(store.find(WorkKey.of(ACME, JOB.kind(), "late-done"))).isEmpty();
    for (String id : List.of("late-null", "late-error", "never", "throws")) {
      WorkItem after = store.find(WorkKey.of(ACME, JOB.kind(), id)).orElseThrow();
      assertThat(after.attempts()).as(id).isEqualTo(1);
      assertThat(after.dueAt()).as(id).isAfter(T0);
    }
    assertThat(lastError(store, "late-null")).contains("handler answered null");
    assertThat(lastError(store, "late-error")).contains("AssertionError").contains("late Error");
    assertThat(lastError(store, "never")).contains("ran longer than PT2S");
    assertThat(lastError(store, "throws")).contains("at once");
  }

  private static String lastError(WorkStore store, String id) {
    return store.find(WorkKey.of(ACME, JOB.kind(), id)).orElseThrow().lastError();
  }
}
