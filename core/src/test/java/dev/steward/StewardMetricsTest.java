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

  @Test
  void countsEveryTagCombinationAsOneCounterPerSeriesWhicheverWayItIsReached() {
    // cpu14: decisions, results and finished work are counted through tables of adders by tag;
    // every combination must land on the same counter as count(), total() and snapshot() read
    StewardMetrics metrics = StewardMetrics.of();
    Map<List<String>, Long> expected = new java.util.HashMap<>();
    java.util.Random random = new java.util.Random(14);
    List<String> gates = List.of("consent", "frequency", "suppression");
    List<String> rules = List.of("r-1", "r-2");
    List<String> kinds = List.of("steward.journey-step", "steward.recurring");
    Message m = message("c-1", MessageKind.TRANSACTIONAL);
    for (int i = 0; i < 3_000; i++) {
      String gate = gates.get(random.nextInt(gates.size()));
      Outcome outcome = Outcome.values()[random.nextInt(Outcome.values().length)];
      List<Reason> reasons = new java.util.ArrayList<>();
      for (int k = random.nextInt(3); k > 0; k--) {
        Reason r =
            Reason.of(
                gates.get(random.nextInt(gates.size())),
                rules.get(random.nextInt(rules.size())),
                Outcome.values()[random.nextInt(Outcome.values().length)],
                "why");
        reasons.add(r);
        expected.merge(
            List.of(StewardMetrics.RULE_REASONS, r.gate(), r.rule(), r.effect().name()),
            1L,
            Long::sum);
      }
      Decision d =
          new Decision(
              outcome,
              outcome == Outcome.DEFER
                  ? java.util.Optional.of(clock.instant())
                  : java.util.Optional.empty(),
              reasons);
      metrics.onGateDecision(m, gate, d);
      expected.merge(List.of(StewardMetrics.GATE_DECISIONS, gate, outcome.name()), 1L, Long::sum);
      DispatchStatus status =
          DispatchStatus.values()[random.nextInt(DispatchStatus.values().length)];
      metrics.onResult(new DispatchResult(m, status, d, null));
      expected.merge(List.of(StewardMetrics.DISPATCH_RESULTS, status.name()), 1L, Long::sum);
      String kind = kinds.get(random.nextInt(kinds.size()));
      dev.steward.schedule.Next next =
          switch (random.nextInt(4)) {
            case 0 -> dev.steward.schedule.Next.done();
            case 1 -> dev.steward.schedule.Next.rescheduleAt(clock.instant());
            case 2 -> dev.steward.schedule.Next.retry("again");
            default -> dev.steward.schedule.Next.fail("no");
          };
      metrics.onFinished(
          dev.steward.schedule.WorkItem.builder(TenantId.of("t"), kind, "w-" + i)
              .dueAt(clock.instant())
              .build(),
          next,
          java.time.Duration.ZERO);
      expected.merge(
          List.of(StewardMetrics.WORK_FINISHED, kind, next.action().name()), 1L, Long::sum);
    }
    Map<List<String>, Long> seen = new java.util.HashMap<>();
    for (StewardMetrics.Metric c : metrics.snapshot()) {
      Map<String, String> t = c.tags();
      List<String> key =
          switch (c.name()) {
            case StewardMetrics.RULE_REASONS ->
                List.of(c.name(), t.get("gate"), t.get("rule"), t.get("effect"));
            case StewardMetrics.GATE_DECISIONS ->
                List.of(c.name(), t.get("gate"), t.get("outcome"));
            case StewardMetrics.DISPATCH_RESULTS -> List.of(c.name(), t.get("status"));
            default -> List.of(c.name(), t.get("kind"), t.get("next"));
          };
      assertThat(seen.put(key, c.value())).as("one counter per series: %s", key).isNull();
    }
    assertThat(seen).isEqualTo(expected);
    // each combination of the rule counter, through count(), equals the tally
    for (String gate : gates) {
      for (String rule : rules) {
        for (Outcome effect : Outcome.values()) {
          assertThat(
                  metrics.count(
                      StewardMetrics.RULE_REASONS,
                      Map.of("gate", gate, "rule", rule, "effect", effect.name())))
              .isEqualTo(
                  expected.getOrDefault(
                      List.of(StewardMetrics.RULE_REASONS, gate, rule, effect.name()), 0L));
        }
      }
    }
    assertThat(metrics.total(StewardMetrics.DISPATCH_RESULTS)).isEqualTo(3_000);
    assertThat(metrics.total(StewardMetrics.WORK_FINISHED)).isEqualTo(3_000);
  }

  @Test
  void aGateOrKindOfNoValueIsRefusedAndCountsNothing() {
    StewardMetrics metrics = StewardMetrics.of();
    Decision allow = Decision.allow(Reason.of("g", "r", Outcome.ALLOW, "fine"));
    Message m = message("c-1", MessageKind.TRANSACTIONAL);
    assertThatThrownBy(() -> metrics.onGateDecision(m, null, allow))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tag 'gate' of counter " + StewardMetrics.GATE_DECISIONS);
    assertThat(metrics.snapshot()).isEmpty();
    metrics.onGateDecision(m, "g", allow);
    assertThat(
            metrics.count(StewardMetrics.GATE_DECISIONS, Map.of("gate", "g", "outcome", "ALLOW")))
        .isEqualTo(1);
  }
}
