package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.AccountId;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link EngagementStore} meets; subclass it with a fresh store per test and a
 * second instance over the same data where the store is shared.
 */
public abstract class EngagementStoreContract {
  protected static final Instant T0 = Instant.parse("2026-02-01T09:00:00Z");
  protected static final TenantId T1 = TenantId.of("t1");
  protected static final TenantId T2 = TenantId.of("t2");
  protected static final AccountId ACME = AccountId.of("acme");
  protected static final AccountId BETA = AccountId.of("beta");

  protected EngagementStore store;

  /** A new, empty store. */
  protected abstract EngagementStore newStore();

  /** Another instance over the same data as the last {@link #newStore()}; itself when in memory. */
  protected EngagementStore secondInstance() {
    return store;
  }

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  protected static EngagementEvent ev(
      TenantId t, AccountId a, String id, EngagementKind kind, int minute) {
    return EngagementEvent.of(t, a, id, kind, T0.plus(Duration.ofMinutes(minute)));
  }

  private static List<String> ids(List<EngagementEvent> events) {
    return events.stream().map(EngagementEvent::eventId).toList();
  }

  @Test
  void eventsComeBackInTimeOrderWithinTheHalfOpenWindowWithEveryField() {
    EngagementEvent reply =
        EngagementEvent.of(
            T1,
            ACME,
            "r1",
            EngagementKind.REPLIED,
            T0.plusMillis(1_234).plusNanos(567),
            null,
            "Thanks — très bien");
    EngagementEvent open =
        EngagementEvent.of(T1, ACME, "o1", EngagementKind.OPENED, T0, "msg-1", null);
    store.record(List.of(reply, open, ev(T1, ACME, "s1", EngagementKind.SENT, -1)));

    assertThat(store.events(T1, ACME, T0.minusSeconds(3600), T0.plusSeconds(3600)))
        .containsExactly(ev(T1, ACME, "s1", EngagementKind.SENT, -1), open, reply);
    // (after, upTo]: an event exactly at "after" is out, one exactly at "upTo" in
    assertThat(ids(store.events(T1, ACME, T0, T0.plusSeconds(2)))).containsExactly("r1");
    assertThat(ids(store.events(T1, ACME, T0.minusSeconds(1), T0))).containsExactly("o1");
    assertThat(store.events(T1, ACME, T0, T0)).isEmpty();
    assertThat(store.events(T1, BETA, Instant.MIN, Instant.MAX)).isEmpty();
  }

  @Test
  void eventsAtTheSameInstantComeInEventIdOrder() {
    store.record(
        List.of(
            ev(T1, ACME, "c", EngagementKind.SENT, 0),
            ev(T1, ACME, "a", EngagementKind.SENT, 0),
            ev(T1, ACME, "b", EngagementKind.OPENED, 0)));

    assertThat(ids(store.events(T1, ACME, Instant.MIN, Instant.MAX)))
        .containsExactly("a", "b", "c");
  }

  @Test
  void recordingIsIdempotentPerEventIdAndTheFirstRecordStays() {
    assertThat(store.record(ev(T1, ACME, "e1", EngagementKind.SENT, 0))).isTrue();
    assertThat(store.record(ev(T1, ACME, "e1", EngagementKind.SENT, 0))).isFalse();
    assertThat(store.record(ev(T1, ACME, "e1", EngagementKind.OPENED, 5))).isFalse();
    assertThat(
            store.record(
                List.of(
                    ev(T1, ACME, "e1", EngagementKind.SENT, 0),
                    ev(T1, ACME, "e2", EngagementKind.OPENED, 1),
                    ev(T1, ACME, "e2", EngagementKind.OPENED, 1))))
        .isEqualTo(1);

    assertThat(secondInstance().events(T1, ACME, Instant.MIN, Instant.MAX))
        .containsExactly(
            ev(T1, ACME, "e1", EngagementKind.SENT, 0),
            ev(T1, ACME, "e2", EngagementKind.OPENED, 1));
    assertThat(store.record(List.of())).isZero();
  }

