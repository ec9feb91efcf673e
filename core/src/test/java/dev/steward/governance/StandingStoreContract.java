package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract every {@link StandingStore} meets. */
public abstract class StandingStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-02T10:15:00Z");
  protected static final TenantId T1 = TenantId.of("t1");
  protected static final TenantId T2 = TenantId.of("t2");

  protected StandingStore store;

  /** A new, empty store. */
  protected abstract StandingStore newStore();

  /** Another instance over the same data; itself in memory. */
  protected StandingStore secondInstance() {
    return store;
  }

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  private static Standing full(TenantId t) {
    HumanOverride o =
        new HumanOverride(
            Level.SUSPEND,
            "abuse report ü",
            "ops@isv",
            T0,
            Optional.of(T0.plusSeconds(86_400)),
            Level.QUARANTINE);
    return new Standing(
        t,
        Level.SUSPEND,
        T0.plusNanos(123),
        Optional.of(T0.plusSeconds(60)),
        Optional.of(T0.plusSeconds(30)),
        true,
        Optional.of(o),
        List.of(
            new StandingChange(
                T0, Level.NONE, Level.QUARANTINE, Cause.ESCALATED, "hard-bounce-rate 6%"),
            new StandingChange(
                T0.plusSeconds(1), Level.QUARANTINE, Level.SUSPEND, Cause.OVERRIDDEN, "ops")));
  }

  @Test
  void anUpdateStartsFromTheInitialStandingAndEveryFieldComesBack() {
    assertThat(store.find(T1)).isEmpty();
    Standing[] seen = new Standing[1];
    Standing stored =
        store.update(
            T1,
            T0,
            s -> {
              seen[0] = s;
              return full(T1);
            });
    assertThat(seen[0]).isEqualTo(Standing.initial(T1, T0));
    assertThat(stored).isEqualTo(full(T1));
    assertThat(secondInstance().find(T1)).contains(full(T1));
    assertThat(store.find(T2)).isEmpty();
  }

  @Test
  void aChangeReturningAnotherTenantOrNullIsRefusedAndWritesNothing() {
    assertThatThrownBy(() -> store.update(T1, T0, s -> full(T2)))
        .isInstanceOf(InvalidGovernanceException.class)
        .hasMessageContaining("t2");
    assertThatThrownBy(() -> store.update(T1, T0, s -> null))
        .isInstanceOf(InvalidGovernanceException.class);
    assertThat(store.find(T1)).isEmpty();
    assertThatThrownBy(() -> store.find(null)).isInstanceOf(InvalidGovernanceException.class);
  }

  @Test
  void concurrentUpdatesOfOneTenantRunOneAfterTheOther() {
    int threads = 4;
    int each = 10;
    Concurrently.run(
        threads,
        t -> {
          StandingStore s = t % 2 == 0 ? store : secondInstance();
          for (int k = 0; k < each; k++) {
            s.update(
                T1,
                T0,
                cur ->
                    cur.with(
                        cur.level(),
                        cur.since(),
                        cur.expiresAt(),
                        cur.cleanSince(),
                        false,
                        cur.override(),
                        new StandingChange(T0, Level.NONE, Level.NONE, Cause.UNCHANGED, "n")));
          }
          return 0;
        });
    assertThat(store.find(T1).get().history()).hasSize(threads * each);
  }

  @Test
  void erasingATenantLeavesOthers() {
    store.update(T1, T0, s -> full(T1));
    store.update(T2, T0, s -> full(T2));
    assertThat(store.eraseTenant(T1)).isTrue();
    assertThat(store.eraseTenant(T1)).isFalse();
    assertThat(store.find(T1)).isEmpty();
    assertThat(store.find(T2)).isPresent();
  }
}
