package dev.steward.review24b;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.model.Message;
import dev.steward.model.Priority;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A higher-priority message whose place in the slot's queue lies after its own send-by is dropped;
 * it must not first take a lower-priority message's place and move it back (displaced by a message
 * that never goes out, and perhaps past its own send-by).
 */
class DroppedDisplacerTest {
  private static final Instant SLOT = OneSendAWeek.SLOT;

  private final OneSendAWeek week = new OneSendAWeek(Dispatcher.DEFAULT_LOOK_AHEAD);
  private final SettableClock clock = week.clock;
  private final List<DispatchResult> results = week.results;
  private final List<String> displaced = week.displaced;
  private final Dispatcher d = week.dispatcher;

  private static Message.Builder message(String id, Priority priority) {
    return OneSendAWeek.message(id, priority);
  }

  @Test
  void aDisplacerWhosePlaceIsPastItsSendByDisplacesNobody() {
    assertThat(d.dispatch(message("first", Priority.NORMAL).build()).status())
        .isEqualTo(DispatchStatus.SENT);
    clock.advance(Duration.ofDays(1));
    assertThat(d.dispatch(message("urgent", Priority.HIGH).build()).decision().notBefore())
        .contains(SLOT);
    Message low = message("newsletter", Priority.LOW).sendBy(SLOT.plusSeconds(1)).build();
    assertThat(d.dispatch(low).decision().notBefore()).contains(SLOT.plusSeconds(1));

    // its first free place (the LOW one's, a second after the slot) is after its send-by
    Message late = message("late", Priority.HIGH).sendBy(SLOT.plusMillis(500)).build();
    DispatchResult r = d.dispatch(late);

    assertThat(r.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(d.deferred(late.tenant(), late.id())).isEmpty();
    assertThat(displaced).isEmpty();
    assertThat(d.deferred(low.tenant(), low.id()))
        .hasValueSatisfying(
            w -> {
              assertThat(w.dueAt()).isEqualTo(SLOT.plusSeconds(1));
              assertThat(w.displacedBy()).isEmpty();
            });
    assertThat(results)
        .filteredOn(x -> x.message().id().equals(low.id()))
        .extracting(DispatchResult::status)
        .containsExactly(DispatchStatus.DEFERRED);
  }
}