  @Test
  void theSameAccountAndEventIdUnderTwoTenantsAreTwoEvents() {
    store.record(ev(T1, ACME, "e1", EngagementKind.SENT, 0));
    assertThat(store.record(ev(T2, ACME, "e1", EngagementKind.CLICKED, 0))).isTrue();

    assertThat(store.events(T1, ACME, Instant.MIN, Instant.MAX))
        .extracting(EngagementEvent::kind)
        .containsExactly(EngagementKind.SENT);
    assertThat(secondInstance().events(T2, ACME, Instant.MIN, Instant.MAX))
        .extracting(EngagementEvent::kind)
        .containsExactly(EngagementKind.CLICKED);
  }

  @Test
  void erasingAnAccountLeavesOtherAccountsAndTenants() {
    store.record(
        List.of(
            ev(T1, ACME, "e1", EngagementKind.SENT, 0),
            ev(T1, BETA, "e2", EngagementKind.SENT, 0),
            ev(T2, ACME, "e3", EngagementKind.SENT, 0)));

    assertThat(store.erase(T1, ACME)).isTrue();
    assertThat(store.erase(T1, ACME)).isFalse();

    assertThat(store.events(T1, ACME, Instant.MIN, Instant.MAX)).isEmpty();
    assertThat(ids(store.events(T1, BETA, Instant.MIN, Instant.MAX))).containsExactly("e2");
    assertThat(ids(store.events(T2, ACME, Instant.MIN, Instant.MAX))).containsExactly("e3");
    // an erased event may come again (a late provider retry) and is then recorded afresh
    assertThat(store.record(ev(T1, ACME, "e1", EngagementKind.SENT, 0))).isTrue();
  }

  @Test
  void eraseTenantRemovesOneTenantOnlyAndIsIdempotent() {
    store.record(
        List.of(
            ev(T1, ACME, "e1", EngagementKind.SENT, 0),
            ev(T1, ACME, "e2", EngagementKind.OPENED, 1),
            ev(T1, BETA, "e3", EngagementKind.SENT, 0),
            ev(T2, ACME, "e1", EngagementKind.SENT, 0)));

    assertThat(store.eraseTenant(T1)).isEqualTo(3);
    assertThat(store.eraseTenant(T1)).isZero();

    assertThat(store.events(T1, ACME, Instant.MIN, Instant.MAX)).isEmpty();
    assertThat(store.events(T1, BETA, Instant.MIN, Instant.MAX)).isEmpty();
    assertThat(ids(store.events(T2, ACME, Instant.MIN, Instant.MAX))).containsExactly("e1");
  }

  @Test
  void purgeDropsEventsBeforeTheCutoffOfEveryTenant() {
    store.record(
        List.of(
            ev(T1, ACME, "old", EngagementKind.SENT, 0),
            ev(T2, BETA, "old", EngagementKind.SENT, 1),
            ev(T1, ACME, "edge", EngagementKind.SENT, 2),
            ev(T2, ACME, "new", EngagementKind.SENT, 3)));

    assertThat(store.purgeBefore(T0.plus(Duration.ofMinutes(2)), 1)).isEqualTo(1);
    assertThat(store.purgeBefore(T0.plus(Duration.ofMinutes(2)), 0)).isZero();
    assertThat(store.purgeBefore(T0.plus(Duration.ofMinutes(2)))).isEqualTo(1);
    assertThat(store.purgeBefore(T0.plus(Duration.ofMinutes(2)))).isZero();
    assertThat(store.purgeBefore(Instant.MIN)).isZero();

    assertThat(ids(store.events(T1, ACME, Instant.MIN, Instant.MAX))).containsExactly("edge");
    assertThat(store.events(T2, BETA, Instant.MIN, Instant.MAX)).isEmpty();
    assertThat(ids(store.events(T2, ACME, Instant.MIN, Instant.MAX))).containsExactly("new");
  }

