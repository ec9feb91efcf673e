package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Hostile review (rb4): the runner now takes a synchronous handler's answer directly, without the
 * future chain. The answers that chain turned into something else still are: a null answer is a
 * failed attempt, an answer already failed is a failed attempt, and a listener hears of each run
 * once, finished or failed.
 */
class WorkRunnerRb4SyncAnswerTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final WorkType<String> JOB = WorkType.json("test.job");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  @Test
  void aNullOrFailedAnswerTakenAtOnceIsAFailedAttemptHeardOnce() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    List<String> heard = new ArrayList<>();
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .handler(
                JOB,
                w ->
                    switch (w.item().key().id()) {
                      case "null" -> CompletableFuture.completedFuture(null);
                      case "failed" ->
                          CompletableFuture.failedFuture(new IllegalStateException("no"));
                      default -> CompletableFuture.completedFuture(Next.done());
                    })
            .listener(
                new WorkListener() {
                  @Override
                  public void onFinished(WorkItem item, Next next, Duration took) {
                    heard.add("finished " + item.key().id());
                  }

                  @Override
                  public void onFailed(WorkItem item, Throwable error, boolean dead) {
                    heard.add("failed " + item.key().id() + ": " + error.getMessage());
                  }
                })
            .build();
    for (String id : List.of("null", "failed", "done")) {
      store.schedule(
          WorkItem.builder(ACME, JOB.kind(), id).dueAt(T0).payload("{}").build(), IfExists.KEEP);
    }

    assertThat(runner.runDue()).isEqualTo(3);

    assertThat(runner.inFlight()).isZero();
    assertThat(heard)
        .containsExactlyInAnyOrder(
            "failed null: handler answered null", "failed failed: no", "finished done");
    for (String id : List.of("null", "failed")) {
      WorkItem after = store.find(WorkKey.of(ACME, JOB.kind(), id)).orElseThrow();
      assertThat(after.attempts()).as(id).isEqualTo(1);
      assertThat(after.dueAt()).as(id).isAfter(T0);
    }
    assertThat(store.find(WorkKey.of(ACME, JOB.kind(), "done"))).isEmpty();
  }
}
