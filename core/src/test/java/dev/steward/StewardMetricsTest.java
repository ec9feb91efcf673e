package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.Decision;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StewardMetricsTest {
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-11-27T10:00:00Z"));

  private Message message(String contact, MessageKind kind) {
    return Message.builder()
        .tenant(TenantId.of("t"))
        .account(AccountId.of("a"))
        .contact(ContactId.of(contact))
        .to(contact + "@example.com")
        .kind(kind)
        .category("news")
        .source(Source.MARKETING)
        .createdAt(clock.instant())
        .build();
  }

  /** Suppresses promotional mail, allows the rest. */
  private static final class NoPromotions implements Gate {
    @Override
    public String name() {
      return "no-promotions";
    }

    @Override
    public Decision evaluate(Message m, Instant now) {
      return m.kind() == MessageKind.PROMOTIONAL
          ? Decision.suppress(Reason.of(name(), "promotional", Outcome.SUPPRESS, "no"))
          : Decision.allow(Reason.of(name(), "promotional", Outcome.ALLOW, "not promotional"));
    }
  }

  @Test
  void countsDecisionsByGateRuleAndOutcomeAndResultsByStatus() {
    StewardMetrics metrics = StewardMetrics.of();
    Dispatcher d =
        Dispatcher.builder(RecordingTransport.of(), clock)
            .gate(new NoPromotions())
            .listener(metrics)
            .build();

    DispatchResult sent = d.dispatch(message("c-1", MessageKind.TRANSACTIONAL));
    d.dispatch(message("c-2", MessageKind.PROMOTIONAL));
    d.dispatch(message("c-3", MessageKind.PROMOTIONAL));

    assertThat(sent.status()).isEqualTo(DispatchStatus.SENT);
    assertThat(metrics.count(StewardMetrics.DISPATCH_RESULTS, Map.of("status", "SENT")))
        .isEqualTo(1);
    assertThat(metrics.count(StewardMetrics.DISPATCH_RESULTS, Map.of("status", "SUPPRESSED")))
        .isEqualTo(2);
    assertThat(
            metrics.count(
                StewardMetrics.GATE_DECISIONS,
                Map.of("gate", "no-promotions", "outcome", "SUPPRESS")))
        .isEqualTo(2);
    assertThat(
            metrics.count(
                StewardMetrics.RULE_REASONS,
                Map.of("gate", "no-promotions", "rule", "promotional", "effect", "ALLOW")))
        .isEqualTo(1);
    assertThat(metrics.total(StewardMetrics.DISPATCH_RESULTS)).isEqualTo(3);
    // the snapshot hands each counter's tags out as the map they were counted under
    assertThat(metrics.snapshot())
        .contains(
            new StewardMetrics.Metric(
                StewardMetrics.RULE_REASONS,
                Map.of("gate", "no-promotions", "rule", "promotional", "effect", "ALLOW"),
                1),
            new StewardMetrics.Metric(
                StewardMetrics.GATE_DECISIONS,
                Map.of("gate", "no-promotions", "outcome", "SUPPRESS"),
                2));
    assertThat(
            metrics.count(
                StewardMetrics.RULE_REASONS,
                Map.of(
                    "gate", "no-promotions", "rule", "promotional", "effect", "ALLOW", "x", "y")))
        .isZero();
  }

  @Test
  void countsEventsByTypeAndReadsGaugesWhenAsked() {
    AtomicLong due = new AtomicLong(5);
    StewardMetrics metrics = StewardMetrics.builder().gauge("steward.work.due", due::get).build();

    metrics.onEvents(
        List.of(
            EmailEvent.of("e-1", EmailEventType.OPEN, clock.instant(), ContactId.of("c"), null),
            EmailEvent.of("e-2", EmailEventType.OPEN, clock.instant(), ContactId.of("c"), null),
            EmailEvent.of("e-3", EmailEventType.BOUNCE, clock.instant(), ContactId.of("c"), null)));
    due.set(7);

    assertThat(metrics.count(StewardMetrics.EVENTS, Map.of("type", "OPEN"))).isEqualTo(2);
    assertThat(metrics.gauge("steward.work.due")).isEqualTo(7);
    assertThat(metrics.snapshot())
        .extracting(StewardMetrics.Metric::name, StewardMetrics.Metric::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(StewardMetrics.EVENTS, 1L),
            org.assertj.core.groups.Tuple.tuple(StewardMetrics.EVENTS, 2L),
            org.assertj.core.groups.Tuple.tuple("steward.work.due", 7L));
    assertThatThrownBy(() -> metrics.gauge("nope")).hasMessageContaining("no gauge named 'nope'");
  }
}
