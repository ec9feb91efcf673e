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
 * A message of priority HIGH queued behind a LOW one (the slot was beyond the horizon then) must
 * not be moved back past its send-by, and so dropped, by a later HIGH message taking the LOW one's
 * place within the horizon: equal priorities keep the order they came in, and the later one queues
 * after.
 */
class EqualPriorityPushedPastSendByTest {
  private static final Instant SLOT = OneSendAWeek.SLOT;

  private final OneSendAWeek week = new OneSendAWeek(Duration.ofDays(3));
  private final SettableClock clock = week.clock;
  private final List<DispatchResult> results = week.results;
  private final List<String> displaced = week.displaced;
  private final Dispatcher d = week.dispatcher;

  private static Message.Builder message(String id, Priority priority) {
    return OneSendAWeek.message(id, priority);
  }

  @Test
  void anEarlierEqualPriorityMessageIsNotPushedPastItsSendBy() {
    assertThat(d.dispatch(message("first", Priority.NORMAL).build()).status())
        .isEqualTo(DispatchStatus.SENT);
    assertThat(d.dispatch(message("low", Priority.LOW).build()).decision().notBefore())
        .contains(SLOT);
    Message h0 = message("h0", Priority.HIGH).sendBy(SLOT.plusSeconds(1)).build();
    assertThat(d.dispatch(h0).decision().notBefore()).contains(SLOT.plusSeconds(1));
    clock.advance(Duration.ofDays(5));
    Message h = message("h", Priority.HIGH).build();
    DispatchResult r = d.dispatch(h);

    assertThat(r.status()).isEqualTo(DispatchStatus.DEFERRED);
    assertThat(d.deferred(h0.tenant(), h0.id()))
        .hasValueSatisfying(w -> assertThat(w.dueAt()).isEqualTo(SLOT.plusSeconds(1)));
    assertThat(results)
        .filteredOn(x -> x.message().id().equals(h0.id()))
        .extracting(DispatchResult::status)
        .containsExactly(DispatchStatus.DEFERRED);
    assertThat(r.decision().notBefore()).contains(SLOT.plusSeconds(2));
  }
}
