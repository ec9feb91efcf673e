package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.ContactId;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link TriggerStore} meets; subclass it with a fresh store per test and a
 * second instance over the same data where the store is shared.
 */
public abstract class TriggerStoreContract {
  protected static final TenantId T1 = TenantId.of("t1");
  protected static final TenantId T2 = TenantId.of("t2");
  protected static final ContactId ANN = ContactId.of("ann");
  protected static final ContactId BOB = ContactId.of("bob");
  protected static final Instant T0 = Instant.parse("2026-03-02T09:00:00.123456789Z");

  protected TriggerStore store;

  /** A new, empty store. */
  protected abstract TriggerStore newStore();

  /** Another instance over the same data as the last {@link #newStore()}; itself in memory. */
  protected TriggerStore secondInstance() {
    return store;
  }

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  static SegmentMembership m(TenantId t, ContactId c, String j, boolean member, int gen) {
    return new SegmentMembership(t, c, j, member, gen, T0);
  }

  @Test
  void aMembershipIsCreatedOnceAndChangedOnlyFromWhatWasRead() {
    assertThat(store.membership(T1, ANN, "pro")).isEmpty();
    SegmentMembership out = m(T1, ANN, "pro", false, 0);
    assertThat(store.replaceMembership(Optional.empty(), out)).isTrue();
    assertThat(store.replaceMembership(Optional.empty(), m(T1, ANN, "pro", true, 1))).isFalse();
    assertThat(store.membership(T1, ANN, "pro")).contains(out);

    SegmentMembership in =
        new SegmentMembership(T1, ANN, "pro", true, 1, T0.plusNanos(987_654_321L));
    assertThat(store.replaceMembership(Optional.of(out), in)).isTrue();
    assertThat(store.membership(T1, ANN, "pro")).contains(in); // the time to the nanosecond
    assertThat(store.replaceMembership(Optional.of(out), m(T1, ANN, "pro", false, 1))).isFalse();
    assertThat(store.membership(T1, ANN, "pro")).contains(in);
    assertThat(store.membership(T2, ANN, "pro")).isEmpty();
    assertThat(store.membership(T1, ANN, "other")).isEmpty();
  }

  @Test
  void anExpectationOfAnotherKeyIsRefused() {
    assertThatThrownBy(
            () ->
                store.replaceMembership(
                    Optional.of(m(T1, BOB, "pro", false, 0)), m(T1, ANN, "pro", true, 1)))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("another contact or journey");
    assertThatThrownBy(() -> store.memberships(Optional.empty(), 0))
        .isInstanceOf(InvalidJourneyException.class);
    assertThat(store.membership(T1, ANN, "pro")).isEmpty();
  }

