package dev.steward.schedule;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Runs one kind of work. It may answer at once or later (a {@link CompletionStage}), so a handler
 * that waits on the network holds no thread. A handler that throws, or whose stage completes
 * exceptionally, has failed the attempt: the item is retried after the kind's back-off.
 *
 * <p>Handlers run at least once per item: after a crash, work that was running is run again. Make
 * them idempotent, or guard their effect as the send pipeline does with its ledger.
 *
 * @param <P> the payload's type
 */
@FunctionalInterface
public interface WorkHandler<P> {

  /** Runs the work; the stage's value says what happens next. */
  CompletionStage<Next> handle(WorkContext<P> work) throws Exception;

  /** A handler that answers on the calling thread. */
  static <P> WorkHandler<P> sync(Function<WorkContext<P>, Next> body) {
    return work -> CompletableFuture.completedFuture(body.apply(work));
  }
}
