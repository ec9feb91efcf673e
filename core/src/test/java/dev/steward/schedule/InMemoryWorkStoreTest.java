package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The WorkStore contract against the in-memory store. */
class InMemoryWorkStoreTest extends WorkStoreContract {
  private final SettableClock leaseClock = SettableClock.of(T0);
  private WorkStore current;

  @Override
  protected WorkStore newStore() {
    current = InMemoryWorkStore.of(leaseClock);
    return current;
  }

  @Override
  protected WorkStore secondInstance() {
    return current;
  }

  @Override
  protected void passLeaseTime(Duration d) {
    leaseClock.advance(d);
  }

  @Test
  void nextDueAtIsTheEarliestReadyItemNotLeasedOrCancelledOnes() {
    InMemoryWorkStore s = InMemoryWorkStore.of(leaseClock);
    assertThat(s.nextDueAt()).isEmpty();
    s.schedule(
        WorkItem.builder(ACME, KIND, "late").dueAt(T0.plusSeconds(300)).build(), IfExists.KEEP);
    s.schedule(
        WorkItem.builder(ACME, KIND, "soon").dueAt(T0.plusSeconds(60)).build(), IfExists.KEEP);
    s.schedule(WorkItem.builder(GLOBEX, KIND, "now").dueAt(T0).build(), IfExists.KEEP);
    assertThat(s.nextDueAt()).contains(T0);

    // claimed: no longer READY, so the next one counts
    assertThat(s.claim(ClaimRequest.of(T0, 1, "r1", Duration.ofMinutes(5)))).hasSize(1);
    assertThat(s.nextDueAt()).contains(T0.plusSeconds(60));

    s.cancel(WorkKey.of(ACME, KIND, "soon"));
    assertThat(s.nextDueAt()).contains(T0.plusSeconds(300));
  }

  private static final String OTHER_KIND = "other.job";

  /** The order claims take items in: due time, then higher priority, then first scheduled. */
  private static final Comparator<Kept> ORDER =
      Comparator.comparing((Kept k) -> k.item().dueAt())
          .thenComparing(k -> -k.item().priority())
          .thenComparingLong(Kept::seq);

  /**
   * Completes the claimed items as done ({@code how} 0, and takes them from the reference) or
   * releases them (1); false for any other {@code how}, which the caller handles.
   */
  private static boolean doneOrReleased(
      WorkStore s, List<ClaimedWork> got, Map<WorkKey, Kept> ref, int how) {
    if (how == 0) {
      s.complete(got.stream().map(c -> (Completion) new Completion.Done(c.lease())).toList());
      got.forEach(c -> ref.remove(c.item().key()));
      return true;
    }
    if (how == 1) {
      s.release(got.stream().map(ClaimedWork::lease).toList());
      return true;
    }
    return false;
  }

  /** What a naive reference keeps of an item: the item and the order it was scheduled in. */
  private record Kept(WorkItem item, long seq) {}

