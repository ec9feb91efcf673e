package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of every {@link WorkStore} (TCK): in memory, H2 and PostgreSQL pass the same tests
 * and refuse the same inputs. Due times are judged by the instant a claim passes; leases by the
 * store's own clock, which a subclass moves with {@link #passLeaseTime}.
 */
public abstract class WorkStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
  protected static final TenantId ACME = TenantId.of("acme");
  protected static final TenantId GLOBEX = TenantId.of("globex");
  protected static final String KIND = "test.job";

  /**
   * The lease of a claim whose lapse a test waits for: short enough that a JDBC subclass can wait
   * it out in real time, long enough that a loaded machine's pause between a claim and the next
   * call does not lapse it while the test expects it held (at 400 ms it did, under load).
   */
  protected static final Duration LEASE = Duration.ofSeconds(2);

  /** The lease of every other claim: held for the whole test, as no test waits this long. */
  protected static final Duration HELD = Duration.ofMinutes(10);

  protected WorkStore store;

  /** A new store with no items. */
  protected abstract WorkStore newStore();

  /** Another instance over the data of the last {@link #newStore()} (the same one in memory). */
  protected abstract WorkStore secondInstance();

  /** Lets the store's lease clock pass {@code d} (sleeps on a database). */
  protected abstract void passLeaseTime(Duration d);

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  protected static WorkItem item(TenantId tenant, String id, Instant due) {
    return WorkItem.builder(tenant, KIND, id).dueAt(due).payload("{\"n\":\"" + id + "\"}").build();
  }

  /** Claims with a lease that does not lapse during the test ({@link #HELD}). */
  private List<ClaimedWork> claim(WorkStore s, Instant now, int max, String owner) {
    return claim(s, now, max, owner, HELD);
  }

  private List<ClaimedWork> claim(WorkStore s, Instant now, int max, String owner, Duration lease) {
    return s.claim(ClaimRequest.of(now, max, owner, lease));
  }

  private static List<String> ids(List<ClaimedWork> claimed) {
    return claimed.stream().map(c -> c.item().key().id()).toList();
  }

  /**
   * rwork: a claim's now at or beyond either end of the storable range (the in-memory store took
   * Instant.MIN as the first storable instant and claimed an item not yet due; the JDBC store was
   * never asked). Items are due exactly when their due time is not after now.
   */
  @Test
  void aClaimAtOrBeyondTheStorableRangeTakesExactlyTheItemsDueByItsNow() {
    assertThat(store.schedule(item(ACME, "first", StoreLimits.MIN_INSTANT), IfExists.KEEP))
        .isTrue();
    assertThat(store.schedule(item(ACME, "epoch", Instant.EPOCH), IfExists.KEEP)).isTrue();
    assertThat(store.schedule(item(ACME, "last", StoreLimits.MAX_INSTANT), IfExists.KEEP)).isTrue();

    assertThat(ids(claim(store, Instant.MIN, 10, "r1"))).isEmpty();
    assertThat(ids(claim(store, StoreLimits.MIN_INSTANT.minusNanos(1), 10, "r1"))).isEmpty();
    assertThat(ids(claim(secondInstance(), StoreLimits.MIN_INSTANT, 10, "r1")))
        .containsExactly("first");
    assertThat(ids(claim(store, Instant.EPOCH, 10, "r1"))).containsExactly("epoch");
    assertThat(ids(claim(store, StoreLimits.MAX_INSTANT.minusNanos(1), 10, "r1"))).isEmpty();
    assertThat(ids(claim(secondInstance(), StoreLimits.MAX_INSTANT, 10, "r1")))
        .containsExactly("last");

    assertThat(store.schedule(item(GLOBEX, "last", StoreLimits.MAX_INSTANT), IfExists.KEEP))
        .isTrue();
    assertThat(ids(claim(store, Instant.MAX, 10, "r1"))).containsExactly("last");
    assertThat(ids(claim(secondInstance(), Instant.MAX, 10, "r2"))).as("all leased").isEmpty();
  }

  @Test
  void scheduleKeepsOrReplacesAnExistingItem() {
    assertThat(store.schedule(item(ACME, "a", T0), IfExists.KEEP)).isTrue();
    assertThat(store.schedule(item(ACME, "a", T0.plusSeconds(60)), IfExists.KEEP)).isFalse();
    assertThat(store.find(WorkKey.of(ACME, KIND, "a")).orElseThrow().dueAt()).isEqualTo(T0);

    assertThat(store.schedule(item(ACME, "a", T0.plusSeconds(60)), IfExists.REPLACE)).isTrue();
    WorkItem found = store.find(WorkKey.of(ACME, KIND, "a")).orElseThrow();
    assertThat(found.dueAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(found.payload()).isEqualTo("{\"n\":\"a\"}");
    assertThat(found.state()).isEqualTo(WorkState.READY);
    assertThat(store.count(WorkState.READY)).isEqualTo(1);
  }

  @Test
  void uuidShapedAndOtherIdsAreKeptExactlyAndApart() {
    // the in-memory store keeps a canonical UUID as two longs: every near miss must stay itself
    String uuid = "123e4567-e89b-42d3-a456-426614174000";
    List<String> ids =
        List.of(
            uuid,
            uuid.toUpperCase(java.util.Locale.ROOT),
            "123e4567-e89b-42d3-a456-42661417400",
            "123e4567-e89b-42d3-a456-4266141740000",
            "123e4567xe89b-42d3-a456-426614174000",
            "123e4567-e89b-42d3-a456-42661417400g",
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "plain-id");
    for (int i = 0; i < ids.size(); i++) {
      assertThat(store.schedule(item(ACME, ids.get(i), T0.plusSeconds(i)), IfExists.KEEP))
          .as(ids.get(i))
          .isTrue();
    }
    assertThat(store.count(WorkState.READY)).isEqualTo(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      WorkItem found = store.find(WorkKey.of(ACME, KIND, ids.get(i))).orElseThrow();
      assertThat(found.key().id()).isEqualTo(ids.get(i));
      assertThat(found.dueAt()).isEqualTo(T0.plusSeconds(i));
      assertThat(found.payload()).isEqualTo("{\"n\":\"" + ids.get(i) + "\"}");
    }
    assertThat(ids(claim(store, T0.plusSeconds(60), 100, "r1"))).containsExactlyElementsOf(ids);
    assertThat(store.find(WorkKey.of(GLOBEX, KIND, uuid))).isEmpty();
    assertThat(store.cancel(WorkKey.of(ACME, KIND, uuid))).isTrue();
    assertThat(store.find(WorkKey.of(ACME, KIND, uuid))).isEmpty();
    assertThat(store.find(WorkKey.of(ACME, KIND, ids.get(1)))).isPresent();
  }

  @Test
  void manyItemsDueAtOneInstantAreClaimedByPriorityThenInTheOrderScheduled() {
    List<String> expected = new ArrayList<>();
    List<WorkItem> batch = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      int priority = i % 3;
      batch.add(
          WorkItem.builder(ACME, KIND, id(i))
              .dueAt(T0)
              .priority(priority)
              .payload("{\"seq\":1}")
              .build());
    }
    for (WorkItem w : batch) {
      store.schedule(w, IfExists.KEEP);
    }
    // cancel some from the middle, as erasures and exits do
    for (int i = 5; i < 60; i += 7) {
      assertThat(store.cancel(WorkKey.of(ACME, KIND, id(i)))).isTrue();
    }
    for (int priority = 2; priority >= 0; priority--) {
      for (int i = 0; i < 60; i++) {
        if (i % 3 == priority && (i < 5 || (i - 5) % 7 != 0)) {
          expected.add(id(i));
        }
      }
    }
    List<String> claimed = new ArrayList<>();
    for (int round = 0; round < 20 && claimed.size() < expected.size(); round++) {
      claimed.addAll(ids(claim(store, T0, 4, "r" + round)));
    }
    assertThat(claimed).containsExactlyElementsOf(expected);
    assertThat(store.find(WorkKey.of(ACME, KIND, id(0))).orElseThrow().payload())
        .isEqualTo("{\"seq\":1}");
  }

  /** Ids that sort as they are numbered (JDBC stores break ties of due time and priority by id). */
  private static String id(int i) {
    return String.format(java.util.Locale.ROOT, "i%02d", i);
  }

  @Test
  void anItemRemovedWhileOthersShareItsSubjectLeavesTheOthers() {
    for (String id : List.of("a", "b", "c", "d")) {
      store.schedule(
          WorkItem.builder(ACME, KIND, id).subject("contact-1").dueAt(T0).build(), IfExists.KEEP);
    }
    store.schedule(
        WorkItem.builder(GLOBEX, KIND, "a").subject("contact-1").dueAt(T0).build(), IfExists.KEEP);
    assertThat(store.cancel(WorkKey.of(ACME, KIND, "b"))).isTrue(); // in the middle
    assertThat(store.cancel(WorkKey.of(ACME, KIND, "d"))).isTrue(); // the last scheduled
    assertThat(store.findBySubject(ACME, "contact-1", KIND))
        .extracting(w -> w.key().id())
        .containsExactly("a", "c");
    // done and replaced items leave the subject or stay under it as they are now
    ClaimedWork a =
        claim(store, T0, 10, "r1").stream()
            .filter(c -> c.item().key().equals(WorkKey.of(ACME, KIND, "a")))
            .findFirst()
            .orElseThrow();
    store.complete(List.of(new Completion.Done(a.lease())));
    assertThat(store.findBySubject(ACME, "contact-1", KIND))
        .extracting(w -> w.key().id())
        .containsExactly("c");
    store.schedule(
        WorkItem.builder(ACME, KIND, "c").subject("contact-2").dueAt(T0).build(), IfExists.REPLACE);
    assertThat(store.findBySubject(ACME, "contact-1", KIND)).isEmpty();
    assertThat(store.cancelSubject(ACME, "contact-1")).isZero();
    assertThat(store.cancelSubject(ACME, "contact-2")).isEqualTo(1);
    assertThat(store.findBySubject(GLOBEX, "contact-1", KIND)).hasSize(1);
  }

  @Test
  void theSameIdUnderTwoTenantsIsTwoItems() {
    store.schedule(item(ACME, "a", T0), IfExists.KEEP);
    assertThat(store.schedule(item(GLOBEX, "a", T0), IfExists.KEEP)).isTrue();
    assertThat(store.count(WorkState.READY)).isEqualTo(2);
    assertThat(store.cancelTenant(ACME)).isEqualTo(1);
    assertThat(store.find(WorkKey.of(GLOBEX, KIND, "a"))).isPresent();
  }

  @Test
  void itemsKeepEveryFieldExactly() {
    WorkItem in =
        WorkItem.builder(ACME, "x.y-z_1", "id with spaces and ünïcödé")
            .subject("contact-7")
            .payload("{\"a\":[1,2,{\"b\":null}],\"s\":\"\\u00e9\"}")
            .payloadVersion(3)
            .priority(-5)
            .dueAt(T0)
            .build();
    store.schedule(in, IfExists.KEEP);
    assertThat(secondInstance().find(in.key())).contains(in);
  }

  @Test
  void claimsOnlyDueItemsEarliestFirstThenByPriority() {
    store.schedule(item(ACME, "late", T0.plusSeconds(1)), IfExists.KEEP);
    store.schedule(item(ACME, "b", T0.minusSeconds(10)), IfExists.KEEP);
    store.schedule(
        WorkItem.builder(ACME, KIND, "urgent").dueAt(T0.minusSeconds(10)).priority(5).build(),
        IfExists.KEEP);
    store.schedule(item(ACME, "a", T0.minusSeconds(20)), IfExists.KEEP);

    List<ClaimedWork> got = claim(store, T0, 10, "r1");

    assertThat(ids(got)).containsExactly("a", "urgent", "b");
    assertThat(got).allSatisfy(c -> assertThat(c.lease().owner()).isEqualTo("r1"));
  }

  @Test
  void claimHonoursMaxAndKinds() {
    for (int i = 0; i < 5; i++) {
      store.schedule(item(ACME, "j" + i, T0), IfExists.KEEP);
    }
    store.schedule(WorkItem.builder(ACME, "other", "o").dueAt(T0).build(), IfExists.KEEP);

    assertThat(store.claim(new ClaimRequest(T0, 10, "r1", HELD, Set.of("other"))))
        .extracting(c -> c.item().key().id())
        .containsExactly("o");
    assertThat(claim(store, T0, 3, "r1")).hasSize(3);
    assertThat(claim(store, T0, 3, "r1")).hasSize(2);
    assertThat(claim(store, T0, 3, "r1")).isEmpty();
  }

  @Test
  void aClaimedItemIsNotClaimedAgainUntilItsLeaseLapses() {
    store.schedule(item(ACME, "a", T0), IfExists.KEEP);
    WorkStore other = secondInstance();
    List<ClaimedWork> first = claim(store, T0, 10, "r1", LEASE);
    assertThat(first).hasSize(1);
    assertThat(claim(other, T0, 10, "r2")).isEmpty();

    passLeaseTime(LEASE.plusMillis(100)); // at least this long: lapsed, however slow the machine

    List<ClaimedWork> taken = claim(other, T0, 10, "r2");
    assertThat(ids(taken)).containsExactly("a");
    assertThat(taken.get(0).lease().token()).isNotEqualTo(first.get(0).lease().token());
    // the first owner's late answer changes nothing: the second owner decides
    assertThat(store.complete(List.of(new Completion.Done(first.get(0).lease())))).isEmpty();
    assertThat(store.find(WorkKey.of(ACME, KIND, "a"))).isPresent();
    assertThat(other.complete(List.of(new Completion.Done(taken.get(0).lease())))).hasSize(1);
    assertThat(store.find(WorkKey.of(ACME, KIND, "a"))).isEmpty();
  }

  /**
   * An instance whose clock runs 10 minutes ahead (or behind) cannot take over a live lease: leases
   * are judged by the store's clock, never by the claimer's. Its clock decides only what is due.
   */
  @Test
  void aSkewedInstanceNeverTakesOverALiveLease() {
    store.schedule(item(ACME, "a", T0), IfExists.KEEP);
    store.schedule(item(ACME, "later", T0.plus(Duration.ofMinutes(5))), IfExists.KEEP);
    assertThat(ids(claim(store, T0, 1, "honest", LEASE))).containsExactly("a");
    WorkStore skewed = secondInstance();

    assertThat(ids(claim(skewed, T0.plus(Duration.ofMinutes(10)), 10, "ahead", LEASE)))
        .containsExactly("later");
    assertThat(claim(skewed, T0.minus(Duration.ofMinutes(10)), 10, "behind")).isEmpty();

    passLeaseTime(LEASE.plusMillis(100)); // at least this long: lapsed, however slow the machine
    assertThat(ids(claim(skewed, T0.minus(Duration.ofMinutes(10)), 10, "behind"))).isEmpty();
    // both leases lapsed by the store's clock: now, and only now, they are free
    assertThat(ids(claim(skewed, T0.plus(Duration.ofMinutes(10)), 10, "ahead")))
        .containsExactly("a", "later");
  }

  @Test
  void renewingKeepsALeaseAliveAndReportsLostOnes() {
    store.schedule(item(ACME, "a", T0), IfExists.KEEP);
    store.schedule(item(ACME, "b", T0), IfExists.KEEP);
    List<ClaimedWork> got = claim(store, T0, 10, "r1", LEASE);
    Lease a = got.get(0).lease();
    Lease b = got.get(1).lease();
    store.cancel(b.key());

    // 1.5 leases pass in all, so a lease not renewed would lapse; each renewal comes a quarter
    // lease after the last, which leaves three quarters for a loaded machine's pauses
    for (int i = 0; i < 6; i++) {
      passLeaseTime(LEASE.dividedBy(4));
      assertThat(store.renew(List.of(a, b), LEASE)).containsExactly(a);
    }
    assertThat(claim(secondInstance(), T0, 10, "r2")).isEmpty();
  }

  /**
   * mem: the in-memory store finds a lease's item by the lease it gave out; a lease is still held
   * by what it names (key, owner, token), not by being that object, and not with another owner or
   * token. The id is UUID-shaped, as journey steps' are.
   */
  @Test
  void aLeaseIsHeldByItsKeyOwnerAndTokenNotByItsObject() {
    String id = "0b6f4a52-6a1e-4c1b-9a7e-3f1d2c3b4a59";
    store.schedule(item(ACME, id, T0), IfExists.KEEP);
    store.schedule(item(ACME, "plain", T0), IfExists.KEEP);
    List<ClaimedWork> got = claim(store, T0, 10, "r1");
    assertThat(got).hasSize(2);
    for (ClaimedWork c : got) {
      Lease l = c.lease();
      Lease same =
          new Lease(
              WorkKey.of(TenantId.of("acme"), KIND, new String(l.key().id())),
              new String(l.owner()),
              l.token());
      assertThat(store.renew(List.of(new Lease(l.key(), "r2", l.token())), HELD)).isEmpty();
      assertThat(store.renew(List.of(new Lease(l.key(), "r1", l.token() + 1)), HELD)).isEmpty();
      assertThat(store.renew(List.of(same), HELD)).containsExactly(same);
      assertThat(store.release(List.of(new Lease(l.key(), "r2", l.token())))).isZero();
      assertThat(store.complete(List.of(new Completion.Done(same)))).hasSize(1);
      assertThat(store.find(l.key())).isEmpty();
      assertThat(store.renew(List.of(l), HELD)).isEmpty();
    }
  }

  @Test
  void doneRemovesRescheduleMovesRetryCountsDeadKeeps() {
    for (String id : List.of("done", "moved", "retried", "dead")) {
      store.schedule(item(ACME, id, T0), IfExists.KEEP);
    }
    Map<String, Lease> leases = new TreeMap<>();
    claim(store, T0, 10, "r1").forEach(c -> leases.put(c.item().key().id(), c.lease()));

    List<Completion> applied =
        store.complete(
            List.of(
                new Completion.Done(leases.get("done")),
                new Completion.Reschedule(leases.get("moved"), T0.plusSeconds(60), "{\"step\":2}"),
                new Completion.Retry(leases.get("retried"), T0.plusSeconds(30), "boom"),
                new Completion.Dead(leases.get("dead"), "unreadable")));

    assertThat(applied).hasSize(4);
    assertThat(store.find(leases.get("done").key())).isEmpty();
    WorkItem moved = store.find(leases.get("moved").key()).orElseThrow();
    assertThat(moved.dueAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(moved.payload()).isEqualTo("{\"step\":2}");
    assertThat(moved.attempts()).isZero();
    WorkItem retried = store.find(leases.get("retried").key()).orElseThrow();
    assertThat(retried.attempts()).isEqualTo(1);
    assertThat(retried.lastError()).isEqualTo("boom");
    assertThat(retried.dueAt()).isEqualTo(T0.plusSeconds(30));
    WorkItem dead = store.find(leases.get("dead").key()).orElseThrow();
    assertThat(dead.state()).isEqualTo(WorkState.DEAD);
    assertThat(dead.lastError()).isEqualTo("unreadable");
    assertThat(store.count(WorkState.DEAD)).isEqualTo(1);
    assertThat(store.count(WorkState.READY)).isEqualTo(2);

    // completed items are free at once, not after the lease
    assertThat(ids(claim(store, T0.plusSeconds(60), 10, "r2"))).containsExactly("retried", "moved");
    // a dead item is never claimed, is listed, and can be retried by hand
    assertThat(store.dead(10)).extracting(w -> w.key().id()).containsExactly("dead");
    assertThat(store.retryDead(dead.key(), T0)).isTrue();
    assertThat(store.retryDead(dead.key(), T0)).isFalse();
    WorkItem again = store.find(dead.key()).orElseThrow();
    assertThat(again.state()).isEqualTo(WorkState.READY);
    assertThat(again.attempts()).isZero();
    assertThat(ids(claim(store, T0, 10, "r3"))).containsExactly("dead");
  }

  @Test
  void releaseFreesClaimsAtOnceWithoutCountingAnAttempt() {
    store.schedule(item(ACME, "a", T0), IfExists.KEEP);
    List<ClaimedWork> got = claim(store, T0, 10, "r1");
    assertThat(store.release(List.of(got.get(0).lease()))).isEqualTo(1);
    List<ClaimedWork> again = claim(secondInstance(), T0, 10, "r2");
    assertThat(ids(again)).containsExactly("a");
    assertThat(again.get(0).item().attempts()).isZero();
    assertThat(store.release(List.of(got.get(0).lease()))).isZero();
  }

  @Test
  void replacingAClaimedItemFencesItsOwner() {
    store.schedule(item(ACME, "a", T0), IfExists.KEEP);
    Lease held = claim(store, T0, 10, "r1").get(0).lease();
    store.schedule(item(ACME, "a", T0.plusSeconds(5)), IfExists.REPLACE);
    assertThat(store.complete(List.of(new Completion.Done(held)))).isEmpty();
    assertThat(store.find(held.key()).orElseThrow().dueAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(store.renew(List.of(held), HELD)).isEmpty();
  }

  @Test
  void subjectsAndTenantsCancelTheirWork() {
    store.schedule(
        WorkItem.builder(ACME, KIND, "1").subject("c1").dueAt(T0.plusSeconds(2)).build(),
        IfExists.KEEP);
    store.schedule(
        WorkItem.builder(ACME, KIND, "2").subject("c1").dueAt(T0.plusSeconds(1)).build(),
        IfExists.KEEP);
    store.schedule(
        WorkItem.builder(ACME, "other", "3").subject("c1").dueAt(T0).build(), IfExists.KEEP);
    store.schedule(
        WorkItem.builder(GLOBEX, KIND, "4").subject("c1").dueAt(T0).build(), IfExists.KEEP);

    assertThat(store.findBySubject(ACME, "c1", KIND))
        .extracting(w -> w.key().id())
        .containsExactly("2", "1");
    assertThat(store.cancelSubject(ACME, "c1")).isEqualTo(3);
    assertThat(store.findBySubject(GLOBEX, "c1", KIND)).hasSize(1);
    assertThat(store.cancelSubject(ACME, "c1")).isZero();
    assertThat(store.cancel(WorkKey.of(GLOBEX, KIND, "4"))).isTrue();
    assertThat(store.cancel(WorkKey.of(GLOBEX, KIND, "4"))).isFalse();
  }

  @Test
  void oneTenantsBacklogDoesNotStarveTheOthers() {
    List<WorkItem> backlog = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      backlog.add(item(ACME, String.format("a%05d", i), T0.minusSeconds(600)));
    }
    store.scheduleAll(backlog, IfExists.KEEP);
    store.schedule(item(GLOBEX, "g1", T0), IfExists.KEEP);
    store.schedule(item(TenantId.of("initech"), "i1", T0), IfExists.KEEP);

    List<ClaimedWork> got = claim(store, T0, 30, "r1");

    assertThat(got).hasSize(30);
    assertThat(ids(got)).contains("g1", "i1");
  }

  private List<String> claimAndFinish(int max) {
    List<ClaimedWork> got = claim(store, T0, max, "r");
    store.complete(got.stream().map(c -> (Completion) new Completion.Done(c.lease())).toList());
    return ids(got);
  }

  /**
   * While a backlog drains in full batches, an item scheduled due before what was last claimed
   * (JDBC stores start their scan at that mark) is still claimed, and before the backlog ends.
   */
  @Test
  void anItemDueBeforeTheDrainedPartOfABacklogIsStillClaimed() {
    List<WorkItem> backlog = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      backlog.add(item(ACME, String.format("b%05d", i), T0.minusSeconds(1_000 - i)));
    }
    store.scheduleAll(backlog, IfExists.KEEP);
    List<String> order = new ArrayList<>(claimAndFinish(10));
    store.schedule(item(ACME, "early", T0.minusSeconds(5_000)), IfExists.KEEP);
    while (true) {
      List<String> got = claimAndFinish(10);
      if (got.isEmpty()) {
        break;
      }
      order.addAll(got);
    }
    assertThat(order).hasSize(1_001).contains("early");
    assertThat(order.indexOf("early")).isLessThan(1_000);
  }

  @Test
  void scheduleAllWritesNothingWhenAnItemIsBad() {
    List<WorkItem> batch = new ArrayList<>();
    batch.add(item(ACME, "ok", T0));
    batch.add(null);
    assertThatThrownBy(() -> store.scheduleAll(batch, IfExists.KEEP))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("item");
    assertThat(store.count(WorkState.READY)).isZero();
  }

  @Test
  void everyStoreRefusesTheSameBadInputWithTheSameException() {
    assertThatThrownBy(() -> store.schedule(null, IfExists.KEEP))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("item");
    assertThatThrownBy(() -> store.schedule(item(ACME, "a", T0), null))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("ifExists");
    assertThatThrownBy(() -> store.claim(null))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("request");
    assertThatThrownBy(() -> store.renew(List.of(), Duration.ZERO))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("lease");
    assertThatThrownBy(() -> store.dead(0))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("max");
    assertThatThrownBy(() -> store.findBySubject(ACME, "s", "Bad Kind"))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("Bad Kind");
    assertThatThrownBy(() -> store.cancelSubject(ACME, null))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("subject");
  }

  @Test
  void extremeButValidItemsAreStoredAlike() {
    String longId = "i".repeat(WorkKey.MAX_ID);
    String bigPayload = "{\"p\":\"" + "x".repeat(100_000) + "\"}";
    WorkItem in =
        WorkItem.builder(TenantId.of("t".repeat(200)), "k".repeat(WorkKey.MAX_KIND), longId)
            .subject("s".repeat(WorkItem.MAX_SUBJECT))
            .payload(bigPayload)
            .priority(Integer.MIN_VALUE)
            .dueAt(Instant.parse("2262-01-01T00:00:00Z"))
            .build();
    store.schedule(in, IfExists.KEEP);
    assertThat(secondInstance().find(in.key())).contains(in);
  }

  @Test
  void severalInstancesNeverClaimOneItemTwice() {
    List<WorkItem> items =
        IntStream.range(0, 400).mapToObj(i -> item(ACME, "j" + i, T0)).collect(Collectors.toList());
    store.scheduleAll(items, IfExists.KEEP);
    List<WorkStore> instances =
        List.of(store, secondInstance(), secondInstance(), secondInstance());

    List<List<String>> claimed =
        Concurrently.run(
            4,
            n -> {
              List<String> mine = new ArrayList<>();
              while (true) {
                List<ClaimedWork> got = claim(instances.get(n), T0, 7, "r" + n);
                if (got.isEmpty()) {
                  return mine;
                }
                mine.addAll(ids(got));
                instances
                    .get(n)
                    .complete(
                        got.stream()
                            .map(c -> (Completion) new Completion.Done(c.lease()))
                            .toList());
              }
            });

    List<String> all = claimed.stream().flatMap(List::stream).toList();
    assertThat(all).hasSize(400);
    assertThat(new HashSet<>(all)).hasSize(400);
    assertThat(store.count(WorkState.READY)).isZero();
  }

  // ---- replaceIfUnchanged: the conditional move under the dispatcher's look-ahead ------------

  @Test
  void replaceIfUnchangedWritesAllWhenEveryExpectedItemIsAsRead() {
    store.schedule(item(ACME, "a", T0), IfExists.KEEP);
    store.schedule(item(ACME, "b", T0.plusSeconds(1)), IfExists.KEEP);
    WorkItem a = store.find(WorkKey.of(ACME, KIND, "a")).orElseThrow();
    WorkItem b = store.find(WorkKey.of(ACME, KIND, "b")).orElseThrow();

    boolean moved =
        store.replaceIfUnchanged(
            List.of(a, b),
            List.of(
                item(ACME, "a", T0.plusSeconds(1)),
                item(ACME, "b", T0.plusSeconds(2)),
                item(ACME, "new", T0)));

    assertThat(moved).isTrue();
    assertThat(store.find(a.key()).orElseThrow().dueAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(store.find(b.key()).orElseThrow().dueAt()).isEqualTo(T0.plusSeconds(2));
    assertThat(store.find(WorkKey.of(ACME, KIND, "new")).orElseThrow().dueAt()).isEqualTo(T0);
  }

  @Test
  void replaceIfUnchangedWritesNothingWhenAnExpectedItemChangedOrWentAway() {
    store.schedule(item(ACME, "a", T0), IfExists.KEEP);
    store.schedule(item(ACME, "b", T0), IfExists.KEEP);
    WorkItem a = store.find(WorkKey.of(ACME, KIND, "a")).orElseThrow();
    WorkItem b = store.find(WorkKey.of(ACME, KIND, "b")).orElseThrow();
    // another instance moved b meanwhile
    secondInstance().schedule(item(ACME, "b", T0.plusSeconds(9)), IfExists.REPLACE);

    assertThat(
            store.replaceIfUnchanged(
                List.of(a, b), List.of(item(ACME, "a", T0.plusSeconds(5)), item(ACME, "new", T0))))
        .isFalse();
    assertThat(store.find(a.key()).orElseThrow().dueAt()).isEqualTo(T0);
    assertThat(store.find(WorkKey.of(ACME, KIND, "new"))).isEmpty();

    // a different payload at the same time is a change too
    store.schedule(
        WorkItem.builder(ACME, KIND, "a").dueAt(T0).payload("{\"n\":\"other\"}").build(),
        IfExists.REPLACE);
    assertThat(store.replaceIfUnchanged(List.of(a), List.of(item(ACME, "new", T0)))).isFalse();

    store.cancel(a.key());
    assertThat(store.replaceIfUnchanged(List.of(a), List.of(item(ACME, "new", T0)))).isFalse();
    assertThat(store.find(WorkKey.of(ACME, KIND, "new"))).isEmpty();
  }

  @Test
  void replaceIfUnchangedLeavesAClaimedItemAloneUntilItsLeaseLapses() {
    store.schedule(item(ACME, "a", T0), IfExists.KEEP);
    WorkItem a = store.find(WorkKey.of(ACME, KIND, "a")).orElseThrow();
    List<ClaimedWork> claimed = claim(store, T0, 10, "r1", LEASE);
    assertThat(claimed).hasSize(1);

    assertThat(store.replaceIfUnchanged(List.of(a), List.of(item(ACME, "a", T0.plusSeconds(5)))))
        .isFalse();
    assertThat(store.find(a.key()).orElseThrow().dueAt()).isEqualTo(T0);

    passLeaseTime(LEASE.plusMillis(100)); // at least this long: lapsed, however slow the machine
    assertThat(store.replaceIfUnchanged(List.of(a), List.of(item(ACME, "a", T0.plusSeconds(5)))))
        .isTrue();
    // the lapsed owner's late answer is fenced out: the move stands
    assertThat(store.complete(List.of(new Completion.Done(claimed.get(0).lease())))).isEmpty();
    assertThat(store.find(a.key()).orElseThrow().dueAt()).isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void replaceIfUnchangedRefusesBadInputBeforeWriting() {
    store.schedule(item(ACME, "a", T0), IfExists.KEEP);
    WorkItem a = store.find(WorkKey.of(ACME, KIND, "a")).orElseThrow();
    assertThatThrownBy(() -> store.replaceIfUnchanged(null, List.of()))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("expected");
    assertThatThrownBy(() -> store.replaceIfUnchanged(List.of(a), null))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("writes");
    List<WorkItem> withNull = new ArrayList<>();
    withNull.add(item(ACME, "new", T0));
    withNull.add(null);
    assertThatThrownBy(() -> store.replaceIfUnchanged(List.of(a), withNull))
        .isInstanceOf(InvalidWorkException.class);
    assertThatThrownBy(() -> store.replaceIfUnchanged(List.of(a, a), List.of()))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("twice");
    assertThat(store.find(WorkKey.of(ACME, KIND, "new"))).isEmpty();
  }

  @Test
  void ofManyInstancesMovingOneItemAtOnceExactlyOneSucceeds() {
    store.schedule(item(ACME, "slot", T0), IfExists.KEEP);
    WorkItem read = store.find(WorkKey.of(ACME, KIND, "slot")).orElseThrow();
    List<WorkStore> instances =
        List.of(store, secondInstance(), secondInstance(), secondInstance());

    List<Boolean> won =
        Concurrently.run(
            4,
            n ->
                instances
                    .get(n)
                    .replaceIfUnchanged(
                        List.of(read),
                        List.of(
                            item(ACME, "slot", T0.plusSeconds(1 + n)),
                            item(ACME, "taker" + n, T0))));

    assertThat(won.stream().filter(w -> w).count()).isEqualTo(1);
    int winner = won.indexOf(true);
    assertThat(store.find(read.key()).orElseThrow().dueAt()).isEqualTo(T0.plusSeconds(1 + winner));
    for (int n = 0; n < 4; n++) {
      assertThat(store.find(WorkKey.of(ACME, KIND, "taker" + n)).isPresent())
          .isEqualTo(n == winner);
    }
  }
}
