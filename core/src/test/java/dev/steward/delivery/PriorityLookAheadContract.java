package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.frequency.Cap;
import dev.steward.frequency.CapLedgerStore;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.FrequencyGate;
import dev.steward.frequency.Window;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.Priority;
import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.Concurrently;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Priority with look-ahead (issue 14), the same on every store: one contact may get one message a
 * week; lower-priority messages wait for that slot, and a higher-priority message queued later
 * takes it within the horizon. Several dispatchers stand for several application instances over the
 * same stores.
 */
public abstract class PriorityLookAheadContract {
  /** A Monday morning; the contact's last message went out now. */
  protected static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private static final Duration WEEK = Duration.ofDays(7);
  private static final Instant SLOT = T0.plus(WEEK);
  private static final TenantId TENANT = TenantId.of("isv-tenant");

  /** Clears the shared data before each test. */
  protected abstract void reset();

  /** A work store over the shared data (a new instance of it on a database). */
  protected abstract WorkStore workStore();

  /** A cap ledger over the shared data. */
  protected abstract CapLedgerStore capStore();

  /** A delivery ledger over the shared data. */
  protected abstract DeliveryLedger ledger();

  private final SettableClock clock = SettableClock.of(T0);
  private final RecordingTransport transport = RecordingTransport.of();
  private final String contact = "ada-" + UUID.randomUUID().toString().substring(0, 8);
  private final Map<String, MessageId> displacedBy = new ConcurrentHashMap<>();
  private final List<DispatchResult> results = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void clean() {
    reset();
  }

  /** One application instance: its own dispatcher and limiter over the shared stores. */
  private Dispatcher instance(Duration lookAhead, UnaryOperator<WorkStore> wrap) {
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(capStore(), clock)
            .policy(CapPolicy.builder().cap(Cap.perContact(1, Window.rolling(WEEK))).build())
            .build();
    return Dispatcher.builder(transport, clock)
        .gate(FrequencyGate.of(limiter))
        .workStore(wrap.apply(workStore()))
        .ledger(ledger())
        .lookAhead(lookAhead)
        .listener(
            new DispatchListener() {
              @Override
              public void onDisplaced(DeferredMessage displaced, Message by) {
                displacedBy.put(displaced.message().id().value(), by.id());
              }

              @Override
              public void onResult(DispatchResult result) {
                results.add(result);
              }
            })
        .build();
  }

  private Dispatcher instance() {
    return instance(Dispatcher.DEFAULT_LOOK_AHEAD, s -> s);
  }

  private static ManualWorkDriver driver(Dispatcher d, SettableClock clock) {
    return ManualWorkDriver.of(
        d.registerWith(WorkRunner.builder(d.workStore(), clock).owner("driver")).build(), clock);
  }

  private Message message(String id, Priority priority) {
    return Messages.promo(contact)
        .id(MessageId.of(id + "-" + contact))
        .idempotencyKey(id + "-" + contact)
        .priority(priority)
        .build();
  }

  private static String id(Message m) {
    return m.id().value();
  }

  private DeferredMessage deferral(Dispatcher d, Message m) {
    return d.deferred(TENANT, m.id()).orElseThrow(() -> new AssertionError(id(m) + " not waiting"));
  }

  private List<String> sentIds() {
    return transport.sent().stream().map(PriorityLookAheadContract::id).toList();
  }

  /** The contact's one message of the week goes out now. */
  private void sendTheWeeksMessage(Dispatcher d) {
    assertThat(d.dispatch(message("first", Priority.NORMAL)).status())
        .isEqualTo(DispatchStatus.SENT);
  }