  @Test
  void twoInstancesRacingFromTheSameStateOneWins() throws Exception {
    SegmentMembership out = m(T1, ANN, "pro", false, 0);
    store.replaceMembership(Optional.empty(), out);
    TriggerStore other = secondInstance();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 1; round <= 20; round++) {
        SegmentMembership was = store.membership(T1, ANN, "pro").orElseThrow();
        SegmentMembership next = m(T1, ANN, "pro", !was.member(), was.generation() + 1);
        Callable<Boolean> a = () -> store.replaceMembership(Optional.of(was), next);
        Callable<Boolean> b = () -> other.replaceMembership(Optional.of(was), next);
        Future<Boolean> fa = pool.submit(a);
        Future<Boolean> fb = pool.submit(b);
        assertThat(List.of(fa.get(), fb.get())).containsExactlyInAnyOrder(true, false);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.membership(T1, ANN, "pro").orElseThrow().generation()).isEqualTo(20);
  }

  @Test
  void membershipsArePagedInKeyOrderAcrossTenants() {
    List<SegmentMembership> all =
        List.of(
            m(T1, ANN, "a", false, 0),
            m(T1, ANN, "b", true, 1),
            m(T1, BOB, "a", false, 0),
            m(T2, ANN, "a", true, 2),
            m(T2, BOB, "z", false, 3));
    for (SegmentMembership x :
        List.of(all.get(3), all.get(0), all.get(4), all.get(2), all.get(1))) {
      store.replaceMembership(Optional.empty(), x);
    }
    List<SegmentMembership> seen = new ArrayList<>();
    Optional<SegmentMembership> after = Optional.empty();
    while (true) {
      List<SegmentMembership> page = store.memberships(after, 2);
      seen.addAll(page);
      if (page.size() < 2) {
        break;
      }
      after = Optional.of(page.get(1));
    }
    assertThat(seen).containsExactlyElementsOf(all);
  }

  /**
   * A window reaching below the storable range counts an event at its first instant, as memory
   * does; the JDBC store clamped 'from' to that instant and, counting after it, missed the event.
   */
  @Test
  void aWindowBeyondTheStorableRangeCountsTheEventsAtItsEnds() {
    store.recordEvent(new ContactEvent(T1, ANN, "first", "login", StoreLimits.MIN_INSTANT));
    store.recordEvent(new ContactEvent(T1, ANN, "last", "login", StoreLimits.MAX_INSTANT));

    assertThat(store.countEvents(T1, ANN, "login", Instant.MIN, Instant.MAX)).isEqualTo(2);
    assertThat(
            store.countEvents(
                T1, ANN, "login", StoreLimits.MIN_INSTANT.minusNanos(1), StoreLimits.MAX_INSTANT))
        .isEqualTo(2);
    assertThat(store.countEvents(T1, ANN, "login", StoreLimits.MIN_INSTANT, Instant.MAX))
        .isEqualTo(1);
    assertThat(
            store.countEvents(T1, ANN, "login", Instant.MIN, StoreLimits.MIN_INSTANT.minusNanos(1)))
        .isZero();
    assertThat(store.countEvents(T1, ANN, "login", Instant.MIN, StoreLimits.MIN_INSTANT))
        .isEqualTo(1);
  }

  /**
   * A bound after the storable range purges an event at its last instant, as memory does; the JDBC
   * store clamped it onto that instant and, deleting before it, kept the event.
   */
  @Test
  void aPurgeBeyondTheStorableRangeForgetsTheEventsAtItsEnds() {
    store.recordEvent(new ContactEvent(T1, ANN, "first", "login", StoreLimits.MIN_INSTANT));
    store.recordEvent(new ContactEvent(T1, ANN, "last", "login", StoreLimits.MAX_INSTANT));

    assertThat(store.purgeEventsBefore(Instant.MIN, 10)).isZero();
    assertThat(store.purgeEventsBefore(StoreLimits.MIN_INSTANT, 10)).isZero();
    assertThat(store.purgeEventsBefore(StoreLimits.MAX_INSTANT, 10)).isEqualTo(1);
    assertThat(store.countEvents(T1, ANN, "login", Instant.MIN, Instant.MAX)).isEqualTo(1);
    assertThat(store.purgeEventsBefore(Instant.MAX, 10)).isEqualTo(1);
    assertThat(store.countEvents(T1, ANN, "login", Instant.MIN, Instant.MAX)).isZero();
  }

  @Test
  void eventsAreKeptOncePerIdAndCountedInTheirWindow() {
    assertThat(store.recordEvent(new ContactEvent(T1, ANN, "e1", "Login", T0))).isTrue();
    assertThat(store.recordEvent(new ContactEvent(T1, ANN, "e1", "login", T0.plusSeconds(5))))
        .isFalse();
    store.recordEvent(new ContactEvent(T1, ANN, "e2", "login", T0.plusSeconds(10)));
    store.recordEvent(new ContactEvent(T1, ANN, "e3", "email.open", T0.plusSeconds(10)));
    store.recordEvent(new ContactEvent(T1, BOB, "e4", "login", T0.plusSeconds(10)));
    store.recordEvent(new ContactEvent(T2, ANN, "e1", "login", T0)); // another tenant's e1
    // after 'from', up to and including 'until'
    assertThat(store.countEvents(T1, ANN, "login", T0.minusNanos(1), T0.plusSeconds(10)))
        .isEqualTo(2);
    assertThat(store.countEvents(T1, ANN, "LOGIN", T0, T0.plusSeconds(10))).isEqualTo(1);
    assertThat(store.countEvents(T1, ANN, "login", T0.minusNanos(1), T0.plusSeconds(9)))
        .isEqualTo(1);
    assertThat(store.countEvents(T1, ANN, "email.open", T0, T0.plusSeconds(10))).isEqualTo(1);
    assertThat(store.countEvents(T2, ANN, "login", T0.minusSeconds(1), T0)).isEqualTo(1);
    assertThat(store.countEvents(T2, BOB, "login", T0.minusSeconds(1), T0.plusSeconds(60)))
        .isZero();
    assertThatThrownBy(() -> store.countEvents(T1, ANN, "email.opened", T0, T0))
        .isInstanceOf(InvalidJourneyException.class);
  }

  @Test
  void oldEventsArePurgedInBoundedBatches() {
    for (int i = 0; i < 5; i++) {
      store.recordEvent(new ContactEvent(T1, ANN, "old-" + i, "login", T0.plusSeconds(i)));
    }
    store.recordEvent(new ContactEvent(T1, ANN, "new", "login", T0.plusSeconds(100)));
    assertThat(store.purgeEventsBefore(T0.plusSeconds(50), 3)).isEqualTo(3);
    assertThat(store.purgeEventsBefore(T0.plusSeconds(50), 3)).isEqualTo(2);
    assertThat(store.purgeEventsBefore(T0.plusSeconds(50), 3)).isZero();
    assertThat(store.countEvents(T1, ANN, "login", T0.minusSeconds(1), T0.plusSeconds(200)))
        .isEqualTo(1);
    // a purged id may be kept again
    assertThat(store.recordEvent(new ContactEvent(T1, ANN, "old-0", "login", T0))).isTrue();
  }

  @Test
  void erasureForgetsOneContactOrOneTenantOnly() {
    store.replaceMembership(Optional.empty(), m(T1, ANN, "a", true, 1));
    store.replaceMembership(Optional.empty(), m(T1, BOB, "a", true, 1));
    store.replaceMembership(Optional.empty(), m(T2, ANN, "a", true, 1));
    store.recordEvent(new ContactEvent(T1, ANN, "e1", "login", T0));
    store.recordEvent(new ContactEvent(T1, BOB, "e2", "login", T0));
    store.recordEvent(new ContactEvent(T2, ANN, "e3", "login", T0));

    assertThat(store.eraseContact(T1, ANN)).isEqualTo(2);
    assertThat(store.membership(T1, ANN, "a")).isEmpty();
    assertThat(store.membership(T1, BOB, "a")).isPresent();
    assertThat(store.countEvents(T1, ANN, "login", T0.minusSeconds(1), T0)).isZero();
    assertThat(store.recordEvent(new ContactEvent(T1, ANN, "e1", "login", T0))).isTrue();

    assertThat(store.eraseTenant(T1)).isEqualTo(3);
    assertThat(store.membership(T1, BOB, "a")).isEmpty();
    assertThat(store.membership(T2, ANN, "a")).isPresent();
    assertThat(store.countEvents(T2, ANN, "login", T0.minusSeconds(1), T0)).isEqualTo(1);
  }
}
