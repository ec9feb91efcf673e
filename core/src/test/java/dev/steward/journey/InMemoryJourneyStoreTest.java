package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.ContactId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The JourneyStore contract against the in-memory store, and its compact history. */
class InMemoryJourneyStoreTest extends JourneyStoreContract {
  @Override
  protected JourneyStore newStore() {
    return InMemoryJourneyStore.of();
  }

  @Test
  void detailsAndIdsHoldingTheShapesMarksComeBackAsWritten() {
    // the store marks the id and the due time with \u0000 and \u0001 in its shapes: text that
    // holds them already must be kept as it is
    store.putContact(profile(T1, ANN));
    Instant due = T0.plus(Duration.ofDays(3));
    for (String id :
        List.of("odd\u0001id", "odd\u0000id", "12345678-1234-1234-1234-123456789abc")) {
      Enrolment e = enrolment(T1, id, ANN, "j" + Math.abs(id.hashCode() % 1000), T0);
      store.enrol(e, ReEntry.always(), 10);
      List<String> details =
          List.of(
              "a \u0000 b " + id,
              "until " + due + " \u0001",
              id + " until " + due,
              "\u0001\u0000" + due + id);
      Enrolment current = e;
      List<HistoryEntry> written = new ArrayList<>();
      written.add(EnrolResult.entered(e));
      for (int i = 0; i < details.size(); i++) {
        Enrolment next = current.next("s\u0001" + i, EnrolmentState.WAITING, due, T0);
        HistoryEntry h =
            new HistoryEntry(next.seq(), "s\u0001" + i, T0, StepOutcome.WAITING, details.get(i));
        assertThat(store.advance(next, h)).isTrue();
        written.add(h);
        current = next;
      }
      assertThat(store.history(T1, id)).as(id).containsExactlyElementsOf(written);
    }
  }

  @Test
  void moreDistinctDetailsThanAreSharedStillComeBackAsWritten() {
    store.putContact(profile(T1, ANN));
    int n = InMemoryJourneyStore.SHARED_SHAPES + 50;
    for (int i = 0; i < n; i++) {
      String id = "e" + i;
      dev.steward.model.ContactId contact = dev.steward.model.ContactId.of("c" + i);
      store.putContact(profile(T1, contact));
      Enrolment e = enrolment(T1, id, contact, "j", T0);
      assertThat(store.enrol(e, ReEntry.always(), n + 1).status())
          .isEqualTo(EnrolResult.Status.ENROLLED);
      Enrolment next = e.next("s", EnrolmentState.WAITING, T0.plusSeconds(i), T0);
      store.advance(
          next, new HistoryEntry(1, "s", T0, StepOutcome.WAITING, "detail " + i + " of " + id));
    }
    for (int i = 0; i < n; i += 97) {
      assertThat(store.history(T1, "e" + i).get(1).detail()).isEqualTo("detail " + i + " of e" + i);
    }
    assertThat(store.history(T1, "e" + (n - 1)).get(1).detail())
        .isEqualTo("detail " + (n - 1) + " of e" + (n - 1));
  }

  @Test
  void longHistoriesWithSharedTimesAndMovingDueTimesComeBackAsWritten() {
    // the first entries' times and "until" instants are flags, not numbers, while they repeat the
    // time before them and the row's due time; later ones and changed due times are numbers
    store.putContact(profile(T1, ANN));
    String id = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
    Enrolment e = enrolment(T1, id, ANN, "j", T0);
    store.enrol(e, ReEntry.always(), 10);
    java.util.Random random = new java.util.Random(7);
    List<HistoryEntry> written = new ArrayList<>(List.of(EnrolResult.entered(e)));
    Enrolment current = e;
    Instant time = T0;
    Instant due = T0;
    for (int i = 0; i < 40; i++) {
      if (random.nextInt(3) == 0) {
        time = time.plusNanos(1 + random.nextInt(1_000_000));
      }
      if (random.nextInt(3) == 0) {
        due = due.plusSeconds(1 + random.nextInt(100_000));
      }
      Enrolment next = current.next("s" + i, EnrolmentState.WAITING, due, time);
      String detail =
          switch (random.nextInt(4)) {
            case 0 -> "until " + due;
            case 1 -> "message j-" + id + "-" + i + " until " + due;
            case 2 -> "until " + due.minusSeconds(1);
            default -> "";
          };
      HistoryEntry h = new HistoryEntry(next.seq(), "s" + i, time, StepOutcome.WAITING, detail);
      assertThat(store.advance(next, h)).isTrue();
      written.add(h);
      current = next;
      assertThat(store.history(T1, id)).as("after %s", i).containsExactlyElementsOf(written);
    }
  }

