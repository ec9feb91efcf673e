package dev.steward;

import dev.steward.calendar.CalendarDispatchListener;
import dev.steward.calendar.CalendarEventListener;
import dev.steward.calendar.CommunicationCalendar;
import dev.steward.consent.ConsentEventListener;
import dev.steward.consent.ConsentGate;
import dev.steward.consent.ErasureException;
import dev.steward.consent.PreferenceCentre;
import dev.steward.consent.SuppressionListener;
import dev.steward.delivery.AcceptResult;
import dev.steward.delivery.DeliveryLedgerRetention;
import dev.steward.delivery.DispatchListener;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.EmailEventListener;
import dev.steward.delivery.EventIngestor;
import dev.steward.delivery.Gate;
import dev.steward.delivery.LedgerReconciler;
import dev.steward.delivery.MailTransport;
import dev.steward.frequency.CapLedgerRetention;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.CapPolicyResolver;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.FrequencyGate;
import dev.steward.frequency.SubjectKey;
import dev.steward.governance.GovernanceDecision;
import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.GovernanceListener;
import dev.steward.governance.GovernanceRetention;
import dev.steward.governance.Ladder;
import dev.steward.governance.StandingChanged;
import dev.steward.governance.StandingListener;
import dev.steward.health.EmailEngagementAggregator;
import dev.steward.health.EngagementRetention;
import dev.steward.health.HealthBandChanged;
import dev.steward.health.HealthListener;
import dev.steward.ippool.IpPoolAdmin;
import dev.steward.ippool.IpPoolStrategy;
import dev.steward.ippool.PoolAssignmentJob;
import dev.steward.ippool.PoolAssignmentStore;
import dev.steward.ippool.PoolErasureRetention;
import dev.steward.ippool.PoolPlanApplier;
import dev.steward.ippool.PoolPlanner;
import dev.steward.ippool.PoolRouter;
import dev.steward.journey.JourneyAnalytics;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.JourneyTriggers;
import dev.steward.journey.TaskStore;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import dev.steward.onboarding.EndOfService;
import dev.steward.onboarding.EndOfServiceListener;
import dev.steward.onboarding.EndOfServicePolicy;
import dev.steward.onboarding.GovernanceSync;
import dev.steward.onboarding.OnboardingEvent;
import dev.steward.onboarding.OnboardingListener;
import dev.steward.onboarding.OnboardingRechecks;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.OnboardingStore;
import dev.steward.onboarding.OutreachMonitor;
import dev.steward.onboarding.PilotStore;
import dev.steward.onboarding.RecheckTargets;
import dev.steward.onboarding.SenderIdentities;
import dev.steward.onboarding.TenantGate;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.WorkListener;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door: one builder wires the stores, the gates in order (consent, caps, then yours), the
 * transport, the ingestion of provider events (delivery ledger, consent, calendar, engagement,
 * governance), governance's evaluation of tenants, erasure across every store, retention, metrics
 * and the runner of due work. Each part stays usable on its own; this is the common case in a dozen
 * lines.
 *
 * <pre>{@code
 * Steward steward = Steward.builder(clock)
 *     .stores(JdbcStores.of(dataSource))        // or the default: every store in memory
 *     .transport(transport)                      // the SendGrid adapter's, or a recording one
 *     .capPolicy(policy)
 *     .build()
 *     .start();                                  // runs deferred mail and events in the background
 * DispatchResult r = steward.dispatch(message);
 * }</pre>
 */
