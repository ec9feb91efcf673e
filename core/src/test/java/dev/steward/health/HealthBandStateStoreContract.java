package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.health.HealthBandStateStore.BandState;
import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link HealthBandStateStore} meets; subclass it with a fresh store per test
 * and a second instance over the same data where the store is shared.
 */
public abstract class HealthBandStateStoreContract {
  protected static final AccountId ACME = AccountId.of("acme");
  protected static final AccountId BETA = AccountId.of("beta");
  protected static final TenantId T1 = TenantId.of("t1");
  protected static final TenantId T2 = TenantId.of("t2");

  protected HealthBandStateStore store;

  /** A new, empty store. */
  protected abstract HealthBandStateStore newStore();

  /** Another instance over the same data as the last {@link #newStore()}; itself when in memory. */
  protected HealthBandStateStore secondInstance() {
    return store;
  }

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @Test
  void anUnplacedAccountHasNoStateAndTheChangeSeesNull() {
    assertThat(store.get(T1, ACME)).isEmpty();
    BandState[] seen = {BandState.settled("x")};

    HealthBandStateStore.BandUpdate placed =
        store.update(
            T1,
            ACME,
            s -> {
              seen[0] = s;
              return BandState.settled("green");
            });

    assertThat(seen[0]).isNull();
    assertThat(placed.before()).isNull();
    assertThat(placed.after()).isEqualTo(BandState.settled("green"));
    assertThat(store.get(T1, ACME)).contains(BandState.settled("green"));
    assertThat(store.get(T1, BETA)).isEmpty();
  }

  @Test
  void updatesSeeTheStateBeforeThemAndKeepEveryField() {
    store.update(T1, ACME, s -> BandState.settled("green"));
    store.update(T1, ACME, s -> new BandState(s.band(), "red", 1));
    HealthBandStateStore.BandUpdate u =
        store.update(T1, ACME, s -> new BandState(s.band(), s.candidate(), s.consecutive() + 1));

    assertThat(u.before()).isEqualTo(new BandState("green", "red", 1));
    assertThat(u.after()).isEqualTo(new BandState("green", "red", 2));
    assertThat(secondInstance().get(T1, ACME)).contains(new BandState("green", "red", 2));
  }

  @Test
  void aFailingChangeLeavesTheStateAsItWas() {
    store.update(T1, ACME, s -> BandState.settled("green"));

    assertThatThrownBy(
            () ->
                store.update(
                    T1,
                    ACME,
                    s -> {
                      throw new IllegalStateException("listener bug");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("listener bug");
    assertThatThrownBy(
            () ->
                store.update(
                    T1,
                    BETA,
                    s -> {
                      throw new IllegalStateException("listener bug");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("listener bug");

    assertThat(store.get(T1, ACME)).contains(BandState.settled("green"));
    assertThat(store.get(T1, BETA)).isEmpty();
  }

  @Test
  void removeForgetsOneAccount() {
    store.update(T1, ACME, s -> BandState.settled("green"));
    store.update(T1, BETA, s -> BandState.settled("red"));

    assertThat(store.remove(T1, ACME)).isTrue();
    assertThat(store.remove(T1, ACME)).isFalse();
    assertThat(store.get(T1, ACME)).isEmpty();
    assertThat(store.get(T1, BETA)).contains(BandState.settled("red"));
  }

  @Test
  void concurrentUpdatesOfOneAccountLoseNoCount() {
    int threads = 4;
    int each = 10;
    List<Integer> done =
        Concurrently.run(
            threads,
            t -> {
              HealthBandStateStore s = t % 2 == 0 ? store : secondInstance();
              for (int i = 0; i < each; i++) {
                s.update(
                    T1,
                    ACME,
                    cur ->
                        cur == null
                            ? new BandState("green", "red", 1)
                            : new BandState("green", "red", cur.consecutive() + 1));
              }
              return each;
            });

    assertThat(done).containsOnly(each);
    assertThat(store.get(T1, ACME).orElseThrow().consecutive()).isEqualTo(threads * each);
  }

  @Test
  void badStatesAreRefused() {
    assertThatThrownBy(() -> new BandState("green", "red", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a candidate needs a positive count");
    assertThatThrownBy(() -> new BandState(" ", null, 0))
        .hasMessageContaining("band must not be blank");
  }

  @Test
  void theSameAccountUnderTwoTenantsHasTwoStates() {
    store.update(T1, ACME, s -> BandState.settled("green"));
    BandState[] seen = {BandState.settled("x")};
    store.update(
        T2,
        ACME,
        s -> {
          seen[0] = s;
          return BandState.settled("red");
        });

    assertThat(seen[0]).isNull();
    assertThat(store.get(T1, ACME)).contains(BandState.settled("green"));
    assertThat(secondInstance().get(T2, ACME)).contains(BandState.settled("red"));
    assertThat(store.remove(T2, ACME)).isTrue();
    assertThat(store.get(T1, ACME)).contains(BandState.settled("green"));
  }

  @Test
  void eraseTenantForgetsOneTenantOnlyAndIsIdempotent() {
    store.update(T1, ACME, s -> BandState.settled("green"));
    store.update(T1, BETA, s -> BandState.settled("red"));
    store.update(T2, ACME, s -> BandState.settled("yellow"));

    assertThat(store.eraseTenant(T1)).isEqualTo(2);
    assertThat(store.eraseTenant(T1)).isZero();

    assertThat(store.get(T1, ACME)).isEmpty();
    assertThat(store.get(T1, BETA)).isEmpty();
    assertThat(store.get(T2, ACME)).contains(BandState.settled("yellow"));
  }

  @Test
  void nullArgumentsAreRefusedNamingThemBeforeAnyChange() {
    assertThatThrownBy(() -> store.get(null, ACME))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> store.update(T1, null, s -> BandState.settled("green")))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("account");
    assertThatThrownBy(() -> store.update(T1, ACME, null))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("change");
    assertThatThrownBy(() -> store.update(T1, ACME, s -> null))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("new band state");
    assertThatThrownBy(() -> store.eraseTenant(null))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("tenant");
    assertThat(store.get(T1, ACME)).isEmpty();
  }
}
