package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.journey.ContactProfile;
import dev.steward.journey.Enrolment;
import dev.steward.journey.EnrolmentState;
import dev.steward.journey.HistoryEntry;
import dev.steward.journey.InvalidJourneyException;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.Step;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile review (rb3): an exit step's reason flows into every exited enrolment and its history on
 * PostgreSQL, which refuses a NUL, keeps half a surrogate pair as '?' and holds at most 1,000
 * characters. Before the fix such a reason was taken, and every enrolment reaching the step stayed
 * ACTIVE, its step failing again and again (NUL, 1,500 characters), or exited with '?' in place of
 * the half pair. A reason none of them can keep is refused when the journey is defined, naming the
 * step; one they can keep (right-to-left marks, a pair, the longest) is stored and read back
 * exactly, for a batch of contacts at once.
 */
class JourneyRb3ExitReasonPostgresTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final TenantId T = TenantId.of("rb3");

  @ParameterizedTest
  @ValueSource(strings = {"left\u0000here", "half \uD83D pair", "long"})
  void anExitReasonNoStoreCanKeepIsRefusedWhenTheJourneyIsDefinedNamingItsStep(String reason) {
    String r = reason.equals("long") ? "x".repeat(1001) : reason;
    assertThatThrownBy(() -> new Step.Exit("leave", r))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("'leave'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u200Fשלום\u200E bye", "a pair \uD83D\uDE00 kept", "longest"})
  void anExitReasonAStoreCanKeepIsStoredAndReadBackExactlyForABatch(String reason) {
    String r = reason.equals("longest") ? "y".repeat(1000) : reason;
    DB.clear();
    SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T09:00:00Z"));
    WorkStore work = JdbcWorkStore.of(DB.dataSource());
    JdbcJourneyStore store = JdbcJourneyStore.of(DB.dataSource());
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, store, work)
            .journey(JourneyDefinition.builder("bye", 1).step(new Step.Exit("leave", r)).build())
            .sender(
                m -> {
                  throw new AssertionError("an exit sends nothing");
                })
            .build();
    WorkRunner runner = journeys.registerWith(WorkRunner.builder(work, clock)).build();
    for (int i = 0; i < 5; i++) {
      ContactId c = ContactId.of("c" + i);
      journeys.putContact(
          new ContactProfile(
              T, c, AccountId.of("a"), Optional.empty(), Optional.empty(), Map.of()));
      assertThat(journeys.enrol(T, c, "bye").enrolled()).isTrue();
    }

    while (runner.runDue() > 0) {
      // until none is due
    }

    for (int i = 0; i < 5; i++) {
      Enrolment e = store.enrolments(T, ContactId.of("c" + i)).get(0);
      assertThat(e.state()).isEqualTo(EnrolmentState.EXITED);
      assertThat(e.exitReason()).contains(r);
      assertThat(store.history(T, e.id())).extracting(HistoryEntry::detail).contains(r);
    }
  }
}
