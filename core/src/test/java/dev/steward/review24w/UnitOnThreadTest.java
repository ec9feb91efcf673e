package dev.steward.review24w;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.jdbc.JdbcJourneyStore;
import dev.steward.jdbc.Review24wDatabases;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.EnrolResult;
import dev.steward.journey.Enrolment;
import dev.steward.journey.EnrolmentState;
import dev.steward.journey.HistoryEntry;
import dev.steward.journey.ReEntry;
import dev.steward.journey.StepOutcome;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unit of work is bound to its thread: whatever ends it (an Error, an exception the rerun
 * throws again, a nested unit's failure), the thread's next unit is a new one that commits, never a
 * join of the dead one; a nested together() joins the outer unit and is rolled back with it.
 */
class UnitOnThreadTest {
  private static final TenantId T = TenantId.of("r24w");
  private static final Instant T0 = Instant.parse("2026-11-28T05:00:00Z");
  private static DataSource db;

  @BeforeAll
  static void database() {
    db = Review24wDatabases.freshBootstrapped("review24w_unit_thread");
  }

  private static Enrolment enrolled(JdbcJourneyStore store, String id) {
    ContactId c = ContactId.of("c-" + id);
    store.putContact(
        new ContactProfile(
            T,
            c,
            AccountId.of("acct"),
            Optional.of(EmailAddress.of("x" + id + "@example.com")),
            Optional.of(ZoneOffset.UTC),
            Map.of()));
    Enrolment e = state(id, 0, EnrolmentState.ACTIVE);
    assertThat(store.enrol(e, ReEntry.always(), 10).status())
        .isEqualTo(EnrolResult.Status.ENROLLED);
    return e;
  }

  private static Enrolment state(String id, int seq, EnrolmentState s) {
    return new Enrolment(
        T,
        id,
        ContactId.of("c-" + id),
        "j",
        1,
        "first",
        seq,
        s,
        T0,
        T0,
        T0.plusSeconds(seq),
        Optional.empty(),
        Optional.empty());
  }

  private static boolean step(JdbcJourneyStore store, String id, int seq) {
    Enrolment next = state(id, seq, EnrolmentState.ACTIVE);
    return store.advance(
        next, new HistoryEntry(seq, "first", T0.plusSeconds(seq), StepOutcome.SENT, "s" + seq));
  }

  /** What a store over a data source of its own (another instance) sees: committed state. */
  private static List<Integer> committedHistory(String id) {
    return JdbcJourneyStore.of(Review24wDatabases.sameDatabase(db)).history(T, id).stream()
        .map(HistoryEntry::seq)
        .toList();
  }

  @Test
  void anErrorInAUnitLeavesTheThreadFreeForItsNextUnit() {
    JdbcJourneyStore store = JdbcJourneyStore.of(db);
    enrolled(store, "err-a");
    enrolled(store, "err-b");
    assertThatThrownBy(
            () ->
                store.together(
                    () -> {
                      step(store, "err-a", 1);
                      throw new AssertionError("a listener's Error");
                    }))
        .isInstanceOf(AssertionError.class);
    assertThat(committedHistory("err-a")).containsExactly(0);

    assertThat(store.<Boolean>together(() -> step(store, "err-b", 1))).isTrue();
    assertThat(committedHistory("err-b")).containsExactly(0, 1);
    // and a call outside any unit on the same thread commits at once
    assertThat(step(store, "err-a", 1)).isTrue();
    assertThat(committedHistory("err-a")).containsExactly(0, 1);
  }

  @Test
  void anExceptionTheRerunThrowsAgainLeavesOneEntryAndTheThreadFree() {
    JdbcJourneyStore store = JdbcJourneyStore.of(db);
    enrolled(store, "rt-a");
    enrolled(store, "rt-b");
    List<Boolean> applied = new ArrayList<>();
    assertThatThrownBy(
            () ->
                store.together(
                    () -> {
                      applied.add(step(store, "rt-a", 1));
                      throw new IllegalStateException("a hook that always fails");
                    }))
        .isInstanceOf(IllegalStateException.class);
    // the unit's attempt rolled back, the rerun alone applied it (and threw again)
    assertThat(applied).containsExactly(true, true);
    assertThat(committedHistory("rt-a")).containsExactly(0, 1);

    assertThat(store.<Boolean>together(() -> step(store, "rt-b", 1))).isTrue();
    assertThat(committedHistory("rt-b")).containsExactly(0, 1);
  }

  @Test
  void aNestedTogetherJoinsTheOuterUnitAndIsRolledBackWithIt() {
    JdbcJourneyStore store = JdbcJourneyStore.of(db);
    enrolled(store, "nest-a");
    enrolled(store, "nest-b");
    AtomicInteger attempt = new AtomicInteger();
    List<String> seen = new ArrayList<>();
    boolean done =
        store.together(
            () -> {
              int n = attempt.incrementAndGet();
              seen.add(n + " outer " + step(store, "nest-a", 1));
              boolean inner = store.together(() -> step(store, "nest-b", 1));
              seen.add(n + " inner " + inner);
              seen.add(n + " inner committed " + committedHistory("nest-b"));
              if (n == 1) {
                throw new IllegalStateException("the outer unit fails after the inner one");
              }
              return true;
            });
    assertThat(done).isTrue();
    assertThat(seen)
        .containsExactly(
            "1 outer true",
            "1 inner true",
            "1 inner committed [0]",
            "2 outer true",
            "2 inner true",
            "2 inner committed [0, 1]");
    assertThat(committedHistory("nest-a")).containsExactly(0, 1);
    assertThat(committedHistory("nest-b")).containsExactly(0, 1);
  }
}
