package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulations' in-memory journey store keeps only each enrolment's latest history entry (all
 * the scheduler reads back), so its memory does not grow with every step; the rest of the contract
 * is the full store's.
 */
class LatestHistoryJourneyStoreTest {
  private static final TenantId T = TenantId.of("t1");
  private static final ContactId ANN = ContactId.of("ann");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  @Test
  void onlyTheLatestEntryIsKeptWhileEnrolmentsAndErasureWorkAsInTheFullStore() {
    InMemoryJourneyStore store = InMemoryJourneyStore.latestHistoryOnly();
    store.putContact(JourneyStoreContract.profile(T, ANN));
    Enrolment e = JourneyStoreContract.enrolment(T, "e1", ANN, "j", T0);
    assertThat(store.enrol(e, ReEntry.always(), 5).enrolled()).isTrue();
    assertThat(store.history(T, "e1"))
        .extracting(HistoryEntry::outcome)
        .containsExactly(StepOutcome.ENTERED);

    Enrolment waiting = e.next("second", EnrolmentState.ACTIVE, T0.plusSeconds(60), T0);
    assertThat(store.advance(waiting, new HistoryEntry(1, "first", T0, StepOutcome.SENT, "x")))
        .isTrue();
    Enrolment done = waiting.next("second", EnrolmentState.COMPLETED, T0, T0);
    assertThat(store.advance(done, new HistoryEntry(2, "second", T0, StepOutcome.BRANCHED, "y")))
        .isTrue();
    assertThat(store.history(T, "e1"))
        .singleElement()
        .satisfies(h -> assertThat(h.seq()).isEqualTo(2));

    // the index by contact: a second enrolment found, and both gone with the contact
    Enrolment other = JourneyStoreContract.enrolment(T, "e2", ANN, "k", T0.plusSeconds(1));
    assertThat(store.enrol(other, ReEntry.always(), 5).enrolled()).isTrue();
    assertThat(store.enrolments(T, ANN)).extracting(Enrolment::id).containsExactly("e1", "e2");
    assertThat(store.eraseContact(T, ANN)).isEqualTo(2);
    assertThat(store.enrolments(T, ANN)).isEqualTo(List.of());
    assertThat(store.find(T, "e2")).isEmpty();
  }
}