  @Test
  void aLaterHigherPriorityMessageTakesTheSlotAndTheDisplacedOneGoesOutAfterIt() {
    Dispatcher d = instance();
    sendTheWeeksMessage(d);
    clock.advance(Duration.ofDays(1));
    Message low = message("newsletter", Priority.LOW);
    assertThat(d.dispatch(low).decision().notBefore()).contains(SLOT);

    clock.advance(Duration.ofDays(1));
    Message high = message("renewal", Priority.HIGH);
    DispatchResult r = d.dispatch(high);

    assertThat(r.status()).isEqualTo(DispatchStatus.DEFERRED);
    assertThat(r.decision().notBefore()).contains(SLOT);
    assertThat(r.decision().reasons())
        .anySatisfy(
            x -> {
              assertThat(x.gate()).isEqualTo("look-ahead");
              assertThat(x.detail()).contains(id(low));
            });
    DeferredMessage moved = deferral(d, low);
    assertThat(moved.dueAt()).isEqualTo(SLOT.plusSeconds(1));
    assertThat(moved.displacedBy()).contains(high.id());
    assertThat(moved.reason()).contains("displaced").contains(id(high));
    assertThat(displacedBy).containsEntry(id(low), high.id());
    assertThat(deferral(d, high).dueAt()).isEqualTo(SLOT);

    ManualWorkDriver driver = driver(d, clock);
    driver.advanceTo(SLOT);
    assertThat(sentIds()).containsExactly(id(message("first", Priority.NORMAL)), id(high));
    driver.advance(Duration.ofSeconds(1));
    // the caps defer it to its next slot; the displacement stays on record
    DeferredMessage again = deferral(d, low);
    assertThat(again.dueAt()).isEqualTo(SLOT.plus(WEEK));
    assertThat(again.displacedBy()).contains(high.id());

    driver.advanceTo(SLOT.plus(WEEK));
    assertThat(sentIds()).containsExactly(id(message("first", Priority.NORMAL)), id(high), id(low));
    assertThat(d.deferred(TENANT, low.id())).isEmpty();
  }

