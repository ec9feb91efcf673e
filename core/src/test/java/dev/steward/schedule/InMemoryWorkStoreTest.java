package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.testing.SettableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The WorkStore contract against the in-memory store. */
class InMemoryWorkStoreTest extends WorkStoreContract {
  private final SettableClock leaseClock = SettableClock.of(T0);
  private WorkStore current;

  @Override
  protected WorkStore newStore() {
    current = InMemoryWorkStore.of(leaseClock);
    return current;
  }

  @Override
  protected WorkStore secondInstance() {
    return current;
  }

  @Override
  protected void passLeaseTime(Duration d) {
    leaseClock.advance(d);
  }

  @Test
  void nextDueAtIsTheEarliestReadyItemNotLeasedOrCancelledOnes() {
    InMemoryWorkStore s = InMemoryWorkStore.of(leaseClock);
    assertThat(s.nextDueAt()).isEmpty();
    s.schedule(
        WorkItem.builder(ACME, KIND, "late").dueAt(T0.plusSeconds(300)).build(), IfExists.KEEP);
    s.schedule(
        WorkItem.builder(ACME, KIND, "soon").dueAt(T0.plusSeconds(60)).build(), IfExists.KEEP);
    s.schedule(WorkItem.builder(GLOBEX, KIND, "now").dueAt(T0).build(), IfExists.KEEP);
    assertThat(s.nextDueAt()).contains(T0);

    // claimed: no longer READY, so the next one counts
    assertThat(s.claim(ClaimRequest.of(T0, 1, "r1", Duration.ofMinutes(5)))).hasSize(1);
    assertThat(s.nextDueAt()).contains(T0.plusSeconds(60));

    s.cancel(WorkKey.of(ACME, KIND, "soon"));
    assertThat(s.nextDueAt()).contains(T0.plusSeconds(300));
  }
}
