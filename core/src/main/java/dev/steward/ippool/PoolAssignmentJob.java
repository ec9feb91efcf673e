package dev.steward.ippool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.internal.json.StrictJson;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.IllegalTransitionException;
import dev.steward.onboarding.OnboardingRecord;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.OnboardingStore;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InvalidWorkException;
import dev.steward.schedule.KindSettings;
import dev.steward.schedule.Next;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.RetryPolicy;
import dev.steward.schedule.WorkContext;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Onboarding's phase 5 as recurring work: every period (hourly by default) plans the pools of every
 * tenant onboarding lets send ({@link OnboardingState#maySend()}) with the {@link PoolPlanner},
 * from the standings governance's evaluation stored, applies the plan with the {@link
 * PoolPlanApplier}, and moves each tenant waiting in {@link OnboardingState#POOL_ASSIGNMENT} whose
 * every stream now has its pool to {@link OnboardingState#ACTIVE} (monitoring), by {@link #RULE},
 * with the pools in the reason.
 *
 * <p>One item ({@value #KIND}, id {@value #ID}, under {@link Recurring#SYSTEM_TENANT}) whatever the
 * number of instances. Each run of it plans one page of tenants (the planner orders a page's moves:
 * quarantine first) and stores its place in the listing (the state listed and the last tenant
 * planned) in the item itself before the next page is due, at once, on whichever instance claims
 * it; the last page reschedules it one period later. A page that fails, or an instance that dies on
 * it, is retried with back-off (never given up) from the place stored, by any instance: every
 * tenant is planned once per period however many instances share the work, and at most the one page
 * that was cut short is planned again, which is harmless: a plan is made from the current
 * assignments, moves already applied are skipped by their versions, and a tenant moved to ACTIVE by
 * another run is left alone.
 */
public final class PoolAssignmentJob {
  private static final Logger log = LoggerFactory.getLogger(PoolAssignmentJob.class);

  /** The recurring work kind. */
  public static final String KIND = "steward.ippool.assign";

  /** The id of the kind's one item. */
  public static final String ID = Recurring.ID;

  /** How often it runs unless told otherwise. */
  public static final Duration DEFAULT_EVERY = Duration.ofHours(1);

  /** The shortest period. */
  public static final Duration MIN_EVERY = Duration.ofMinutes(5);

  /** The longest period: a week (pools follow reputation, which moves in days). */
  public static final Duration MAX_EVERY = Duration.ofDays(7);

  /** The default page of tenants planned together. */
  public static final int DEFAULT_PAGE = 500;

  /** The actor of the moves to {@link OnboardingState#ACTIVE}. */
  public static final Actor RULE = Actor.rule("pool-assignment");

  // the states listed, POOL_ASSIGNMENT last: a tenant the job moves to ACTIVE has been listed in
  // ACTIVE's turn already, so it is not planned twice in one period
  private static final List<OnboardingState> STATES =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of(OnboardingState.values())
                  .filter(s -> s.maySend() && s != OnboardingState.POOL_ASSIGNMENT),
              java.util.stream.Stream.of(OnboardingState.POOL_ASSIGNMENT))
          .toList();

  // the payload of an item stored before the place was kept in it ({"phase": ...} or {}) has no
  // "state" and reads as a fresh listing; a reschedule keeps the item's payload version, so the
  // format is told by the fields present
  private static final int FORMAT = 1;

  private final PoolPlanner planner;
  private final PoolPlanApplier applier;
  private final OnboardingStateMachine machine;
  private final Duration every;
  private final int page;
  private final WorkType<Cursor> type;
  private final KindSettings settings;

  /**
   * Where a period's run stands: the regular due time it stands for, the index of the state being
   * listed, and the last tenant of that state planned.
   */
  record Cursor(Optional<Instant> phase, int state, Optional<TenantId> after) {
    static final Cursor START = new Cursor(Optional.empty(), 0, Optional.empty());
  }

  /** One page: the tenants listed, those waiting for their pools, and the place after it. */
  private record Page(List<TenantId> tenants, List<TenantId> waiting, Cursor next, boolean last) {}

  private PoolAssignmentJob(Builder b) {
    this.planner = b.planner;
    this.applier = b.applier;
    this.machine = b.machine;
    this.every = b.every;
    this.page = b.page;
    this.type = WorkType.of(KIND, FORMAT, PoolAssignmentJob::write, PoolAssignmentJob::read);
    Duration maxDelay = every.compareTo(Duration.ofHours(1)) < 0 ? every : Duration.ofHours(1);
    Duration firstDelay =
        Duration.ofMinutes(1).compareTo(maxDelay) < 0 ? Duration.ofMinutes(1) : maxDelay;
    // one at a time per runner (the lease keeps it to one across runners); a failed page is
    // retried with back-off for as long as it keeps failing, never given up
    this.settings =
        KindSettings.DEFAULT
            .withConcurrency(1)
            .withRetry(new RetryPolicy(Integer.MAX_VALUE, firstDelay, maxDelay));
  }

  /**
   * A builder: plan with {@code planner}, apply with {@code applier}, move tenants on {@code
   * machine}.
   */
  public static Builder builder(
      PoolPlanner planner, PoolPlanApplier applier, OnboardingStateMachine machine) {
    return new Builder(planner, applier, machine);
  }

  /** How often it runs. */
  public Duration every() {
    return every;
  }

  /** How many tenants one run plans at most. */
  public int page() {
    return page;
  }

  /** The key of the job's one work item. */
  public WorkKey key() {
    return WorkKey.of(Recurring.SYSTEM_TENANT, KIND, ID);
  }

  /**
   * Adds the job to {@code runner} and makes sure its item is stored, due now if it is new (once,
   * however many instances register); returns {@code runner}.
   */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    InvalidIpPoolException.requireNonNull(runner, "runner");
    runner.handler(type, WorkHandler.sync(this::handle), settings);
    Instant now = applier.clock().instant();
    runner
        .store()
        .schedule(
            WorkItem.builder(key()).dueAt(now).payload(write(Cursor.START)).build(), IfExists.KEEP);
    return runner;
  }

  /**
   * Plans, applies and graduates every tenant now, page by page, on the calling thread (the stored
   * item's place is neither read nor moved); how many were planned.
   */
  public long runOnce() {
    long done = 0;
    Cursor c = Cursor.START;
    while (true) {
      Page p = list(c);
      run(p);
      done += p.tenants().size();
      if (p.last()) {
        return done;
      }
      c = p.next();
    }
  }

  private Next handle(WorkContext<Cursor> work) {
    Cursor c = work.payload();
    Instant phase = c.phase().orElse(work.item().dueAt());
    Page p = list(c);
    run(p); // an exception fails the attempt: retried from the same place, never DEAD
    Instant now = work.startedAt();
    if (!p.last()) {
      // the next page at once, on whichever instance claims it, from the place stored now
      return work.rescheduleAt(
          now, new Cursor(Optional.of(phase), p.next().state(), p.next().after()));
    }
    Instant at = nextAfter(phase, now, every);
    log.debug("pool assignment listed every tenant; next run at {}", at);
    return work.rescheduleAt(at, new Cursor(Optional.of(at), 0, Optional.empty()));
  }

  /** The page after {@code c}: at most {@link #page} tenants, across the states that may send. */
  private Page list(Cursor c) {
    List<TenantId> tenants = new ArrayList<>();
    List<TenantId> waiting = new ArrayList<>();
    int state = Math.max(0, c.state());
    Optional<TenantId> after = c.after();
    while (tenants.size() < page && state < STATES.size()) {
      OnboardingState s = STATES.get(state);
      int want = Math.min(page - tenants.size(), OnboardingStore.MAX_PAGE);
      List<TenantId> found = machine.tenants(s, after, want);
      tenants.addAll(found);
      if (s == OnboardingState.POOL_ASSIGNMENT) {
        waiting.addAll(found);
      }
      if (found.size() < want) {
        state++;
        after = Optional.empty();
      } else {
        after = Optional.of(found.get(found.size() - 1));
      }
    }
    return new Page(tenants, waiting, new Cursor(c.phase(), state, after), state >= STATES.size());
  }

  /** Plans and applies one page, then graduates its waiting tenants. */
  private void run(Page p) {
    if (p.tenants().isEmpty()) {
      return;
    }
    PoolPlan plan = planner.plan(p.tenants());
    ApplyResult result = plan.isEmpty() ? null : applier.apply(plan);
    if (result != null) {
      log.info(
          "pool plan {} for {} tenants: {} moves, {} applied, complete {}",
          plan.id(),
          p.tenants().size(),
          plan.moves().size(),
          result.count(ApplyResult.Status.APPLIED),
          result.complete());
    }
    for (TenantId t : p.waiting()) {
      graduate(t, result);
    }
  }

  private static String write(Cursor c) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    c.phase().ifPresent(p -> n.put("phase", p.toString()));
    // a place past the last state is never stored: the last page starts the next period afresh
    n.put("state", STATES.get(Math.min(c.state(), STATES.size() - 1)).name());
    c.after().ifPresent(a -> n.put("after", a.value()));
    return n.toString();
  }

  private static Cursor read(String json, int version) {
    JsonNode node =
        StrictJson.read(
            json, "pool assignment work payload", (m, e) -> new InvalidWorkException(m, e));
    Optional<Instant> phase =
        node.hasNonNull("phase")
            ? Optional.of(Instant.parse(node.get("phase").asText()))
            : Optional.empty();
    int state = 0;
    if (node.hasNonNull("state")) {
      // by name, so that a state added to the enum later does not shift a stored place
      String name = node.get("state").asText();
      state = -1;
      for (int i = 0; i < STATES.size(); i++) {
        if (STATES.get(i).name().equals(name)) {
          state = i;
        }
      }
      if (state < 0) {
        throw new InvalidWorkException(
            "pool assignment work payload names no state that may send: " + name);
      }
    }
    Optional<TenantId> after =
        node.hasNonNull("after")
            ? Optional.of(TenantId.of(node.get("after").asText()))
            : Optional.empty();
    return new Cursor(phase, state, after);
  }

  /** The first of {@code due + k * every} (k at least 1) after {@code now}. */
  static Instant nextAfter(Instant due, Instant now, Duration every) {
    Instant next = due.plus(every);
    if (next.isAfter(now)) {
      return next;
    }
    long periods = Duration.between(due, now).dividedBy(every);
    next = due.plus(every.multipliedBy(periods + 1));
    return next.isAfter(now) ? next : next.plus(every);
  }

  /** Moves a tenant in POOL_ASSIGNMENT whose every stream has its pool to ACTIVE. */
  private void graduate(TenantId t, ApplyResult result) {
    if (result != null) {
      boolean pending =
          result.outcomes().stream()
              .anyMatch(
                  o ->
                      o.move().tenant().equals(t)
                          && o.status() != ApplyResult.Status.APPLIED
                          && o.status() != ApplyResult.Status.ALREADY_APPLIED);
      if (pending) {
        log.info("tenant {} waits for its pools: a move did not apply", t);
        return;
      }
    }
    Optional<OnboardingRecord> now = machine.find(t);
    if (now.isEmpty() || now.get().state() != OnboardingState.POOL_ASSIGNMENT) {
      // erased or moved since the page was listed: nothing to graduate
      log.debug("tenant {} no longer waits for its pools", t);
      return;
    }
    TenantView view = planner.view(t);
    Set<Stream> missing = EnumSet.noneOf(Stream.class);
    for (Stream s : view.streams()) {
      if (view.assignment(s).isEmpty()) {
        missing.add(s);
      }
    }
    if (!missing.isEmpty()) {
      log.info("tenant {} waits for its pools: no pool yet for {}", t, missing);
      return;
    }
    String pools =
        view.streams().stream()
            .sorted()
            .map(
                s -> {
                  PoolAssignment a = view.assignment(s).orElseThrow();
                  return s + " -> " + a.pool() + " (" + a.tier() + ")";
                })
            .collect(Collectors.joining(", "));
    try {
      machine.transition(
          t, OnboardingState.ACTIVE, RULE, "pool assignment applied: " + pools + "; monitoring");
    } catch (IllegalTransitionException e) {
      // moved meanwhile, by another instance's run or a person: nothing to do (erased in the
      // instant since the look above: the page fails and its retry no longer lists the tenant)
      log.debug("tenant {} not moved to ACTIVE: {}", t, e.getMessage());
    }
  }

  /** Configures a {@link PoolAssignmentJob}. */
  public static final class Builder {
    private final PoolPlanner planner;
    private final PoolPlanApplier applier;
    private final OnboardingStateMachine machine;
    private Duration every = DEFAULT_EVERY;
    private int page = DEFAULT_PAGE;

    private Builder(PoolPlanner planner, PoolPlanApplier applier, OnboardingStateMachine machine) {
      this.planner = InvalidIpPoolException.requireNonNull(planner, "planner");
      this.applier = InvalidIpPoolException.requireNonNull(applier, "applier");
      this.machine = InvalidIpPoolException.requireNonNull(machine, "machine");
    }

    /**
     * How often it runs: {@link #DEFAULT_EVERY} unless set; at least {@link #MIN_EVERY}, at most
     * {@link #MAX_EVERY}.
     */
    public Builder every(Duration every) {
      if (every == null || every.compareTo(MIN_EVERY) < 0) {
        throw new InvalidIpPoolException(
            "pool assignment every must be at least " + MIN_EVERY + ", was " + every);
      }
      if (every.compareTo(MAX_EVERY) > 0) {
        throw new InvalidIpPoolException(
            "pool assignment every must be at most " + MAX_EVERY + ", was " + every);
      }
      this.every = every;
      return this;
    }

    /** Tenants planned together: 1 to {@link OnboardingStore#MAX_PAGE}; {@value #DEFAULT_PAGE}. */
    public Builder page(int page) {
      if (page < 1 || page > OnboardingStore.MAX_PAGE) {
        throw new InvalidIpPoolException(
            "pool assignment page must be 1 to " + OnboardingStore.MAX_PAGE + ", was " + page);
      }
      this.page = page;
      return this;
    }

    /** The job. */
    public PoolAssignmentJob build() {
      return new PoolAssignmentJob(this);
    }
  }
}
