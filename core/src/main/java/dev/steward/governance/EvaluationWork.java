package dev.steward.governance;

import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.Next;
import dev.steward.schedule.WorkContext;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A tenant's evaluation as due work: one item per tenant ({@link GovernanceEvaluator#KIND}, id
 * {@link GovernanceEvaluator#ITEM_ID}), asked for when its events arrive and coming back every
 * period while the tenant stands above {@link Level#NONE} or has mail in its windows.
 */
final class EvaluationWork {
  private static final WorkType<String> TYPE = WorkType.json(GovernanceEvaluator.KIND);

  private final GovernanceEvaluator evaluator;
  private final Duration every;

  EvaluationWork(GovernanceEvaluator evaluator, Duration every) {
    this.evaluator = evaluator;
    this.every = every;
  }

  WorkRunner.Builder register(WorkRunner.Builder runner) {
    return runner.handler(TYPE, WorkHandler.sync(this::run));
  }

  private Next run(WorkContext<String> work) {
    GovernanceDecision d = evaluator.evaluate(work.item().key().tenant());
    boolean volume =
        d.readings().stream().anyMatch(r -> r.counts().sent() > 0 || r.counts().delivered() > 0);
    if (d.level() != Level.NONE || volume) {
      return Next.rescheduleAt(work.startedAt().plus(every));
    }
    return Next.done();
  }

  /** Stores an evaluation due now for each tenant, keeping one already pending. */
  static void schedule(WorkStore work, Collection<TenantId> tenants, Instant now) {
    List<WorkItem> items = new ArrayList<>(tenants.size());
    for (TenantId t : tenants) {
      items.add(
          WorkItem.builder(t, GovernanceEvaluator.KIND, GovernanceEvaluator.ITEM_ID)
              .payload("{}")
              .dueAt(now)
              .build());
    }
    if (!items.isEmpty()) {
      work.scheduleAll(items, IfExists.KEEP);
    }
  }
}
