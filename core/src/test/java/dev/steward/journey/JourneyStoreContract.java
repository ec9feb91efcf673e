package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link JourneyStore} meets; subclass it with a fresh store per test and a
 * second instance over the same data where the store is shared.
 */
public abstract class JourneyStoreContract {
  protected static final TenantId T1 = TenantId.of("t1");
  protected static final TenantId T2 = TenantId.of("t2");
  protected static final ContactId ANN = ContactId.of("ann");
  protected static final ContactId BOB = ContactId.of("bob");
  protected static final Instant T0 = Instant.parse("2026-03-02T09:00:00.123456789Z");

  protected JourneyStore store;

  /** A new, empty store. */
  protected abstract JourneyStore newStore();

  /** Another instance over the same data as the last {@link #newStore()}; itself when in memory. */
  protected JourneyStore secondInstance() {
    return store;
  }

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  protected static ContactProfile profile(TenantId t, ContactId c) {
    return new ContactProfile(
        t,
        c,
        AccountId.of("acct-" + c.value()),
        Optional.of(EmailAddress.of(c.value() + "@example.com")),
        Optional.of(ZoneId.of("Europe/Berlin")),
        Map.of("plan", "pro", "renewal", "2026-09-30"));
  }

  protected static Enrolment enrolment(
      TenantId t, String id, ContactId c, String journey, Instant at) {
    return new Enrolment(
        t,
        id,
        c,
        journey,
        1,
        "first",
        0,
        EnrolmentState.ACTIVE,
        at,
        at,
        at,
        Optional.empty(),
        Optional.empty());
  }

  private EnrolResult enrol(Enrolment e) {
    return store.enrol(e, ReEntry.always(), 5);
  }

  @Test
  void findAllAndContactsReadManyOfOneTenantAtOnceWithTheSameAnswersAsOneByOne() {
    store.putContact(profile(T1, ANN));
    store.putContact(profile(T1, BOB));
    store.putContact(profile(T2, ANN));
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 520; i++) { // more than one IN list of the JDBC store
      ContactId c = i % 2 == 0 ? ANN : BOB;
      String id = "e-" + i;
      ids.add(id);
      Enrolment e = enrolment(T1, id, c, "j" + i, T0.plusSeconds(i));
      assertThat(store.enrol(e, ReEntry.always(), 1_000).status())
          .isEqualTo(EnrolResult.Status.ENROLLED);
    }
    enrol(enrolment(T2, "other", ANN, "j0", T0));
    Enrolment moved =
        store
            .find(T1, "e-3")
            .orElseThrow()
            .next("second", EnrolmentState.WAITING, T0.plusSeconds(99), T0.plusSeconds(1));
    assertThat(store.advance(moved, new HistoryEntry(1, "second", T0, StepOutcome.WAITING, "")))
        .isTrue();
    List<String> asked = new java.util.ArrayList<>(ids);
    asked.add("unknown");
    asked.add("other"); // of the other tenant
    asked.add("e-1"); // asked twice

    Map<String, Enrolment> found = store.findAll(T1, asked);

    assertThat(found).hasSize(520).doesNotContainKeys("unknown", "other");
    for (String id : List.of("e-0", "e-3", "e-519")) {
      assertThat(found.get(id)).isEqualTo(store.find(T1, id).orElseThrow());
    }
    assertThat(found.get("e-3").seq()).isEqualTo(1);
    assertThat(store.findAll(T1, List.of())).isEmpty();
    assertThat(store.findAll(TenantId.of("nobody"), ids)).isEmpty();

