package dev.steward.reviewgov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.steward.governance.GovernanceListener;
import dev.steward.governance.Granularity;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricsKey;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A batch that is a live view (a buffer another thread appends to at its front) changes between the
 * listener's read of who is inactive and its count: the inactive flags are kept by position, so
 * they landed on other events, and past the end of the flags the listener threw.
 */
class RgovChangingBatchTest {
  private static final TenantId T = TenantId.of("t");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A view over a buffer that gains an event at its front after its first walk. */
  private static final class GrowingView extends AbstractList<EmailEvent> {
    private final List<EmailEvent> buffer;
    private final EmailEvent arriving;
    private int walks;

    GrowingView(List<EmailEvent> buffer, EmailEvent arriving) {
      this.buffer = buffer;
      this.arriving = arriving;
    }

    @Override
    public Iterator<EmailEvent> iterator() {
      if (walks++ == 1) {
        buffer.add(0, arriving); // another thread's append, between two walks
      }
      return super.iterator();
    }

    @Override
    public EmailEvent get(int index) {
      return buffer.get(index);
    }

    @Override
    public int size() {
      return buffer.size();
    }
  }

  @Test
  void anEventArrivingBetweenTheTwoWalksTakesNoOtherEventsInactiveFlag() {
    InMemoryGovernanceMetricsStore store = InMemoryGovernanceMetricsStore.of();
    GovernanceListener l = GovernanceListener.builder(store).build();
    l.onEvents(List.of(processed("1", "old@x.example", T0)));
    Instant later = T0.plus(Duration.ofDays(200));
    List<EmailEvent> buffer = new ArrayList<>(List.of(processed("2", "old@x.example", later)));
    GrowingView view = new GrowingView(buffer, processed("3", "new@x.example", later));
    assertThatCode(() -> l.onEvents(view)).doesNotThrowAnyException();
    MetricCounts c =
        store.counts(MetricsKey.of(T), Granularity.DAY, later, later.plus(Duration.ofDays(1)));
    // "old" is inactive (mailed 200 days ago, never opened), "new" is not, whichever is counted
    assertThat(c.sentToInactive()).isEqualTo(1);
  }

  private static EmailEvent processed(String id, String to, Instant at) {
    return EmailEvent.builder(id, EmailEventType.PROCESSED, at).tenant(T).email(to).build();
  }
}
