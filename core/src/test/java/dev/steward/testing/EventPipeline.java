package dev.steward.testing;

import dev.steward.delivery.AcceptResult;
import dev.steward.delivery.EventInbox;
import dev.steward.delivery.EventIngestor;
import dev.steward.delivery.InMemoryEventInbox;
import dev.steward.model.EmailEvent;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An ingestor over an inbox with a manual runner: accept a batch and apply it at once, in tests.
 */
public final class EventPipeline {
  private final EventIngestor ingestor;
  private final WorkRunner runner;
  private final EventInbox inbox;

  private EventPipeline(EventInbox inbox, Clock clock, UnaryOperator<EventIngestor.Builder> setup) {
    this.inbox = inbox;
    this.ingestor = setup.apply(EventIngestor.builder(inbox, clock)).build();
    this.runner = ingestor.register(WorkRunner.builder(inbox.work(), clock)).build();
  }

  /** A pipeline in memory; {@code setup} adds the listeners. */
  public static EventPipeline inMemory(Clock clock, UnaryOperator<EventIngestor.Builder> setup) {
    return over(InMemoryEventInbox.of(InMemoryWorkStore.of(clock)), clock, setup);
  }

  /** A pipeline over an inbox; {@code setup} adds the listeners. */
  public static EventPipeline over(
      EventInbox inbox, Clock clock, UnaryOperator<EventIngestor.Builder> setup) {
    return new EventPipeline(inbox, clock, setup);
  }

  /** Accepts the batch and runs everything due, as a webhook and a runner would. */
  public AcceptResult ingest(List<EmailEvent> batch) {
    AcceptResult r = ingestor.accept(batch);
    runner.runDue();
    return r;
  }

  public EventIngestor ingestor() {
    return ingestor;
  }

  public WorkRunner runner() {
    return runner;
  }

  public WorkStore work() {
    return inbox.work();
  }
}
