package dev.steward.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.steward.model.TenantId;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.Completion;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.KindSettings;
import dev.steward.schedule.Next;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkListener;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkType;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Hostile review of the work engine, in memory: each test states a promised behaviour and fails on
 * the current code.
 */
class ReviewFindingsTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final WorkType<String> JOB = WorkType.json("review.job");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private static WorkItem job(TenantId tenant, String id, Instant due, int priority) {
    return WorkItem.builder(tenant, JOB.kind(), id)
        .dueAt(due)
        .priority(priority)
        .payload("{\"id\":\"" + id + "\"}")
        .build();
  }

  /** An Error a listener might throw (an assertion in a metrics library, a linkage problem). */
  static final class ListenerBoom extends Error {
    private static final long serialVersionUID = 1L;

    ListenerBoom(String m) {
      super(m);
    }
  }

  // ---- store: priority ordering ---------------------------------------------------------------

  @Test
  void aHigherPriorityIsClaimedBeforeIntegerMinValuePriority() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    store.schedule(job(ACME, "lowest", T0, Integer.MIN_VALUE), IfExists.KEEP);
    store.schedule(job(ACME, "normal", T0, 0), IfExists.KEEP);

    List<ClaimedWork> got = store.claim(ClaimRequest.of(T0, 1, "r", Duration.ofMinutes(1)));

    assertThat(got).extracting(c -> c.item().key().id()).containsExactly("normal");
  }

  // ---- store: fairness ------------------------------------------------------------------------

  @Test
  void smallClaimsServeEveryTenantWithABacklogInTurn() {
    // 32 tenants with a backlog each; a kind with concurrency 1 makes the runner claim 1 at a time
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    List<TenantId> tenants = new ArrayList<>();
    for (int t = 0; t < 32; t++) {
      TenantId tenant = TenantId.of(String.format("tenant-%02d", t));
      tenants.add(tenant);
      for (int i = 0; i < 20; i++) {
        store.schedule(job(tenant, "j" + i, T0, 0), IfExists.KEEP);
      }
    }
    Set<String> served = new TreeSet<>();
    for (int round = 0; round < 320; round++) {
      List<ClaimedWork> got = store.claim(ClaimRequest.of(T0, 1, "r", Duration.ofMinutes(1)));
      got.forEach(c -> served.add(c.item().key().tenant().value()));
      store.complete(got.stream().map(c -> (Completion) new Completion.Done(c.lease())).toList());
    }

    // 320 claims of one item over 32 tenants with 20 items each: a fair turn serves each 10 times
    assertThat(served).hasSize(32);
  }

  // ---- runner: listeners that throw Errors ----------------------------------------------------

  @Test
  void aListenerThrowingAnErrorOnFinishedDoesNotMakeFinishedWorkRunAgain() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    AtomicInteger runs = new AtomicInteger();
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .handler(
                JOB,
                WorkHandler.sync(
                    w -> {
                      runs.incrementAndGet(); // e.g. an email went out
                      return Next.done();
                    }))
            .listener(
                new WorkListener() {
                  @Override
                  public void onFinished(WorkItem item, Next next, Duration took) {
                    throw new ListenerBoom("metrics backend broke");
                  }
                })
            .build();
    WorkItem item = job(ACME, "send-once", T0, 0);
    store.schedule(item, IfExists.KEEP);

    runner.runDue();
    clock.advance(Duration.ofHours(1));
    runner.runDue();

    assertThat(runs).hasValue(1);
    assertThat(store.find(item.key())).isEmpty();
  }

  @Test
  void aListenerThrowingAnErrorOnFailedDoesNotStrandTheRestOfTheBatch() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .lease(Duration.ofMinutes(5))
            .handler(
                JOB,
                WorkHandler.sync(
                    w -> {
                      String id = w.item().key().id();
                      runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                      if (id.equals("b-fails")) {
                        throw new IllegalStateException("provider down");
                      }
                      return Next.done();
                    }))
            .listener(
                new WorkListener() {
                  @Override
                  public void onFailed(WorkItem item, Throwable error, boolean dead) {
                    throw new ListenerBoom("alerting backend broke");
                  }
                })
            .build();
    store.schedule(job(ACME, "a-sends", T0, 10), IfExists.KEEP);
    store.schedule(job(ACME, "b-fails", T0, 0), IfExists.KEEP);

    Throwable thrown = catchThrowable(runner::runDue);
    // the lease of the whole batch lapses; run what is due again
    clock.advance(Duration.ofMinutes(6));
    catchThrowable(runner::runDue);

    assertThat(runs.get("a-sends")).as("finished work must not run again").hasValue(1);
    assertThat(thrown).as("a listener's throw is logged and ignored").isNull();
  }

  // ---- runner: extreme but accepted settings --------------------------------------------------

  @Test
  void aVeryLongKindTimeoutAcceptedBySettingsRunsWorkOnceAndCompletesIt() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    AtomicInteger runs = new AtomicInteger();
    KindSettings forever = KindSettings.DEFAULT.withTimeout(ChronoUnit.FOREVER.getDuration());
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .handler(
                JOB,
                WorkHandler.sync(
                    w -> {
                      runs.incrementAndGet();
                      return Next.done();
                    }),
                forever)
            .build();
    WorkItem item = job(ACME, "x", T0, 0);
    store.schedule(item, IfExists.KEEP);

    Throwable thrown = catchThrowable(runner::runDue);

    assertThat(thrown).isNull();
    assertThat(runs).hasValue(1);
    assertThat(store.find(item.key())).isEmpty();
  }

  // ---- runner: a failing claim of one kind ----------------------------------------------------

  /** Delegates to a store; the claim of one kind fails while {@code failLimited} is set. */
  static final class FailingClaimStore implements WorkStore {
    final WorkStore inner;
    volatile boolean failLimited = true;

    FailingClaimStore(WorkStore inner) {
      this.inner = inner;
    }

    @Override
    public boolean schedule(WorkItem item, IfExists ifExists) {
      return inner.schedule(item, ifExists);
    }

    @Override
    public int scheduleAll(java.util.Collection<WorkItem> items, IfExists ifExists) {
      return inner.scheduleAll(items, ifExists);
    }

    @Override
    public List<ClaimedWork> claim(ClaimRequest request) {
      if (failLimited && request.kinds().contains(LIMITED.kind())) {
        throw new IllegalStateException("connection reset while claiming");
      }
      return inner.claim(request);
    }

    @Override
    public List<dev.steward.schedule.Lease> renew(
        java.util.Collection<dev.steward.schedule.Lease> leases, Duration lease) {
      return inner.renew(leases, lease);
    }

    @Override
    public List<Completion> complete(List<Completion> completions) {
      return inner.complete(completions);
    }

    @Override
    public int release(java.util.Collection<dev.steward.schedule.Lease> leases) {
      return inner.release(leases);
    }

    @Override
    public boolean cancel(dev.steward.schedule.WorkKey key) {
      return inner.cancel(key);
    }

    @Override
    public int cancelSubject(TenantId tenant, String subject) {
      return inner.cancelSubject(tenant, subject);
    }

    @Override
    public int cancelTenant(TenantId tenant) {
      return inner.cancelTenant(tenant);
    }

    @Override
    public java.util.Optional<WorkItem> find(dev.steward.schedule.WorkKey key) {
      return inner.find(key);
    }

    @Override
    public List<WorkItem> findBySubject(TenantId tenant, String subject, String kind) {
      return inner.findBySubject(tenant, subject, kind);
    }

    @Override
    public List<WorkItem> dead(int max) {
      return inner.dead(max);
    }

    @Override
    public boolean retryDead(dev.steward.schedule.WorkKey key, Instant at) {
      return inner.retryDead(key, at);
    }

    @Override
    public long count(dev.steward.schedule.WorkState state) {
      return inner.count(state);
    }
  }

  private static final WorkType<String> LIMITED = WorkType.json("review.limited");

  @Test
  void aFailedClaimOfOneKindDoesNotStrandWhatWasAlreadyClaimedForAnother() {
    SettableClock clock = SettableClock.of(T0);
    FailingClaimStore store = new FailingClaimStore(InMemoryWorkStore.of(clock));
    AtomicInteger runs = new AtomicInteger();
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .handler(
                JOB,
                WorkHandler.sync(
                    w -> {
                      runs.incrementAndGet();
                      return Next.done();
                    }))
            .handler(
                LIMITED,
                WorkHandler.sync(w -> Next.done()),
                KindSettings.DEFAULT.withConcurrency(1))
            .build();
    WorkItem item = job(ACME, "unlimited-kind", T0, 0);
    store.schedule(item, IfExists.KEEP);

    Throwable first = catchThrowable(runner::runDue); // the second claim (limited kind) fails
    store.failLimited = false;
    runner.runDue(); // the store is back; nothing else changed

    assertThat(first).isNotNull();
    assertThat(runs).as("the due item runs once the store is back").hasValue(1);
    assertThat(store.find(item.key())).isEmpty();
  }

  // ---- dispatcher: a listener Error after a retryable answer ----------------------------------

  @Test
  void aDispatchListenerThrowingAnErrorAfterARetryableAnswerLosesNoMessage() {
    SettableClock clock = SettableClock.of(T0);
    dev.steward.delivery.MailTransport transport =
        m -> dev.steward.delivery.SendResult.retryable(null, "503 from provider");
    dev.steward.delivery.Dispatcher d =
        dev.steward.delivery.Dispatcher.builder(transport, clock)
            .listener(
                new dev.steward.delivery.DispatchListener() {
                  @Override
                  public void onResult(dev.steward.delivery.DispatchResult result) {
                    throw new ListenerBoom("metrics backend broke");
                  }
                })
            .build();
    dev.steward.model.Message m = dev.steward.testing.Messages.promo("c1").build();

    catchThrowable(() -> d.dispatch(m));

    assertThat(d.ledger().find(m.tenant(), m.idempotencyKey()).orElseThrow().status())
        .isEqualTo(dev.steward.delivery.DeliveryStatus.RETRYING);
    assertThat(d.deferred(m.tenant(), m.id()))
        .as("a RETRYING message must be queued for its retry")
        .isPresent();
  }
}
