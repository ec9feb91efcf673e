package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.Message;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DueDispatchRunnerTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  @Test
  void drainEmptiesTheDuePartOfTheQueueInBatches() {
    SettableClock clock = new SettableClock(T0);
    RecordingTransport transport = new RecordingTransport();
    Instant later = T0.plusSeconds(60);
    Gate holdUntilLater =
        new Gate() {
          @Override
          public String name() {
            return "hold";
          }

          @Override
          public Decision evaluate(Message message, Instant now) {
            return now.isBefore(later)
                ? Decision.defer(later, List.of(Reason.of("hold", "r", Outcome.DEFER, "wait")))
                : Decision.allow(List.of());
          }
        };
    Dispatcher d = Dispatcher.builder(transport, clock).gate(holdUntilLater).build();
    for (int i = 0; i < 7; i++) {
      d.dispatch(Messages.promo("c" + i).build());
    }
    // one message not yet due stays
    clock.set(later.minusSeconds(1));
    assertThat(DueDispatchRunner.drain(d, 3)).isZero();

    clock.set(later);
    assertThat(DueDispatchRunner.drain(d, 3)).isEqualTo(7);
    assertThat(transport.sent()).hasSize(7);
    assertThat(d.deferredQueue().size()).isZero();
  }

  @Test
  void startRefusesBadSettings() {
    Dispatcher d = Dispatcher.builder(new RecordingTransport(), new SettableClock(T0)).build();
    assertThatThrownBy(() -> DueDispatchRunner.start(d, Duration.ZERO, 10))
        .hasMessageContaining("interval");
    assertThatThrownBy(() -> DueDispatchRunner.start(d, Duration.ofSeconds(1), 0))
        .hasMessageContaining("batchSize");
  }
}
