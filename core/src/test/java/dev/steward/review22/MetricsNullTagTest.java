package dev.steward.review22;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.StewardMetrics;
import dev.steward.delivery.Decision;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * review22: StewardMetrics' Series key (84d8cc3) takes a null tag value where Map.of refused it;
 * the series is then stored and every later snapshot() fails building its tags with Map.of.
 */
class MetricsNullTagTest {
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-11-27T10:00:00Z"));

  private Message message() {
    return Message.builder()
        .tenant(TenantId.of("t"))
        .account(AccountId.of("a"))
        .contact(ContactId.of("c-1"))
        .to("c-1@example.com")
        .kind(MessageKind.TRANSACTIONAL)
        .category("news")
        .source(Source.MARKETING)
        .createdAt(clock.instant())
        .build();
  }

  @Test
  void aGateDecisionWithoutAGateNameNeverBreaksTheSnapshot() {
    StewardMetrics metrics = StewardMetrics.of();
    metrics.onGateDecision(
        message(), "ok-gate", Decision.allow(Reason.of("ok-gate", "r", Outcome.ALLOW, "fine")));
    try {
      metrics.onGateDecision(
          message(), null, Decision.allow(Reason.of("ok-gate", "r", Outcome.ALLOW, "fine")));
    } catch (RuntimeException refused) {
      // refusing the bad call is fine (the dispatcher logs a listener that throws)
    }

    // every other counter must still be readable
    assertThat(metrics.snapshot())
        .anySatisfy(
            m -> {
              assertThat(m.name()).isEqualTo(StewardMetrics.GATE_DECISIONS);
              assertThat(m.tags()).isEqualTo(Map.of("gate", "ok-gate", "outcome", "ALLOW"));
              assertThat(m.value()).isEqualTo(1);
            });
  }

  /** A gate named null: the dispatcher's builder must refuse it, whether first or not. */
  private static final class Nameless implements Gate {
    @Override
    public String name() {
      return null;
    }

    @Override
    public Decision evaluate(Message m, Instant now) {
      return Decision.allow(Reason.of("x", "r", Outcome.ALLOW, "fine"));
    }
  }

  @Test
  void aGateWithoutANameIsRefusedWhenAdded() {
    assertThatThrownBy(
            () -> Dispatcher.builder(RecordingTransport.of(), clock).gate(new Nameless()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
  }
}
