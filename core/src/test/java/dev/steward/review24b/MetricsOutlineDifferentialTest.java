package dev.steward.review24b;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.StewardMetrics;
import dev.steward.delivery.Decision;
import dev.steward.delivery.DispatchListener;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.Dispatcher;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.CoolDown;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.FrequencyGate;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential: the metrics counted from a lazily explained decision's outline (memsend) are the
 * metrics counted from the same decision's reasons read eagerly, for every outcome the frequency
 * gate gives (allowed by every rule, deferred by a cap, a cool-down, quiet hours or a send window,
 * suppressed by a zero cap, exempt), over many messages and instants.
 */
class MetricsOutlineDifferentialTest {
  private static final Instant T0 = Instant.parse("2026-03-06T20:30:00Z"); // a Friday evening

  static Stream<Function<CapPolicy.Builder, CapPolicy.Builder>> policies() {
    return Stream.of(
        b -> b,
        b ->
            b.cap(Cap.perContact(2, Window.rolling(Duration.ofDays(1))))
                .cap(Cap.perAccount(5, Window.week()))
                .coolDown(CoolDown.afterContactActivity("login", Duration.ofHours(3)))
                .quietHours(LocalTime.of(21, 0), LocalTime.of(7, 0))
                .sendWindow(
                    EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                    LocalTime.of(8, 0),
                    LocalTime.of(18, 0))
                .exemptAtOrAbove(Priority.HIGH)
                .zone(ZoneId.of("Europe/Berlin")),
        b -> b.cap(Cap.perContact(0, Window.day())).exemptKinds(List.of(MessageKind.TRANSACTIONAL)),
        b -> b.cap(Cap.perContact(1, Window.rolling(Duration.ofHours(2)))));
  }

  @ParameterizedTest
  @MethodSource("policies")
  void countsFromTheOutlineEqualCountsFromTheReasons(
      Function<CapPolicy.Builder, CapPolicy.Builder> policy) {
    SettableClock clock = SettableClock.of(T0);
    StewardMetrics lazy = StewardMetrics.of();
    StewardMetrics eager = StewardMetrics.of();
    Dispatcher d =
        Dispatcher.builder(RecordingTransport.of(), clock)
            .gate(
                FrequencyGate.of(
                    FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
                        .policy(policy.apply(CapPolicy.builder()).build())
                        .build()))
            .listener(lazy)
            .listener(
                new DispatchListener() {
                  @Override
                  public void onGateDecision(Message message, String gate, Decision decision) {
                    eager.onGateDecision(
                        message,
                        gate,
                        new Decision(
                            decision.outcome(),
                            decision.notBefore(),
                            new ArrayList<>(decision.reasons())));
                  }

                  @Override
                  public void onResult(DispatchResult result) {
                    eager.onResult(result);
                  }
                })
            .build();
    int n = 0;
    for (int hour = 0; hour < 60; hour++) {
      for (int c = 0; c < 3; c++) {
        Message.Builder m =
            Messages.promo("c" + c)
                .account(AccountId.of("acct" + (c % 2)))
                .id(MessageId.of("m" + n))
                .idempotencyKey("m" + n);
        if (n % 5 == 0) {
          m.priority(Priority.HIGH);
        }
        if (n % 7 == 0) {
          m.kind(MessageKind.TRANSACTIONAL);
        }
        n++;
        d.dispatch(m.build());
      }
      clock.advance(Duration.ofMinutes(47));
    }

    assertThat(lazy.total(StewardMetrics.RULE_REASONS)).isPositive();
    assertThat(counts(lazy)).isEqualTo(counts(eager));
  }

  private static Map<String, Long> counts(StewardMetrics m) {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (StewardMetrics.Metric x : m.snapshot()) {
      out.put(x.name() + new java.util.TreeMap<>(x.tags()), x.value());
    }
    return out;
  }
}
