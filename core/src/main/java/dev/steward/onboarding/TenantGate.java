package dev.steward.onboarding;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.GovernanceMetric;
import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.Granularity;
import dev.steward.governance.Level;
import dev.steward.governance.MetricsKey;
import dev.steward.governance.Rung;
import dev.steward.governance.Standing;
import dev.steward.governance.StandingChange;
import dev.steward.governance.WindowReading;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send pipeline's tenant gate (after consent and frequency): lets a tenant's mail through only
 * as far as its onboarding, its sender domains, its governance standing and its pilot warm-up
 * allow, with a reason for each in every decision.
 *
 * <ol>
 *   <li><b>Onboarding.</b> A tenant that has not passed vetting, sender-domain verification and
 *       content review (or was rejected, suspended or terminated) is refused: its {@link
 *       OnboardingState#maySend()} is false. A tenant with no onboarding record is refused too,
 *       unless {@link Builder#allowUnenrolled()} lets it send (for tenants that predate
 *       onboarding); the other checks still apply to it.
 *   <li><b>Sender.</b> The From address ({@link SenderIdentities#from}) must be on a domain
 *       authenticated for the tenant, unless the {@link SenderFallbackPolicy} covers it: From the
 *       ISV's own domain ({@link SenderFallbackPolicy.Mode#ON_BEHALF_OF_ISV_DOMAIN}), or a verified
 *       single sender ({@link SenderFallbackPolicy.Mode#SINGLE_SENDER}).
 *   <li><b>Governance.</b> The higher of the tenant's governance {@link Standing} and its
 *       onboarding governance state: suspend and terminate refuse; quarantine passes, reported (the
 *       pool strategy moves the mail); restrict cuts the daily cap by the ladder's factor and
 *       freezes the ramp (a graduated tenant gets the plan's last cap cut so); a warning freezes
 *       the ramp.
 *   <li><b>Pilot.</b> A tenant in the pilot sends at most its stage's daily cap ({@link
 *       WarmUpPlan}), spread over the UTC day: at most the cap's share of the elapsed day plus a
 *       burst; mail over the pace or the cap is deferred to when it fits, never refused. The count
 *       is reserved in the {@link PilotStore} (atomically across instances) and released if a later
 *       gate or the transport refuses the message. At the first message of a new day the tenant's
 *       last active day is judged: at least 90% of its stage's cap delivered (governance's
 *       delivered events) and every governance metric below warning advance it one stage; past the
 *       last stage it graduates and moves to {@link OnboardingState#POOL_ASSIGNMENT}; {@link
 *       WarmUpPlan#idleDays()} whole days without mail start the warm-up again. A governance
 *       warning (its standing escalated to warn or above) drops one stage, once per warning; a step
 *       down (restrict to warn) or a warning renewed while warned is not a new warning. A stage
 *       stored under a longer plan goes on at this plan's last stage.
 *   <li><b>Sampling.</b> Every Nth allowed message of a tenant allowed free-form content goes to
 *       the {@link ContentReviewer}; a rejection ({@link #contentRejected}) is a content warning on
 *       the governance ladder, which in the pilot drops a stage.
 * </ol>
 *
 * <p>Thread-safe; several instances may share the stores.
 */
public final class TenantGate implements Gate {
  private static final Logger log = LoggerFactory.getLogger(TenantGate.class);

  /** The gate's name in reasons. */
  public static final String GATE = "tenant";

  /** The actor of the pilot's moves (graduation). */
  public static final Actor PILOT_RULE = Actor.rule("pilot-warm-up");

  /** The default sampling: one message in 500. */
  public static final int DEFAULT_SAMPLE_EVERY = 500;

  private static final Duration DAY = Duration.ofDays(1);

  private final OnboardingStateMachine onboarding;
  private final PilotStore pilot;
  private final GovernanceEvaluator governance;
  private final GovernanceMetricsStore metrics;
  private final SenderIdentities senders;
  private final WarmUpPlan plan;
  private final SenderFallbackPolicy fallback;
  private final boolean allowUnenrolled;
  private final Optional<ContentReviewer> reviewer;
  private final int sampleEvery;
  private final Predicate<TenantId> freeForm;
  private final Map<TenantId, AtomicLong> sampled = new ConcurrentHashMap<>();
  private final Map<TenantId, LocalDate> purgedOn = new ConcurrentHashMap<>();

  private TenantGate(Builder b) {
    this.onboarding = b.onboarding;
    this.pilot = b.pilot;
    this.governance = b.governance;
    this.metrics = b.metrics;
    this.senders = b.senders;
    this.plan = b.plan;
    this.fallback = b.fallback;
    this.allowUnenrolled = b.allowUnenrolled;
    this.reviewer = Optional.ofNullable(b.reviewer);
    this.sampleEvery = b.sampleEvery;
    this.freeForm = b.freeForm;
  }

  /**
   * A builder over the onboarding state machine (its store holds the tenants' phases) and the pilot
   * store; {@link Builder#senders} and {@link Builder#governance} are required too.
   */
  public static Builder builder(OnboardingStateMachine onboarding, PilotStore pilot) {
    return new Builder(onboarding, pilot);
  }

  @Override
  public String name() {
    return GATE;
  }

  /** The warm-up plan the gate enforces. */
  public WarmUpPlan plan() {
    return plan;
  }

  /** The tenant's pilot state, if it has sent in the pilot. */
  public Optional<PilotState> pilotState(TenantId tenant) {
    return pilot.find(Checks.notNull("tenant", tenant));
  }

  @Override
  public Decision evaluate(Message message, Instant now) {
    TenantId tenant = message.tenant();
    List<Reason> reasons = new ArrayList<>();
    Optional<OnboardingRecord> record = onboarding.find(tenant);
    OnboardingState state = null;
    if (record.isEmpty()) {
      if (!allowUnenrolled) {
        reasons.add(
            reason(
                "not-enrolled",
                Outcome.SUPPRESS,
                "tenant "
                    + tenant
                    + " is not enrolled in onboarding: no mail until it has passed vetting,"
                    + " sender-domain verification and content review"));
        return Decision.suppress(reasons);
      }
      reasons.add(
          reason(
              "not-enrolled",
              Outcome.ALLOW,
              "tenant "
                  + tenant
                  + " is not enrolled in onboarding; unenrolled tenants may send (allowUnenrolled)"));
    } else {
      state = record.get().state();
      if (!state.maySend()) {
        reasons.add(reason(stateRule(state), Outcome.SUPPRESS, refusal(tenant, state)));
        return Decision.suppress(reasons);
      }
      reasons.add(
          reason(
              stateRule(state),
              Outcome.ALLOW,
              "tenant " + tenant + " is in " + state + " (" + phaseText(state.phase()) + ")"));
    }
    Reason sender = sender(message);
    reasons.add(sender);
    if (sender.effect() != Outcome.ALLOW) {
      return Decision.suppress(reasons);
    }
    Standing standing = governance.standing(tenant);
    Level level = max(standing.level(), state == null ? Level.NONE : levelOf(state));
    reasons.add(standingReason(tenant, standing, level));
    if (level.compareTo(Level.SUSPEND) >= 0) {
      return Decision.suppress(reasons);
    }
    boolean inPilot =
        state == OnboardingState.PILOT
            || (state != null
                && state.isGovernance()
                && record.get().resumeTo().orElse(null) == OnboardingState.PILOT);
    long cap = -1;
    String capRule = null;
    String capText = null;
    if (inPilot) {
      PilotState ps = judge(tenant, now, standing, level, state);
      if (!ps.graduated()) {
        int stage = Math.min(ps.stage(), plan.size() - 1);
        cap = plan.cap(stage);
        capRule = "warm-up-stage-" + (stage + 1);
        capText = "pilot stage " + (stage + 1) + " of " + plan.size() + " (" + cap + " a day)";
      }
    }
    if (level == Level.RESTRICT) {
      long base = cap >= 0 ? cap : plan.cap(plan.size() - 1);
      long cut = Math.max(1, (long) Math.floor(base * governance.ladder().restrictCapFactor()));
      capText =
          (cap >= 0 ? capText : "the plan's last stage (" + base + " a day)")
              + " cut to "
              + cut
              + " a day while restricted";
      capRule = "restricted-cap";
      cap = cut;
    }
    if (cap < 0) {
      sample(message, now, reasons);
      return Decision.allow(reasons);
    }
    return reserve(message, now, cap, capRule, capText, reasons);
  }

  @Override
  public void release(Message message, Instant decidedAt) {
    pilot.release(message.tenant(), dayOf(decidedAt), message.id());
  }

  /** Counts a pilot send that went out after all, once per message and day. */
  @Override
  public void confirmSent(Message message, Instant sentAt) {
    TenantId tenant = message.tenant();
    Level level =
        max(
            governance.standing(tenant).level(),
            onboarding.find(tenant).map(r -> levelOf(r.state())).orElse(Level.NONE));
    boolean counted =
        pilot.find(tenant).map(s -> !s.graduated()).orElse(false) || level == Level.RESTRICT;
    if (counted) {
      pilot.confirm(tenant, dayOf(sentAt), message.id());
    }
  }

  /**
   * A reviewer rejected the content of a sampled message: records a content warning on the tenant's
   * governance ladder ({@link GovernanceEvaluator#warn}); in the pilot the warning drops a stage at
   * the tenant's next message. Returns the tenant's standing.
   */
  public Standing contentRejected(
      TenantId tenant, MessageId message, String reviewer, String reason) {
    Checks.notNull("tenant", tenant);
    Checks.notNull("message", message);
    String by = Checks.text("reviewer", reviewer, 200);
    String why = Checks.text("reason", reason, 1500);
    log.info("tenant {}: content of sampled message {} rejected by review", tenant, message);
    return governance.warn(
        tenant, "content warning: sampled message " + message + " rejected by " + by + ": " + why);
  }

  // ---- the pilot ------------------------------------------------------------------------------

  /**
   * The tenant's pilot state as of now: judged again at the first message of a new day, or when a
   * new governance warning appeared; otherwise read.
   */
  private PilotState judge(
      TenantId tenant, Instant now, Standing standing, Level level, OnboardingState state) {
    LocalDate today = dayOf(now);
    Optional<Instant> warning = warningOf(standing);
    Optional<PilotState> current = pilot.find(tenant);
    if (current.isPresent() && current.get().graduated()) {
      if (state == OnboardingState.PILOT) {
        // graduated, but the onboarding move failed after the state was written: finish it
        finishGraduation(tenant, current.get());
      }
      return current.get();
    }
    if (current.isPresent()
        && current.get().day().equals(today)
        && !isNew(warning, current.get())
        && current.get().stage() < plan.size()) {
      return current.get();
    }
    boolean wasGraduated = current.map(PilotState::graduated).orElse(false);
    // what the day to judge holds is read before the state's row is locked, so that the update
    // never waits on another store (nor needs a second connection) while it holds the lock
    Optional<DayFigures> figures =
        current
            .filter(c -> c.day().isBefore(today) && level.compareTo(Level.WARN) < 0)
            .map(c -> figuresOf(tenant, c.day()));
    PilotState next =
        pilot.update(tenant, now, s -> step(s, today, now, standing, level, warning, figures));
    if (current.isPresent() && current.get().day().isBefore(today)) {
      pilot.purgeBefore(tenant, today.minusDays(1));
    }
    if (next.graduated() && !wasGraduated && state == OnboardingState.PILOT) {
      finishGraduation(tenant, next);
    }
    return next;
  }

  /**
   * Moves a graduated tenant's onboarding record on to {@link OnboardingState#POOL_ASSIGNMENT}. If
   * the move fails (the onboarding store is down), the pilot state already says graduated and the
   * tenant's next message tries again.
   */
  private void finishGraduation(TenantId tenant, PilotState graduated) {
    String why = graduated.history().isEmpty() ? "graduated" : last(graduated.history()).reason();
    try {
      onboarding.transition(tenant, OnboardingState.POOL_ASSIGNMENT, PILOT_RULE, why);
      log.info("tenant {} graduated from the pilot", tenant);
    } catch (IllegalTransitionException e) {
      // another instance moved it first, or a person did: the record says where it is
      log.debug("tenant {} graduated, but its onboarding record moved otherwise", tenant, e);
    }
  }

  /**
   * When the tenant's current warning began: the newest escalation (a change upwards) of a standing
   * at warn or above, so that a step down (RESTRICT to WARN) is not a new warning; a standing with
   * no history has only its since.
   */
  private static Optional<Instant> warningOf(Standing standing) {
    if (standing.level().compareTo(Level.WARN) < 0) {
      return Optional.empty();
    }
    if (standing.history().isEmpty()) {
      return Optional.of(standing.since());
    }
    List<StandingChange> h = standing.history();
    for (int i = h.size() - 1; i >= 0; i--) {
      StandingChange c = h.get(i);
      if (c.to().compareTo(c.from()) > 0) {
        return Optional.of(c.at());
      }
    }
    return Optional.empty();
  }

  private PilotState step(
      PilotState s,
      LocalDate today,
      Instant now,
      Standing standing,
      Level level,
      Optional<Instant> warning,
      Optional<DayFigures> figures) {
    PilotState n = s;
    if (n.graduated()) {
      return n;
    }
    if (n.stage() >= plan.size()) {
      // stored under a longer plan (the plan was shortened, or instances run different plans)
      n =
          n.movedTo(
              plan.size() - 1,
              now,
              "stage "
                  + (n.stage() + 1)
                  + " is past the plan's "
                  + plan.size()
                  + " stages: on at the last stage ("
                  + plan.cap(plan.size() - 1)
                  + " a day)");
    }
    if (n.day().isBefore(today)) {
      long idle = ChronoUnit.DAYS.between(n.day(), today) - 1;
      if (idle >= plan.idleDays()) {
        if (n.stage() > 0) {
          n =
              n.movedTo(
                  0,
                  now,
                  "no mail for "
                      + idle
                      + " whole days since "
                      + n.day()
                      + " (a restart after "
                      + plan.idleDays()
                      + "): back from stage "
                      + (n.stage() + 1)
                      + " to stage 1 ("
                      + plan.cap(0)
                      + " a day)");
        }
      } else {
        // figures of another day (another instance moved the state meanwhile): no advance
        Optional<DayFigures> f = figures.filter(x -> x.day().equals(s.day()));
        if (f.isPresent()) {
          n = judgeDay(n, now, level, f.get());
        }
      }
      n = n.onDay(today);
    }
    if (isNew(warning, n)) {
      if (n.stage() > 0) {
        String what =
            standing.history().isEmpty()
                ? ""
                : ": " + shortened(last(standing.history()).explanation(), MAX_QUOTED);
        n =
            n.movedTo(
                n.stage() - 1,
                now,
                "governance "
                    + standing.level().jsonName()
                    + " since "
                    + standing.since()
                    + what
                    + "; a warning drops a stage: from stage "
                    + (n.stage() + 1)
                    + " ("
                    + plan.cap(n.stage())
                    + " a day) to stage "
                    + n.stage()
                    + " ("
                    + plan.cap(n.stage() - 1)
                    + " a day)");
      }
      n = n.warned(warning.orElseThrow());
    }
    return n;
  }

  /** What a day to judge held: its delivered mail, and a metric at warning now, if any. */
  private record DayFigures(LocalDate day, long delivered, Optional<String> atWarning) {}

  private DayFigures figuresOf(TenantId tenant, LocalDate day) {
    Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    long delivered =
        metrics.counts(MetricsKey.of(tenant), Granularity.DAY, from, from.plus(DAY)).delivered();
    return new DayFigures(day, delivered, metricAtWarning(tenant));
  }

  /** Judges the tenant's last active day: advance, graduate, or stay. */
  private PilotState judgeDay(PilotState n, Instant now, Level level, DayFigures f) {
    if (level.compareTo(Level.WARN) >= 0 || f.atWarning().isPresent()) {
      return n; // ramp frozen while warned, restricted or quarantined, or a metric at warning
    }
    long delivered = f.delivered();
    long need = plan.deliveredToAdvance(n.stage());
    if (delivered < need) {
      return n;
    }
    String why =
        "stage "
            + (n.stage() + 1)
            + " ("
            + plan.cap(n.stage())
            + " a day): "
            + delivered
            + " delivered on "
            + n.day()
            + " (at least "
            + need
            + " needed) and every governance metric below warning";
    if (n.stage() + 1 < plan.size()) {
      return n.movedTo(
          n.stage() + 1,
          now,
          why + ": on to stage " + (n.stage() + 2) + " (" + plan.cap(n.stage() + 1) + " a day)");
    }
    return n.graduatedAt(now, why + ": the last stage is done, the pilot is over");
  }

  /** The first metric at or above its lowest rung's threshold in a window with enough data. */
  private Optional<String> metricAtWarning(TenantId tenant) {
    for (WindowReading r : governance.readings(MetricsKey.of(tenant))) {
      if (!r.sufficient()) {
        continue;
      }
      for (GovernanceMetric m : GovernanceMetric.values()) {
        double lowest = Double.MAX_VALUE;
        for (Rung rung : governance.ladder().rungs().values()) {
          lowest = Math.min(lowest, rung.threshold(m).orElse(Double.MAX_VALUE));
        }
        double v = r.value(m);
        if (v >= lowest) {
          return Optional.of(
              m.jsonName()
                  + " "
                  + v
                  + " over "
                  + r.window().label()
                  + " (warning at "
                  + lowest
                  + ")");
        }
      }
    }
    return Optional.empty();
  }

  /** How much of a governance explanation a stage change quotes (StageChange holds 2,000). */
  private static final int MAX_QUOTED = 1_000;

  private static String shortened(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
  }

  private static boolean isNew(Optional<Instant> warning, PilotState s) {
    return warning.isPresent()
        && (s.warningSeen().isEmpty() || warning.get().isAfter(s.warningSeen().get()));
  }

  // ---- the daily count ------------------------------------------------------------------------

  private Decision reserve(
      Message message, Instant now, long cap, String rule, String capText, List<Reason> reasons) {
    LocalDate today = dayOf(now);
    Instant dayStart = today.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant dayEnd = dayStart.plus(DAY);
    long allowed = plan.allowedBy(cap, Duration.between(dayStart, now));
    if (!today.equals(purgedOn.get(message.tenant()))) {
      // the first reservation of the day in this instance: the days before yesterday go, for a
      // tenant in its pilot and one counted under the restricted cap alike (again next time if the
      // purge failed)
      pilot.purgeBefore(message.tenant(), today.minusDays(1));
      purgedOn.put(message.tenant(), today);
    }
    DailyReservation r = pilot.reserve(message.tenant(), today, message.id(), allowed);
    Reason.Usage usage = new Reason.Usage(r.used(), cap, dayStart, dayEnd);
    if (r.granted()) {
      reasons.add(
          Reason.of(
              GATE,
              rule,
              Outcome.ALLOW,
              capText
                  + ": "
                  + r.used()
                  + " sent today, "
                  + allowed
                  + " allowed by now at an even pace with a burst of "
                  + plan.burstOf(cap),
              usage,
              null));
      sample(message, now, reasons);
      return Decision.allow(reasons);
    }
    Duration wait = plan.whenNextFits(cap, r.used());
    Instant at = dayStart.plus(wait);
    String detail;
    if (r.used() >= cap) {
      at = dayEnd;
      detail =
          capText + ": the day's cap of " + cap + " is used (" + r.used() + " sent); next UTC day";
    } else {
      if (!at.isAfter(now)) {
        at = now.plusSeconds(1);
      }
      detail =
          capText
              + ": "
              + r.used()
              + " sent today is ahead of the even pace ("
              + allowed
              + " allowed by now); deferred until the next fits";
    }
    reasons.add(Reason.of(GATE, rule, Outcome.DEFER, detail, usage, at));
    return Decision.defer(at, reasons);
  }

  private void sample(Message message, Instant now, List<Reason> reasons) {
    if (reviewer.isEmpty()) {
      return;
    }
    boolean free;
    try {
      free = freeForm.test(message.tenant());
    } catch (RuntimeException e) {
      log.warn(
          "free-form predicate failed on tenant {}; message {} not sampled, it goes on",
          message.tenant(),
          message.id(),
          e);
      return;
    }
    if (!free) {
      return;
    }
    long n = sampled.computeIfAbsent(message.tenant(), t -> new AtomicLong()).incrementAndGet();
    if (n % sampleEvery != 0) {
      return;
    }
    reasons.add(
        reason(
            "content-sample",
            Outcome.ALLOW,
            "sampled for content review (one message in " + sampleEvery + ")"));
    try {
      reviewer.get().sampled(message, now);
    } catch (RuntimeException e) {
      log.warn("content reviewer failed on message {}; the message goes on", message.id(), e);
    }
  }

  // ---- sender and standing --------------------------------------------------------------------

  private Reason sender(Message message) {
    TenantId tenant = message.tenant();
    Optional<EmailAddress> from = senders.from(message);
    if (from.isEmpty()) {
      return reason(
          "sender-unknown",
          Outcome.SUPPRESS,
          "no From address is known for this message of tenant " + tenant);
    }
    String domain = from.get().domain().toLowerCase(Locale.ROOT);
    if (senders.domainAuthenticated(tenant, domain)) {
      return reason(
          "sender-domain",
          Outcome.ALLOW,
          "From domain " + domain + " is authenticated for tenant " + tenant);
    }
    if (fallback.mode() == SenderFallbackPolicy.Mode.ON_BEHALF_OF_ISV_DOMAIN
        && fallback.isvDomain().orElseThrow().equals(domain)) {
      return reason(
          "sender-fallback",
          Outcome.ALLOW,
          "From domain "
              + domain
              + " is the ISV's authenticated domain: sent on behalf of tenant "
              + tenant
              + " (fallback policy)");
    }
    if (fallback.mode() == SenderFallbackPolicy.Mode.SINGLE_SENDER
        && senders.singleSenderVerified(tenant, from.get())) {
      return reason(
          "sender-fallback",
          Outcome.ALLOW,
          "From "
              + from.get().masked()
              + " is a verified single sender of tenant "
              + tenant
              + " (fallback policy)");
    }
    return reason(
        "sender-domain",
        Outcome.SUPPRESS,
        "From domain "
            + domain
            + " is not authenticated for tenant "
            + tenant
            + ", and the sender fallback policy ("
            + fallback.mode()
            + ") does not cover it");
  }

  private static Reason standingReason(TenantId tenant, Standing standing, Level level) {
    String why = standing.history().isEmpty() ? "" : ": " + last(standing.history()).explanation();
    String rule = "standing-" + level.jsonName();
    return switch (level) {
      case NONE -> reason(rule, Outcome.ALLOW, "tenant " + tenant + " is in good standing");
      case WARN ->
          reason(
              rule,
              Outcome.ALLOW,
              "tenant " + tenant + " is warned since " + standing.since() + why);
      case RESTRICT ->
          reason(
              rule,
              Outcome.ALLOW,
              "tenant "
                  + tenant
                  + " is restricted since "
                  + standing.since()
                  + " (ramp frozen, daily cap cut)"
                  + why);
      case QUARANTINE ->
          reason(
              rule,
              Outcome.ALLOW,
              "tenant "
                  + tenant
                  + " is quarantined since "
                  + standing.since()
                  + ": its mail belongs in the quarantine pool"
                  + why);
      case SUSPEND ->
          reason(
              rule,
              Outcome.SUPPRESS,
              "tenant "
                  + tenant
                  + " is suspended since "
                  + standing.since()
                  + ": no mail until a person has reviewed it"
                  + why);
      case TERMINATE ->
          reason(
              rule, Outcome.SUPPRESS, "tenant " + tenant + " is terminated: service ended" + why);
    };
  }

  private static Level levelOf(OnboardingState state) {
    return switch (state) {
      case RESTRICTED -> Level.RESTRICT;
      case QUARANTINED -> Level.QUARANTINE;
      case SUSPENDED -> Level.SUSPEND;
      case TERMINATED -> Level.TERMINATE;
      default -> Level.NONE;
    };
  }

  private static Level max(Level a, Level b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static String stateRule(OnboardingState state) {
    return "state-" + state.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String phaseText(OnboardingPhase phase) {
    return "phase "
        + (phase.ordinal() + 1)
        + ", "
        + phase.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  private static String refusal(TenantId tenant, OnboardingState state) {
    String where = "tenant " + tenant + " is in " + state + " (" + phaseText(state.phase()) + ")";
    return switch (state) {
      case REJECTED -> where + ": it was rejected during onboarding; only a person reopens it";
      case SUSPENDED -> where + ": no mail until a person lifts the suspension";
      case TERMINATED -> where + ": service ended";
      default ->
          where
              + ": no mail until it has passed vetting, sender-domain verification and content"
              + " review";
    };
  }

  private static Reason reason(String rule, Outcome effect, String detail) {
    return Reason.of(GATE, rule, effect, detail);
  }

  private static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }

  private static LocalDate dayOf(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }

  /** Configures a {@link TenantGate}. */
  public static final class Builder {
    private final OnboardingStateMachine onboarding;
    private final PilotStore pilot;
    private GovernanceEvaluator governance;
    private GovernanceMetricsStore metrics;
    private SenderIdentities senders;
    private WarmUpPlan plan = WarmUpPlan.ofDefaults();
    private SenderFallbackPolicy fallback = SenderFallbackPolicy.none();
    private boolean allowUnenrolled;
    private ContentReviewer reviewer;
    private int sampleEvery = DEFAULT_SAMPLE_EVERY;
    private Predicate<TenantId> freeForm = t -> false;

    private Builder(OnboardingStateMachine onboarding, PilotStore pilot) {
      this.onboarding = Checks.notNull("onboarding", onboarding);
      this.pilot = Checks.notNull("pilot", pilot);
    }

    /**
     * Governance: the evaluator whose standings the gate applies and records content warnings on,
     * and the metrics store its delivered counts are read from. Required.
     */
    public Builder governance(GovernanceEvaluator evaluator, GovernanceMetricsStore metrics) {
      this.governance = Checks.notNull("governance", evaluator);
      this.metrics = Checks.notNull("metrics", metrics);
      return this;
    }

    /** Where the From address and its authentication are asked. Required. */
    public Builder senders(SenderIdentities senders) {
      this.senders = Checks.notNull("senders", senders);
      return this;
    }

    /** The warm-up plan (default {@link WarmUpPlan#ofDefaults()}). */
    public Builder plan(WarmUpPlan plan) {
      this.plan = Checks.notNull("plan", plan);
      return this;
    }

    /** The fallback for mail not From an authenticated domain (default none). */
    public Builder fallbackPolicy(SenderFallbackPolicy policy) {
      this.fallback = Checks.notNull("fallbackPolicy", policy);
      return this;
    }

    /**
     * Lets tenants with no onboarding record send (under their sender and governance checks, with
     * no warm-up): for tenants that sent before onboarding was introduced. Default: refused.
     */
    public Builder allowUnenrolled() {
      this.allowUnenrolled = true;
      return this;
    }

    /**
     * Samples one allowed message in {@code every} of each tenant {@code freeForm} says writes its
     * own content to {@code reviewer} (default: no sampling; {@value #DEFAULT_SAMPLE_EVERY} is the
     * usual rate). Counted per tenant in this instance.
     */
    public Builder sampling(ContentReviewer reviewer, int every, Predicate<TenantId> freeForm) {
      this.reviewer = Checks.notNull("reviewer", reviewer);
      if (every < 1) {
        throw new InvalidWarmUpPlanException(
            "sampling every " + every + " messages: it must be at least 1");
      }
      this.sampleEvery = every;
      this.freeForm = Checks.notNull("freeForm", freeForm);
      return this;
    }

    /**
     * The gate.
     *
     * @throws InvalidWarmUpPlanException naming {@code governance} or {@code senders} if not set
     */
    public TenantGate build() {
      if (governance == null) {
        throw new InvalidWarmUpPlanException(
            "governance(evaluator, metrics) is required: the gate applies the tenant's standing"
                + " and reads its delivered mail");
      }
      if (senders == null) {
        throw new InvalidWarmUpPlanException(
            "senders(...) is required: the gate checks each message's From domain");
      }
      return new TenantGate(this);
    }
  }
}
