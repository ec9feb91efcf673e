package dev.steward.delivery;

import dev.steward.schedule.InMemoryWorkStore;
import java.time.Duration;

/** The EventInbox contract in memory; leases are judged by the test's clock. */
class InMemoryEventInboxTest extends EventInboxContract {
  private InMemoryEventInbox last;

  @Override
  protected EventInbox newInbox() {
    last = InMemoryEventInbox.of(InMemoryWorkStore.of(clock));
    return last;
  }

  @Override
  protected EventInbox secondInstance() {
    return last;
  }

  @Override
  protected void passLeaseTime(Duration d) {
    clock.advance(d);
  }
}
