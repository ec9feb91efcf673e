package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.StoreLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Review of the compact history: edge cases of the due time it marks in details. */
class RheapHistoryEdgeTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00.123456789Z");

  @Test
  void aDueTimeAtTheEarliestStorableInstantComesBackInTheDetailAndLaterTimesStayInPlace() {
    // the earliest storable instant is Long.MIN_VALUE nanoseconds, which the store also used as
    // its "no instant marked" sentinel
    Instant earliest = StoreLimits.MIN_INSTANT;
    InMemoryJourneyStore store = InMemoryJourneyStore.of();
    store.putContact(
        JourneyStoreContract.profile(JourneyStoreContract.T1, JourneyStoreContract.ANN));
    Enrolment e =
        JourneyStoreContract.enrolment(
            JourneyStoreContract.T1, "e-1", JourneyStoreContract.ANN, "j", T0);
    store.enrol(e, ReEntry.always(), 5);
    List<HistoryEntry> written = new ArrayList<>();
    written.add(EnrolResult.entered(e));
    Enrolment current = e;
    // a wait whose "until" is the due time (the row's due time, flagged), then the due time moves
    // and two more entries at their own times follow
    Instant[] dues = {earliest, T0.plusSeconds(60), T0.plusSeconds(120)};
    for (int i = 0; i < dues.length; i++) {
      Enrolment next =
          current.next("s" + i, EnrolmentState.WAITING, dues[i], T0.plusSeconds(10L * i));
      HistoryEntry h =
          new HistoryEntry(
              next.seq(),
              "s" + i,
              T0.plusSeconds(10L * i + 1),
              StepOutcome.WAITING,
              "until " + dues[i]);
      assertThat(store.advance(next, h)).isTrue();
      written.add(h);
      current = next;
    }
    assertThat(store.history(JourneyStoreContract.T1, "e-1")).containsExactlyElementsOf(written);
  }

  @Test
  void erasingAContactOrTenantLeavesNoneOfItsHistoryTextInTheSharedShapes() {
    // histories share their entries' shapes store-wide; an erased contact's details (an exit
    // reason naming its address) must not stay behind in them
    InMemoryJourneyStore store = InMemoryJourneyStore.of();
    for (var t : List.of(JourneyStoreContract.T1, JourneyStoreContract.T2)) {
      store.putContact(JourneyStoreContract.profile(t, JourneyStoreContract.ANN));
      store.putContact(JourneyStoreContract.profile(t, JourneyStoreContract.BOB));
      for (var c : List.of(JourneyStoreContract.ANN, JourneyStoreContract.BOB)) {
        String who = c.value() + "@" + t.value() + ".example";
        Enrolment e = JourneyStoreContract.enrolment(t, "e-" + c.value(), c, "j", T0);
        store.enrol(e, ReEntry.always(), 5);
        Enrolment current = e;
        for (int i = 1; i <= 3; i++) {
          Enrolment next = current.next("s" + i, EnrolmentState.WAITING, T0, T0.plusSeconds(i));
          store.advance(
              next,
              new HistoryEntry(
                  i, "s" + i, T0.plusSeconds(i), StepOutcome.WAITING, "step " + i + " of " + who));
          current = next;
        }
      }
    }
    assertThat(store.sharesText("ann@t1.example")).isTrue(); // the probe sees what is kept
    store.eraseContact(JourneyStoreContract.T1, JourneyStoreContract.ANN);
    assertThat(store.sharesText("ann@t1.example")).isFalse();
    assertThat(store.sharesText("bob@t1.example")).isTrue();
    assertThat(store.history(JourneyStoreContract.T1, "e-bob")).hasSize(4);
    store.eraseTenant(JourneyStoreContract.T2);
    assertThat(store.sharesText("@t2.example")).isFalse();
    assertThat(store.history(JourneyStoreContract.T1, "e-bob").get(3).detail())
        .isEqualTo("step 3 of bob@t1.example");
  }
}
