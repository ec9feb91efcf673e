package dev.steward.onboarding;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.Level;
import dev.steward.governance.Standing;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 *   <li><b>Sampling.</b> About one allowed message in N of a tenant allowed free-form content goes
 *       to the {@link ContentReviewer}, chosen from the message id (a well-mixed hash modulo N), so
 *       every instance samples the same messages and a retry is sampled exactly when its first
 *       dispatch was; a rejection ({@link #contentRejected}) is a content warning on the governance
 *       ladder, which in the pilot drops a stage.
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

  private final OnboardingStateMachine onboarding;
  private final PilotStore pilot;
  private final GovernanceEvaluator governance;
  private final WarmUpPlan plan;
  private final AdmissionRules admission;
  private final SenderRule sender;
  private final PilotLadder ladder;
  private final PilotPacing pacing;
  private final ContentSampler sampler;
  // end of service (phase 8): what a terminated tenant may still send, if a policy is set
  private final Optional<EndOfServicePolicy> endOfService;

  private TenantGate(Builder b) {
    this.onboarding = b.onboarding;
    this.pilot = b.pilot;
    this.governance = b.governance;
    this.plan = b.plan;
    this.admission = new AdmissionRules(b.allowUnenrolled);
    this.sender = new SenderRule(b.senders, b.fallback);
    this.ladder = new PilotLadder(b.onboarding, b.pilot, b.governance, b.metrics, b.plan);
    this.pacing = new PilotPacing(b.pilot, b.plan, b.governance);
    this.sampler = new ContentSampler(Optional.ofNullable(b.reviewer), b.sampleEvery, b.freeForm);
    this.endOfService = Optional.ofNullable(b.endOfService);
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
    // end of service (phase 8): a terminated tenant's mail is the policy's to decide, when set
    if (endOfService.isPresent()
        && record.isPresent()
        && record.get().state() == OnboardingState.TERMINATED) {
      return EndOfServiceRule.decide(endOfService.get(), record.get(), message, now, sender);
    }
    if (!admission.admits(tenant, record, () -> onboarding.erased(tenant), reasons)) {
      return Decision.suppress(reasons);
    }
    Optional<OnboardingState> state = record.map(OnboardingRecord::state);
    Reason from = sender.check(message);
    reasons.add(from);
    if (from.effect() != Outcome.ALLOW) {
      return Decision.suppress(reasons);
    }
    Standing standing = governance.standing(tenant);
    Level level = AdmissionRules.effectiveLevel(standing.level(), state);
    reasons.add(AdmissionRules.standingReason(tenant, standing, level));
    if (AdmissionRules.refuses(level)) {
      return Decision.suppress(reasons);
    }
    boolean inPilot =
        state.orElse(null) == OnboardingState.PILOT
            || (state.isPresent()
                && state.get().isGovernance()
                && record.get().resumeTo().orElse(null) == OnboardingState.PILOT);
    Optional<PilotState> pilotState =
        inPilot
            ? Optional.of(ladder.judge(tenant, now, standing, level, state.get()))
            : Optional.empty();
    Optional<PilotPacing.Cap> cap = pacing.capOf(pilotState, level);
    if (cap.isPresent()) {
      Optional<Decision> deferred = pacing.reserve(message, now, cap.get(), reasons);
      if (deferred.isPresent()) {
        return deferred.get();
      }
    }
    sampler.sample(message, now, reasons);
    return Decision.allow(reasons);
  }

  @Override
  public void release(Message message, Instant decidedAt) {
    pilot.release(message.tenant(), GateSupport.dayOf(decidedAt), message.id());
  }

  /** Counts a pilot send that went out after all, once per message and day. */
  @Override
  public void confirmSent(Message message, Instant sentAt) {
    TenantId tenant = message.tenant();
    Level level =
        AdmissionRules.effectiveLevel(
            governance.standing(tenant).level(),
            onboarding.find(tenant).map(OnboardingRecord::state));
    boolean counted =
        pilot.find(tenant).map(s -> !s.graduated()).orElse(false) || level == Level.RESTRICT;
    if (counted) {
      pilot.confirm(tenant, GateSupport.dayOf(sentAt), message.id());
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
    private EndOfServicePolicy endOfService;

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
     * no warm-up): for tenants that sent before onboarding was introduced. A tenant whose record
     * was erased ({@link OnboardingStore#erased}: after its termination, or by a person) is not one
     * of them and stays refused until enrolled again. Default: refused.
     */
    public Builder allowUnenrolled() {
      this.allowUnenrolled = true;
      return this;
    }

    /**
     * Samples about one allowed message in {@code every} of each tenant {@code freeForm} says
     * writes its own content to {@code reviewer} (default: no sampling; {@value
     * #DEFAULT_SAMPLE_EVERY} is the usual rate). Which messages is decided from their ids, the same
     * in every instance: N instances together sample one in {@code every}, and an instance hands a
     * message over once.
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
     * What a terminated tenant may still send ({@link EndOfServicePolicy}): its transactional mail
     * during the grace, with every other message refused with a reason naming the policy. Default:
     * none, and a terminated tenant's mail is refused outright.
     */
    public Builder endOfService(EndOfServicePolicy policy) {
      this.endOfService = Checks.notNull("endOfService", policy);
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