  /**
   * A cutoff after the storable range purges an event at its last instant, as memory does; the JDBC
   * store clamped the cutoff onto that instant and, deleting before it, kept the event.
   */
  @Test
  void aCutoffBeyondTheStorableRangePurgesTheEventsAtItsEnds() {
    store.record(
        List.of(
            EngagementEvent.of(T1, ACME, "first", EngagementKind.SENT, StoreLimits.MIN_INSTANT),
            EngagementEvent.of(T1, ACME, "last", EngagementKind.SENT, StoreLimits.MAX_INSTANT)));

    assertThat(store.purgeBefore(Instant.MIN, 10)).isZero();
    assertThat(store.purgeBefore(StoreLimits.MIN_INSTANT, 10)).isZero();
    assertThat(store.purgeBefore(StoreLimits.MAX_INSTANT, 10)).isEqualTo(1);
    assertThat(ids(store.events(T1, ACME, Instant.MIN, Instant.MAX))).containsExactly("last");
    assertThat(store.purgeBefore(Instant.MAX, 10)).isEqualTo(1);
    assertThat(store.events(T1, ACME, Instant.MIN, Instant.MAX)).isEmpty();
  }

  @Test
  void concurrentRecordingOfOverlappingBatchesKeepsEachEventOnce() {
    int threads = 4;
    List<Integer> added =
        Concurrently.run(
            threads,
            t -> {
              EngagementStore s = t % 2 == 0 ? store : secondInstance();
              List<EngagementEvent> batch = new ArrayList<>();
              for (int i = 0; i < 40; i++) {
                // every thread records the same 40 events, in its own order
                int n = (i * (t + 1)) % 40;
                batch.add(ev(T1, ACME, "e" + n, EngagementKind.SENT, n));
              }
              return s.record(batch);
            });

    assertThat(added.stream().mapToInt(Integer::intValue).sum()).isEqualTo(40);
    assertThat(store.events(T1, ACME, Instant.MIN, Instant.MAX)).hasSize(40);
  }

  @Test
  void badInputIsRefusedNamingItBeforeAnythingIsWritten() {
    assertThatThrownBy(
            () -> store.record(Arrays.asList(ev(T1, ACME, "ok", EngagementKind.SENT, 0), null)))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("engagement event");
    assertThat(store.events(T1, ACME, Instant.MIN, Instant.MAX)).isEmpty();
    assertThatThrownBy(() -> store.record((List<EngagementEvent>) null))
        .isInstanceOf(InvalidHealthInputException.class);
    assertThatThrownBy(() -> store.events(null, ACME, T0, T0.plusSeconds(1)))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> store.events(T1, null, T0, T0.plusSeconds(1)))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("account");
    assertThatThrownBy(() -> store.events(T1, ACME, null, T0))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("after");
    assertThatThrownBy(() -> store.purgeBefore(null))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("cutoff");
    assertThatThrownBy(() -> store.purgeBefore(T0, -1))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("max must not be negative");
    assertThatThrownBy(() -> store.erase(T1, null)).isInstanceOf(InvalidHealthInputException.class);
    assertThatThrownBy(() -> store.eraseTenant(null))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("tenant");
  }

  @Test
  void eventsThatNoStoreKeepsExactlyAreRefusedAlike() {
    assertThatThrownBy(() -> EngagementEvent.of(T1, ACME, " ", EngagementKind.SENT, T0))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("engagement event id must not be blank");
    assertThatThrownBy(() -> EngagementEvent.of(T1, ACME, "x".repeat(257), EngagementKind.SENT, T0))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("at most 256");
    assertThatThrownBy(
            () ->
                EngagementEvent.of(
                    T1, ACME, "far", EngagementKind.SENT, Instant.parse("2300-01-01T00:00:00Z")))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("outside the storable range");
    assertThatThrownBy(
            () -> EngagementEvent.of(T1, ACME, "o", EngagementKind.OPENED, T0, null, "text"))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("only a reply carries text");
    assertThatThrownBy(
            () -> EngagementEvent.of(T1, ACME, "r", EngagementKind.REPLIED, T0, null, "a\uD800b"))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("half a surrogate pair");
  }
}
