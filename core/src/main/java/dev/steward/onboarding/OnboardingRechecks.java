package dev.steward.onboarding;

import dev.steward.governance.GovernanceEvaluator;
import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.KindSettings;
import dev.steward.schedule.Next;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.RetryPolicy;
import dev.steward.schedule.WorkContext;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-checks, every period (daily by default), what vetting and sender-domain verification found
 * once: that the tenant's domains are on no blocklist, and that its sender domains are still
 * authenticated (the provider's validation, SPF, DKIM and DMARC). For every tenant past vetting
 * (the blocklists) or past domain verification (the authentications), until it is terminated.
 *
 * <p>A re-check that does not pass is written on the tenant's onboarding audit trail as a verdict
 * on the gate it re-checks, by {@link #RECHECK_RULE}, and told to the onboarding listeners; one
 * that fails also raises a governance warning ({@link GovernanceEvaluator#warn}), which the
 * tenant's standing and its listeners show. A re-check never moves a tenant: going back to an
 * earlier phase is a person's decision, taken on the evidence recorded. A blocklist that did not
 * answer (127.255.255.x, a time-out) leaves the domain unchecked: recorded as needing review, never
 * as listed, and no warning. A pass is recorded only when it follows a re-check that did not pass.
 *
 * <p>As due work, exactly once per period per tenant across instances: each tenant has one item
 * ({@value #KIND}, id {@value #ITEM_ID}) that comes back every period; a sweep ({@value
 * #SWEEP_KIND}, recurring under {@link Recurring#SYSTEM_TENANT}) creates the item, first due one
 * period later, for each tenant past vetting that has none ({@link IfExists#KEEP}, so a sweep
 * repeated, or run by two instances, creates nothing twice). A re-check that throws (the targets, a
 * resolver or a store down) is retried with back-off, at most an hour apart, for as long as it
 * fails: never given up. Thread-safe.
 */
public final class OnboardingRechecks {
  private static final Logger LOG = LoggerFactory.getLogger(OnboardingRechecks.class);

  /** The work kind of a tenant's re-check. */
  public static final String KIND = "steward.onboarding.recheck";

  /** The id of a tenant's one re-check item. */
  public static final String ITEM_ID = "recheck";

  /** The recurring kind of the sweep that gives tenants past vetting their re-check item. */
  public static final String SWEEP_KIND = "steward.onboarding.recheck-sweep";

  /** How often a tenant is re-checked unless told otherwise. */
  public static final Duration DEFAULT_EVERY = Duration.ofDays(1);

  /** The shortest period: blocklist operators rate-limit, and DNS changes slowly. */
  public static final Duration MIN_EVERY = Duration.ofHours(1);

  /** The longest period: a year (a longer one would be no re-check, and may overflow a time). */
  public static final Duration MAX_EVERY = Duration.ofDays(365);

  /** The actor of re-check verdicts. */
  public static final Actor RECHECK_RULE = Actor.rule("onboarding-recheck");

  private static final WorkType<String> TYPE =
      WorkType.of(KIND, 1, s -> s, (json, version) -> json);

  /** The states whose tenants are re-checked (past vetting, not stopped for good). */
  private static final List<OnboardingState> STATES =
      List.of(OnboardingState.values()).stream()
          .filter(s -> OnboardingStateMachine.pastGate(s, OnboardingPhase.VETTING))
          .toList();

  private final OnboardingStateMachine machine;
  private final GovernanceEvaluator governance;
  private final RecheckTargets targets;
  private final Clock clock;
  private final Duration every;
  private final Optional<DnsResolver> blocklistResolver;
  private final List<DnsBlocklist> blocklists;
  private final Optional<SenderAuthentication> authentication;
  private final Optional<SenderDomainChecks> domainChecks;
  // the sweep's place in the listing; a sweep cut short and continued elsewhere starts again,
  // which only repeats idempotent schedules
  private int sweepState;
  private Optional<TenantId> sweepAfter = Optional.empty();

  private OnboardingRechecks(Builder b) {
    this.machine = b.machine;
    this.governance = b.governance;
    this.targets = b.targets;
    this.clock = b.machine.clock();
    this.every = b.every;
    this.blocklistResolver = Optional.ofNullable(b.blocklistResolver);
    this.blocklists = b.blocklists;
    this.authentication = Optional.ofNullable(b.authentication);
    this.domainChecks = Optional.ofNullable(b.authenticationResolver).map(SenderDomainChecks::of);
  }

  /**
   * A builder: tenants are read and recorded through {@code machine} (whose clock tells the time),
   * warnings raised on {@code governance}, and what to re-check asked of {@code targets}. Give it
   * {@link Builder#blocklists} or {@link Builder#senderAuthentication}, or both.
   */
  public static Builder builder(
      OnboardingStateMachine machine, GovernanceEvaluator governance, RecheckTargets targets) {
    return new Builder(machine, governance, targets);
  }

  /** How often each tenant is re-checked. */
  public Duration every() {
    return every;
  }

  /**
   * Re-checks the tenant now, records what did not pass and warns of what failed (see the class
   * comment); the work item calls this once per period.
   */
  public RecheckResult recheck(TenantId tenant) {
    Checks.notNull("tenant", tenant);
    Instant now = clock.instant();
    Optional<OnboardingRecord> found = machine.find(tenant);
    if (found.isEmpty()) {
      return new RecheckResult(tenant, now, List.of(), List.of(), Optional.empty());
    }
    OnboardingRecord record = found.get();
    List<CheckReport> reports = new ArrayList<>();
    if (!blocklists.isEmpty()
        && OnboardingStateMachine.pastGate(record.state(), OnboardingPhase.VETTING)) {
      reports.add(blocklistReport(tenant));
    }
    if (authentication.isPresent()
        && OnboardingStateMachine.pastGate(
            record.state(), OnboardingPhase.SENDER_DOMAIN_VERIFICATION)) {
      reports.add(authenticationReport(tenant));
    }
    List<PhaseVerdict> recorded = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (CheckReport report : reports) {
      Verdict v = report.verdict();
      boolean worthRecording =
          v != Verdict.PASS
              || lastRecheck(record, report.phase())
                  .map(p -> p.verdict() != Verdict.PASS)
                  .orElse(false);
      if (!worthRecording) {
        continue;
      }
      PhaseVerdict verdict =
          new PhaseVerdict(report.phase(), v, RECHECK_RULE, now, reason(report), findings(report));
      try {
        machine.recordRecheck(tenant, verdict);
        recorded.add(verdict);
      } catch (IllegalTransitionException e) {
        // moved meanwhile (terminated, say): nothing to record on
        LOG.debug("re-check of tenant {} not recorded: {}", tenant, e.getMessage());
        continue;
      }
      if (v == Verdict.FAIL) {
        failed.add(verdict.reason());
      }
    }
    Optional<String> warning = Optional.empty();
    if (!failed.isEmpty()) {
      String w = String.join("; ", failed);
      w = w.length() > 2000 ? w.substring(0, 1997) + "..." : w;
      governance.warn(tenant, w);
      warning = Optional.of(w);
      LOG.warn("tenant {}: a re-check failed; governance warned", tenant);
    }
    return new RecheckResult(tenant, now, reports, recorded, warning);
  }

  private static Optional<PhaseVerdict> lastRecheck(OnboardingRecord r, OnboardingPhase phase) {
    for (int i = r.verdicts().size() - 1; i >= 0; i--) {
      PhaseVerdict v = r.verdicts().get(i);
      if (v.phase() == phase && v.by().equals(RECHECK_RULE)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  private CheckReport blocklistReport(TenantId tenant) {
    Set<String> raw = targets.domains(tenant);
    if (raw == null) {
      throw new InvalidOnboardingInputException("recheck targets gave null domains for " + tenant);
    }
    Set<String> domains = new LinkedHashSet<>();
    int i = 0;
    for (String d : raw) {
      domains.add(Domains.normalise("domains[" + i++ + "] of tenant " + tenant, d));
    }
    CheckResult result =
        domains.isEmpty()
            ? CheckResult.pass("blocklists", "no domain to look up", List.of())
            : VettingChecks.blocklistResult(
                "blocklists", blocklistResolver.orElseThrow(), blocklists, domains);
    return new CheckReport(OnboardingPhase.VETTING, List.of(result));
  }

  private CheckReport authenticationReport(TenantId tenant) {
    SenderAuthentication auth = authentication.orElseThrow();
    List<String> ids = targets.authentications(tenant);
    if (ids == null) {
      throw new InvalidOnboardingInputException(
          "recheck targets gave null authentications for " + tenant);
    }
    List<CheckResult> all = new ArrayList<>();
    for (String id : ids) {
      Optional<DomainAuthentication> a;
      try {
        a = auth.find(tenant, id);
      } catch (RuntimeException e) {
        all.add(providerUnreachable(id, e));
        continue;
      }
      if (a.isEmpty()) {
        all.add(
            CheckResult.fail(
                "authentication " + clip(id),
                "the provider no longer knows this domain authentication",
                List.of("authentication id " + id)));
        continue;
      }
      CheckReport r;
      try {
        r = domainChecks.orElseThrow().check(a.get(), auth.validate(tenant, id));
      } catch (RuntimeException e) {
        all.add(providerUnreachable(id, e));
        continue;
      }
      for (CheckResult c : r.results()) {
        String named = a.get().domain() + " " + c.check();
        List<String> evidence = new ArrayList<>(c.evidence().size() + 1);
        evidence.add("domain " + a.get().domain());
        evidence.addAll(c.evidence());
        all.add(
            new CheckResult(
                named.length() <= 200 ? named : c.check(), c.verdict(), c.summary(), evidence));
      }
    }
    if (all.isEmpty()) {
      all.add(
          CheckResult.pass("authentications", "no domain authentication to validate", List.of()));
    }
    return new CheckReport(OnboardingPhase.SENDER_DOMAIN_VERIFICATION, all);
  }

  private static CheckResult providerUnreachable(String id, RuntimeException e) {
    return CheckResult.review(
        "authentication " + clip(id),
        "the provider could not be asked: unchecked",
        List.of(clip(e.getClass().getSimpleName() + ": " + e.getMessage())));
  }

  private static String clip(String s) {
    return s.length() > 150 ? s.substring(0, 150) : s;
  }

  private static String reason(CheckReport report) {
    String what =
        report.phase() == OnboardingPhase.VETTING ? "blocklists" : "sender-domain authentication";
    if (report.verdict() == Verdict.PASS) {
      return "re-check of " + what + ": passed again";
    }
    String r =
        "re-check of "
            + what
            + ": "
            + report.problems().size()
            + " of "
            + report.results().size()
            + " checks did not pass: "
            + String.join(
                "; ",
                report.problems().stream().map(c -> c.check() + " (" + c.summary() + ")").toList());
    return r.length() > 2000 ? r.substring(0, 1997) + "..." : r;
  }

  private static List<String> findings(CheckReport report) {
    List<String> out = new ArrayList<>();
    for (CheckResult c : report.results()) {
      out.add(clip2000(c.line()));
      for (String e : c.evidence()) {
        out.add(clip2000("  " + e));
      }
    }
    return out;
  }

  private static String clip2000(String s) {
    return s.length() > 2000 ? s.substring(0, 2000) : s;
  }

  // ---- due work -------------------------------------------------------------------------------

  /**
   * Adds the re-check handler and the sweep to {@code runner} (the sweep's item is stored once,
   * however many instances register); returns {@code runner}.
   */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    Checks.notNull("runner", runner);
    WorkStore work = runner.store();
    // a re-check that fails (targets, a resolver or the store down) is retried with back-off for
    // as long as it fails, never given up: a DEAD item would be kept by the sweep and the tenant
    // never re-checked again
    Duration maxDelay = every.compareTo(Duration.ofHours(1)) < 0 ? every : Duration.ofHours(1);
    runner.handler(
        TYPE,
        WorkHandler.sync(this::run),
        KindSettings.DEFAULT.withRetry(
            new RetryPolicy(Integer.MAX_VALUE, Duration.ofMinutes(1), maxDelay)));
    Recurring.builder(SWEEP_KIND, max -> sweep(work, max)).every(every).build().register(runner);
    return runner;
  }

  private Next run(WorkContext<String> work) {
    TenantId tenant = work.item().key().tenant();
    Optional<OnboardingRecord> r = machine.find(tenant);
    if (r.isEmpty() || !OnboardingStateMachine.pastGate(r.get().state(), OnboardingPhase.VETTING)) {
      // erased, rejected or terminated: no more re-checks (the sweep gives a returning tenant a
      // new item)
      return Next.done();
    }
    recheck(tenant);
    return Next.rescheduleAt(nextAfter(work.item().dueAt(), work.startedAt(), every));
  }

  /**
   * Gives up to {@code max} tenants past vetting their re-check item, due one period from now,
   * unless they have one; how many tenants it looked at (fewer than {@code max}: the listing is
   * done and the next sweep starts from the beginning).
   */
  synchronized int sweep(WorkStore work, int max) {
    int limit = Math.min(max, OnboardingStore.MAX_PAGE);
    Instant due = clock.instant().plus(every);
    List<WorkItem> items = new ArrayList<>();
    // the place is moved only once the items listed are stored: a sweep whose store fails lists
    // the same tenants again on its retry
    int state = sweepState;
    Optional<TenantId> after = sweepAfter;
    while (items.size() < limit && state < STATES.size()) {
      int want = limit - items.size();
      List<TenantId> page = machine.tenants(STATES.get(state), after, want);
      for (TenantId t : page) {
        items.add(WorkItem.builder(t, KIND, ITEM_ID).payload("{}").dueAt(due).build());
      }
      if (page.size() < want) {
        // this state is listed to its end
        state++;
        after = Optional.empty();
      } else {
        after = Optional.of(page.get(page.size() - 1));
      }
    }
    if (!items.isEmpty()) {
      work.scheduleAll(items, IfExists.KEEP);
    }
    if (items.size() < max) {
      sweepState = 0;
      sweepAfter = Optional.empty();
    } else {
      sweepState = state;
      sweepAfter = after;
    }
    return items.size();
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

  /** Configures {@link OnboardingRechecks}. */
  public static final class Builder {
    private final OnboardingStateMachine machine;
    private final GovernanceEvaluator governance;
    private final RecheckTargets targets;
    private Duration every = DEFAULT_EVERY;
    private DnsResolver blocklistResolver;
    private List<DnsBlocklist> blocklists = List.of();
    private SenderAuthentication authentication;
    private DnsResolver authenticationResolver;

    private Builder(
        OnboardingStateMachine machine, GovernanceEvaluator governance, RecheckTargets targets) {
      this.machine = Checks.notNull("machine", machine);
      this.governance = Checks.notNull("governance", governance);
      this.targets = Checks.notNull("targets", targets);
    }

    /**
     * How often each tenant is re-checked: {@link #DEFAULT_EVERY} unless set; at least {@link
     * #MIN_EVERY}, at most {@link #MAX_EVERY}.
     */
    public Builder every(Duration every) {
      if (every == null || every.compareTo(MIN_EVERY) < 0) {
        throw new InvalidOnboardingInputException(
            "recheck every must be at least " + MIN_EVERY + ", was " + every);
      }
      if (every.compareTo(MAX_EVERY) > 0) {
        throw new InvalidOnboardingInputException(
            "recheck every must be at most " + MAX_EVERY + ", was " + every);
      }
      this.every = every;
      return this;
    }

    /** Re-checks the tenants' domains on {@code lists} (at least one), asking {@code resolver}. */
    public Builder blocklists(DnsResolver resolver, List<DnsBlocklist> lists) {
      this.blocklistResolver = Checks.notNull("resolver", resolver);
      Checks.notNull("lists", lists);
      if (lists.isEmpty()) {
        throw new InvalidOnboardingInputException(
            "recheck blocklists must name at least one blocklist");
      }
      for (int i = 0; i < lists.size(); i++) {
        Checks.notNull("lists[" + i + "]", lists.get(i));
      }
      this.blocklists = List.copyOf(lists);
      return this;
    }

    /**
     * Re-validates the tenants' domain authentications with {@code auth} and checks their SPF, DKIM
     * and DMARC records through {@code resolver}.
     */
    public Builder senderAuthentication(SenderAuthentication auth, DnsResolver resolver) {
      this.authentication = Checks.notNull("senderAuthentication", auth);
      this.authenticationResolver = Checks.notNull("resolver", resolver);
      return this;
    }

    /**
     * The re-checks.
     *
     * @throws InvalidOnboardingInputException if neither blocklists nor sender authentication were
     *     given: there would be nothing to re-check
     */
    public OnboardingRechecks build() {
      if (blocklists.isEmpty() && authentication == null) {
        throw new InvalidOnboardingInputException(
            "rechecks have nothing to re-check: give blocklists(resolver, lists),"
                + " senderAuthentication(auth, resolver), or both");
      }
      return new OnboardingRechecks(this);
    }
  }
}