  /** The look-ahead's "queued" reason of a deferral. */
  private static Reason queuedReason(DispatchResult r) {
    return r.decision().reasons().stream()
        .filter(x -> x.gate().equals("look-ahead") && x.rule().equals("queued"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no queued reason in " + r.decision().reasons()));
  }

  /** The send-by reason of the last result for {@code m}, which must be a SUPPRESSED one. */
  private Reason droppedForSendBy(Message m) {
    DispatchResult last =
        results.stream()
            .filter(r -> r.message().id().equals(m.id()))
            .reduce((a, b) -> b)
            .orElseThrow(() -> new AssertionError(id(m) + " has no result"));
    assertThat(last.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    return last.decision().reasons().stream()
        .filter(x -> x.gate().equals(Dispatcher.SEND_BY))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id(m) + " was not dropped for its send-by"));
  }

  @Test
  void aMessageTheCapsDeferAgainPastItsSendByIsDroppedNotKeptForItsNextSlot() {
    Dispatcher d = instance();
    sendTheWeeksMessage(d);
    Message a = message("a", Priority.NORMAL);
    // b may go out until a day after the slot: its first deferral (to the slot's queue) is fine
    Message b =
        message("b", Priority.NORMAL).toBuilder().sendBy(SLOT.plus(Duration.ofDays(1))).build();
    d.dispatch(a);
    DispatchResult queued = d.dispatch(b);
    assertThat(queued.status()).isEqualTo(DispatchStatus.DEFERRED);
    assertThat(queuedReason(queued).detail())
        .contains(
            "waits behind 1 message(s) queued for the slot at "
                + SLOT
                + ": 1 of its priority or higher")
        .doesNotContain("lower priority");
    assertThat(deferral(d, b).dueAt()).isEqualTo(SLOT.plusSeconds(1));
    assertThat(deferral(d, b).message().sendBy()).contains(SLOT.plus(Duration.ofDays(1)));

    // a takes the slot; b comes due a second later and the caps would defer it a week
    driver(d, clock).advanceTo(SLOT.plusSeconds(1));
    assertThat(sentIds()).containsExactly(id(message("first", Priority.NORMAL)), id(a));
    assertThat(d.deferred(TENANT, b.id())).isEmpty();
    Reason why = droppedForSendBy(b);
    assertThat(why.rule()).isEqualTo(Dispatcher.SEND_BY_DEFERRED_RULE);
    assertThat(why.detail())
        .contains("deferred until " + SLOT.plus(WEEK).plusSeconds(1))
        .contains("after its send-by " + SLOT.plus(Duration.ofDays(1)));
    // it released nothing it did not hold: the next week's slot is free for another message
    clock.set(SLOT.plus(WEEK).plusSeconds(2));
    assertThat(d.dispatch(message("later", Priority.NORMAL)).status())
        .isEqualTo(DispatchStatus.SENT);
    assertThat(sentIds()).doesNotContain(id(b));
  }

  @Test
  void aFirstDeferralPastTheSendByDropsTheMessageAtOnce() {
    Dispatcher d = instance();
    sendTheWeeksMessage(d);
    Message m = message("m", Priority.NORMAL).toBuilder().sendBy(SLOT.minusSeconds(1)).build();
    DispatchResult r = d.dispatch(m);

    assertThat(r.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(droppedForSendBy(m).rule()).isEqualTo(Dispatcher.SEND_BY_RULE);
    assertThat(d.deferred(TENANT, m.id())).isEmpty();
  }

  @Test
  void aMessageDisplacedPastItsSendByIsDroppedAndTheHigherOneKeepsTheSlot() {
    Dispatcher d = instance();
    sendTheWeeksMessage(d);
    clock.advance(Duration.ofDays(1));
    // low may wait for the slot exactly, not a second more
    Message low = message("newsletter", Priority.LOW).toBuilder().sendBy(SLOT).build();
    assertThat(d.dispatch(low).decision().notBefore()).contains(SLOT);
    clock.advance(Duration.ofDays(1));
    Message high = message("renewal", Priority.HIGH);
    assertThat(d.dispatch(high).decision().notBefore()).contains(SLOT);

    assertThat(d.deferred(TENANT, low.id())).isEmpty();
    Reason why = droppedForSendBy(low);
    assertThat(why.rule()).isEqualTo(Dispatcher.SEND_BY_DEFERRED_RULE);
    assertThat(why.detail())
        .contains("moved back to " + SLOT.plusSeconds(1))
        .contains(id(high))
        .contains("after its send-by " + SLOT);
    driver(d, clock).advanceTo(SLOT.plus(WEEK).plus(WEEK));
    assertThat(sentIds()).containsExactly(id(message("first", Priority.NORMAL)), id(high));
  }

  @Test
  void aDeferredMessageComingDueAfterItsSendByOnAnotherInstanceIsDropped() {
    Dispatcher one = instance();
    sendTheWeeksMessage(one);
    Message m = message("m", Priority.NORMAL).toBuilder().sendBy(SLOT.plusSeconds(60)).build();
    assertThat(one.dispatch(m).status()).isEqualTo(DispatchStatus.DEFERRED);

    // another instance reads the stored deferral only once its send-by has passed (a backlog)
    Dispatcher two = instance();
    clock.set(SLOT.plus(Duration.ofHours(2)));
    driver(two, clock).runDue();

    assertThat(sentIds()).containsExactly(id(message("first", Priority.NORMAL)));
    assertThat(two.deferred(TENANT, m.id())).isEmpty();
    assertThat(droppedForSendBy(m).detail())
        .contains("came due at " + SLOT.plus(Duration.ofHours(2)))
        .contains("after its send-by " + SLOT.plusSeconds(60));
    // the slot it did not use is still free
    assertThat(two.dispatch(message("next", Priority.NORMAL)).status())
        .isEqualTo(DispatchStatus.SENT);
  }

  @Test
  void aHigherPriorityMessageDoesNotTakeASlotBeyondTheHorizon() {
    Dispatcher d = instance(Duration.ofDays(3), s -> s);
    sendTheWeeksMessage(d);
    Message low = message("newsletter", Priority.LOW);
    d.dispatch(low);
    clock.advance(Duration.ofDays(3).minusSeconds(1));
    // the slot is 4 days and a second away: beyond the 3-day horizon
    Message high = message("renewal", Priority.HIGH);
    DispatchResult r = d.dispatch(high);

    assertThat(r.decision().notBefore()).contains(SLOT.plusSeconds(1));
    assertThat(deferral(d, low).dueAt()).isEqualTo(SLOT);
    assertThat(deferral(d, low).displacedBy()).isEmpty();
    assertThat(displacedBy).isEmpty();
    // rsend: the reason said it waited behind a message "of its priority or higher"
    assertThat(queuedReason(r).detail())
        .contains("waits behind 1 message(s) queued for the slot at " + SLOT)
        .contains("1 of lower priority whose place lies beyond the look-ahead horizon")
        .doesNotContain("of its priority or higher");

    ManualWorkDriver driver = driver(d, clock);
    driver.advanceTo(SLOT.plusSeconds(1));
    assertThat(sentIds()).endsWith(id(low));
    // the LOW message went out at the slot, so the cap defers the HIGH one a week from then
    assertThat(deferral(d, high).dueAt()).isEqualTo(clock.instant().plus(WEEK));
  }

  @Test
  void atTheHorizonItDoesTakeTheSlot() {
    Dispatcher d = instance(Duration.ofDays(3), s -> s);
    sendTheWeeksMessage(d);
    Message low = message("newsletter", Priority.LOW);
    d.dispatch(low);
    clock.set(SLOT.minus(Duration.ofDays(3)));
    Message high = message("renewal", Priority.HIGH);

    assertThat(d.dispatch(high).decision().notBefore()).contains(SLOT);
    assertThat(deferral(d, low).displacedBy()).contains(high.id());
  }

  @Test
  void equalPrioritiesKeepTheOrderTheyCameIn() {
    Dispatcher d = instance();
    sendTheWeeksMessage(d);
    List<Message> queued = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      clock.advance(Duration.ofHours(1));
      Message m = message(name, Priority.NORMAL);
      queued.add(m);
      d.dispatch(m);
    }
    assertThat(queued.stream().map(m -> deferral(d, m).dueAt()))
        .containsExactly(SLOT, SLOT.plusSeconds(1), SLOT.plusSeconds(2));
    assertThat(queued.stream().map(m -> deferral(d, m).displacedBy()))
        .containsOnly(Optional.empty());

    driveForWeeks(d, 3);
    assertThat(sentIds()).endsWith(id(queued.get(0)), id(queued.get(1)), id(queued.get(2)));
    assertThat(transport.sent()).hasSize(4);
  }

  @Test
  void theMessagesMovedBackKeepTheirOrderBehindTheNewOne() {
    Dispatcher d = instance();
    sendTheWeeksMessage(d);
    Message low1 = message("low1", Priority.LOW);
    Message normal = message("normal", Priority.NORMAL);
    Message low2 = message("low2", Priority.LOW);
    d.dispatch(low1);
    d.dispatch(low2);
    // NORMAL goes ahead of both LOW messages, but a later HIGH goes ahead of it too
    d.dispatch(normal);
    Message high = message("high", Priority.HIGH);
    d.dispatch(high);

    assertThat(deferral(d, high).dueAt()).isEqualTo(SLOT);
    assertThat(deferral(d, normal).dueAt()).isEqualTo(SLOT.plusSeconds(1));
    assertThat(deferral(d, low1).dueAt()).isEqualTo(SLOT.plusSeconds(2));
    assertThat(deferral(d, low2).dueAt()).isEqualTo(SLOT.plusSeconds(3));
    assertThat(deferral(d, normal).displacedBy()).contains(high.id());
    assertThat(deferral(d, low1).displacedBy()).contains(high.id());

    driveForWeeks(d, 4);
    assertThat(sentIds()).endsWith(id(high), id(normal), id(low1), id(low2));
  }

  @Test
  void withTheLookAheadOffNothingIsDisplaced() {
    Dispatcher d = instance(Duration.ZERO, s -> s);
    sendTheWeeksMessage(d);
    Message low = message("newsletter", Priority.LOW);
    d.dispatch(low);
    Message high = message("renewal", Priority.HIGH);
    d.dispatch(high);
    assertThat(deferral(d, low).dueAt()).isEqualTo(SLOT);
    assertThat(deferral(d, low).displacedBy()).isEmpty();
    assertThat(displacedBy).isEmpty();
  }

  @Test
  void aBadHorizonIsRefusedNamingIt() {
    Dispatcher.Builder b = Dispatcher.builder(transport, clock);
    assertThatThrownBy(() -> b.lookAhead(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lookAhead");
    assertThatThrownBy(() -> b.lookAhead(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lookAhead");
    assertThatThrownBy(() -> b.lookAhead(Dispatcher.MAX_LOOK_AHEAD.plusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most");
  }

  @Test
  void instancesRacingForOneSlotEachGetTheirOwnPlaceAndNothingIsLost() {
    Dispatcher first = instance();
    sendTheWeeksMessage(first);
    Message low = message("newsletter", Priority.LOW);
    first.dispatch(low);
    clock.advance(Duration.ofDays(1)); // every place of the queue within the horizon
    int n = 4;
    List<Dispatcher> instances = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      instances.add(instance());
    }
    List<Message> highs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      highs.add(message("high" + i, Priority.HIGH));
    }

    List<DispatchResult> results =
        Concurrently.run(n, i -> instances.get(i).dispatch(highs.get(i)));

    assertThat(results).allSatisfy(r -> assertThat(r.status()).isEqualTo(DispatchStatus.DEFERRED));
    Set<Instant> places = new HashSet<>();
    for (Message h : highs) {
      places.add(deferral(first, h).dueAt());
    }
    // no two took the same place: the slot went to one, the others queued behind it in turn
    assertThat(places)
        .containsExactlyInAnyOrder(
            SLOT, SLOT.plusSeconds(1), SLOT.plusSeconds(2), SLOT.plusSeconds(3));
    DeferredMessage moved = deferral(first, low);
    assertThat(moved.dueAt()).isEqualTo(SLOT.plusSeconds(4));
    assertThat(moved.displacedBy()).isPresent();
    assertThat(highs.stream().map(Message::id)).contains(moved.displacedBy().get());
    assertThat(first.pendingFor(TENANT, low.contact())).hasSize(n + 1);

    driveForWeeks(first, n + 1);
    assertThat(transport.sent()).hasSize(n + 2);
    assertThat(new HashSet<>(sentIds())).hasSize(n + 2);
    assertThat(sentIds().get(n + 1)).isEqualTo(id(low));
  }

  @Test
  void anInstanceDroppedBeforeItsMoveCommittedLeavesTheQueueAsItWas() {
    Dispatcher d = instance();
    sendTheWeeksMessage(d);
    Message low = message("newsletter", Priority.LOW);
    d.dispatch(low);
    Dispatcher dying = instance(Dispatcher.DEFAULT_LOOK_AHEAD, s -> new DropsAroundMove(s, false));
    Message high = message("renewal", Priority.HIGH);

    assertThatThrownBy(() -> dying.dispatch(high)).isInstanceOf(DroppedException.class);

    assertThat(deferral(d, low).dueAt()).isEqualTo(SLOT);
    assertThat(deferral(d, low).displacedBy()).isEmpty();
    assertThat(d.deferred(TENANT, high.id())).isEmpty();
    // the caller tries again on another instance
    d.dispatch(high);
    assertThat(deferral(d, high).dueAt()).isEqualTo(SLOT);
    assertThat(deferral(d, low).dueAt()).isEqualTo(SLOT.plusSeconds(1));
    driveAllAndExpectEachOnce(d, high, low);
  }

  @Test
  void anInstanceDroppedAfterItsMoveCommittedLeavesItDoneOnce() {
    Dispatcher d = instance();
    sendTheWeeksMessage(d);
    Message low = message("newsletter", Priority.LOW);
    d.dispatch(low);
    Dispatcher dying = instance(Dispatcher.DEFAULT_LOOK_AHEAD, s -> new DropsAroundMove(s, true));
    Message high = message("renewal", Priority.HIGH);

    assertThatThrownBy(() -> dying.dispatch(high)).isInstanceOf(DroppedException.class);
    assertThat(deferral(d, high).dueAt()).isEqualTo(SLOT);
    assertThat(deferral(d, low).dueAt()).isEqualTo(SLOT.plusSeconds(1));

    // not knowing, the caller tries again: the message keeps its place, nobody moves twice
    d.dispatch(high);
    assertThat(deferral(d, high).dueAt()).isEqualTo(SLOT);
    assertThat(deferral(d, low).dueAt()).isEqualTo(SLOT.plusSeconds(1));
    assertThat(d.pendingFor(TENANT, low.contact())).hasSize(2);
    driveAllAndExpectEachOnce(d, high, low);
  }

  @Test
  void aDueHigherPriorityMessageDeferredAgainTakesTheSlotToo() {
    Dispatcher d = instance();
    sendTheWeeksMessage(d);
    clock.advance(Duration.ofDays(6));
    // due in a day; when it runs, the cap defers it to the slot a LOW message waits for
    Message high = message("renewal", Priority.HIGH);
    d.workStore()
        .schedule(
            new DeferredWork(
                    new DeferredMessage(high, clock.instant().plus(Duration.ofHours(1)), 1, ""),
                    null,
                    false)
                .item(),
            IfExists.REPLACE);
    Message low = message("newsletter", Priority.LOW);
    d.dispatch(low);
    assertThat(deferral(d, low).dueAt()).isEqualTo(SLOT);

    ManualWorkDriver driver = driver(d, clock);
    driver.advance(Duration.ofHours(1));

    assertThat(deferral(d, high).dueAt()).isEqualTo(SLOT);
    assertThat(deferral(d, low).dueAt()).isEqualTo(SLOT.plusSeconds(1));
    assertThat(deferral(d, low).displacedBy()).contains(high.id());
    driveAllAndExpectEachOnce(d, high, low);
  }

  /**
   * Runs the contact's due work, moving the clock to each next due time, until nothing waits or
   * {@code weeks} weeks and a day after T0.
   */
  private void driveForWeeks(Dispatcher d, int weeks) {
    ManualWorkDriver driver = driver(d, clock);
    Instant end = T0.plus(WEEK.multipliedBy(weeks)).plus(Duration.ofDays(1));
    for (int runs = 0; runs < 500; runs++) {
      List<DeferredMessage> waiting = d.pendingFor(TENANT, dev.steward.model.ContactId.of(contact));
      if (waiting.isEmpty() || waiting.get(0).dueAt().isAfter(end)) {
        return;
      }
      Instant next = waiting.get(0).dueAt();
      driver.advanceTo(next.isAfter(clock.instant()) ? next : clock.instant());
    }
    throw new AssertionError(
        "the contact's messages kept waiting: "
            + d.pendingFor(TENANT, dev.steward.model.ContactId.of(contact)));
  }

  private void driveAllAndExpectEachOnce(Dispatcher d, Message... inOrder) {
    driveForWeeks(d, inOrder.length);
    List<String> expected = new ArrayList<>();
    expected.add(id(message("first", Priority.NORMAL)));
    for (Message m : inOrder) {
      expected.add(id(m));
    }
    assertThat(sentIds()).containsExactlyElementsOf(expected);
  }

  /** The instance died around the move: before it committed, or after, the answer lost. */
  private static final class DroppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DroppedException() {
      super("instance dropped mid-displacement");
    }
  }

  /** A work store whose instance dies around its first conditional move. */
  private static final class DropsAroundMove implements WorkStore {
    private final WorkStore s;
    private final boolean afterCommit;

    DropsAroundMove(WorkStore s, boolean afterCommit) {
      this.s = s;
      this.afterCommit = afterCommit;
    }

    @Override
    public boolean replaceIfUnchanged(Collection<WorkItem> expected, Collection<WorkItem> writes) {
      if (afterCommit) {
        s.replaceIfUnchanged(expected, writes);
      }
      throw new DroppedException();
    }

    @Override
    public boolean schedule(WorkItem item, IfExists ifExists) {
      return s.schedule(item, ifExists);
    }

    @Override
    public int scheduleAll(Collection<WorkItem> items, IfExists ifExists) {
      return s.scheduleAll(items, ifExists);
    }

    @Override
    public List<dev.steward.schedule.ClaimedWork> claim(dev.steward.schedule.ClaimRequest request) {
      return s.claim(request);
    }

    @Override
    public List<dev.steward.schedule.Lease> renew(
        Collection<dev.steward.schedule.Lease> leases, Duration lease) {
      return s.renew(leases, lease);
    }

    @Override
    public List<dev.steward.schedule.Completion> complete(
        List<dev.steward.schedule.Completion> completions) {
      return s.complete(completions);
    }

    @Override
    public int release(Collection<dev.steward.schedule.Lease> leases) {
      return s.release(leases);
    }

    @Override
    public boolean cancel(dev.steward.schedule.WorkKey key) {
      return s.cancel(key);
    }

    @Override
    public int cancelSubject(TenantId tenant, String subject) {
      return s.cancelSubject(tenant, subject);
    }

    @Override
    public int cancelTenant(TenantId tenant) {
      return s.cancelTenant(tenant);
    }

    @Override
    public Optional<WorkItem> find(dev.steward.schedule.WorkKey key) {
      return s.find(key);
    }

    @Override
    public List<WorkItem> findBySubject(TenantId tenant, String subject, String kind) {
      return s.findBySubject(tenant, subject, kind);
    }

    @Override
    public List<WorkItem> dead(int max) {
      return s.dead(max);
    }

    @Override
    public boolean retryDead(dev.steward.schedule.WorkKey key, Instant at) {
      return s.retryDead(key, at);
    }

    @Override
    public long count(dev.steward.schedule.WorkState state) {
      return s.count(state);
    }
  }
}