  @Test
  void longLoopsOfOnePathShareEachSequenceOnceAndComeBackAsWrittenAcrossAnErasure() {
    // three enrolments loop through the same two steps 60 times: their histories are the same
    // sequences of shapes (times and ids apart), kept once each, grown by one lookup per entry
    List<ContactId> people = List.of(ANN, BOB, ContactId.of("cid"));
    List<Enrolment> current = new ArrayList<>();
    List<List<HistoryEntry>> written = new ArrayList<>();
    for (ContactId c : people) {
      store.putContact(profile(T1, c));
      Enrolment e = enrolment(T1, "e-" + c.value(), c, "j", T0);
      store.enrol(e, ReEntry.always(), 5);
      current.add(e);
      written.add(new ArrayList<>(List.of(EnrolResult.entered(e))));
    }
    InMemoryJourneyStore memory = (InMemoryJourneyStore) store;
    int entries = 120;
    for (int i = 1; i <= entries; i++) {
      if (i == 50) { // the first goes, mid-way; the others go on alike
        memory.eraseContact(T1, people.get(0));
      }
      for (int p = i < 50 ? 0 : 1; p < people.size(); p++) {
        String step = i % 2 == 0 ? "wait" : "send";
        Instant at = T0.plusSeconds(i * 10L + p);
        Instant due = at.plusSeconds(5);
        Enrolment next = current.get(p).next(step, EnrolmentState.ACTIVE, due, at);
        String detail = i % 2 == 0 ? "until " + due : "message j-" + next.id() + "-" + i + ": SENT";
        HistoryEntry h = new HistoryEntry(next.seq(), step, at, StepOutcome.WAITING, detail);
        assertThat(store.advance(next, h)).isTrue();
        current.set(p, next);
        written.get(p).add(h);
      }
    }
    for (int p = 1; p < people.size(); p++) {
      assertThat(store.history(T1, "e-" + people.get(p).value()))
          .containsExactlyElementsOf(written.get(p));
    }
    assertThat(store.history(T1, "e-ann")).isEmpty();
    // one sequence per length the survivors grew through: the erasure dropped the shared ones
    // the first held (entries 0 to 49), those after were shared between the other two again
    assertThat(memory.sharedSequences()).isEqualTo(entries + 1 - 50);
  }

  @Test
  void dueBeforeComparesToTheNanosecondAndTakesInstantsBeyondTheStoredRange() {
    store.putContact(profile(T1, ANN));
    Enrolment e = enrolment(T1, "e-1", ANN, "j", T0);
    store.enrol(e, ReEntry.always(), 5);
    Instant due = T0.plusSeconds(30).plusNanos(7);
    store.advance(
        e.next("wait", EnrolmentState.WAITING, due, T0),
        new HistoryEntry(1, "wait", T0, StepOutcome.WAITING, ""));
    assertThat(store.dueBefore(due, Optional.empty(), 10)).isEmpty();
    assertThat(store.dueBefore(due.plusNanos(1), Optional.empty(), 10))
        .extracting(Enrolment::id)
        .containsExactly("e-1");
    assertThat(store.dueBefore(Instant.MAX, Optional.empty(), 10)).hasSize(1);
    assertThat(store.dueBefore(Instant.MIN, Optional.empty(), 10)).isEmpty();
  }

  @Test
  void historiesOfOnePathStayTheirOwnWhenOneGoesOn() {
    // enrolments that took one path share their history's shapes: one going on, or starting over
    // in a store of the latest entries, must leave the others' histories as they were
    store.putContact(profile(T1, ANN));
    store.putContact(profile(T1, BOB));
    Instant due = T0.plus(Duration.ofDays(30));
    List<Enrolment> all = new ArrayList<>();
    for (ContactId c : List.of(ANN, BOB)) {
      Enrolment e = enrolment(T1, "e-" + c.value(), c, "j", T0);
      store.enrol(e, ReEntry.always(), 5);
      Enrolment next = e.next("wait", EnrolmentState.WAITING, due, T0);
      store.advance(
          next,
          new HistoryEntry(1, "wait", T0, StepOutcome.WAITING, "until " + due + " for " + e.id()));
      all.add(next);
    }
    List<HistoryEntry> bobs = store.history(T1, "e-bob");
    Enrolment annNext = all.get(0).next("s2", EnrolmentState.ACTIVE, T0, T0.plusSeconds(5));
    store.advance(
        annNext, new HistoryEntry(2, "s2", T0.plusSeconds(5), StepOutcome.SENT, "template x"));
    assertThat(store.history(T1, "e-bob")).isEqualTo(bobs);
    assertThat(store.history(T1, "e-ann")).hasSize(3);
    assertThat(store.history(T1, "e-ann").get(1).detail()).isEqualTo("until " + due + " for e-ann");
    assertThat(bobs.get(1).detail()).isEqualTo("until " + due + " for e-bob");

    InMemoryJourneyStore latest = InMemoryJourneyStore.latestHistoryOnly();
    for (ContactId c : List.of(ANN, BOB)) {
      latest.putContact(profile(T1, c));
      Enrolment e = enrolment(T1, "e-" + c.value(), c, "j", T0);
      latest.enrol(e, ReEntry.always(), 5);
      latest.advance(
          e.next("wait", EnrolmentState.WAITING, due, T0),
          new HistoryEntry(1, "wait", T0, StepOutcome.WAITING, "until " + due));
    }
    List<HistoryEntry> latestBobs = latest.history(T1, "e-bob");
    Enrolment annOn =
        latest.find(T1, "e-ann").orElseThrow().next("s2", EnrolmentState.ACTIVE, T0, T0);
    latest.advance(annOn, new HistoryEntry(2, "s2", T0, StepOutcome.SENT, "other"));
    assertThat(latest.history(T1, "e-bob")).isEqualTo(latestBobs).hasSize(1);
    assertThat(latest.history(T1, "e-ann"))
        .containsExactly(new HistoryEntry(2, "s2", T0, StepOutcome.SENT, "other"));
  }
}
