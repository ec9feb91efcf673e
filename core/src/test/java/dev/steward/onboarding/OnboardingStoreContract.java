package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of every {@link OnboardingStore} (TCK): records round-trip whole, a replacement
 * applies only over the version it was computed from, two instances racing on one tenant cannot
 * both move it, pages by state, erasure, and the same refusals everywhere.
 */
public abstract class OnboardingStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
  protected static final TenantId ACME = TenantId.of("acme");
  protected static final TenantId GLOBEX = TenantId.of("globex");
  protected static final Actor ALICE = Actor.human("alice");
  protected static final Actor CHECKLIST = Actor.rule("vetting-checklist");

  protected OnboardingStore store;
  protected SettableClock clock;

  /** A new, empty store. */
  protected abstract OnboardingStore newStore();

  /** Another instance over the data of the last {@link #newStore()} (the same one in memory). */
  protected abstract OnboardingStore secondInstance();

  @BeforeEach
  void createStore() {
    store = newStore();
    clock = SettableClock.of(T0);
  }

  private OnboardingStateMachine machine(OnboardingStore s) {
    return OnboardingStateMachine.builder(clock, s).build();
  }

  private PhaseVerdict pass(OnboardingPhase phase, Actor by) {
    return new PhaseVerdict(
        phase, Verdict.PASS, by, clock.instant(), "all checks passed", List.of());
  }

  @Test
  void anUnknownTenantIsNotFound() {
    assertThat(store.find(ACME)).isEmpty();
    assertThat(store.list(OnboardingState.VETTING, Optional.empty(), 10)).isEmpty();
    assertThat(store.eraseTenant(ACME)).isFalse();
    assertThat(
            store.replace(
                1,
                OnboardingRecord.enrolled(ACME, ALICE, T0)
                    .withVerdict(pass(OnboardingPhase.VETTING, CHECKLIST))))
        .isFalse();
  }

  @Test
  void aRecordRoundTripsWholeThroughEveryInstance() {
    OnboardingStateMachine m = machine(store);
    m.enrol(ACME, ALICE);
    clock.advance(java.time.Duration.ofHours(1));
    m.recordVerdict(
        ACME,
        new PhaseVerdict(
            OnboardingPhase.VETTING,
            Verdict.NEEDS_REVIEW,
            CHECKLIST,
            clock.instant(),
            "sender domain is free mail",
            List.of("sender-domain: NEEDS_REVIEW gmail.com", "blocklist: PASS")));
    clock.advance(java.time.Duration.ofHours(1));
    m.recordVerdict(ACME, pass(OnboardingPhase.VETTING, ALICE));
    OnboardingRecord moved =
        m.transition(ACME, OnboardingState.DOMAIN_VERIFICATION, ALICE, "vetting passed by review");

    OnboardingRecord read = secondInstance().find(ACME).orElseThrow();

    assertThat(read).isEqualTo(moved);
    assertThat(read.version()).isEqualTo(4);
    assertThat(read.enteredAt(OnboardingState.VETTING)).contains(T0);
    assertThat(read.enteredAt(OnboardingState.DOMAIN_VERIFICATION)).contains(T0.plusSeconds(7200));
    assertThat(read.transitions())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.by()).isEqualTo(ALICE);
              assertThat(t.reason()).isEqualTo("vetting passed by review");
            });
    assertThat(read.verdicts()).hasSize(2);
    assertThat(read.verdicts().get(0).findings()).hasSize(2);
  }

  @Test
  void aReplacementAppliesOnlyOverTheVersionItWasComputedFrom() {
    OnboardingRecord r1 = OnboardingRecord.enrolled(ACME, ALICE, T0);
    assertThat(store.insert(r1)).isTrue();
    assertThat(store.insert(r1)).as("a second enrolment writes nothing").isFalse();
    OnboardingRecord r2 = r1.withVerdict(pass(OnboardingPhase.VETTING, CHECKLIST));

    assertThat(store.replace(1, r2)).isTrue();
    assertThat(secondInstance().replace(1, r2)).as("version 1 is gone").isFalse();
    assertThat(store.find(ACME)).contains(r2);
  }

  @Test
  void twoInstancesRacingOnOneTenantCannotBothMoveIt() {
    OnboardingStateMachine first = machine(store);
    first.enrol(ACME, ALICE);
    first.recordVerdict(ACME, pass(OnboardingPhase.VETTING, CHECKLIST));
    List<OnboardingStateMachine> machines = List.of(first, machine(secondInstance()));
    AtomicInteger refused = new AtomicInteger();

    for (int round = 0; round < 5; round++) {
      TenantId t = TenantId.of("race-" + round);
      first.enrol(t, ALICE);
      first.recordVerdict(t, pass(OnboardingPhase.VETTING, CHECKLIST));
      List<Boolean> moved =
          Concurrently.run(
              2,
              i -> {
                try {
                  machines
                      .get(i)
                      .transition(
                          t, OnboardingState.DOMAIN_VERIFICATION, CHECKLIST, "instance " + i);
                  return true;
                } catch (IllegalTransitionException e) {
                  assertThat(e.why()).contains("already in DOMAIN_VERIFICATION");
                  refused.incrementAndGet();
                  return false;
                }
              });
      assertThat(moved).containsExactlyInAnyOrder(true, false);
      OnboardingRecord r = store.find(t).orElseThrow();
      assertThat(r.transitions()).hasSize(1);
      assertThat(r.version()).isEqualTo(3);
    }
    assertThat(refused).hasValue(5);
  }

  @Test
  void pagesListTheTenantsInAStateInTenantOrder() {
    for (String t : List.of("t3", "t1", "t2", "t4")) {
      store.insert(OnboardingRecord.enrolled(TenantId.of(t), ALICE, T0));
    }
    OnboardingStateMachine m = machine(store);
    m.recordVerdict(TenantId.of("t2"), pass(OnboardingPhase.VETTING, CHECKLIST));
    m.transition(TenantId.of("t2"), OnboardingState.DOMAIN_VERIFICATION, CHECKLIST, "passed");

    assertThat(store.list(OnboardingState.VETTING, Optional.empty(), 2))
        .containsExactly(TenantId.of("t1"), TenantId.of("t3"));
    assertThat(store.list(OnboardingState.VETTING, Optional.of(TenantId.of("t3")), 10))
        .containsExactly(TenantId.of("t4"));
    assertThat(secondInstance().list(OnboardingState.DOMAIN_VERIFICATION, Optional.empty(), 10))
        .containsExactly(TenantId.of("t2"));
  }

  @Test
  void erasingATenantLeavesTheOthers() {
    store.insert(OnboardingRecord.enrolled(ACME, ALICE, T0));
    store.insert(OnboardingRecord.enrolled(GLOBEX, ALICE, T0));

    assertThat(secondInstance().eraseTenant(ACME)).isTrue();

    assertThat(store.find(ACME)).isEmpty();
    assertThat(store.find(GLOBEX)).isPresent();
    assertThat(store.eraseTenant(ACME)).isFalse();
  }

  @Test
  void aTenantEnrolledAgainAfterErasureNeverRepeatsAVersion() {
    OnboardingRecord r1 = OnboardingRecord.enrolled(ACME, ALICE, T0);
    store.insert(r1);
    OnboardingRecord r2 = r1.withVerdict(pass(OnboardingPhase.VETTING, CHECKLIST));
    assertThat(store.replace(1, r2)).isTrue();
    OnboardingRecord stale = r2.withVerdict(pass(OnboardingPhase.VETTING, ALICE)); // from v2

    assertThat(secondInstance().eraseTenant(ACME)).isTrue();
    assertThat(store.replace(2, stale)).as("nothing to replace once erased").isFalse();
    assertThat(store.list(OnboardingState.VETTING, Optional.empty(), 10)).isEmpty();
    assertThat(store.eraseTenant(ACME)).isFalse();

    Actor bob = Actor.human("bob");
    OnboardingRecord again = OnboardingRecord.enrolled(ACME, bob, T0.plusSeconds(60));
    assertThat(secondInstance().insert(again)).isTrue();
    assertThat(store.insert(again)).as("enrolled already").isFalse();
    OnboardingRecord stored = store.find(ACME).orElseThrow();
    assertThat(stored.version()).isEqualTo(3);
    assertThat(stored.enrolledBy()).isEqualTo(bob);
    assertThat(stored.verdicts()).isEmpty();
    assertThat(store.list(OnboardingState.VETTING, Optional.empty(), 10)).containsExactly(ACME);

    // every version the erased enrolment had is refused; the new one's is not
    for (long v = 1; v <= 2; v++) {
      OnboardingRecord old = r1;
      while (old.version() < v + 1) {
        old = old.withVerdict(pass(OnboardingPhase.VETTING, CHECKLIST));
      }
      assertThat(store.replace(v, old)).as("a change computed from version " + v).isFalse();
    }
    OnboardingRecord next = stored.withVerdict(pass(OnboardingPhase.VETTING, CHECKLIST));
    assertThat(secondInstance().replace(3, next)).isTrue();
    assertThat(store.find(ACME)).contains(next);
    assertThat(store.find(ACME).orElseThrow().enrolledBy()).isEqualTo(bob);

    // and again: the version goes on past the second enrolment's
    store.eraseTenant(ACME);
    store.insert(OnboardingRecord.enrolled(ACME, ALICE, T0.plusSeconds(120)));
    assertThat(secondInstance().find(ACME).orElseThrow().version()).isEqualTo(5);
  }

  @Test
  void theStateMachineAnswersTheStoredRecordWhenEnrollingAgain() {
    OnboardingStateMachine m = machine(store);
    m.enrol(ACME, ALICE);
    m.recordVerdict(ACME, pass(OnboardingPhase.VETTING, CHECKLIST));
    m.eraseTenant(ACME);
    OnboardingRecord again = m.enrol(ACME, Actor.human("bob"));
    assertThat(again.version()).isEqualTo(3);
    assertThat(again).isEqualTo(secondInstance().find(ACME).orElseThrow());
    OnboardingRecord moved =
        m.transition(ACME, OnboardingState.REJECTED, Actor.human("bob"), "declined");
    assertThat(moved.version()).isEqualTo(4);
  }

  @Test
  void badArgumentsAreRefusedWithTheSameExceptionByEveryStore() {
    OnboardingRecord r1 = OnboardingRecord.enrolled(ACME, ALICE, T0);
    OnboardingRecord r2 = r1.withVerdict(pass(OnboardingPhase.VETTING, CHECKLIST));
    assertThatThrownBy(() -> store.find(null))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> store.insert(r2))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("version 1");
    assertThatThrownBy(() -> store.replace(5, r2))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("version 6");
    assertThatThrownBy(() -> store.list(OnboardingState.PILOT, Optional.empty(), 0))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> store.list(null, Optional.empty(), 1))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("state");
    assertThatThrownBy(() -> store.eraseTenant(null))
        .isInstanceOf(InvalidOnboardingInputException.class);
    assertThat(store.find(ACME)).isEmpty();
  }
}
