package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Hostile review (rb6): a handler may answer with a CompletionStage that does not interoperate
 * (CompletionStage allows its toCompletableFuture to throw UnsupportedOperationException). That is
 * a failed attempt of its items, as a handler that throws is; runDue threw it out instead, leaving
 * the claim's items in flight under a lease nobody renews and the rest of the claim not run.
 */
class WorkRunnerRb6UninteroperableStageTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final WorkType<String> ONE = WorkType.json("test.one");
  private static final WorkType<String> MANY = WorkType.json("test.many");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  /** A stage that answers and cannot be made a CompletableFuture. */
  private static <T> CompletableFuture<T> uninteroperable(T answer) {
    CompletableFuture<T> stage =
        new CompletableFuture<>() {
          @Override
          public CompletableFuture<T> toCompletableFuture() {
            throw new UnsupportedOperationException("no CompletableFuture of this stage");
          }
        };
    stage.complete(answer);
    return stage;
  }

  @Test
  void aStageThatCannotBeAFutureFailsItsItemsAndTheRestOfTheClaimRuns() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .handler(
                ONE,
                w ->
                    w.item().key().id().equals("odd")
                        ? uninteroperable(Next.done())
                        : CompletableFuture.completedFuture(Next.done()))
            .batchHandler(
                MANY,
                work -> {
                  List<Next> out = new ArrayList<>();
                  work.forEach(w -> out.add(Next.done()));
                  return uninteroperable(out);
                },
                KindSettings.DEFAULT)
            .build();
    for (WorkKey key :
        List.of(
            WorkKey.of(ACME, ONE.kind(), "odd"),
            WorkKey.of(ACME, ONE.kind(), "fine"),
            WorkKey.of(ACME, MANY.kind(), "b1"),
            WorkKey.of(ACME, MANY.kind(), "b2"))) {
      store.schedule(
          WorkItem.builder(key.tenant(), key.kind(), key.id()).dueAt(T0).payload("{}").build(),
          IfExists.KEEP);
    }

    assertThat(runner.runDue()).isEqualTo(4);

    assertThat(runner.inFlight()).isZero();
    assertThat(store.find(WorkKey.of(ACME, ONE.kind(), "fine"))).isEmpty();
    for (WorkKey key :
        List.of(
            WorkKey.of(ACME, ONE.kind(), "odd"),
            WorkKey.of(ACME, MANY.kind(), "b1"),
            WorkKey.of(ACME, MANY.kind(), "b2"))) {
      WorkItem after = store.find(key).orElseThrow();
      assertThat(after.attempts()).as(key.id()).isEqualTo(1);
      assertThat(after.dueAt()).as(key.id()).isAfter(T0);
      assertThat(after.lastError()).as(key.id()).contains("no CompletableFuture of this stage");
    }
  }
}