    ContactId nobody = ContactId.of("nobody");
    Map<ContactId, ContactProfile> profiles = store.contacts(T1, List.of(ANN, BOB, nobody, ANN));
    assertThat(profiles)
        .containsOnlyKeys(ANN, BOB)
        .containsEntry(ANN, store.contact(T1, ANN).orElseThrow())
        .containsEntry(BOB, store.contact(T1, BOB).orElseThrow());
    assertThat(store.contacts(T2, List.of(BOB))).isEmpty();
  }

  @Test
  void seqOfAnswersTheSeqThatFindReads() {
    store.putContact(profile(T1, ANN));
    Enrolment e = enrolment(T1, "e1", ANN, "j", T0);
    assertThat(store.seqOf(T1, "e1")).isEmpty();
    assertThat(enrol(e).enrolled()).isTrue();
    assertThat(store.seqOf(T1, "e1")).hasValue(0);
    assertThat(store.seqOf(T2, "e1")).as("another tenant's").isEmpty();

    Enrolment moved = e.next("second", EnrolmentState.WAITING, T0, T0.plusSeconds(60));
    assertThat(store.advance(moved, new HistoryEntry(1, "first", T0, StepOutcome.WAITING, "")))
        .isTrue();
    assertThat(store.seqOf(T1, "e1"))
        .hasValue(moved.seq())
        .hasValue(store.find(T1, "e1").get().seq());
    assertThat(moved.seq()).isNotZero();

    store.eraseContact(T1, ANN);
    assertThat(store.seqOf(T1, "e1")).isEmpty();
    assertThatThrownBy(() -> store.seqOf(null, "e1")).isInstanceOf(InvalidJourneyException.class);
  }

  @Test
  void findAllAndContactsRefuseNullsByName() {
    assertThatThrownBy(() -> store.findAll(null, List.of("a")))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> store.findAll(T1, java.util.Arrays.asList("a", null)))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("enrolment ids");
    assertThatThrownBy(() -> store.contacts(T1, (java.util.Collection<ContactId>) null))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("contacts");
  }

  @Test
  void contactsComeInPagesOfEveryTenantInIdOrderAfterTheCursor() {
    // review14t: the triggers' scheduled pass walks every profile with these pages
    store.putContact(profile(T2, ANN));
    store.putContact(profile(T1, BOB));
    store.putContact(profile(T1, ANN));
    store.putContact(
        new ContactProfile(
            T1,
            ContactId.of("\u00e9mile-\ud83d\ude00"),
            AccountId.of("acct"),
            Optional.of(EmailAddress.of("emile@example.com")),
            Optional.empty(),
            Map.of()));
    List<ContactProfile> first = store.contacts(Optional.empty(), 2);
    assertThat(first)
        .extracting(p -> p.tenant().value() + "/" + p.contact().value())
        .containsExactly("t1/ann", "t1/bob");
    assertThat(first.get(0)).isEqualTo(profile(T1, ANN));
    List<ContactProfile> rest = store.contacts(Optional.of(first.get(1)), 10);
    assertThat(rest)
        .extracting(p -> p.tenant().value() + "/" + p.contact().value())
        .containsExactly("t1/\u00e9mile-\ud83d\ude00", "t2/ann");
    assertThat(store.contacts(Optional.of(rest.get(1)), 10)).isEmpty();
    assertThatThrownBy(() -> store.contacts(Optional.empty(), 0))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("at least 1");
  }

  @Test
  void profilesRoundTripAndAreReplacedPerTenant() {
    ContactProfile p = profile(T1, ANN);
    store.putContact(p);
    store.putContact(
        new ContactProfile(
            T2, ANN, AccountId.of("other"), Optional.empty(), Optional.empty(), Map.of()));

    assertThat(store.contact(T1, ANN)).contains(p);
    assertThat(store.contact(T2, ANN).orElseThrow().account()).isEqualTo(AccountId.of("other"));
    assertThat(store.contact(T2, ANN).orElseThrow().email()).isEmpty();
    assertThat(store.contact(T1, BOB)).isEmpty();

    ContactProfile changed = p.with("plan", "enterprise").with("unicode", "Grüße ✓ 𝄞");
    store.putContact(changed);
    assertThat(secondInstance().contact(T1, ANN)).contains(changed);
  }

  @Test
  void attributesAreSetAndRemovedOnlyForKnownContacts() {
    store.putContact(profile(T1, ANN));

    assertThat(store.setAttribute(T1, ANN, "stage", Optional.of("onboarded"))).isTrue();
    assertThat(store.setAttribute(T1, ANN, "plan", Optional.empty())).isTrue();
    assertThat(store.setAttribute(T2, ANN, "stage", Optional.of("x"))).isFalse();
    assertThat(store.setAttribute(T1, BOB, "stage", Optional.of("x"))).isFalse();

    assertThat(store.contact(T1, ANN).orElseThrow().attributes())
        .containsExactly(Map.entry("renewal", "2026-09-30"), Map.entry("stage", "onboarded"));
    assertThat(store.contact(T2, ANN)).isEmpty();
    assertThatThrownBy(() -> store.setAttribute(T1, ANN, "bad", Optional.of("a\u0000b")))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("attribute 'bad' has a NUL");
    assertThatThrownBy(() -> store.setAttribute(T1, ANN, "x".repeat(1001), Optional.of("v")))
        .isInstanceOf(InvalidJourneyException.class);
  }

  @Test
  void anEnrolmentIsStoredWithItsEntryAndFoundAgain() {
    store.putContact(profile(T1, ANN));
    Enrolment e = enrolment(T1, "e1", ANN, "onboarding", T0);

    EnrolResult r = enrol(e);

    assertThat(r.status()).isEqualTo(EnrolResult.Status.ENROLLED);
    assertThat(secondInstance().find(T1, "e1")).contains(e);
    assertThat(store.find(T2, "e1")).isEmpty();
    assertThat(store.enrolments(T1, ANN)).containsExactly(e);
    assertThat(store.history(T1, "e1"))
        .containsExactly(new HistoryEntry(0, "first", T0, StepOutcome.ENTERED, "version 1"));
    assertThat(enrol(e).status()).isEqualTo(EnrolResult.Status.ALREADY_ENROLLED);
    assertThat(enrol(e).enrolment()).contains(e);
  }

  @Test
  void enrolRefusesWithoutAProfileOrForAnEnrolmentThatIsNotNew() {
    assertThatThrownBy(() -> enrol(enrolment(T1, "e1", ANN, "j", T0)))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessage("contact ann of tenant t1 has no profile; put one first");
    store.putContact(profile(T1, ANN));
    Enrolment moved = enrolment(T1, "e1", ANN, "j", T0).next("x", EnrolmentState.ACTIVE, T0, T0);
    assertThatThrownBy(() -> enrol(moved)).isInstanceOf(InvalidJourneyException.class);
    assertThatThrownBy(() -> store.enrol(enrolment(T1, "e2", ANN, "j", T0), ReEntry.always(), 0))
        .isInstanceOf(InvalidJourneyException.class);
    assertThat(store.enrolments(T1, ANN)).isEmpty();
  }

  @Test
  void reEntryRulesAndTheLimitAreJudgedPerContactAndTenant() {
    store.putContact(profile(T1, ANN));
    store.putContact(profile(T2, ANN));
    Enrolment first = enrolment(T1, "e1", ANN, "j", T0);
    assertThat(store.enrol(first, ReEntry.onceEver(), 2).enrolled()).isTrue();

    assertThat(store.enrol(enrolment(T1, "e2", ANN, "j", T0), ReEntry.always(), 2).status())
        .isEqualTo(EnrolResult.Status.ALREADY_ACTIVE);
    assertThat(store.enrol(enrolment(T2, "e2", ANN, "j", T0), ReEntry.onceEver(), 1).enrolled())
        .as("another tenant's contact of the same id")
        .isTrue();
    assertThat(store.enrol(enrolment(T1, "e3", ANN, "k", T0), ReEntry.onceEver(), 2).enrolled())
        .isTrue();
    EnrolResult third = store.enrol(enrolment(T1, "e4", ANN, "l", T0), ReEntry.onceEver(), 2);
    assertThat(third.status()).isEqualTo(EnrolResult.Status.TOO_MANY_JOURNEYS);

    Enrolment done = first.next("first", EnrolmentState.COMPLETED, T0, T0.plusSeconds(1));
    assertThat(store.advance(done, new HistoryEntry(1, "first", T0, StepOutcome.COMPLETED, "done")))
        .isTrue();
    Instant later = T0.plus(Duration.ofDays(10));
    assertThat(store.enrol(enrolment(T1, "e5", ANN, "j", later), ReEntry.onceEver(), 5).status())
        .isEqualTo(EnrolResult.Status.RE_ENTRY_REFUSED);
    assertThat(
            store.enrol(enrolment(T1, "e5", ANN, "j", later), ReEntry.oncePerDays(11), 5).status())
        .isEqualTo(EnrolResult.Status.RE_ENTRY_REFUSED);
    assertThat(
            store.enrol(enrolment(T1, "e5", ANN, "j", later), ReEntry.oncePerDays(10), 5).status())
        .isEqualTo(EnrolResult.Status.ENROLLED);
    assertThat(store.enrolments(T1, ANN))
        .extracting(Enrolment::id)
        .containsExactly("e1", "e3", "e5");
  }

  @Test
  void advanceIsACompareAndSetOnTheSequence() {
    store.putContact(profile(T1, ANN));
    Enrolment e = enrolment(T1, "e1", ANN, "j", T0);
    enrol(e);
    Instant t1 = T0.plusSeconds(60);
    Enrolment waiting =
        e.next("opened?", EnrolmentState.WAITING, t1.plus(Duration.ofDays(3)), t1)
            .withLastMessage(MessageId.of("j-e1-0"));
    HistoryEntry h1 = new HistoryEntry(1, "first", t1, StepOutcome.SENT, "template x");

    assertThat(store.advance(waiting, h1)).isTrue();
    assertThat(secondInstance().advance(waiting, h1)).as("the same change again").isFalse();
    Enrolment stale = e.next("elsewhere", EnrolmentState.ACTIVE, t1, t1);
    assertThat(store.advance(stale, new HistoryEntry(1, "first", t1, StepOutcome.BRANCHED, "")))
        .isFalse();
    assertThat(store.find(T1, "e1")).contains(waiting);

    Enrolment exited =
        waiting.next("opened?", EnrolmentState.EXITED, t1, t1).withExitReason("exit criterion 'x'");
    assertThat(
            store.advance(
                exited,
                new HistoryEntry(2, "opened?", t1, StepOutcome.EXITED, "exit criterion 'x'")))
        .isTrue();
    Enrolment after = exited.next("z", EnrolmentState.ACTIVE, t1, t1);
    assertThat(store.advance(after, new HistoryEntry(3, "z", t1, StepOutcome.SENT, "")))
        .as("a finished enrolment changes no more")
        .isFalse();
    assertThat(store.find(T1, "e1")).contains(exited);
    assertThat(store.history(T1, "e1"))
        .extracting(HistoryEntry::outcome)
        .containsExactly(StepOutcome.ENTERED, StepOutcome.SENT, StepOutcome.EXITED);
    assertThatThrownBy(
            () -> store.advance(after, new HistoryEntry(7, "z", t1, StepOutcome.SENT, "")))
        .isInstanceOf(InvalidJourneyException.class);
  }

  @Test
  void concurrentAdvancesOfOneSequenceApplyOnce() {
    store.putContact(profile(T1, ANN));
    Enrolment e = enrolment(T1, "e1", ANN, "j", T0);
    enrol(e);
    AtomicInteger applied = new AtomicInteger();
    Concurrently.run(
        4,
        i -> {
          JourneyStore s = i % 2 == 0 ? store : secondInstance();
          Enrolment n = e.next("s" + i, EnrolmentState.ACTIVE, T0, T0);
          if (s.advance(n, new HistoryEntry(1, "first", T0, StepOutcome.BRANCHED, "by " + i))) {
            applied.incrementAndGet();
          }
          return null;
        });
    assertThat(applied.get()).isEqualTo(1);
    assertThat(store.history(T1, "e1")).hasSize(2);
  }

  @Test
  void concurrentEnrolmentsOfOneContactKeepTheLimit() {
    store.putContact(profile(T1, ANN));
    List<EnrolResult> results =
        Concurrently.run(
            4,
            i ->
                (i % 2 == 0 ? store : secondInstance())
                    .enrol(enrolment(T1, "e" + i, ANN, "journey-" + i, T0), ReEntry.always(), 1));
    assertThat(results).filteredOn(EnrolResult::enrolled).hasSize(1);
    assertThat(store.enrolments(T1, ANN)).hasSize(1);
  }

  @Test
  void dueBeforeListsUnfinishedEnrolmentsEarliestFirst() {
    store.putContact(profile(T1, ANN));
    store.putContact(profile(T2, BOB));
    enrol(enrolment(T1, "late", ANN, "a", T0.plusSeconds(30)));
    enrol(enrolment(T2, "early", BOB, "a", T0));
    Enrolment done = enrolment(T1, "done", ANN, "b", T0);
    enrol(done);
    store.advance(
        done.next("first", EnrolmentState.COMPLETED, T0, T0),
        new HistoryEntry(1, "first", T0, StepOutcome.COMPLETED, ""));

    assertThat(store.dueBefore(T0.plusSeconds(31), Optional.empty(), 10))
        .extracting(Enrolment::id)
        .containsExactly("early", "late");
    assertThat(store.dueBefore(T0.plusSeconds(31), Optional.empty(), 1))
        .extracting(Enrolment::id)
        .containsExactly("early");
    assertThat(store.dueBefore(T0, Optional.empty(), 10)).isEmpty();
  }

  /**
   * A bound after the storable range finds an enrolment due at its last instant, as memory does;
   * the JDBC store clamped 'before' onto that instant and, reading before it, missed the enrolment.
   */
  @Test
  void dueBeforeBeyondTheStorableRangeFindsTheEnrolmentsDueAtItsEnds() {
    Instant first = dev.steward.model.StoreLimits.MIN_INSTANT;
    Instant last = dev.steward.model.StoreLimits.MAX_INSTANT;
    store.putContact(profile(T1, ANN));
    enrol(enrolment(T1, "first", ANN, "a", first));
    enrol(enrolment(T1, "last", ANN, "b", last));

    assertThat(store.dueBefore(Instant.MAX, Optional.empty(), 10))
        .extracting(Enrolment::id)
        .containsExactly("first", "last");
    assertThat(
            secondInstance()
                .dueBefore(Instant.MAX, Optional.of(store.find(T1, "first").orElseThrow()), 10))
        .extracting(Enrolment::id)
        .containsExactly("last");
    assertThat(store.dueBefore(last, Optional.empty(), 10))
        .extracting(Enrolment::id)
        .containsExactly("first");
    assertThat(store.dueBefore(first, Optional.empty(), 10)).isEmpty();
    assertThat(store.dueBefore(Instant.MIN, Optional.empty(), 10)).isEmpty();
  }

  @Test
  void dueBeforePagesByDueTimeThenIdThenTenantAfterTheLastOfThePreviousPage() {
    store.putContact(profile(T1, ANN));
    store.putContact(profile(T2, ANN));
    store.putContact(profile(T1, BOB));
    // ties on the due time (to the nanosecond) and on the id, across tenants
    enrol(enrolment(T2, "b", ANN, "j1", T0));
    enrol(enrolment(T1, "b", ANN, "j2", T0));
    enrol(enrolment(T1, "a", ANN, "j3", T0));
    enrol(enrolment(T1, "c", BOB, "j1", T0.minusNanos(1)));
    enrol(enrolment(T1, "d", BOB, "j2", T0.plusNanos(1)));
    enrol(enrolment(T1, "later", BOB, "j3", T0.plusSeconds(60)));
    List<String> order = List.of("t1/c", "t1/a", "t1/b", "t2/b", "t1/d");

    for (int size = 1; size <= 6; size++) {
      List<String> seen = new java.util.ArrayList<>();
      Optional<Enrolment> after = Optional.empty();
      while (true) {
        List<Enrolment> page = store.dueBefore(T0.plusSeconds(1), after, size);
        assertThat(page.size()).isLessThanOrEqualTo(size);
        page.forEach(e -> seen.add(e.tenant().value() + "/" + e.id()));
        if (page.size() < size) {
          break;
        }
        after = Optional.of(page.get(page.size() - 1));
      }
      assertThat(seen).as("pages of %s", size).isEqualTo(order);
    }
    // the cursor is the enrolment as the page returned it, whatever it has become since
    Enrolment a = store.find(T1, "a").orElseThrow();
    store.advance(
        a.next("second", EnrolmentState.ACTIVE, T0.plusSeconds(30), T0),
        new HistoryEntry(1, "first", T0, StepOutcome.WAITING, ""));
    assertThat(store.dueBefore(T0.plusSeconds(31), Optional.of(a), 10))
        .extracting(e -> e.tenant().value() + "/" + e.id())
        .containsExactly("t1/b", "t2/b", "t1/d", "t1/a");
    assertThat(
            store.dueBefore(T0.plusSeconds(1), Optional.of(store.find(T1, "d").orElseThrow()), 10))
        .isEmpty();
  }

  @Test
  void advanceAllAppliesEachChangeAsAdvanceWouldAndAnswersWhichWereApplied() {
    store.putContact(profile(T1, ANN));
    store.putContact(profile(T1, BOB));
    Enrolment e1 = enrolment(T1, "e1", ANN, "j", T0);
    Enrolment e2 = enrolment(T1, "e2", BOB, "j", T0);
    Enrolment e3 = enrolment(T1, "e3", ANN, "k", T0);
    Enrolment e4 = enrolment(T1, "e4", BOB, "k", T0);
    List.of(e1, e2, e3, e4).forEach(this::enrol);
    Instant t1 = T0.plusSeconds(60);
    // e2 was advanced by another runner meanwhile: its change loses its compare-and-set
    Enrolment e2Elsewhere = e2.next("elsewhere", EnrolmentState.ACTIVE, t1, t1);
    assertThat(
            secondInstance()
                .advance(
                    e2Elsewhere, new HistoryEntry(1, "first", t1, StepOutcome.BRANCHED, "other")))
        .isTrue();
    // e1 and e4 remember signals of earlier messages, which a send and an exit forget
    store.recordSignal(signal(T1, "e1", "j-e1-old", Step.OPENED));
    store.recordSignal(signal(T1, "e4", "k-e4-old", Step.OPENED));
    Enrolment sent =
        e1.next("second", EnrolmentState.ACTIVE, t1.plusSeconds(5), t1)
            .withLastMessage(MessageId.of("j-e1-0"));
    store.recordSignal(signal(T1, "e1", "j-e1-0", Step.CLICKED));
    Enrolment lost = e2.next("second", EnrolmentState.ACTIVE, t1, t1);
    Enrolment waiting = e3.next("w", EnrolmentState.WAITING, t1.plusSeconds(90), t1);
    Enrolment exited = e4.next("first", EnrolmentState.EXITED, t1, t1).withExitReason("gone");

    List<Boolean> applied =
        store.advanceAll(
            List.of(
                new JourneyStore.Advance(
                    sent, new HistoryEntry(1, "first", t1, StepOutcome.SENT, "template a")),
                new JourneyStore.Advance(
                    lost, new HistoryEntry(1, "first", t1, StepOutcome.SENT, "template b")),
                new JourneyStore.Advance(
                    waiting, new HistoryEntry(1, "first", t1, StepOutcome.WAITING, "until")),
                new JourneyStore.Advance(
                    exited, new HistoryEntry(1, "first", t1, StepOutcome.EXITED, "gone"))));

    assertThat(applied).containsExactly(true, false, true, true);
    JourneyStore other = secondInstance();
    assertThat(other.find(T1, "e1")).contains(sent);
    assertThat(other.find(T1, "e2")).contains(e2Elsewhere);
    assertThat(other.find(T1, "e3")).contains(waiting);
    assertThat(other.find(T1, "e4")).contains(exited);
    assertThat(other.history(T1, "e1"))
        .extracting(HistoryEntry::outcome)
        .containsExactly(StepOutcome.ENTERED, StepOutcome.SENT);
    assertThat(other.history(T1, "e2"))
        .extracting(HistoryEntry::detail)
        .as("the lost change wrote no history")
        .doesNotContain("template b");
    assertThat(other.history(T1, "e4"))
        .extracting(HistoryEntry::outcome)
        .containsExactly(StepOutcome.ENTERED, StepOutcome.EXITED);
    assertThat(other.signals(T1, "e1", MessageId.of("j-e1-old"))).as("a send forgets").isEmpty();
    assertThat(other.signals(T1, "e1", MessageId.of("j-e1-0")))
        .as("but keeps its last message's")
        .hasSize(1);
    assertThat(other.signals(T1, "e4", MessageId.of("k-e4-old"))).as("an exit forgets").isEmpty();
    // applied once: the same changes again are all lost
    assertThat(
            other.advanceAll(
                List.of(
                    new JourneyStore.Advance(
                        sent, new HistoryEntry(1, "first", t1, StepOutcome.SENT, "template a")))))
        .containsExactly(false);
    assertThat(store.advanceAll(List.of())).isEmpty();
  }

  @Test
  void advanceAllAppliesMoreChangesThanOneStatementHolds() {
    int contacts = 102;
    List<JourneyStore.Advance> changes = new java.util.ArrayList<>();
    Instant t1 = T0.plusSeconds(60);
    for (int c = 0; c < contacts; c++) {
      ContactId who = ContactId.of("c" + c);
      store.putContact(profile(T1, who));
      for (int j = 0; j < 5; j++) {
        Enrolment e = enrolment(T1, "e" + c + "-" + j, who, "j" + j, T0);
        enrol(e);
        Enrolment next = e.next("second", EnrolmentState.ACTIVE, t1, t1);
        changes.add(
            new JourneyStore.Advance(
                next, new HistoryEntry(1, "first", t1, StepOutcome.BRANCHED, "case " + c)));
      }
    }
    List<Boolean> applied = store.advanceAll(changes);
    assertThat(applied).hasSize(510).containsOnly(true);
    Map<String, Enrolment> found =
        secondInstance().findAll(T1, changes.stream().map(a -> a.next().id()).toList());
    assertThat(found).hasSize(510);
    assertThat(found.values()).extracting(Enrolment::seq).containsOnly(1);
    assertThat(secondInstance().history(T1, "e101-4"))
        .extracting(HistoryEntry::detail)
        .endsWith("case 101");
  }

  @Test
  void advanceAllRefusesAnEnrolmentTwiceOrANullChangeBeforeWritingAnything() {
    store.putContact(profile(T1, ANN));
    Enrolment e1 = enrolment(T1, "e1", ANN, "j", T0);
    enrol(e1);
    Instant t1 = T0.plusSeconds(60);
    Enrolment next = e1.next("second", EnrolmentState.ACTIVE, t1, t1);
    JourneyStore.Advance a =
        new JourneyStore.Advance(next, new HistoryEntry(1, "first", t1, StepOutcome.SENT, "x"));

    assertThatThrownBy(() -> store.advanceAll(List.of(a, a)))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("e1")
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> store.advanceAll(java.util.Arrays.asList(a, null)))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("null");
    assertThatThrownBy(() -> store.advanceAll(null)).isInstanceOf(InvalidJourneyException.class);
    assertThatThrownBy(
            () ->
                new JourneyStore.Advance(
                    next, new HistoryEntry(2, "first", t1, StepOutcome.SENT, "")))
        .isInstanceOf(InvalidJourneyException.class);
    assertThat(store.find(T1, "e1")).contains(e1);
  }

  private static MessageSignal signal(TenantId t, String enrolment, String message, String event) {
    return new MessageSignal(t, enrolment, MessageId.of(message), event, T0);
  }

  @Test
  void signalsAreRememberedOncePerMessageAndEventForUnfinishedEnrolmentsOnly() {
    store.putContact(profile(T1, ANN));
    store.putContact(profile(T2, ANN));
    enrol(enrolment(T1, "e1", ANN, "j", T0));
    enrol(enrolment(T2, "e1", ANN, "j", T0));
    MessageId m0 = MessageId.of("j-e1-0");

    assertThat(store.recordSignal(new MessageSignal(T1, "e1", m0, Step.CLICKED, T0.plusSeconds(9))))
        .isTrue();
    assertThat(store.recordSignal(new MessageSignal(T1, "e1", m0, Step.OPENED, T0.plusSeconds(5))))
        .isTrue();
    // the first of each is kept; a repeat, later or earlier, changes nothing
    assertThat(store.recordSignal(new MessageSignal(T1, "e1", m0, Step.OPENED, T0))).isFalse();
    assertThat(secondInstance().recordSignal(signal(T1, "e1", "j-e1-0", Step.CLICKED))).isFalse();
    assertThat(store.recordSignal(signal(T1, "e1", "j-e1-3", Step.OPENED))).isTrue();

    assertThat(store.signals(T1, "e1", m0))
        .containsExactly(
            new MessageSignal(T1, "e1", m0, Step.OPENED, T0.plusSeconds(5)),
            new MessageSignal(T1, "e1", m0, Step.CLICKED, T0.plusSeconds(9)));
    assertThat(store.signals(T1, "e1", MessageId.of("j-e1-3")))
        .extracting(MessageSignal::event)
        .containsExactly(Step.OPENED);
    assertThat(store.signals(T2, "e1", m0)).isEmpty();
    assertThat(store.signals(T1, "nobody", m0)).isEmpty();

    // an unknown enrolment, or a finished one, keeps none; finishing forgets them
    assertThat(store.recordSignal(signal(T1, "nobody", "j-nobody-0", Step.OPENED))).isFalse();
    assertThat(store.recordSignal(signal(T2, "e1", "j-e1-0", Step.OPENED))).isTrue();
    Enrolment e = store.find(T2, "e1").orElseThrow();
    assertThat(
            store.advance(
                e.next("first", EnrolmentState.EXITED, T0, T0),
                new HistoryEntry(1, "first", T0, StepOutcome.EXITED, "")))
        .isTrue();
    assertThat(store.signals(T2, "e1", m0)).isEmpty();
    assertThat(store.recordSignal(signal(T2, "e1", "j-e1-0", Step.OPENED))).isFalse();
    assertThat(store.signals(T2, "e1", m0)).isEmpty();
    assertThat(store.signals(T1, "e1", m0)).hasSize(2);
  }

  @Test
  void aSendForgetsTheSignalsOfEveryOtherMessageOfTheEnrolmentOnly() {
    store.putContact(profile(T1, ANN));
    enrol(enrolment(T1, "e1", ANN, "j", T0));
    enrol(enrolment(T1, "e2", ANN, "k", T0));
    assertThat(store.recordSignal(signal(T1, "e1", "j-e1-0", Step.OPENED))).isTrue();
    assertThat(store.recordSignal(signal(T1, "e1", "j-e1-0", Step.CLICKED))).isTrue();
    assertThat(store.recordSignal(signal(T1, "e1", "j-e1-2", Step.OPENED))).isTrue();
    assertThat(store.recordSignal(signal(T1, "e2", "j-e2-0", Step.OPENED))).isTrue();
    Enrolment e = store.find(T1, "e1").orElseThrow();

    // a change that is no send keeps them all
    assertThat(
            store.advance(
                e.next("b", EnrolmentState.ACTIVE, T0, T0),
                new HistoryEntry(1, "a", T0, StepOutcome.BRANCHED, "")))
        .isTrue();
    assertThat(store.signals(T1, "e1", MessageId.of("j-e1-0"))).hasSize(2);

    // the send of j-e1-2: only its own signal stays, and the other enrolment's
    Enrolment sent = store.find(T1, "e1").orElseThrow().withLastMessage(MessageId.of("j-e1-2"));
    assertThat(
            store.advance(
                sent.next("c", EnrolmentState.ACTIVE, T0, T0),
                new HistoryEntry(2, "b", T0, StepOutcome.SENT, "")))
        .isTrue();
    assertThat(store.signals(T1, "e1", MessageId.of("j-e1-0"))).isEmpty();
    assertThat(store.signals(T1, "e1", MessageId.of("j-e1-2")))
        .extracting(MessageSignal::event)
        .containsExactly(Step.OPENED);
    assertThat(secondInstance().signals(T1, "e2", MessageId.of("j-e2-0"))).hasSize(1);
  }

  @Test
  void aSignalIsOnlyAnOpenOrAClickOfAStorableTime() {
    assertThatThrownBy(() -> signal(T1, "e1", "j-e1-0", Step.REPLIED))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessage("a signal of message j-e1-0 is opened or clicked, was replied");
    assertThatThrownBy(() -> signal(T1, "e".repeat(65), "j-e1-0", Step.OPENED))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("enrolment id of a signal must be 1 to 64 characters");
    assertThatThrownBy(
            () ->
                new MessageSignal(
                    T1, "e1", MessageId.of("j-e1-0"), Step.OPENED, java.time.Instant.MAX))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("time of the signal 'opened' of message j-e1-0");
    assertThatThrownBy(() -> store.recordSignal(null)).isInstanceOf(InvalidJourneyException.class);
  }

  @Test
  void erasureForgetsTheSignalsOfTheContactOrTenantOnly() {
    store.putContact(profile(T1, ANN));
    store.putContact(profile(T1, BOB));
    store.putContact(profile(T2, ANN));
    enrol(enrolment(T1, "a1", ANN, "j", T0));
    enrol(enrolment(T1, "b1", BOB, "j", T0));
    enrol(enrolment(T2, "a1", ANN, "j", T0));
    for (var e : List.of(List.of(T1, "a1"), List.of(T1, "b1"), List.of(T2, "a1"))) {
      TenantId t = (TenantId) e.get(0);
      String id = (String) e.get(1);
      assertThat(store.recordSignal(signal(t, id, "j-" + id + "-0", Step.OPENED))).isTrue();
    }

    store.eraseContact(T1, ANN);
    assertThat(store.signals(T1, "a1", MessageId.of("j-a1-0"))).isEmpty();
    assertThat(store.signals(T1, "b1", MessageId.of("j-b1-0"))).hasSize(1);
    assertThat(store.signals(T2, "a1", MessageId.of("j-a1-0"))).hasSize(1);
    // enrolled again under the same id, the erased contact starts with nothing remembered
    store.putContact(profile(T1, ANN));
    enrol(enrolment(T1, "a1", ANN, "j", T0));
    assertThat(store.signals(T1, "a1", MessageId.of("j-a1-0"))).isEmpty();

    store.eraseTenant(T2);
    assertThat(store.signals(T2, "a1", MessageId.of("j-a1-0"))).isEmpty();
    assertThat(store.signals(T1, "b1", MessageId.of("j-b1-0"))).hasSize(1);
  }

  @Test
  void aSignalRacingTheErasureOfItsContactIsNeverLeftBehind() {
    for (int round = 0; round < 20; round++) {
      String id = "race-" + round;
      store.putContact(profile(T1, ANN));
      enrol(enrolment(T1, id, ANN, "j" + round, T0));
      String message = "j-" + id + "-0";
      Concurrently.run(
          2,
          i -> {
            if (i == 0) {
              return store.eraseContact(T1, ANN) > 0;
            }
            return secondInstance().recordSignal(signal(T1, id, message, Step.OPENED));
          });
      assertThat(store.signals(T1, id, MessageId.of(message))).as("round %s", round).isEmpty();
    }
  }

  @Test
  void erasureForgetsAContactOrATenantAndNothingElse() {
    store.putContact(profile(T1, ANN));
    store.putContact(profile(T1, BOB));
    store.putContact(profile(T2, ANN));
    enrol(enrolment(T1, "a1", ANN, "j", T0));
    enrol(enrolment(T1, "a2", ANN, "k", T0));
    enrol(enrolment(T1, "b1", BOB, "j", T0));
    enrol(enrolment(T2, "a1", ANN, "j", T0));

    assertThat(store.eraseContact(T1, ANN)).isEqualTo(2);
    assertThat(store.contact(T1, ANN)).isEmpty();
    assertThat(store.find(T1, "a1")).isEmpty();
    assertThat(store.history(T1, "a1")).isEmpty();
    assertThat(store.find(T1, "b1")).isPresent();
    assertThat(store.find(T2, "a1")).isPresent();
    assertThat(store.history(T2, "a1")).hasSize(1);

    assertThat(store.eraseTenant(T2)).isEqualTo(1);
    assertThat(store.contact(T2, ANN)).isEmpty();
    assertThat(store.find(T2, "a1")).isEmpty();
    assertThat(store.history(T2, "a1")).isEmpty();
    assertThat(store.contact(T1, BOB)).isPresent();
    assertThat(store.eraseTenant(T2)).isZero();
  }

  @Test
  void aContactsEnrolmentsAreItsOwnCurrentOnesAcrossChangesAndErasure() {
    store.putContact(profile(T1, ANN));
    store.putContact(profile(T1, BOB));
    store.putContact(profile(T2, ANN));
    Enrolment a1 = enrolment(T1, "a1", ANN, "j", T0);
    Enrolment b1 = enrolment(T1, "b1", BOB, "j", T0.plusSeconds(1));
    Enrolment a2 = enrolment(T1, "a2", ANN, "k", T0.plusSeconds(2));
    enrol(a1);
    enrol(b1);
    enrol(a2);
    enrol(enrolment(T2, "x1", ANN, "j", T0));
    // refused: ANN is in j already; nothing of it may show up among her enrolments
    assertThat(enrol(enrolment(T1, "a3", ANN, "j", T0.plusSeconds(3))).status())
        .isEqualTo(EnrolResult.Status.ALREADY_ACTIVE);
    Instant t1 = T0.plusSeconds(60);
    Enrolment a1Done = a1.next("first", EnrolmentState.COMPLETED, t1, t1);
    assertThat(store.advance(a1Done, new HistoryEntry(1, "first", t1, StepOutcome.SENT, "x")))
        .isTrue();

    assertThat(store.enrolments(T1, ANN)).containsExactly(a1Done, a2);
    assertThat(store.enrolments(T1, BOB)).containsExactly(b1);
    assertThat(store.enrolments(T2, ANN)).extracting(Enrolment::id).containsExactly("x1");

    assertThat(store.eraseContact(T1, ANN)).isEqualTo(2);
    assertThat(store.enrolments(T1, ANN)).isEmpty();
    assertThat(store.eraseContact(T1, ANN)).isZero();
    // enrolled again after the erasure: judged and listed without what was erased
    store.putContact(profile(T1, ANN));
    Enrolment again = enrolment(T1, "a4", ANN, "j", T0.plusSeconds(120));
    assertThat(enrol(again).status()).isEqualTo(EnrolResult.Status.ENROLLED);
    assertThat(store.enrolments(T1, ANN)).containsExactly(again);
    assertThat(store.enrolments(T1, BOB)).containsExactly(b1);
  }

  @Test
  void everyFieldOfAChangeAndItsHistoryComeBackAsGiven() {
    store.putContact(profile(T1, ANN));
    Instant entered = Instant.parse("2026-03-01T10:15:30.123456789Z");
    Enrolment e = enrolment(T1, "e-1", ANN, "j", entered);
    enrol(e);
    // last messages of the journeys' own scheme and of others, exit reasons, odd instants
    List<Optional<MessageId>> messages =
        List.of(
            Optional.of(MessageId.of("j-e-1-1")),
            Optional.of(MessageId.of("j-e-1-01")),
            Optional.of(MessageId.of("j-e-2-3")),
            Optional.of(MessageId.of("j-e-1-2147483648")),
            Optional.of(MessageId.of("j-e-1-")),
            Optional.of(MessageId.of("campaign-7")),
            Optional.of(MessageId.of("j-e-1-2147483647")));
    List<Instant> dues =
        List.of(
            dev.steward.model.StoreLimits.MIN_INSTANT,
            dev.steward.model.StoreLimits.MAX_INSTANT,
            Instant.parse("1969-12-31T23:59:59.999999999Z"),
            entered.plusNanos(1),
            entered,
            entered.plus(Duration.ofDays(30)),
            entered.plusSeconds(7));
    Enrolment current = e;
    for (int i = 0; i < messages.size(); i++) {
      Instant at = entered.plusSeconds(i + 1).plusNanos(i);
      Enrolment next =
          new Enrolment(
              T1,
              "e-1",
              ANN,
              "j",
              1 + i % 2,
              "step-" + i,
              current.seq() + 1,
              i % 2 == 0 ? EnrolmentState.ACTIVE : EnrolmentState.WAITING,
              dues.get(i),
              entered,
              at,
              messages.get(i),
              Optional.empty());
      HistoryEntry h =
          new HistoryEntry(next.seq(), "step-" + i, at, StepOutcome.values()[i], "detail " + i);
      assertThat(store.advance(next, h)).as("change %s", i).isTrue();
      assertThat(store.find(T1, "e-1")).as("change %s", i).contains(next);
      assertThat(store.enrolments(T1, ANN)).as("change %s", i).containsExactly(next);
      current = next;
    }
    Instant end = entered.plus(Duration.ofDays(2));
    Enrolment exited =
        current.next("step-x", EnrolmentState.EXITED, end, end).withExitReason("exit 'churned'");
    assertThat(
            store.advance(
                exited, new HistoryEntry(exited.seq(), "step-x", end, StepOutcome.EXITED, "")))
        .isTrue();
    assertThat(store.find(T1, "e-1")).contains(exited);

    List<HistoryEntry> history = store.history(T1, "e-1");
    assertThat(history).hasSize(messages.size() + 2);
    assertThat(history.get(0)).isEqualTo(EnrolResult.entered(e));
    for (int i = 0; i < messages.size(); i++) {
      assertThat(history.get(i + 1))
          .isEqualTo(
              new HistoryEntry(
                  i + 1,
                  "step-" + i,
                  entered.plusSeconds(i + 1).plusNanos(i),
                  StepOutcome.values()[i],
                  "detail " + i));
    }
    assertThat(history.get(history.size() - 1))
        .isEqualTo(new HistoryEntry(exited.seq(), "step-x", end, StepOutcome.EXITED, ""));
  }

  @Test
  void uuidShapedAndOtherEnrolmentIdsComeBackExactlyAndApart() {
    // the in-memory store keeps a canonical UUID as two longs: every near miss must stay itself
    String uuid = "123e4567-e89b-42d3-a456-426614174000";
    List<String> ids =
        List.of(
            uuid,
            uuid.toUpperCase(java.util.Locale.ROOT),
            "123e4567-e89b-42d3-a456-42661417400",
            "123e4567-e89b-42d3-a456-4266141740000",
            "123e4567xe89b-42d3-a456-426614174000",
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "plain-id");
    store.putContact(profile(T1, ANN));
    store.putContact(profile(T1, BOB));
    for (int i = 0; i < ids.size(); i++) {
      Enrolment e = enrolment(T1, ids.get(i), i % 2 == 0 ? ANN : BOB, "j" + i, T0.plusSeconds(i));
      assertThat(store.enrol(e, ReEntry.always(), 10).status())
          .as(ids.get(i))
          .isEqualTo(EnrolResult.Status.ENROLLED);
    }
    for (int i = 0; i < ids.size(); i++) {
      Enrolment found = store.find(T1, ids.get(i)).orElseThrow();
      assertThat(found.id()).isEqualTo(ids.get(i));
      assertThat(found.enteredAt()).isEqualTo(T0.plusSeconds(i));
      assertThat(store.history(T1, ids.get(i))).containsExactly(EnrolResult.entered(found));
    }
    assertThat(store.enrolments(T1, ANN))
        .extracting(Enrolment::id)
        .containsExactly(ids.get(0), ids.get(2), ids.get(4), ids.get(6));
    assertThat(store.find(T2, uuid)).isEmpty();
    assertThat(store.eraseContact(T1, ANN)).isEqualTo(4);
    assertThat(store.find(T1, uuid)).isEmpty();
    assertThat(store.find(T1, ids.get(1))).isPresent();
  }

  @Test
  void historyDetailsComeBackAsWrittenWhateverTheyHold() {
    // the in-memory store keeps details as shapes, the enrolment id and the due time marked
    String id = "0f0e0d0c-0b0a-4908-8706-050403020100";
    store.putContact(profile(T1, ANN));
    Enrolment e = enrolment(T1, id, ANN, "j", T0);
    enrol(e);
    Instant due = T0.plus(Duration.ofDays(30));
    List<String> details =
        List.of(
            "template welcome, message j-" + id + "-1: SENT",
            "until " + due,
            "until " + due + ", again " + due + " for " + id + id,
            "until " + due.plusSeconds(1),
            "reached at " + T0 + ", after its deadline " + due,
            "",
            "version 1",
            id,
            "\u00e9 \ud83d\ude00 " + due + " \u00e9");
    Enrolment current = e;
    for (int i = 0; i < details.size(); i++) {
      Enrolment next = current.next("s" + i, EnrolmentState.WAITING, due, T0.plusSeconds(i));
      assertThat(
              store.advance(
                  next,
                  new HistoryEntry(
                      next.seq(), "s" + i, T0.plusSeconds(i), StepOutcome.WAITING, details.get(i))))
          .isTrue();
      current = next;
    }
    // a later change of the due time leaves the earlier entries' text as it was
    Enrolment moved = current.next("end", EnrolmentState.ACTIVE, due.plusSeconds(60), T0);
    assertThat(
            store.advance(
                moved,
                new HistoryEntry(moved.seq(), "end", T0, StepOutcome.WAITING, "until " + due)))
        .isTrue();
    List<HistoryEntry> history = store.history(T1, id);
    assertThat(history).hasSize(details.size() + 2);
    for (int i = 0; i < details.size(); i++) {
      assertThat(history.get(i + 1))
          .isEqualTo(
              new HistoryEntry(
                  i + 1, "s" + i, T0.plusSeconds(i), StepOutcome.WAITING, details.get(i)));
    }
    assertThat(history.get(history.size() - 1).detail()).isEqualTo("until " + due);
  }

  /**
   * Hostile review (rb6): the in-memory store marks its due time in a detail by the text it writes
   * itself (mem5's InstantText, from the due time's nanoseconds) and writes it back with the JDK's.
   * A detail that holds instants next to the due time (a nanosecond, the whole second, the day
   * either side) keeps each as written, for due times with each width of fraction, before the epoch
   * with a fraction (floor, not truncation, of negative nanoseconds) and at the storable range's
   * ends.
   */
  @Test
  void instantsNextToTheDueTimeInADetailComeBackAsWritten() {
    store.putContact(profile(T1, ANN));
    Enrolment e = enrolment(T1, "e-near", ANN, "j", T0);
    enrol(e);
    List<Instant> dues =
        List.of(
            Instant.parse("1969-12-31T23:59:59.500Z"),
            Instant.parse("1969-12-31T23:59:59Z"),
            Instant.parse("1970-01-01T00:00:00Z"),
            Instant.parse("2026-03-02T09:00:00Z"),
            Instant.parse("2026-03-02T09:00:00.120Z"),
            Instant.parse("2026-03-02T09:00:00.000120Z"),
            Instant.parse("2026-03-02T09:00:00.000000001Z"),
            Instant.parse("2024-02-29T23:59:59.999999999Z"),
            dev.steward.model.StoreLimits.MIN_INSTANT,
            dev.steward.model.StoreLimits.MAX_INSTANT);
    List<HistoryEntry> written = new java.util.ArrayList<>(store.history(T1, e.id()));
    Enrolment current = e;
    for (Instant due : dues) {
      Instant whole = due.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      List<String> details =
          List.of(
              "until " + due,
              "until " + due + ", not " + whole + " nor " + due.plusNanos(1),
              "not " + whole,
              "not " + due.minusNanos(1) + " nor " + due.plusNanos(1),
              "not " + whole.plusSeconds(1) + ", " + whole.minus(Duration.ofDays(1)));
      for (String detail : details) {
        Instant at = T0.plusSeconds(written.size());
        Enrolment next = current.next("s", EnrolmentState.WAITING, due, at);
        HistoryEntry h = new HistoryEntry(next.seq(), "s", at, StepOutcome.WAITING, detail);
        assertThat(store.advance(next, h)).as(detail).isTrue();
        written.add(h);
        current = next;
      }
    }
    assertThat(store.history(T1, e.id())).containsExactlyElementsOf(written);
  }
}
