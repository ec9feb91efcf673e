package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.internal.ComputedList;
import dev.steward.internal.RuleOutline;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A decision's reasons are built when first read; they must say what the decision saw when it was
 * taken, whatever happened to the ledger since, and be the same for every reader.
 */
class LazyReasonsTest {
  private static final Instant MON_10 = Instant.parse("2026-01-05T10:00:00Z");
  private final SettableClock clock = SettableClock.of(MON_10);

  private FrequencyCapLimiter twoPerWeek() {
    return FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
        .policy(
            CapPolicy.builder().cap(Cap.perContact(2, Window.rolling(Duration.ofDays(7)))).build())
        .build();
  }

  private static long used(Decision d) {
    return d.reasons().get(0).usage().orElseThrow().used();
  }

  @Test
  void reasonsReadLateCountWhatTheDecisionSaw() {
    FrequencyCapLimiter limiter = twoPerWeek();

    Decision first = limiter.decide(Messages.promo("c1"));
    clock.advance(Duration.ofMinutes(1));
    Decision second = limiter.decide(Messages.promo("c1"));
    clock.advance(Duration.ofMinutes(1));
    Decision third = limiter.decide(Messages.promo("c1"));

    // read only now, after the ledger holds two sends
    assertThat(used(first)).isZero();
    assertThat(used(second)).isEqualTo(1);
    assertThat(used(third)).isEqualTo(2);
    assertThat(third.outcome()).isEqualTo(Outcome.DEFER);
    Reason cap = third.reasons().get(0);
    assertThat(cap.effect()).isEqualTo(Outcome.DEFER);
    assertThat(cap.allowedFrom()).isEqualTo(third.notBefore());
  }

  @Test
  void aDeferralReadAfterAReleaseStillExplainsItself() {
    FrequencyCapLimiter limiter = twoPerWeek();
    limiter.decide(Messages.promo("c1"));
    limiter.decide(Messages.promo("c1"));
    Decision refused = limiter.decide(Messages.promo("c1"));

    limiter.release(Messages.promo("c1"), MON_10);
    limiter.release(Messages.promo("c1"), MON_10);

    assertThat(used(refused)).isEqualTo(2);
    assertThat(refused.reasons().get(0).effect()).isEqualTo(Outcome.DEFER);
    assertThat(limiter.decide(Messages.promo("c1")).isAllowed()).isTrue();
  }

  @Test
  void everyReaderGetsEqualReasonsAndTheListIsImmutable() throws Exception {
    FrequencyCapLimiter limiter = twoPerWeek();
    limiter.decide(Messages.promo("c1"));
    limiter.decide(Messages.promo("c1"));
    Decision refused = limiter.decide(Messages.promo("c1"));
    Decision again = limiter.whatIf(Messages.promo("c1"));

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<List<Reason>>> readers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        readers.add(() -> List.copyOf(refused.reasons()));
      }
      List<List<Reason>> seen = new ArrayList<>();
      for (Future<List<Reason>> f : pool.invokeAll(readers)) {
        seen.add(f.get());
      }
      assertThat(seen).allSatisfy(r -> assertThat(r).isEqualTo(seen.get(0)));
    } finally {
      pool.shutdownNow();
    }
    assertThat(refused).isEqualTo(again);
    assertThat(refused.hashCode()).isEqualTo(again.hashCode());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> refused.reasons().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private FrequencyCapLimiter everyKindOfRule() {
    return FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
        .policy(
            CapPolicy.builder()
                .cap(Cap.perContact(2, Window.rolling(Duration.ofDays(7))))
                .cap(Cap.perAccount(5, Window.week()))
                .coolDown(CoolDown.afterContactActivity("replied", Duration.ofDays(2)))
                .quietHours(java.time.LocalTime.of(21, 0), java.time.LocalTime.of(8, 0))
                .sendWindow(
                    SendWindow.weekdays(
                        java.time.LocalTime.of(9, 0), java.time.LocalTime.of(17, 0)))
                .build())
        .build();
  }

  private static RuleOutline<?> outline(Decision d) {
    return d.reasons() instanceof ComputedList<?> c ? c.outline() : null;
  }

  @Test
  void anAllowedDecisionTellsItsRulesWithoutBuildingItsReasonsAndTheyMatch() {
    FrequencyCapLimiter limiter = everyKindOfRule();
    Decision allowed = limiter.decide(Messages.promo("c1"));
    assertThat(allowed.isAllowed()).isTrue();

    RuleOutline<?> outline = outline(allowed);
    assertThat(outline).isNotNull();
    List<Reason> built = allowed.reasons();
    assertThat(outline.size()).isEqualTo(built.size()).isEqualTo(5);
    for (int i = 0; i < built.size(); i++) {
      assertThat(outline.gate(i)).as("gate %d", i).isEqualTo(built.get(i).gate());
      assertThat(outline.rule(i)).as("rule %d", i).isEqualTo(built.get(i).rule());
      assertThat(outline.effect(i)).as("effect %d", i).isEqualTo(built.get(i).effect());
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> outline.rule(5))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aRefusedDecisionHasNoOutline() {
    FrequencyCapLimiter limiter = everyKindOfRule();
    limiter.decide(Messages.promo("c1"));
    clock.advance(Duration.ofMinutes(1));
    limiter.decide(Messages.promo("c1"));
    clock.advance(Duration.ofMinutes(1));
    Decision deferred = limiter.decide(Messages.promo("c1"));

    assertThat(deferred.outcome()).isEqualTo(Outcome.DEFER);
    // a refusal's effects differ rule by rule (one names the deferral): its reasons are built
    assertThat(outline(deferred)).isNull();
    assertThat(deferred.reasons()).anySatisfy(r -> assertThat(r.effect()).isEqualTo(Outcome.DEFER));
  }
}
