package dev.steward.schedule;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Runs the claimed items of one kind together: one call gets every item of the kind a claim took
 * (at most the runner's batch size, within the kind's concurrency), so the handler can read and
 * write for all of them in a few store round trips instead of a few per item.
 *
 * <p>The answer holds one {@link Next} per item, in the order of the items. Each item is then
 * treated as if a {@link WorkHandler} had answered it alone: its lease is renewed while the call
 * runs, its answer written, its failures retried by the kind's policy. A call that throws, or whose
 * stage fails or times out, fails the attempt of every item in it; an answer of the wrong size does
 * too, since it cannot say which item is which. A {@code null} in the list fails its item.
 *
 * <p>As with {@link WorkHandler}, every item runs at least once: make the batch idempotent per
 * item.
 *
 * @param <P> the payload's type
 */
@FunctionalInterface
public interface BatchWorkHandler<P> {

  /** Runs the items; the stage's value says what happens next to each, in the items' order. */
  CompletionStage<List<Next>> handle(List<WorkContext<P>> work) throws Exception;

  /** A batch handler that answers on the calling thread. */
  static <P> BatchWorkHandler<P> sync(Function<List<WorkContext<P>>, List<Next>> body) {
    return work -> CompletableFuture.completedFuture(body.apply(work));
  }
}
