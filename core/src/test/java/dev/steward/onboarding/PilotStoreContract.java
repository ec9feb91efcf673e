package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract every {@link PilotStore} meets: memory, H2 and PostgreSQL alike. */
public abstract class PilotStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-02T10:15:00Z");
  protected static final LocalDate D0 = LocalDate.parse("2026-03-02");
  protected static final TenantId T1 = TenantId.of("t1");
  protected static final TenantId T2 = TenantId.of("t2");

  protected PilotStore store;

  /** A new, empty store. */
  protected abstract PilotStore newStore();

  /** Another instance over the same data; itself in memory. */
  protected PilotStore secondInstance() {
    return store;
  }

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  private static MessageId m(int n) {
    return MessageId.of("m-" + n);
  }

  private static PilotState full(TenantId t) {
    return new PilotState(
        t,
        3,
        T0.plusNanos(123),
        D0.plusDays(2),
        Optional.of(T0.plusSeconds(7)),
        true,
        List.of(
            new StageChange(T0, 0, 1, "1000 delivered ü"),
            new StageChange(T0.plusSeconds(1), 1, 3, "more")));
  }

  @Test
  void anUpdateStartsFromTheInitialStateAndEveryFieldComesBack() {
    assertThat(store.find(T1)).isEmpty();
    PilotState[] seen = new PilotState[1];
    PilotState stored =
        store.update(
            T1,
            T0,
            s -> {
              seen[0] = s;
              return full(T1);
            });
    assertThat(seen[0]).isEqualTo(PilotState.initial(T1, T0));
    assertThat(stored).isEqualTo(full(T1));
    assertThat(secondInstance().find(T1)).contains(full(T1));
    assertThat(store.find(T2)).isEmpty();
    // the next update starts from the stored state
    store.update(T1, T0.plusSeconds(9), s -> s.onDay(D0.plusDays(5)));
    assertThat(secondInstance().find(T1).orElseThrow().day()).isEqualTo(D0.plusDays(5));
    assertThat(secondInstance().find(T1).orElseThrow().history()).hasSize(2);
  }

  @Test
  void aChangeReturningAnotherTenantOrNullIsRefusedAndWritesNothing() {
    assertThatThrownBy(() -> store.update(T1, T0, s -> full(T2)))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("t2");
    assertThatThrownBy(() -> store.update(T1, T0, s -> null))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("null");
    assertThat(store.find(T1)).isEmpty();
  }

  @Test
  void nullsAndANegativeLimitAreRefusedWithTheFieldNamed() {
    assertThatThrownBy(() -> store.find(null))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> store.reserve(T1, null, m(1), 5))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("day");
    assertThatThrownBy(() -> store.reserve(T1, D0, null, 5))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("message");
    assertThatThrownBy(() -> store.reserve(T1, D0, m(1), -1))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> store.release(null, D0, m(1)))
        .isInstanceOf(InvalidOnboardingInputException.class);
    assertThatThrownBy(() -> store.confirm(T1, D0, null))
        .isInstanceOf(InvalidOnboardingInputException.class);
    assertThatThrownBy(() -> store.update(T1, null, s -> s))
        .isInstanceOf(InvalidOnboardingInputException.class);
    assertThat(store.count(T1, D0)).isZero();
  }

  @Test
  void aReservationCountsUnderTheLimitOnlyAndOncePerMessage() {
    assertThat(store.reserve(T1, D0, m(1), 2)).isEqualTo(new DailyReservation(true, 0));
    assertThat(store.reserve(T1, D0, m(2), 2)).isEqualTo(new DailyReservation(true, 1));
    assertThat(store.reserve(T1, D0, m(3), 2)).isEqualTo(new DailyReservation(false, 2));
    // the same message again: granted, not counted twice
    assertThat(secondInstance().reserve(T1, D0, m(2), 2)).isEqualTo(new DailyReservation(true, 1));
    assertThat(secondInstance().count(T1, D0)).isEqualTo(2);
    // a higher limit later in the day lets the next in
    assertThat(store.reserve(T1, D0, m(3), 3)).isEqualTo(new DailyReservation(true, 2));
    // days and tenants are apart
    assertThat(store.reserve(T1, D0.plusDays(1), m(4), 1).granted()).isTrue();
    assertThat(store.reserve(T2, D0, m(5), 1).granted()).isTrue();
    assertThat(store.count(T1, D0)).isEqualTo(3);
    assertThat(store.count(T1, D0.plusDays(1))).isEqualTo(1);
    assertThat(store.count(T2, D0)).isEqualTo(1);
    assertThat(store.reserve(T2, D0, m(6), 0)).isEqualTo(new DailyReservation(false, 1));
  }

  @Test
  void aReleaseTakesTheMessageOffOnceAndAConfirmationCountsItOnce() {
    store.reserve(T1, D0, m(1), 5);
    store.reserve(T1, D0, m(2), 5);
    assertThat(secondInstance().release(T1, D0, m(1))).isTrue();
    assertThat(store.release(T1, D0, m(1))).as("released already").isFalse();
    assertThat(store.release(T1, D0, m(9))).as("never counted").isFalse();
    assertThat(store.release(T1, D0.plusDays(1), m(2))).as("another day").isFalse();
    assertThat(store.count(T1, D0)).isEqualTo(1);
    // a released message that went out after all counts again, once, whatever the limit
    assertThat(store.confirm(T1, D0, m(1))).isTrue();
    assertThat(secondInstance().confirm(T1, D0, m(1))).isFalse();
    assertThat(store.confirm(T1, D0, m(2))).as("counted by its reservation").isFalse();
    assertThat(store.count(T1, D0)).isEqualTo(2);
    assertThat(store.reserve(T1, D0, m(3), 2).granted()).isFalse();
    assertThat(store.confirm(T1, D0, m(3))).isTrue();
    assertThat(store.count(T1, D0)).isEqualTo(3);
  }

  @Test
  void purgeForgetsOnlyTheTenantsEarlierDaysAndEraseEverythingOfTheTenant() {
    store.reserve(T1, D0, m(1), 5);
    store.reserve(T1, D0.plusDays(1), m(2), 5);
    store.reserve(T1, D0.plusDays(2), m(3), 5);
    store.reserve(T2, D0, m(4), 5);
    store.update(T1, T0, s -> s);
    store.update(T2, T0, s -> s);
    assertThat(store.purgeBefore(T1, D0.plusDays(2))).isEqualTo(2);
    assertThat(store.count(T1, D0)).isZero();
    assertThat(store.count(T1, D0.plusDays(1))).isZero();
    assertThat(store.count(T1, D0.plusDays(2))).isEqualTo(1);
    assertThat(store.count(T2, D0)).isEqualTo(1);
    // a purged message is gone: it could be counted again
    assertThat(store.reserve(T1, D0, m(1), 5)).isEqualTo(new DailyReservation(true, 0));

    assertThat(secondInstance().eraseTenant(T1)).isTrue();
    assertThat(store.find(T1)).isEmpty();
    assertThat(store.count(T1, D0)).isZero();
    assertThat(store.count(T1, D0.plusDays(2))).isZero();
    assertThat(store.eraseTenant(T1)).isFalse();
    assertThat(store.find(T2)).isPresent();
    assertThat(store.count(T2, D0)).isEqualTo(1);
  }

  @Test
  void concurrentReservationsFromTwoInstancesNeverPassTheLimit() {
    PilotStore[] instances = {store, secondInstance()};
    List<Boolean> granted =
        Concurrently.run(
            8,
            i -> {
              int ok = 0;
              for (int k = 0; k < 10; k++) {
                if (instances[i % 2].reserve(T1, D0, m(i * 100 + k), 25).granted()) {
                  ok++;
                }
              }
              return ok > 0;
            });
    assertThat(granted).contains(true);
    assertThat(store.count(T1, D0)).isEqualTo(25);
    assertThat(secondInstance().count(T1, D0)).isEqualTo(25);
  }

  @Test
  void concurrentUpdatesOfOneTenantApplyOneAfterTheOther() {
    PilotStore[] instances = {store, secondInstance()};
    Concurrently.run(
        6,
        i -> {
          for (int k = 0; k < 5; k++) {
            instances[i % 2].update(
                T1, T0, s -> s.movedTo(s.stage() + 1, T0, "step " + (s.stage() + 1)));
          }
          return 0;
        });
    PilotState s = store.find(T1).orElseThrow();
    assertThat(s.stage()).isEqualTo(30);
    assertThat(s.history()).extracting(StageChange::to).doesNotHaveDuplicates().hasSize(30);
  }

  @Test
  void aMessageReservedByTwoDispatchesStaysCountedUntilBothGaveItBack() {
    assertThat(store.reserve(T1, D0, m(1), 5)).isEqualTo(new DailyReservation(true, 0));
    // the same message dispatched again at once: granted on the one count, one more hold
    assertThat(secondInstance().reserve(T1, D0, m(1), 5)).isEqualTo(new DailyReservation(true, 0));
    assertThat(store.count(T1, D0)).isEqualTo(1);

    // the dispatch that did not send gives back its own hold only
    assertThat(secondInstance().release(T1, D0, m(1))).isFalse();
    assertThat(store.count(T1, D0)).isEqualTo(1);

    // the last hold given back takes the message off the day
    assertThat(store.release(T1, D0, m(1))).isTrue();
    assertThat(store.count(T1, D0)).isZero();
    assertThat(store.release(T1, D0, m(1))).isFalse();
  }

  @Test
  void aConfirmationAddsNoHold() {
    store.reserve(T1, D0, m(1), 5);
    assertThat(store.confirm(T1, D0, m(1))).isFalse();
    assertThat(store.release(T1, D0, m(1))).isTrue();
    assertThat(store.count(T1, D0)).isZero();
  }

  @Test
  void dispatchesOfOneMessageRacingOnTwoInstancesCountItOnceAndEachGivesBackOnlyItsHold() {
    PilotStore[] instances = {store, secondInstance()};
    int racers = 8;
    // every racer reserves the same message m-1, and one message of its own, under a limit of 5
    List<List<DailyReservation>> answers =
        Concurrently.run(
            racers,
            i ->
                List.of(
                    instances[i % 2].reserve(T1, D0, m(1), 5),
                    instances[i % 2].reserve(T1, D0, m(100 + i), 5)));
    assertThat(answers).allMatch(a -> a.get(0).granted());
    assertThat(answers.stream().filter(a -> a.get(1).granted()).count())
        .as("m-1 and four others fill the limit of 5")
        .isLessThanOrEqualTo(4);
    long others = answers.stream().filter(a -> a.get(1).granted()).count();
    assertThat(store.count(T1, D0)).isEqualTo(1 + others);
    assertThat(secondInstance().count(T1, D0)).isEqualTo(1 + others);

    // each dispatch gives back its own hold; the message leaves the day with the last one only
    for (int i = 0; i < racers - 1; i++) {
      assertThat(instances[i % 2].release(T1, D0, m(1))).isFalse();
      assertThat(store.count(T1, D0)).isEqualTo(1 + others);
    }
    assertThat(instances[1].release(T1, D0, m(1))).isTrue();
    assertThat(store.count(T1, D0)).isEqualTo(others);
    assertThat(store.release(T1, D0, m(1))).isFalse();
  }
}