  /**
   * Random schedules, replacements, cancels (by key and subject), claims, completions and releases
   * against the compact store and a plain map, checked after every step: claims take the earliest
   * due, highest priority, first scheduled items; finds and subject lists agree.
   */
  @Test
  void agreesWithANaiveReferenceOverRandomOperations() {
    for (long seed = 1; seed <= 6; seed++) {
      Random random = new Random(seed);
      InMemoryWorkStore s = InMemoryWorkStore.of(leaseClock);
      Map<WorkKey, Kept> ref = new HashMap<>();
      List<WorkKey> keys = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        String id =
            i % 2 == 0 ? new UUID(random.nextLong(), random.nextLong()).toString() : "k" + i;
        keys.add(WorkKey.of(ACME, KIND, id));
      }
      long seq = 0;
      for (int step = 0; step < 3000; step++) {
        WorkKey key = keys.get(random.nextInt(keys.size()));
        String subject = "c" + random.nextInt(8);
        int op = random.nextInt(10);
        if (op < 5) {
          WorkItem w =
              WorkItem.builder(key)
                  .subject(random.nextInt(5) == 0 ? "" : subject)
                  .dueAt(T0.plusSeconds(random.nextInt(40)))
                  .priority(random.nextInt(3))
                  .payload("{\"seq\":" + random.nextInt(4) + "}")
                  .build();
          IfExists how = random.nextBoolean() ? IfExists.KEEP : IfExists.REPLACE;
          boolean stored = s.schedule(w, how);
          boolean expected = how == IfExists.REPLACE || !ref.containsKey(key);
          assertThat(stored).isEqualTo(expected);
          if (expected) {
            ref.put(key, new Kept(w, seq++));
          }
        } else if (op < 7) {
          assertThat(s.cancel(key)).isEqualTo(ref.remove(key) != null);
        } else if (op < 8) {
          long n = ref.values().stream().filter(k -> k.item().subject().equals(subject)).count();
          ref.values().removeIf(k -> k.item().subject().equals(subject));
          assertThat(s.cancelSubject(ACME, subject)).isEqualTo((int) n);
        } else {
          Instant now = T0.plusSeconds(random.nextInt(45));
          int max = 1 + random.nextInt(6);
          List<WorkKey> want =
              ref.values().stream()
                  .filter(k -> !k.item().dueAt().isAfter(now))
                  .sorted(ORDER)
                  .limit(max)
                  .map(k -> k.item().key())
                  .toList();
          List<ClaimedWork> got = s.claim(ClaimRequest.of(now, max, "r", Duration.ofMinutes(1)));
          assertThat(got).extracting(c -> c.item().key()).containsExactlyElementsOf(want);
          for (ClaimedWork c : got) {
            assertThat(c.item()).isEqualTo(ref.get(c.item().key()).item());
          }
          if (!doneOrReleased(s, got, ref, random.nextInt(4))) {
            // mem: rescheduled and retried items are READY again in place, as if replaced
            List<Completion> next = new ArrayList<>();
            for (ClaimedWork c : got) {
              WorkItem was = ref.get(c.item().key()).item();
              Instant due = T0.plusSeconds(random.nextInt(40));
              boolean reschedule = random.nextBoolean();
              String payload = reschedule ? "{\"seq\":" + random.nextInt(4) + "}" : was.payload();
              String error = reschedule ? "" : "boom " + step;
              next.add(
                  reschedule
                      ? new Completion.Reschedule(c.lease(), due, payload)
                      : new Completion.Retry(c.lease(), due, error));
              WorkItem then =
                  new WorkItem(
                      was.key(),
                      was.subject(),
                      payload,
                      was.payloadVersion(),
                      due,
                      was.priority(),
                      reschedule ? 0 : was.attempts() + 1,
                      WorkState.READY,
                      error);
              ref.put(was.key(), new Kept(then, seq++));
            }
            assertThat(s.complete(next)).containsExactlyElementsOf(next);
          }
        }
        assertThat(s.find(key))
            .isEqualTo(java.util.Optional.ofNullable(ref.get(key)).map(Kept::item));
        assertThat(s.findBySubject(ACME, subject, KIND))
            .containsExactlyElementsOf(
                ref.values().stream()
                    .filter(k -> k.item().subject().equals(subject))
                    .sorted(ORDER)
                    .map(Kept::item)
                    .toList());
        assertThat(s.count(WorkState.READY)).isEqualTo(ref.size());
        assertThat(s.nextDueAt())
            .isEqualTo(ref.values().stream().min(ORDER).map(k -> k.item().dueAt()));
      }
    }
  }

  /**
   * Claims over several tenants against a naive reference of the fair pass (a share for each tenant
   * with due work, in turn after the last one served) and the fill by due time over all tenants,
   * after random schedules, cancels, completions, releases and reschedules, claiming every kind or
   * one: the lanes merged in due order agree with one order over all items, and the earliest READY
   * item is the first lane's.
   */
  @Test
  void claimsOverSeveralTenantsAgreeWithANaiveFairReference() {
    for (long seed = 1; seed <= 6; seed++) {
      Random random = new Random(seed);
      InMemoryWorkStore s = InMemoryWorkStore.of(leaseClock);
      Map<WorkKey, Kept> ref = new HashMap<>();
      List<WorkKey> keys = new ArrayList<>();
      for (int i = 0; i < 90; i++) {
        TenantId tenant = TenantId.of("t" + random.nextInt(7));
        String kind = random.nextInt(4) == 0 ? OTHER_KIND : KIND;
        keys.add(
            WorkKey.of(tenant, kind, new UUID(random.nextLong(), random.nextLong()).toString()));
      }
      long seq = 0;
      TenantId cursor = null;
      for (int step = 0; step < 2000; step++) {
        WorkKey key = keys.get(random.nextInt(keys.size()));
        int op = random.nextInt(10);
        if (op < 5) {
          WorkItem w =
              WorkItem.builder(key)
                  .dueAt(T0.plusSeconds(random.nextInt(40)))
                  .priority(random.nextInt(3))
                  .build();
          s.schedule(w, IfExists.REPLACE);
          ref.put(key, new Kept(w, seq++));
        } else if (op < 6) {
          assertThat(s.cancel(key)).isEqualTo(ref.remove(key) != null);
        } else {
          Instant now = T0.plusSeconds(random.nextInt(45));
          int max = 1 + random.nextInt(12);
          Set<String> kinds = random.nextBoolean() ? Set.of() : Set.of(KIND);
          TreeMap<TenantId, List<Kept>> due = new TreeMap<>();
          ref.values().stream()
              .filter(k -> !k.item().dueAt().isAfter(now))
              .filter(k -> kinds.isEmpty() || kinds.contains(k.item().key().kind()))
              .sorted(ORDER)
              .forEach(
                  k -> due.computeIfAbsent(k.item().key().tenant(), t -> new ArrayList<>()).add(k));
          List<TenantId> turn = new ArrayList<>();
          if (cursor != null) {
            turn.addAll(due.tailMap(cursor, false).keySet());
          }
          turn.addAll(cursor == null ? due.keySet() : due.headMap(cursor, true).keySet());
          List<Kept> want = new ArrayList<>();
          int share = turn.isEmpty() ? 0 : Math.max(1, max / turn.size());
          for (TenantId t : turn) {
            if (want.size() >= max) {
              break;
            }
            List<Kept> own = due.get(t);
            want.addAll(own.subList(0, Math.min(own.size(), Math.min(share, max - want.size()))));
            cursor = t;
          }
          due.values().stream()
              .flatMap(List::stream)
              .filter(k -> !want.contains(k))
              .sorted(ORDER)
              .limit(max - want.size())
              .toList()
              .forEach(want::add);
          List<ClaimedWork> got =
              s.claim(new ClaimRequest(now, max, "r", Duration.ofMinutes(1), kinds));
          assertThat(got)
              .extracting(c -> c.item().key())
              .containsExactlyElementsOf(want.stream().map(k -> k.item().key()).toList());
          if (!doneOrReleased(s, got, ref, random.nextInt(3))) {
            List<Completion> next = new ArrayList<>();
            for (ClaimedWork c : got) {
              Instant at = T0.plusSeconds(random.nextInt(40));
              next.add(new Completion.Reschedule(c.lease(), at, c.item().payload()));
              WorkItem was = c.item();
              ref.put(
                  was.key(),
                  new Kept(
                      WorkItem.builder(was.key()).dueAt(at).priority(was.priority()).build(),
                      seq++));
            }
            assertThat(s.complete(next)).containsExactlyElementsOf(next);
          }
        }
        assertThat(s.nextDueAt())
            .isEqualTo(ref.values().stream().min(ORDER).map(k -> k.item().dueAt()));
      }
    }
  }
}
