package dev.steward.review15b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.governance.Counter;
import dev.steward.governance.GovernanceDecision;
import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.governance.Increment;
import dev.steward.governance.Level;
import dev.steward.governance.Standing;
import dev.steward.governance.StandingChanged;
import dev.steward.governance.StandingListener;
import dev.steward.governance.StandingStore;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.GovernanceSync;
import dev.steward.onboarding.InMemoryOnboardingStore;
import dev.steward.onboarding.OnboardingRecord;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** GovernanceSync carrying a person's onboarding move into governance, attacked. */
class GovernanceSyncHalfAppliedTest {
  private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
  private static final TenantId T = TenantId.of("acme");

  /** A standing store whose next clearing of an override fails (the database went away). */
  private static final class FailingClear implements StandingStore {
    final InMemoryStandingStore inner = InMemoryStandingStore.of();
    final AtomicBoolean failClear = new AtomicBoolean();

    @Override
    public Optional<Standing> find(TenantId tenant) {
      return inner.find(tenant);
    }

    @Override
    public Standing update(TenantId tenant, Instant now, UnaryOperator<Standing> change) {
      if (failClear.get()) {
        Standing before = inner.find(tenant).orElseThrow();
        Standing after = change.apply(before);
        if (before.override().isPresent() && after.override().isEmpty()) {
          failClear.set(false);
          throw new IllegalStateException("connection lost while clearing the override");
        }
      }
      return inner.update(tenant, now, change);
    }

    @Override
    public boolean eraseTenant(TenantId tenant) {
      return inner.eraseTenant(tenant);
    }
  }

  private final SettableClock clock = SettableClock.of(START);
  private final InMemoryOnboardingStore store = InMemoryOnboardingStore.of();
  private final InMemoryGovernanceMetricsStore metrics = InMemoryGovernanceMetricsStore.of();
  private final FailingClear standings = new FailingClear();
  private final AtomicReference<GovernanceSync> sync = new AtomicReference<>();
  private final OnboardingStateMachine machine =
      OnboardingStateMachine.builder(clock, store).listener(e -> sync.get().onEvent(e)).build();
  private final GovernanceEvaluator governance =
      GovernanceEvaluator.builder(metrics, standings, clock)
          .listener(
              new StandingListener() {
                @Override
                public void onChange(StandingChanged event) {
                  sync.get().onChange(event);
                }

                @Override
                public void onDecision(GovernanceDecision decision) {
                  sync.get().onDecision(decision);
                }
              })
          .build();
  private int day;
  private int seq;

  GovernanceSyncHalfAppliedTest() {
    sync.set(GovernanceSync.of(machine, governance));
    store.insert(
        new OnboardingRecord(
            T,
            OnboardingState.ACTIVE,
            1,
            Actor.rule("test"),
            START,
            Map.of(OnboardingState.ACTIVE, START),
            List.of(),
            List.of(),
            Optional.empty()));
  }

  private GovernanceDecision day(int delivered, int spam) {
    Instant noon = START.plus(Duration.ofDays(day)).plus(Duration.ofHours(12));
    List<Increment> out = new ArrayList<>();
    for (int i = 0; i < delivered; i++) {
      out.add(Increment.of(T, "p" + (++seq), Counter.PROCESSED, noon));
      out.add(Increment.of(T, "d" + (++seq), Counter.DELIVERED, noon));
    }
    for (int i = 0; i < spam; i++) {
      out.add(Increment.of(T, "s" + (++seq), Counter.SPAM_REPORT, noon));
    }
    metrics.add(out);
    clock.set(START.plus(Duration.ofDays(day)).plus(Duration.ofMinutes(23 * 60 + 30)));
    day++;
    return governance.evaluate(T);
  }

  /**
   * A person lifts a quarantine in onboarding; the sync carries it into governance as an override
   * to none and clears it at once, in two writes. When the second write is lost the override to
   * none stays in force without end: the ladder is held at none for good, whatever the tenant
   * sends. The next sync must finish the lowering.
   */
  @Test
  void aLoweringWhoseClearWasLostIsFinishedByTheNextSync() {
    governance.override(
        T, Level.QUARANTINE, "complaints from a mailbox provider", "ann", Optional.empty());
    assertThat(store.find(T).orElseThrow().state()).isEqualTo(OnboardingState.QUARANTINED);

    clock.set(START.plus(Duration.ofHours(1)));
    standings.failClear.set(true);
    machine.transition(T, OnboardingState.ACTIVE, Actor.human("bob"), "lists cleaned, checked");
    assertThat(standings.failClear.get()).as("the clear was attempted and lost").isFalse();
    assertThat(governance.storedStanding(T).orElseThrow().level()).isEqualTo(Level.NONE);

    sync.get().sync(T); // the next sweep, or the tenant's next evaluation

    assertThat(governance.storedStanding(T).orElseThrow().override())
        .as("a lowering is not an override without end")
        .isEmpty();
    // and the ladder judges again: a week at 1% spam complaints escalates the tenant
    Level worst = Level.NONE;
    for (int i = 0; i < 7; i++) {
      Level l = day(1_000, 10).standing().level();
      worst = l.isAbove(worst) ? l : worst;
    }
    assertThat(worst).isNotEqualTo(Level.NONE);
  }

  /**
   * A rule with the longest name an actor may have (200 characters) restricts a tenant governance
   * never judged: the sync carries the state into governance as an override "by" the rule, whose
   * name and kind (205 characters) are longer than an override's by (200): every sync throws and
   * the restriction never reaches governance.
   */
  @Test
  void aRuleWithTheLongestNameIsCarriedIntoGovernance() {
    Actor rule = Actor.rule("r".repeat(200));
    machine.transition(T, OnboardingState.RESTRICTED, rule, "the ISV's own abuse rule");

    // the state machine's event carried it already; a sweep's sync finds the two sides in step
    GovernanceSync.Outcome o = sync.get().sync(T);

    assertThat(o).isEqualTo(GovernanceSync.Outcome.IN_STEP);
    Standing s = governance.storedStanding(T).orElseThrow();
    assertThat(s.level()).isEqualTo(Level.RESTRICT);
    assertThat(s.override().orElseThrow().by()).hasSizeLessThanOrEqualTo(200).startsWith("rule:r");
    assertThatThrownBy(() -> Actor.rule("r".repeat(201))).hasMessageContaining("at most 200");
  }
}
