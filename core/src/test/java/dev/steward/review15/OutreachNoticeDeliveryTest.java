package dev.steward.review15;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.InMemoryOnboardingStore;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingRecord;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.OnboardingStore;
import dev.steward.onboarding.OutreachFlag;
import dev.steward.onboarding.OutreachListener;
import dev.steward.onboarding.PhaseVerdict;
import dev.steward.onboarding.Verdict;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Outreach notices must reach their listeners at least once: a listener that throws, or an instance
 * whose store answer is lost after the episode was stored, must not lose the notice for good (the
 * episode is flagged once, so nothing would ever tell it again).
 */
class OutreachNoticeDeliveryTest {
  private static final Actor RULE = Actor.rule("test");
  private static final TenantId ACME = TenantId.of("acme");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));

  /** A store whose next replace is stored but answered by a dropped connection. */
  static final class DroppingStore implements OnboardingStore {
    final OnboardingStore inner = InMemoryOnboardingStore.of();
    final AtomicBoolean dropNextReplace = new AtomicBoolean();

    @Override
    public Optional<OnboardingRecord> find(TenantId tenant) {
      return inner.find(tenant);
    }

    @Override
    public boolean insert(OnboardingRecord record) {
      return inner.insert(record);
    }

    @Override
    public boolean replace(long expectedVersion, OnboardingRecord next) {
      boolean done = inner.replace(expectedVersion, next);
      if (dropNextReplace.compareAndSet(true, false)) {
        throw new IllegalStateException("connection reset after the write was committed");
      }
      return done;
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

  private void active(OnboardingStateMachine m, TenantId t) {
    m.enrol(t, RULE);
    OnboardingPhase[] gates = {
      OnboardingPhase.VETTING,
      OnboardingPhase.SENDER_DOMAIN_VERIFICATION,
      OnboardingPhase.CONTENT_REVIEW
    };
    OnboardingState[] next = {
      OnboardingState.DOMAIN_VERIFICATION, OnboardingState.CONTENT_REVIEW, OnboardingState.PILOT
    };
    for (int i = 0; i < 3; i++) {
      m.recordVerdict(
          t, new PhaseVerdict(gates[i], Verdict.PASS, RULE, clock.instant(), "ok", List.of()));
      m.transition(t, next[i], RULE, "passed");
    }
    m.transition(t, OnboardingState.POOL_ASSIGNMENT, RULE, "graduated");
    m.transition(t, OnboardingState.ACTIVE, RULE, "placed by hand");
  }

  private static void drain(Steward s) {
    for (int i = 0; i < 100; i++) {
      if (s.runDue() == 0) {
        return;
      }
    }
    fail("due work never ran out");
  }

  private Steward steward(Stores stores, OutreachListener listener) {
    return Steward.builder(clock)
        .stores(stores)
        .transport(RecordingTransport.of())
        .outreach(o -> o.listener(listener))
        .build();
  }

  /** Lets the retries of the next hour run. */
  private void anHourOfRetries(Steward s) {
    drain(s);
    for (int i = 0; i < 60; i++) {
      clock.advance(Duration.ofMinutes(1));
      drain(s);
    }
  }

  @Test
  void aListenerThatThrowsHearsTheFlagAgainUntilItReturns() {
    List<OutreachFlag> heard = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    Steward s =
        steward(
            Stores.inMemory(clock),
            f -> {
              if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("the CSM tool is down");
              }
              heard.add(f);
            });
    OnboardingStateMachine m = s.onboarding().orElseThrow();
    active(m, ACME);

    s.governance().warn(ACME, "a re-check failed");
    anHourOfRetries(s);

    assertThat(m.find(ACME).orElseThrow().state()).isEqualTo(OnboardingState.OUTREACH);
    assertThat(heard)
        .as("the notice comes back after the listener threw, and stops once it returned")
        .singleElement()
        .satisfies(f -> assertThat(f.tenant()).isEqualTo(ACME));
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void anEpisodeStoredButAnsweredByADroppedConnectionIsStillTold() {
    DroppingStore store = new DroppingStore();
    Stores stores = Stores.inMemory(clock);
    stores = stores.withOnboarding(store, stores.pilot());
    List<OutreachFlag> heard = new CopyOnWriteArrayList<>();
    Steward s = steward(stores, heard::add);
    OnboardingStateMachine m = s.onboarding().orElseThrow();
    active(m, ACME);

    store.dropNextReplace.set(true);
    s.governance().warn(ACME, "a re-check failed");
    assertThat(m.find(ACME).orElseThrow().state())
        .as("the move to outreach was stored")
        .isEqualTo(OnboardingState.OUTREACH);
    anHourOfRetries(s);
    s.governance().warn(ACME, "another warning: the episode is flagged already");
    anHourOfRetries(s);

    assertThat(heard)
        .as("the stored episode is told once it is stored, whatever the store answered")
        .singleElement()
        .satisfies(f -> assertThat(f.tenant()).isEqualTo(ACME));
  }

  @Test
  void anErasedTenantsPendingNoticeIsDroppedWithIt() {
    List<OutreachFlag> heard = new CopyOnWriteArrayList<>();
    AtomicBoolean down = new AtomicBoolean(true);
    Steward s =
        steward(
            Stores.inMemory(clock),
            f -> {
              if (down.get()) {
                throw new IllegalStateException("the CSM tool is down");
              }
              heard.add(f);
            });
    OnboardingStateMachine m = s.onboarding().orElseThrow();
    active(m, ACME);
    s.governance().warn(ACME, "a re-check failed");
    drain(s);
    s.eraseTenant(ACME);
    down.set(false);
    anHourOfRetries(s);
    assertThat(heard).as("no notice about an erased tenant").isEmpty();
  }
}
