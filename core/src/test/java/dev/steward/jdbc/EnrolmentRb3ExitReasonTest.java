package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.journey.ContactProfile;
import dev.steward.journey.Enrolment;
import dev.steward.journey.EnrolmentState;
import dev.steward.journey.HistoryEntry;
import dev.steward.journey.InMemoryJourneyStore;
import dev.steward.journey.InvalidJourneyException;
import dev.steward.journey.JourneyStore;
import dev.steward.journey.ReEntry;
import dev.steward.journey.StepOutcome;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile review (rb3): an enrolment built by hand (the record is public) whose exit reason holds
 * what PostgreSQL cannot keep (a NUL, half a surrogate pair, over 1,000 characters): before the fix
 * the in-memory store kept it while PostgreSQL failed with a JdbcStoreException (NUL, length) or
 * kept '?' (the half pair). Now the enrolment itself refuses it, naming the field, before any store
 * sees it; a storable reason is kept alike.
 */
class EnrolmentRb3ExitReasonTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final TenantId T = TenantId.of("rb3");
  private static final ContactId C = ContactId.of("c");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private static Object advance(JourneyStore store, String reason) {
    Enrolment exited;
    try {
      exited =
          new Enrolment(
              T,
              "e-1",
              C,
              "j",
              1,
              "s0",
              1,
              EnrolmentState.EXITED,
              T0,
              T0,
              T0,
              Optional.empty(),
              Optional.of(reason));
    } catch (InvalidJourneyException refused) {
      assertThat(refused).hasMessageContaining("exit reason of enrolment e-1");
      return refused.getClass(); // refused before any store sees it
    }
    store.putContact(
        new ContactProfile(T, C, AccountId.of("a"), Optional.empty(), Optional.empty(), Map.of()));
    Enrolment e =
        new Enrolment(
            T,
            "e-1",
            C,
            "j",
            1,
            "s0",
            0,
            EnrolmentState.ACTIVE,
            T0,
            T0,
            T0,
            Optional.empty(),
            Optional.empty());
    store.enrol(e, ReEntry.onceEver(), 10);
    try {
      store.advance(exited, new HistoryEntry(1, "s0", T0, StepOutcome.EXITED, "out"));
      return store.find(T, "e-1").orElseThrow().exitReason();
    } catch (RuntimeException x) {
      return x.getClass();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\u0000b", "half \uD83D", "long", "\u200Fכן\u200E ok"})
  void bothStoresAnswerAnExitReasonNoDatabaseKeepsAlike(String reason) {
    String r = reason.equals("long") ? "x".repeat(1001) : reason;
    DB.clear();
    assertThat(advance(JdbcJourneyStore.of(DB.dataSource()), r))
        .isEqualTo(advance(InMemoryJourneyStore.of(), r));
  }
}