public final class Steward implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Steward.class);

  /**
   * How long sends are kept with per-tenant policies unless told otherwise: a year and a quarter,
   * enough for any window a tenant may pick up to a quarterly cap.
   */
  public static final Duration DEFAULT_SEND_LOG_RETENTION_WITH_RESOLVER = Duration.ofDays(400);

  /**
   * The unsettled-sends gauge counts up to this many and then stays there: it reads the records
   * (there is no count in the ledger's SPI) each time it is scraped, so the bound keeps a scrape
   * cheap, and a thousand sends with no known outcome is an alarm whatever the exact number.
   */
  public static final int UNSETTLED_GAUGE_CAP = 1_000;

  private final Clock clock;
  private final Stores stores;
  private final PreferenceCentre preferences;
  private final FrequencyCapLimiter limiter;
  private final CommunicationCalendar calendar;
  private final Dispatcher dispatcher;
  private final EventIngestor events;
  private final WorkRunner runner;
  private final StewardMetrics metrics;
  private final EmailEngagementAggregator engagement;
  private final GovernanceEvaluator governance;
  // onboarding
  private final Optional<OnboardingStore> onboardingStore;
  private final Optional<OnboardingStateMachine> onboarding;
  private final GovernanceSync governanceSync;
  private final Optional<PilotStore> pilotStore;
  private final Optional<TaskStore> taskStore;
  // journeys (issue 14)
  private final JourneyAnalytics journeyAnalytics;
  private final Optional<JourneyScheduler> journeys;
  private final Optional<JourneyTriggers> journeyTriggers;
  private final Optional<TenantGate> tenantGate;
  // ip pools (optional)
  private final Optional<PoolRouter> poolRouter;
  // end of service (issue 15, phase 8), when configured
  private final Optional<EndOfService> endOfService;

  private Steward(Builder b) {
    this.clock = b.clock;
    this.stores = b.stores != null ? b.stores : Stores.inMemory(b.clock);
    // the stores carry the onboarding and pool stores; a store given to the builder on its own
    // takes the place of the stores' one
    this.poolRouter =
        Optional.of(
            PoolRouter.of(
                b.poolAssignments != null ? b.poolAssignments : stores.poolAssignments()));
    this.preferences = PreferenceCentre.of(stores.consent(), clock);
    FrequencyCapLimiter.Builder limiterBuilder =
        FrequencyCapLimiter.builder(stores.capLedger(), clock)
            .policies(b.capPolicies)
            .retainAtLeast(b.keepSendLogs)
            .consent(stores.consent());
    if (b.platformFloor != null) {
      limiterBuilder.floor(b.platformFloor);
    }
    this.limiter = limiterBuilder.build();
    this.engagement = EmailEngagementAggregator.builder(stores.engagement()).build();
    this.calendar = CommunicationCalendar.builder(stores.calendar(), clock).build();
    // governance: the evaluator judges tenants as due work; the listener counts events and asks
    // for the evaluation of the tenants in each batch
    this.onboardingStore =
        Optional.of(b.onboardingStore != null ? b.onboardingStore : stores.onboarding());
    // phase 8 follows governance's standing, and a person's phase-8 move reaches governance: the
    // sync is made once both exist, and neither calls a listener before Steward is built
    OnboardingListener toSync =
        new OnboardingListener() {
          @Override
          public void onEvent(OnboardingEvent event) {
            // end of service first: a termination's due work is stored before anything else runs;
            // its failure (the work store down) must not keep the move from governance
            try {
              Steward.this.endOfService.ifPresent(e -> e.onEvent(event));
            } catch (RuntimeException e) {
              log.warn(
                  "end of service failed on {} for tenant {}; governance still hears it, and the"
                      + " sweep stores a lost erasure",
                  event.getClass().getSimpleName(),
                  event.tenant(),
                  e);
            }
            Steward.this.governanceSync.onEvent(event);
          }
        };
    this.onboarding =
        onboardingStore.map(
            store -> OnboardingStateMachine.builder(clock, store).listener(toSync).build());
    GovernanceEvaluator.Builder g =
        GovernanceEvaluator.builder(stores.governanceMetrics(), stores.standings(), clock)
            .ladder(b.ladder);
    b.standingListeners.forEach(g::listener);
    // onboarding's phase 7: outreach hears governance's decisions, when turned on
    Optional<OutreachMonitor> outreach =
        b.outreach.map(
            settings -> {
              OutreachMonitor.Builder o =
                  OutreachMonitor.builder(onboarding.orElseThrow(), stores.work());
              settings.accept(o);
              OutreachMonitor monitor = o.build();
              g.listener(monitor);
              return monitor;
            });
    // the metrics are built below (their gauges read governance's listener); the evaluator only
    // calls listeners once Steward is built, so it may forward to the field assigned later
    g.listener(
        new StandingListener() {
          @Override
          public void onChange(StandingChanged event) {
            Steward.this.governanceSync.onChange(event);
            Steward.this.metrics.onChange(event);
          }

          @Override
          public void onDecision(GovernanceDecision decision) {
            Steward.this.governanceSync.onDecision(decision);
            Steward.this.metrics.onDecision(decision);
          }
        });
    this.governance = g.build();
    this.governanceSync = GovernanceSync.of(onboarding.orElseThrow(), governance);
    GovernanceListener governanceEvents =
        GovernanceListener.builder(stores.governanceMetrics())
            .evaluateWith(governance, stores.work())
            .build();
    this.metrics =
        StewardMetrics.builder()
            .gauge("steward.work.ready", () -> stores.work().count(WorkState.READY))
            .gauge("steward.work.dead", () -> stores.work().count(WorkState.DEAD))
            .gauge(
                "steward.ledger.unsettled",
                () ->
                    stores
                        .ledger()
                        .unsettled(clock.instant().plusNanos(1), UNSETTLED_GAUGE_CAP)
                        .size())
            .gauge(StewardMetrics.GOVERNANCE_UNCLASSIFIED, governanceEvents::eventsNotClassified)
            .gauge(StewardMetrics.GOVERNANCE_UNTENANTED, governanceEvents::eventsWithoutTenant)
            .build();

    // onboarding: the state machine over the store, and the tenant gate when configured
    this.pilotStore = Optional.of(b.pilotStore != null ? b.pilotStore : stores.pilot());
    // journeys: the stores' task store, or one given to the builder in its place (issue 14)
    this.taskStore = Optional.of(b.taskStore != null ? b.taskStore : stores.tasks());
    JourneyAnalytics.Builder ja =
        JourneyAnalytics.builder(stores.journeyAnalytics(), clock).journeys(stores.journeys());
    b.journeyAnalyticsSettings.accept(ja);
    this.journeyAnalytics = ja.build();
    this.tenantGate =
        (b.senders == null ? Optional.<PilotStore>empty() : pilotStore)
            .map(
                pilot -> {
                  TenantGate.Builder tg =
                      TenantGate.builder(onboarding.orElseThrow(), pilot)
                          .governance(governance, stores.governanceMetrics())
                          .senders(b.senders);
                  b.endOfServicePolicy.ifPresent(tg::endOfService); // end of service (phase 8)
                  b.tenantGateSettings.accept(tg);
                  return tg.build();
                });

    Dispatcher.Builder d =
        Dispatcher.builder(b.transport, clock)
            .workStore(stores.work())
            .ledger(stores.ledger())
            .gate(ConsentGate.of(stores.consent(), stores.suppressions()))
            .gate(FrequencyGate.of(limiter))
            .listener(metrics)
            .listener(journeyAnalytics.dispatchListener()); // journeys (issue 14)
    tenantGate.ifPresent(d::gate);
    b.dispatchListeners.forEach(d::listener);
    b.gates.forEach(d::gate);
    // the calendar follows the messages it holds as scheduled (a journey's deferred sends)
    d.listener(CalendarDispatchListener.of(calendar));
    // a journey's deferred send dropped later (past its step's deadline) goes into its history
    if (b.journeySettings.isPresent()) {
      d.listener(JourneyScheduler.deferredSendHistory(stores.journeys(), clock));
    }
    this.dispatcher = d.build();
    // journeys (issue 14), when turned on: over the stores, sending through the dispatcher
    this.journeys =
        b.journeySettings.map(
            settings -> {
              JourneyScheduler.Builder jb =
                  JourneyScheduler.builder(clock, stores.journeys(), stores.work())
                      .dispatcher(dispatcher)
                      .tasks(taskStore.orElseThrow())
                      .outcomeListener(journeyAnalytics.outcomeListener())
                      .calendar(calendar) // upcoming journey sends beside manual campaigns
                      // a tenant's journey limit is kept in its cap policy, enforced here
                      .tenantMaxActiveJourneys(t -> journeyLimit(limiter, t));
              settings.accept(jb);
              return jb.build();
            });
    // its entry triggers over the stores' trigger store, on the same runner (wire14)
    this.journeyTriggers =
        journeys.map(
            j -> {
              JourneyTriggers.Builder tb =
                  JourneyTriggers.builder(clock, j, stores.triggers(), stores.work())
                      // review14t: events of before an erasure do not write the contact back
                      .erasedAt((t, c) -> preferences.consent(t, c).erasedAt());
              b.journeyTriggerSettings.ifPresent(settings -> settings.accept(tb));
              return tb.build();
            });

    EventIngestor.Builder e =
        EventIngestor.builder(stores.inbox(), clock)
            .listener("ledger", LedgerReconciler.of(dispatcher, clock))
            .listener("consent", ConsentEventListener.builder(preferences).build())
            .listener(
                "suppressions", SuppressionListener.builder(stores.suppressions(), clock).build())
            .listener(
                "calendar",
                CalendarEventListener.builder(calendar)
                    .erasedAt((t, c) -> preferences.consent(t, c).erasedAt())
                    .build())
            .listener("engagement", engagement)
            .listener("governance", governanceEvents)
            .listener("metrics", metrics)
            .listener("journey-analytics", journeyAnalytics.emailEventListener()); // issue 14
    journeys.ifPresent(j -> e.listener("journeys", j.emailEventListener()));
    journeyTriggers.ifPresent(t -> e.listener("journey triggers", t.emailEventListener()));
    b.eventListeners.forEach(e::listener);
    this.events = e.build();

    WorkRunner.Builder r = WorkRunner.builder(stores.work(), clock).listener(metrics);
    b.workListeners.forEach(r::listener);
    dispatcher.registerWith(r);
    dispatcher.registerStuckSendSweep(r);
    events.register(r);
    events.registerPurge(r);
    DeliveryLedgerRetention.builder(stores.ledger(), clock).build().register(r);
    CapLedgerRetention.builder(stores.capLedger(), clock)
        .limiter(limiter)
        .keepAtLeast(b.keepSendLogs)
        .build()
        .register(r);
    EngagementRetention.builder(stores.engagement(), clock)
        .aggregator(engagement)
        .build()
        .register(r);
    governance.register(r);
    journeys.ifPresent(j -> j.registerWithSweep(r));
    journeyTriggers.ifPresent(t -> t.registerWith(r));
    journeyAnalytics.registerPurge(r);
    GovernanceRetention.of(stores.governanceMetrics(), clock).register(r);
    // the tombstones of the store the pool plans are applied to
    PoolErasureRetention.of(poolRouter.orElseThrow().assignments(), clock).register(r);
    // outreach notices, told at least once as due work
    outreach.ifPresent(o -> o.register(r));
    // end of service (phase 8), when configured: notices and erasures as due work
    this.endOfService =
        b.endOfServicePolicy.map(
            policy -> {
              EndOfService.Builder eos =
                  EndOfService.builder(
                      onboarding.orElseThrow(), stores.work(), policy, this::eraseAll);
              b.endOfServiceListeners.forEach(eos::listener);
              return eos.build();
            });
    endOfService.ifPresent(eos -> eos.register(r));
    // onboarding's re-checks and pool assignment, when turned on
    if (b.recheckTargets != null) {
      OnboardingRechecks.Builder rc =
          OnboardingRechecks.builder(onboarding.orElseThrow(), governance, b.recheckTargets);
      b.recheckSettings.accept(rc);
      rc.build().register(r);
    }
    if (b.poolStrategy != null) {
      PoolPlanner planner =
          PoolPlanner.builder(
                  b.poolStrategy,
                  poolRouter.orElseThrow().assignments(),
                  stores.governanceMetrics(),
                  stores.standings(),
                  clock)
              .onboarding(onboardingStore.orElseThrow())
              .minimumDelivered(b.ladder.minimumDelivered())
              .build();
      PoolPlanApplier applier =
          PoolPlanApplier.builder(b.poolAdmin, poolRouter.orElseThrow().assignments(), clock)
              .build();
      PoolAssignmentJob.Builder job =
          PoolAssignmentJob.builder(planner, applier, onboarding.orElseThrow());
      b.poolJobSettings.accept(job);
      job.build().register(r);
    }
    b.runnerSettings.accept(r);
    this.runner = r.build();
  }

  /** A builder; {@code clock} is the one every part reads the time from. */
  public static Builder builder(Clock clock) {
    return new Builder(clock);
  }

  // ---- the common calls ------------------------------------------------------------------------

  /** Runs a message through the gates and the transport now; a deferral becomes due work. */
  public DispatchResult dispatch(Message message) {
    return dispatcher.dispatch(message);
  }

  /**
   * Accepts a batch of provider events durably (see {@link EventIngestor#accept}); the runner
   * applies them. Answer the provider 2xx when this returns, 5xx when it throws.
   */
  public AcceptResult accept(List<EmailEvent> batch) {
    return events.accept(batch);
  }

  /** Starts the runner of due work in the background; returns this. */
  public Steward start() {
    runner.start();
    return this;
  }

  /** Runs the work due now on the calling thread (for tests and tools); how many items ran. */
  public int runDue() {
    return runner.runDue();
  }

  /**
   * Erases a contact from every store: pending deferred mail and other work about it, delivery
   * records, send logs, calendar entries and consent. Every store is tried even when one fails.
   * Safe to repeat. Stores that know recipients by address alone (governance's recipient activity)
   * are erased by {@link #eraseContact(TenantId, ContactId, Collection)}.
   *
   * @throws ErasureException naming the stores that failed (each failure attached as suppressed)
   */
  public void eraseContact(TenantId tenant, ContactId contact) {
    eraseContact(tenant, contact, List.of());
  }

  /**
   * Erases a contact as {@link #eraseContact(TenantId, ContactId)} does, and its {@code addresses}
   * from the stores that keep recipients by address: governance's recipient activity (when each
   * address was first mailed and last opened or clicked). Address suppressions are kept: they are
   * what stops the address being mailed again.
   *
   * @throws ErasureException naming the stores that failed (each failure attached as suppressed)
   */
  public void eraseContact(TenantId tenant, ContactId contact, Collection<EmailAddress> addresses) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(contact, "contact");
    List<EmailAddress> byAddress = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
    // work first, so that no deferred message goes out while the rest is erased
    Map<String, Runnable> steps = new LinkedHashMap<>();
    steps.put("work", () -> stores.work().cancelSubject(tenant, contact.value()));
    steps.put("delivery ledger", () -> stores.ledger().eraseContact(tenant, contact));
    steps.put("cap ledger", () -> stores.capLedger().erase(SubjectKey.contact(tenant, contact)));
    // consent (its tombstone) before the calendar, so that a spam report applied meanwhile is
    // either skipped by the calendar listener or erased with the calendar's entries
    steps.put("consent", () -> preferences.erase(tenant, contact));
    steps.put("calendar", () -> calendar.erase(tenant, contact));
    // governance
    steps.put(
        "governance recipients",
        () -> byAddress.forEach(a -> stores.governanceMetrics().eraseAddress(tenant, a)));
    // journeys: enrolments and profile, and human tasks (their work went with the work above)
    steps.put(
        "journeys",
        () ->
            journeys.ifPresentOrElse(
                j -> j.eraseContact(tenant, contact), // also its deferred journey sends
                () -> stores.journeys().eraseContact(tenant, contact)));
    taskStore.ifPresent(t -> steps.put("journey tasks", () -> t.eraseContact(tenant, contact)));
    if (taskStore.orElseThrow() != stores.tasks()) {
      steps.put("journey tasks (stores)", () -> stores.tasks().eraseContact(tenant, contact));
    }
    // segment memberships and events (the scheduler's erasure reaches them too: tried again here
    // on its own, so that a failure is named by its store)
    steps.put(
        "journey triggers",
        () ->
            journeyTriggers.ifPresentOrElse(
                t -> t.eraseContact(tenant, contact), // also its trigger timers
                () -> stores.triggers().eraseContact(tenant, contact)));
    // a journey step that ran between the calendar's erasure and the journeys' wrote the contact's
    // upcoming-send entry back; with the enrolments gone, nothing can write it again
    steps.put("calendar, after the journeys", () -> calendar.erase(tenant, contact));
    run("contact " + contact + " of tenant " + tenant, steps);
  }

  /**
   * Erases everything every store holds for a tenant. Every store is tried even when one fails.
   * Safe to repeat. The governance metrics keep a tombstone, the erasure time, as long as they keep
   * event marks ({@link dev.steward.governance.GovernanceRetention#MARKS_KEPT}), so that events of
   * the tenant from before the erasure still on their way do not rebuild its metrics or recipients.
   * With the end of service on ({@link Builder#endOfService}), a terminated tenant's notice not yet
   * told survives the erasure of its due work ({@link EndOfService#eraseNow}).
   *
   * @throws IllegalArgumentException for {@link Recurring#SYSTEM_TENANT}, which holds the upkeep
   * @throws ErasureException naming the stores that failed (each failure attached as suppressed)
   */
  public void eraseTenant(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    if (tenant.equals(Recurring.SYSTEM_TENANT)) {
      throw new IllegalArgumentException(
          "tenant '"
              + tenant
              + "' is reserved for Steward's own upkeep (retention, sweeps); erasing it would stop"
              + " them. Do not use it for a tenant of your own");
    }
    // with the end of service on, a terminated tenant's notice not yet told survives the erasure
    endOfService.ifPresentOrElse(e -> e.eraseNow(tenant), () -> eraseAll(tenant));
  }

  /** Erases the tenant from every store (checked by the caller). */
  private void eraseAll(TenantId tenant) {
    Map<String, Runnable> steps = new LinkedHashMap<>();
    steps.put("work", () -> stores.work().cancelTenant(tenant));
    steps.put("delivery ledger", () -> stores.ledger().eraseTenant(tenant));
    steps.put("cap ledger", () -> stores.capLedger().eraseTenant(tenant));
    steps.put("calendar", () -> calendar.eraseTenant(tenant));
    steps.put("consent", () -> stores.consent().eraseTenant(tenant));
    steps.put("suppressions", () -> stores.suppressions().eraseTenant(tenant));
    steps.put("health history", () -> stores.healthHistory().eraseTenant(tenant));
    steps.put("health bands", () -> stores.healthBands().eraseTenant(tenant));
    steps.put("engagement", () -> stores.engagement().eraseTenant(tenant));
    // governance
    // with a tombstone: events of before the erasure still in flight do not rebuild its metrics
    Instant erasedAt = clock.instant();
    steps.put("governance metrics", () -> stores.governanceMetrics().eraseTenant(tenant, erasedAt));
    steps.put("governance standing", () -> stores.standings().eraseTenant(tenant));
    // onboarding and ip pools: the stores', and any given to the builder in their place
    onboardingStore.ifPresent(o -> steps.put("onboarding", () -> o.eraseTenant(tenant)));
    pilotStore.ifPresent(p -> steps.put("pilot", () -> p.eraseTenant(tenant)));
    taskStore.ifPresent(t -> steps.put("journey tasks", () -> t.eraseTenant(tenant)));
    poolRouter.ifPresent(
        r -> steps.put("ip pool assignments", () -> r.assignments().eraseTenant(tenant, erasedAt)));
    if (onboardingStore.orElseThrow() != stores.onboarding()) {
      steps.put("onboarding (stores)", () -> stores.onboarding().eraseTenant(tenant));
    }
    if (pilotStore.orElseThrow() != stores.pilot()) {
      steps.put("pilot (stores)", () -> stores.pilot().eraseTenant(tenant));
    }
    if (poolRouter.orElseThrow().assignments() != stores.poolAssignments()) {
      steps.put(
          "ip pool assignments (stores)",
          () -> stores.poolAssignments().eraseTenant(tenant, erasedAt));
    }
    // journeys (issue 14): enrolments, the stores' tasks if others were given, analytics
    steps.put("journeys", () -> stores.journeys().eraseTenant(tenant));
    if (taskStore.orElseThrow() != stores.tasks()) {
      steps.put("journey tasks (stores)", () -> stores.tasks().eraseTenant(tenant));
    }
    steps.put("journey analytics", () -> stores.journeyAnalytics().eraseTenant(tenant));
    steps.put("journey triggers", () -> stores.triggers().eraseTenant(tenant));
    // as for a contact: a journey step between the calendar's and the journeys' erasure wrote back
    steps.put("calendar, after the journeys", () -> calendar.eraseTenant(tenant));
    run("tenant " + tenant, steps);
  }

  private static void run(String what, Map<String, Runnable> steps) {
    List<String> failed = new ArrayList<>();
    List<RuntimeException> failures = new ArrayList<>();
    steps.forEach(
        (store, step) -> {
          try {
            step.run();
          } catch (RuntimeException e) {
            log.warn("erasing {} from the {} failed", what, store, e);
            failed.add(store);
            failures.add(e);
          }
        });
    if (!failed.isEmpty()) {
      ErasureException e =
          new ErasureException(
              "erasing " + what + " failed in " + failed + "; the others are erased; erase again");
      failures.forEach(e::addSuppressed);
      throw e;
    }
    log.info("erased {} from {} stores", what, steps.size());
  }

  // ---- the parts -------------------------------------------------------------------------------

  /** The send pipeline. */
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** Consent: opt-outs, subscriptions, double opt-in. */
  public PreferenceCentre preferences() {
    return preferences;
  }

  /** The frequency-cap limiter behind the frequency gate. */
  public FrequencyCapLimiter limiter() {
    return limiter;
  }

  /** The communication calendar every team sees. */
  public CommunicationCalendar calendar() {
    return calendar;
  }

  /** Email engagement per account (opens, clicks, replies), counted from provider events. */
  public EmailEngagementAggregator engagement() {
    return engagement;
  }

  /**
   * Governance: each tenant's standing on the escalation ladder, evaluated from its reputation
   * metrics as due work; human overrides. Sending is held back by the standing only when the tenant
   * gate is on ({@link Builder#tenantGate}).
   */
  public GovernanceEvaluator governance() {
    return governance;
  }

  /**
   * The onboarding state machine over the stores' onboarding store (or the one given to {@link
   * Builder#onboarding}); always present.
   */
  public Optional<OnboardingStateMachine> onboarding() {
    return onboarding;
  }

  /** The tenant gate, when {@link Builder#tenantGate} turned it on. */
  public Optional<TenantGate> tenantGate() {
    return tenantGate;
  }

  /**
   * Which IP pool each message leaves from, read from the stores' pool assignments (or those given
   * to {@link Builder#ipPoolAssignments}): the transport asks it per message; always present, and
   * empty for a message whose tenant's stream has no pool yet.
   */
  public Optional<PoolRouter> poolRouter() {
    return poolRouter;
  }

  /**
   * Journey analytics over the stores' {@link Stores#journeyAnalytics()}, fed by the dispatcher and
   * the event ingestor; give a journey scheduler its {@link JourneyAnalytics#outcomeListener()}
   * (built over {@link Stores#journeys()}) for entries, sends and exits.
   */
  public JourneyAnalytics journeyAnalytics() {
    return journeyAnalytics;
  }

  /**
   * A tenant's limit of journeys at once: its cap policy's, or the platform floor's, the lower of
   * the two when both set one (as the limiter combines them); empty for the scheduler's default.
   */
  private static OptionalInt journeyLimit(FrequencyCapLimiter limiter, TenantId tenant) {
    OptionalInt own = limiter.policy(tenant).maxConcurrentJourneys();
    OptionalInt floor =
        limiter.floor().map(CapPolicy::maxConcurrentJourneys).orElse(OptionalInt.empty());
    if (own.isPresent() && floor.isPresent()) {
      return OptionalInt.of(Math.min(own.getAsInt(), floor.getAsInt()));
    }
    return own.isPresent() ? own : floor;
  }

  /**
   * The journey scheduler, when turned on ({@link Builder#journeys}): over the stores' journey and
   * task stores, sending through {@link #dispatcher()}, its steps run by {@link #runner()}, its
   * waits for opens and clicks resumed by provider events, its outcomes counted by {@link
   * #journeyAnalytics()}.
   */
  public Optional<JourneyScheduler> journeys() {
    return journeys;
  }

  /**
   * The journeys' entry triggers, when journeys are turned on ({@link Builder#journeys}): over the
   * stores' {@link Stores#triggers()}, acting on profile and attribute changes of {@link
   * #journeys()}, on provider events accepted by {@link #accept}, and on health band changes given
   * to {@link #healthListener()}; their timers and segment re-evaluation run on {@link #runner()}.
   */
  public Optional<JourneyTriggers> journeyTriggers() {
    return journeyTriggers;
  }

  /**
   * The listener to give the application's {@code HealthMonitor}: a band change enrols the
   * account's contacts in journeys with a matching health trigger (see {@link
   * JourneyTriggers#healthListener()} and {@link Builder#journeyTriggers}); it does nothing while
   * journeys are off.
   */
  public HealthListener healthListener() {
    return new HealthListener() {
      @Override
      public void onBandChanged(HealthBandChanged event) {
        journeyTriggers.ifPresent(t -> t.healthListener().onBandChanged(event));
      }
    };
  }

  /** The ingestion of provider events. */
  public EventIngestor events() {
    return events;
  }

  /** The runner of due work (deferred mail, event batches, upkeep). */
  public WorkRunner runner() {
    return runner;
  }

  /** What the pipeline counted. */
  public StewardMetrics metrics() {
    return metrics;
  }

  /** The stores. */
  public Stores stores() {
    return stores;
  }

  /** The clock every part reads. */
  public Clock clock() {
    return clock;
  }

  /** Stops the runner: work not started is handed back, running work finishes or lapses. */
  @Override
  public void close() {
    runner.close();
  }

  /** Builds a {@link Steward}; only the transport is required. */
  public static final class Builder {
    private final Clock clock;
    private Stores stores;
    private MailTransport transport;
    private CapPolicyResolver capPolicies = CapPolicyResolver.of(CapPolicy.builder().build());
    private CapPolicy platformFloor;
    private Duration keepSendLogs = Duration.ZERO;
    private final List<Gate> gates = new ArrayList<>();
    private final List<DispatchListener> dispatchListeners = new ArrayList<>();
    private final List<WorkListener> workListeners = new ArrayList<>();
    private final Map<String, EmailEventListener> eventListeners = new LinkedHashMap<>();
    private Consumer<WorkRunner.Builder> runnerSettings = r -> {};
    // governance
    private Ladder ladder = Ladder.ofDefaults();
    private final List<StandingListener> standingListeners = new ArrayList<>();
    // onboarding
    private OnboardingStore onboardingStore;
    private PilotStore pilotStore;
    private TaskStore taskStore;
    private Consumer<JourneyAnalytics.Builder> journeyAnalyticsSettings = a -> {};
    private Optional<Consumer<JourneyScheduler.Builder>> journeySettings = Optional.empty();
    private Optional<Consumer<JourneyTriggers.Builder>> journeyTriggerSettings = Optional.empty();
    private SenderIdentities senders;
    private Consumer<TenantGate.Builder> tenantGateSettings = g -> {};
    // ip pools
    private PoolAssignmentStore poolAssignments;
    private IpPoolStrategy poolStrategy;
    private IpPoolAdmin poolAdmin;
    private Consumer<PoolAssignmentJob.Builder> poolJobSettings = j -> {};
    // onboarding's re-checks and outreach
    private RecheckTargets recheckTargets;
    private Consumer<OnboardingRechecks.Builder> recheckSettings = c -> {};
    private Optional<Consumer<OutreachMonitor.Builder>> outreach = Optional.empty();
    // end of service (phase 8)
    private Optional<EndOfServicePolicy> endOfServicePolicy = Optional.empty();
    private final List<EndOfServiceListener> endOfServiceListeners = new ArrayList<>();

    private Builder(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Where the data lives (default: every store in memory). */
    public Builder stores(Stores stores) {
      this.stores = Objects.requireNonNull(stores, "stores");
      return this;
    }

    /** How mail leaves: the SendGrid adapter's transport, or a recording one in tests. */
    public Builder transport(MailTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** One cap policy for every tenant (default: no caps, quiet hours or cool-downs). */
    public Builder capPolicy(CapPolicy policy) {
      this.capPolicies = CapPolicyResolver.of(Objects.requireNonNull(policy, "policy"));
      return this;
    }

    /**
     * A cap policy per tenant, asked on every decision: a changed answer applies to the next
     * message, and sends counted under the old policy still count.
     */
    public Builder capPolicies(CapPolicyResolver policies) {
      this.capPolicies = Objects.requireNonNull(policies, "policies");
      if (keepSendLogs.isZero()) {
        keepSendLogs = DEFAULT_SEND_LOG_RETENTION_WITH_RESOLVER;
      }
      return this;
    }

    /**
     * Keeps each contact's and account's sends at least this long, whatever the policies' windows:
     * the longest window any tenant may choose. Default: the policy's own longest window with one
     * policy; {@link #DEFAULT_SEND_LOG_RETENTION_WITH_RESOLVER} with {@link #capPolicies}, whose
     * future answers no one can know at start-up.
     */
    public Builder keepSendLogs(Duration atLeast) {
      Objects.requireNonNull(atLeast, "atLeast");
      if (atLeast.isNegative()) {
        throw new IllegalArgumentException("keepSendLogs must not be negative, was " + atLeast);
      }
      this.keepSendLogs = atLeast;
      return this;
    }

    /**
     * The platform's own rules every tenant's policy sits under: both apply, so the stricter rule
     * wins (see {@link FrequencyCapLimiter.Builder#floor}).
     */
    public Builder platformFloor(CapPolicy floor) {
      this.platformFloor = Objects.requireNonNull(floor, "floor");
      return this;
    }

    /** A gate of your own, run after consent and caps, in the order added. */
    public Builder gate(Gate gate) {
      gates.add(Objects.requireNonNull(gate, "gate"));
      return this;
    }

    /** Observes every decision and result. */
    public Builder listener(DispatchListener listener) {
      dispatchListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Observes due work. */
    public Builder workListener(WorkListener listener) {
      workListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * A listener of provider events of your own (journeys, health), under a name unique among the
     * listeners: an event its listener failed on is retried for that listener alone.
     */
    public Builder eventListener(String name, EmailEventListener listener) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(listener, "listener");
      if (eventListeners.putIfAbsent(name, listener) != null) {
        throw new IllegalArgumentException("an event listener named '" + name + "' is added twice");
      }
      return this;
    }

    /** Tunes the runner of due work (workers, batch size, lease) and adds handlers of your own. */
    public Builder runner(Consumer<WorkRunner.Builder> settings) {
      this.runnerSettings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** Governance's escalation ladder (default: {@link Ladder#ofDefaults()}). */
    public Builder ladder(Ladder ladder) {
      this.ladder = Objects.requireNonNull(ladder, "ladder");
      return this;
    }

    /** Observes changes of tenants' governance standing (outreach, a CSM task, a pool move). */
    public Builder standingListener(StandingListener listener) {
      standingListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Where tenants' onboarding records are kept, in place of the stores' own ({@link
     * Stores#onboarding()}, which {@code Stores.inMemory} and {@code JdbcStores.of} already carry):
     * {@link Steward#onboarding()} moves them, and {@link Steward#eraseTenant} erases them.
     */
    public Builder onboarding(OnboardingStore store) {
      this.onboardingStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The store of journeys' human tasks, in place of the stores' own ({@link Stores#tasks()},
     * which {@code Stores.inMemory} and {@code JdbcStores.of} already carry): the one the {@link
     * dev.steward.journey.JourneyScheduler} keeps its tasks in. {@link Steward#eraseContact} and
     * {@link Steward#eraseTenant} erase both.
     */
    public Builder tasks(TaskStore store) {
      this.taskStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Turns on the journey scheduler ({@link Steward#journeys()}) over the stores' journey and task
     * stores ({@link Stores#journeys()}, {@link Stores#tasks()} or the one given to {@link
     * #tasks}), sending through the dispatcher, counted by the journey analytics; {@code settings}
     * registers the journeys and may set the rest (zone, limit of journeys at once, task policy).
     * Their entry triggers ({@link Steward#journeyTriggers()}) are built with them, over {@link
     * Stores#triggers()}; {@link #journeyTriggers} sets them.
     */
    public Builder journeys(Consumer<JourneyScheduler.Builder> settings) {
      this.journeySettings = Optional.of(Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /**
     * Settings of the journeys' entry triggers ({@link Steward#journeyTriggers()}, built whenever
     * {@link #journeys} is on): the account-contacts lookup health triggers need ({@link
     * JourneyTriggers.Builder#accountContacts}), how often segments are re-evaluated, the late
     * limit. Needs {@link #journeys}.
     */
    public Builder journeyTriggers(Consumer<JourneyTriggers.Builder> settings) {
      this.journeyTriggerSettings = Optional.of(Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /**
     * Settings of {@link Steward#journeyAnalytics()}: its benchmarks and alert listener (issue 14).
     */
    public Builder journeyAnalytics(Consumer<JourneyAnalytics.Builder> settings) {
      this.journeyAnalyticsSettings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Turns on the {@link TenantGate}, run after consent and caps and before your own gates: mail
     * only from tenants past the onboarding gates, From authenticated domains, under their
     * governance standing and, in the pilot, their warm-up caps (kept in {@code pilot}, which
     * {@link Steward#eraseTenant} erases). Needs {@link #onboarding}. Off by default: an ISV that
     * does not onboard tenants through Steward sends without it; see {@link
     * TenantGate.Builder#allowUnenrolled()} for tenants that predate onboarding.
     */
    public Builder tenantGate(PilotStore pilot, SenderIdentities senders) {
      return tenantGate(pilot, senders, g -> {});
    }

    /**
     * Turns on the {@link TenantGate} over the stores' own pilot store ({@link Stores#pilot()});
     * see {@link #tenantGate(PilotStore, SenderIdentities)}.
     */
    public Builder tenantGate(SenderIdentities senders) {
      return tenantGate(senders, g -> {});
    }

    /**
     * {@link #tenantGate(SenderIdentities)}, with the gate's other settings made by {@code
     * settings}.
     */
    public Builder tenantGate(SenderIdentities senders, Consumer<TenantGate.Builder> settings) {
      this.senders = Objects.requireNonNull(senders, "senders");
      this.tenantGateSettings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * {@link #tenantGate(PilotStore, SenderIdentities)}, with the gate's other settings (plan,
     * fallback policy, unenrolled tenants, sampling) made by {@code settings}.
     */
    public Builder tenantGate(
        PilotStore pilot, SenderIdentities senders, Consumer<TenantGate.Builder> settings) {
      this.pilotStore = Objects.requireNonNull(pilot, "pilot");
      this.senders = Objects.requireNonNull(senders, "senders");
      this.tenantGateSettings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Turns on the end of service (onboarding's phase 8, {@link EndOfServicePolicy}): when a tenant
     * enters TERMINATED, {@code listeners} are told at least once as due work (to disable its
     * subuser and revoke its keys), the {@link TenantGate} (if on) lets only its transactional mail
     * through during the policy's grace, and its data is erased through {@link Steward#eraseTenant}
     * once the retention is over, unless the policy is a legal hold. Off by default: a terminated
     * tenant's mail is then refused outright and its data kept until you erase it.
     */
    public Builder endOfService(EndOfServicePolicy policy, EndOfServiceListener... listeners) {
      this.endOfServicePolicy = Optional.of(Objects.requireNonNull(policy, "policy"));
      for (EndOfServiceListener l : listeners) {
        endOfServiceListeners.add(Objects.requireNonNull(l, "listener"));
      }
      return this;
    }

    /**
     * The IP-pool assignments (in memory, or {@code JdbcPoolAssignmentStore} over the stores'
     * database): {@link Steward#poolRouter()} reads them for the transport, and {@link
     * Steward#eraseTenant} erases a tenant's assignments and their audit. Default: none, and the
     * provider picks the pool.
     */
    public Builder ipPoolAssignments(PoolAssignmentStore assignments) {
      this.poolAssignments = Objects.requireNonNull(assignments, "assignments");
      return this;
    }

    /**
     * Turns on the re-checks of tenants past vetting ({@link OnboardingRechecks}): every tenant's
     * domains on blocklists, and its sender-domain authentications, as due work every period (daily
     * by default), a failure recorded on its onboarding audit trail and raised as a governance
     * warning. {@code settings} gives the blocklists, the sender authentication or both, and the
     * period.
     */
    public Builder onboardingRechecks(
        RecheckTargets targets, Consumer<OnboardingRechecks.Builder> settings) {
      this.recheckTargets = Objects.requireNonNull(targets, "targets");
      this.recheckSettings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Turns on onboarding's phase 5 ({@link PoolAssignmentJob}, hourly): the tenants' pools planned
     * by {@code strategy} from governance's standings, applied through {@code admin} into the pool
     * assignments, and tenants waiting for their pools moved to ACTIVE once placed.
     */
    public Builder ipPoolAssignment(IpPoolStrategy strategy, IpPoolAdmin admin) {
      return ipPoolAssignment(strategy, admin, j -> {});
    }

    /** {@link #ipPoolAssignment(IpPoolStrategy, IpPoolAdmin)} with the job's period and page. */
    public Builder ipPoolAssignment(
        IpPoolStrategy strategy, IpPoolAdmin admin, Consumer<PoolAssignmentJob.Builder> settings) {
      this.poolStrategy = Objects.requireNonNull(strategy, "strategy");
      this.poolAdmin = Objects.requireNonNull(admin, "admin");
      this.poolJobSettings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Turns on onboarding's phase 7 ({@link OutreachMonitor}): an ACTIVE tenant that governance
     * puts on the warn rung, or whose mail goes mostly to unengaged addresses, is flagged for
     * outreach; {@code settings} adds the {@code OutreachListener}s and may set the threshold.
     */
    public Builder outreach(Consumer<OutreachMonitor.Builder> settings) {
      this.outreach = Optional.of(Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /** The wired pipeline; not started. */
    public Steward build() {
      if (transport == null) {
        throw new IllegalStateException(
            "Steward needs a transport: the SendGrid adapter's, or dev.steward.testing's"
                + " RecordingTransport for a dry run");
      }
      if (journeyTriggerSettings.isPresent() && journeySettings.isEmpty()) {
        throw new IllegalStateException(
            "journeyTriggers(...) was given but journeys are off: call journeys(...) too, or drop"
                + " the trigger settings");
      }
      return new Steward(this);
    }
  }
}
