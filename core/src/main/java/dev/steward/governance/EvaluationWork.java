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
import java.util.Optional;

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

  /**
   * Stores an evaluation due now for each tenant. One already due is kept; one due later (the
   * periodic re-evaluation of an active tenant) is brought forward, so a burst of complaints is
   * judged when it arrives, not at the next period.
   */
  static void schedule(WorkStore work, Collection<TenantId> tenants, Instant now) {
    List<WorkItem> fresh = new ArrayList<>(tenants.size());
    List<WorkItem> sooner = new ArrayList<>();
    for (TenantId t : tenants) {
      WorkItem item =
          WorkItem.builder(t, GovernanceEvaluator.KIND, GovernanceEvaluator.ITEM_ID)
              .payload("{}")
              .dueAt(now)
              .build();
      Optional<WorkItem> pending = work.find(item.key());
      if (pending.isEmpty()) {
        fresh.add(item);
      } else if (pending.get().dueAt().isAfter(now)) {
        // replacing one that is running loses nothing: its evaluation stores its standing as it
        // runs, and this one evaluates again
        sooner.add(item);
      }
    }
    if (!fresh.isEmpty()) {
      work.scheduleAll(fresh, IfExists.KEEP);
    }
    if (!sooner.isEmpty()) {
      work.scheduleAll(sooner, IfExists.REPLACE);
    }
  }
}
