package dev.steward.review24w;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.journey.ContactProfile;
import dev.steward.journey.EnrolResult;
import dev.steward.journey.Enrolment;
import dev.steward.journey.EnrolmentState;
import dev.steward.journey.HistoryEntry;
import dev.steward.journey.InMemoryJourneyStore;
import dev.steward.journey.ReEntry;
import dev.steward.journey.StepOutcome;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The in-memory journey store keeps histories as shared shape sequences with the id and due time
 * marked out, times as flags or longs: thousands of entries of a looping journey, for enrolments
 * that took the same path (sharing their sequences), one of them erased half-way and the others
 * going on, read back exactly as they were appended, entry for entry.
 */
class InMemoryHistoryModelTest {
  private static final TenantId T = TenantId.of("r24w");
  private static final Instant T0 = Instant.parse("2026-11-28T05:00:00Z");
  private static final String[] STEPS = {"a", "b", "c"};
  private static final StepOutcome[] OUTCOMES = {
    StepOutcome.SENT, StepOutcome.WAITING, StepOutcome.BRANCHED, StepOutcome.DEFERRED
  };

  private static Enrolment at(
      String id, ContactId c, String step, int seq, Instant due, Instant updated) {
    return new Enrolment(
        T,
        id,
        c,
        "loop",
        1,
        step,
        seq,
        EnrolmentState.ACTIVE,
        due,
        T0,
        updated,
        Optional.empty(),
        Optional.empty());
  }

  @Test
  void longSharedHistoriesReadBackExactlyAfterOneOfThemIsErased() {
    check(3_000, 1_500, 7L);
  }

  @Test
  void shortHistoriesWithinTheFlaggedEntriesReadBackExactly() {
    for (long seed = 1; seed <= 40; seed++) {
      check(30, 12, seed);
    }
  }

  private static void check(int length, int eraseAt, long seed) {
    InMemoryJourneyStore store = InMemoryJourneyStore.of();
    Random r = new Random(seed);
    int n = 4;
    List<String> ids = new ArrayList<>();
    Map<String, List<HistoryEntry>> model = new HashMap<>();
    Map<String, Enrolment> current = new HashMap<>();
    for (int i = 0; i < n; i++) {
      // one a UUID (kept as two longs), the others plain text
      String id = i == 0 ? "0f0e0d0c-0b0a-4908-8706-050403020100" : "enr-" + seed + i;
      ContactId c = ContactId.of("c" + i);
      store.putContact(
          new ContactProfile(
              T,
              c,
              AccountId.of("acct"),
              Optional.of(EmailAddress.of("c" + i + "@example.com")),
              Optional.of(ZoneOffset.UTC),
              Map.of()));
      Enrolment e = at(id, c, "a", 0, T0, T0);
      assertThat(store.enrol(e, ReEntry.always(), 100).status())
          .isEqualTo(EnrolResult.Status.ENROLLED);
      ids.add(id);
      current.put(id, e);
      model.put(id, new ArrayList<>(store.history(T, id)));
    }
    Instant time = T0;
    Instant due = T0;
    for (int seq = 1; seq <= length; seq++) {
      if (r.nextInt(3) > 0) {
        time = time.plusSeconds(r.nextInt(100_000));
      }
      if (r.nextInt(3) > 0) {
        due = time.plusSeconds(r.nextInt(1_000_000));
      }
      String step = STEPS[r.nextInt(STEPS.length)];
      StepOutcome outcome = OUTCOMES[r.nextInt(OUTCOMES.length)];
      int kind = r.nextInt(5);
      Instant other = T0.plusSeconds(r.nextInt(1_000_000));
      if (seq == eraseAt) {
        assertThat(store.eraseContact(T, ContactId.of("c1"))).isPositive();
        model.remove(ids.get(1));
      }
      for (String id : ids) {
        if (!model.containsKey(id)) {
          continue;
        }
        String detail =
            switch (kind) {
              case 0 -> "";
              case 1 -> "sent j-" + id + "-" + (seq - 1);
              case 2 -> "until " + due;
              case 3 -> "until " + other + " for " + id + " (due " + due + ")";
              default -> "plain " + seq % 7;
            };
        Enrolment prev = current.get(id);
        Enrolment next = at(id, prev.contact(), step, seq, due, time);
        HistoryEntry h = new HistoryEntry(seq, step, time, outcome, detail);
        assertThat(store.advance(next, h)).isTrue();
        current.put(id, next);
        model.get(id).add(h);
      }
    }
    assertThat(store.history(T, ids.get(1))).isEmpty();
    for (String id : ids) {
      if (model.containsKey(id)) {
        assertThat(store.history(T, id)).as("history of " + id).isEqualTo(model.get(id));
      }
    }
  }
}
