package dev.steward.testing;

import dev.steward.delivery.DispatchListener;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.Dispatcher;
import dev.steward.schedule.WorkRunner;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs a dispatcher's due deferred messages on the calling thread, as a started {@link WorkRunner}
 * would, and returns the results of the dispatches that ran. Build the dispatcher with this as a
 * listener.
 */
public final class DueDispatches implements DispatchListener {
  private final List<DispatchResult> results = new CopyOnWriteArrayList<>();

  @Override
  public void onResult(DispatchResult result) {
    results.add(result);
  }

  /** Runs what is due at the clock's time; the results, in the order they were reached. */
  public List<DispatchResult> run(Dispatcher dispatcher, Clock clock) {
    results.clear();
    WorkRunner runner =
        dispatcher.registerWith(WorkRunner.builder(dispatcher.workStore(), clock)).build();
    runner.runDue();
    return List.copyOf(results);
  }
}
