package dev.steward.review8;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.InMemoryOnboardingStore;
import dev.steward.onboarding.OnboardingRecord;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.OnboardingStore;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hostile review of the onboarding state machine under erasure and racing instances. */
class OnboardingStateMachineReview8Test {
  private static final TenantId T = TenantId.of("acme");

  /** A store over another, that runs {@code between} once right after the next find. */
  private static final class Interleaving implements OnboardingStore {
    final OnboardingStore inner;
    Runnable between;

    Interleaving(OnboardingStore inner) {
      this.inner = inner;
    }

    @Override
    public Optional<OnboardingRecord> find(TenantId tenant) {
      Optional<OnboardingRecord> r = inner.find(tenant);
      Runnable b = between;
      between = null;
      if (b != null) {
        b.run();
      }
      return r;
    }

    @Override
    public boolean insert(OnboardingRecord record) {
      return inner.insert(record);
    }

    @Override
    public boolean replace(long expectedVersion, OnboardingRecord next) {
      return inner.replace(expectedVersion, next);
    }

    @Override
    public List<TenantId> list(OnboardingState state, Optional<TenantId> after, int limit) {
      return inner.list(state, after, limit);
    }

    @Override
    public boolean eraseTenant(TenantId tenant) {
      return inner.eraseTenant(tenant);
    }
  }

  /**
   * DEFECT (ABA on the version): versions restart at 1 after an erasure, so a move computed by one
   * instance from the erased enrolment is stored over the new enrolment when the tenant was erased
   * and enrolled again in between (replace only compares the number). The erased record's data (who
   * enrolled it, when, its history) comes back from the dead and the new enrolment's is lost.
   * Correct: the stale move is re-checked against the new enrolment (its enrolledBy and enrolledAt
   * stay), e.g. by versions that never repeat for a tenant or a per-enrolment id compared in
   * replace.
   */
  @Test
  void aMoveComputedBeforeAnErasureIsNotStoredOverTheNewEnrolment() {
    staleMoveAfterErasure(InMemoryOnboardingStore.of());
  }

  /** The same on the JDBC store (H2), where two instances really do race. */
  @Test
  void aMoveComputedBeforeAnErasureIsNotStoredOverTheNewEnrolmentOnJdbc() {
    org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
    ds.setURL("jdbc:h2:mem:review8onb;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000");
    dev.steward.jdbc.StewardSchema.bootstrap(ds);
    staleMoveAfterErasure(dev.steward.jdbc.JdbcOnboardingStore.of(ds));
  }

  private static void staleMoveAfterErasure(OnboardingStore raw) {
    SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));
    Interleaving racing = new Interleaving(raw);
    OnboardingStateMachine a = OnboardingStateMachine.builder(clock, racing).build();
    OnboardingStateMachine b = OnboardingStateMachine.builder(clock, raw).build();
    a.enrol(T, Actor.human("old-owner"));
    clock.advance(Duration.ofDays(30));
    racing.between =
        () -> {
          b.eraseTenant(T);
          b.enrol(T, Actor.human("new-owner"));
        };

    a.transition(T, OnboardingState.REJECTED, Actor.human("reviewer"), "declined");

    OnboardingRecord now = raw.find(T).orElseThrow();
    assertThat(now.enrolledBy())
        .as("the erased enrolment came back")
        .isEqualTo(Actor.human("new-owner"));
    assertThat(now.enrolledAt()).isEqualTo(clock.instant());
  }

  /**
   * DEFECT: moving a tenant that was never enrolled (or was erased) raises an
   * IllegalTransitionException that claims the tenant is in VETTING: "tenant ghost cannot move from
   * VETTING to PILOT: the tenant is not enrolled", and from() answers VETTING. An operator or a
   * caller branching on from() is told a state that does not exist. Correct: the explanation does
   * not name a state the tenant is not in (e.g. the not-enrolled refusal that possibleMoves/refusal
   * already raise, or an exception with no from state).
   */
  @Test
  void aTenantThatIsNotEnrolledIsNotSaidToBeInVetting() {
    OnboardingStateMachine m =
        OnboardingStateMachine.builder(
                SettableClock.of(Instant.parse("2026-03-02T10:00:00Z")),
                InMemoryOnboardingStore.of())
            .build();
    Throwable t =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                m.transition(
                    TenantId.of("ghost"), OnboardingState.PILOT, Actor.human("ops"), "go"));
    assertThat(t).isNotNull();
    assertThat(t.getMessage()).doesNotContain("from VETTING");
  }
}
