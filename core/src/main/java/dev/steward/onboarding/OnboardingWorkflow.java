package dev.steward.onboarding;

import dev.steward.model.TenantId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs tenants through the first three phases of onboarding, vetting, sender-domain verification
 * and content review, into the pilot: each phase's checklist gives a report, whose verdict is
 * recorded on the tenant's durable record; a passing report moves the tenant on, anything else
 * leaves it in the phase until it passes or a reviewer decides ({@link #decide}). A verdict that
 * failed or asked for review can only be overcome by a person (see {@link
 * OnboardingRecord#cleared}).
 *
 * <p>The later phases use the same {@link #stateMachine()}: the pilot's tenant gate (not built
 * here) lets mail through only for tenants whose {@link OnboardingState#maySend()}.
 */
public final class OnboardingWorkflow {
  /** The actor of the vetting checklist's verdicts. */
  public static final Actor VETTING_RULE = Actor.rule("vetting-checklist");

  /** The actor of the domain checks' verdicts. */
  public static final Actor DOMAIN_RULE = Actor.rule("sender-domain-checks");

  /** The actor of the content checks' verdicts. */
  public static final Actor CONTENT_RULE = Actor.rule("content-checks");

  private final OnboardingStateMachine machine;
  private final List<VettingCheck> vettingChecks;
  private final List<ContentCheck> contentChecks;
  private final Optional<SenderAuthentication> senderAuthentication;
  private final Optional<SenderDomainChecks> domainChecks;
  private final SenderFallbackPolicy fallback;
  private final Clock clock;

  private OnboardingWorkflow(Builder b) {
    OnboardingStateMachine.Builder m = OnboardingStateMachine.builder(b.clock, b.store);
    b.listeners.forEach(m::listener);
    this.machine = m.build();
    this.vettingChecks = List.copyOf(b.vettingChecks);
    this.contentChecks = List.copyOf(b.contentChecks);
    this.senderAuthentication = Optional.ofNullable(b.senderAuthentication);
    this.domainChecks = Optional.ofNullable(b.dns).map(SenderDomainChecks::of);
    this.fallback = b.fallback;
    this.clock = b.clock;
  }

  /** A builder over {@code store}, telling time by {@code clock}. */
  public static Builder builder(Clock clock, OnboardingStore store) {
    return new Builder(clock, store);
  }

  /** The state machine under this workflow, for the later phases and for governance. */
  public OnboardingStateMachine stateMachine() {
    return machine;
  }

  /** The tenant's record, if enrolled. */
  public Optional<OnboardingRecord> find(TenantId tenant) {
    return machine.find(tenant);
  }

  /** Enrols a tenant in vetting (or returns its record if it is enrolled already). */
  public OnboardingRecord enrol(TenantId tenant, Actor by) {
    return machine.enrol(tenant, by);
  }

  /**
   * Phase 1: runs the vetting checklist over {@code profile}, records its verdict, and moves the
   * tenant to domain verification if it passed.
   *
   * @throws IllegalTransitionException if the tenant is not in vetting
   */
  public PhaseOutcome vet(TenantId tenant, TenantProfile profile) {
    Checks.notNull("profile", profile);
    CheckReport report = VettingChecks.run(vettingChecks, tenant, profile);
    return conclude(tenant, report, VETTING_RULE, OnboardingState.DOMAIN_VERIFICATION);
  }

  /**
   * Phase 2, first step: asks the provider to authenticate {@code domain} for the tenant; the
   * result holds the DNS records to show the tenant.
   *
   * @throws IllegalTransitionException if the tenant is not in domain verification
   */
  public DomainAuthentication startDomainVerification(TenantId tenant, String domain) {
    String d = Domains.normalise("domain", domain);
    requireState(tenant, OnboardingState.DOMAIN_VERIFICATION);
    return requireAuthentication().create(tenant, d);
  }

  /**
   * Phase 2: validates the given domain authentications with the provider and checks SPF, DKIM and
   * DMARC of each; records the verdict and moves the tenant to content review if every domain
   * passed.
   *
   * @param authenticationIds the authentications of every sender domain; at least one
   */
  public PhaseOutcome verifySenderDomains(TenantId tenant, List<String> authenticationIds) {
    Checks.notNull("authenticationIds", authenticationIds);
    if (authenticationIds.isEmpty()) {
      throw new InvalidOnboardingInputException(
          "authenticationIds must name at least one domain authentication");
    }
    requireState(tenant, OnboardingState.DOMAIN_VERIFICATION);
    SenderAuthentication auth = requireAuthentication();
    SenderDomainChecks checks =
        domainChecks.orElseThrow(
            () ->
                new InvalidOnboardingInputException(
                    "dnsResolver is required to verify sender domains"));
    List<CheckResult> all = new ArrayList<>();
    for (int i = 0; i < authenticationIds.size(); i++) {
      String field = "authenticationIds[" + i + "]";
      String id = Checks.text(field, authenticationIds.get(i), 200);
      DomainAuthentication a =
          auth.find(tenant, id)
              .orElseThrow(
                  () ->
                      new InvalidOnboardingInputException(
                          field + ": tenant " + tenant + " has no '" + id + "'"));
      CheckReport r = checks.check(a, auth.validate(tenant, id));
      for (CheckResult c : r.results()) {
        // the domain names the result where it fits a check's name (200 characters), and always
        // leads its evidence: a domain may itself be 253 characters long
        String named = a.domain() + " " + c.check();
        List<String> evidence = new ArrayList<>(c.evidence().size() + 1);
        evidence.add("domain " + a.domain());
        evidence.addAll(c.evidence());
        all.add(
            new CheckResult(
                named.length() <= 200 ? named : c.check(), c.verdict(), c.summary(), evidence));
      }
    }
    CheckReport report = new CheckReport(OnboardingPhase.SENDER_DOMAIN_VERIFICATION, all);
    return conclude(tenant, report, DOMAIN_RULE, OnboardingState.CONTENT_REVIEW);
  }

  /**
   * Phase 2 by the fallback policy: when the policy offers the tenant a fallback (sending on behalf
   * from the ISV's domain, or single-sender verification for low volume), records a passing verdict
   * naming it and moves the tenant to content review. After a failed domain verification only a
   * person ({@code by} human) can clear the phase this way.
   *
   * @throws InvalidOnboardingInputException if the policy offers this tenant no fallback
   */
  public PhaseOutcome useSenderFallback(
      TenantId tenant, TenantProfile profile, Actor by, String reason) {
    Checks.notNull("by", by);
    String why = Checks.text("reason", reason, 2000);
    String fallbackUsed =
        fallback
            .fallbackFor(profile)
            .orElseThrow(
                () ->
                    new InvalidOnboardingInputException(
                        "the sender fallback policy ("
                            + fallback.mode()
                            + ") offers tenant "
                            + tenant
                            + " no fallback"));
    CheckReport report =
        new CheckReport(
            OnboardingPhase.SENDER_DOMAIN_VERIFICATION,
            List.of(CheckResult.pass("sender-fallback", fallbackUsed, List.of(why))));
    return conclude(tenant, report, by, OnboardingState.CONTENT_REVIEW);
  }

  /**
   * Phase 3: runs the content checks over the sample emails, records the verdict, and moves the
   * tenant into the pilot if every sample passed.
   */
  public PhaseOutcome reviewContent(
      TenantId tenant, List<SampleEmail> samples, ReviewContext context) {
    CheckReport report = ContentChecks.review(contentChecks, samples, context);
    return conclude(tenant, report, CONTENT_RULE, OnboardingState.PILOT);
  }

  /**
   * A reviewer's decision on the gate the tenant is in: recorded with the reviewer and reason; a
   * pass moves the tenant to the next phase.
   *
   * @throws InvalidOnboardingInputException if {@code reviewer} is not a person
   * @throws IllegalTransitionException if the tenant is not in {@code phase}
   */
  public OnboardingRecord decide(
      TenantId tenant, OnboardingPhase phase, Verdict verdict, Actor reviewer, String reason) {
    Checks.notNull("phase", phase);
    Checks.notNull("verdict", verdict);
    Checks.notNull("reviewer", reviewer);
    if (!reviewer.isHuman()) {
      throw new InvalidOnboardingInputException(
          "reviewer must be a person, was "
              + reviewer
              + "; rules record verdicts by running checks");
    }
    PhaseVerdict v =
        new PhaseVerdict(
            phase, verdict, reviewer, clock.instant(), reason, List.of("manual review"));
    OnboardingRecord r = machine.recordVerdict(tenant, v);
    if (verdict == Verdict.PASS) {
      return machine.transition(tenant, next(phase), reviewer, "passed by review: " + v.reason());
    }
    return r;
  }

  /** Refuses the tenant during the gates: it moves to {@link OnboardingState#REJECTED}. */
  public OnboardingRecord reject(TenantId tenant, Actor by, String reason) {
    return machine.transition(tenant, OnboardingState.REJECTED, by, reason);
  }

  private PhaseOutcome conclude(
      TenantId tenant, CheckReport report, Actor by, OnboardingState nextState) {
    Verdict v = report.verdict();
    String reason =
        v == Verdict.PASS
            ? report.results().size() + " checks passed"
            : report.problems().size()
                + " of "
                + report.results().size()
                + " checks did not pass: "
                + String.join(
                    "; ", report.problems().stream().map(CheckResult::check).limit(10).toList());
    List<String> findings = new ArrayList<>();
    for (String line : report.lines()) {
      findings.add(line.length() > 2000 ? line.substring(0, 2000) : line);
    }
    PhaseVerdict verdict =
        new PhaseVerdict(report.phase(), v, by, clock.instant(), reason, findings);
    OnboardingRecord r = machine.recordVerdict(tenant, verdict);
    if (v == Verdict.PASS && r.cleared(report.phase())) {
      r = machine.transition(tenant, nextState, by, report.phase() + " passed: " + reason);
    }
    return new PhaseOutcome(report, r);
  }

  private static OnboardingState next(OnboardingPhase gate) {
    return switch (gate) {
      case VETTING -> OnboardingState.DOMAIN_VERIFICATION;
      case SENDER_DOMAIN_VERIFICATION -> OnboardingState.CONTENT_REVIEW;
      case CONTENT_REVIEW -> OnboardingState.PILOT;
      default -> throw new InvalidOnboardingInputException("phase " + gate + " is not a gate");
    };
  }

  private void requireState(TenantId tenant, OnboardingState state) {
    Checks.notNull("tenant", tenant);
    OnboardingRecord r =
        machine
            .find(tenant)
            .orElseThrow(
                () ->
                    new InvalidOnboardingInputException(
                        "tenant " + tenant + " is not enrolled in onboarding"));
    if (r.state() != state) {
      throw new IllegalTransitionException(
          tenant, r.state(), state, "this step needs the tenant in " + state);
    }
  }

  private SenderAuthentication requireAuthentication() {
    return senderAuthentication.orElseThrow(
        () ->
            new InvalidOnboardingInputException(
                "senderAuthentication is required to verify sender domains"));
  }

  /** Configures an {@link OnboardingWorkflow}. */
  public static final class Builder {
    private final Clock clock;
    private final OnboardingStore store;
    private List<VettingCheck> vettingChecks = VettingChecks.profileChecks();
    private List<ContentCheck> contentChecks = ContentChecks.defaults();
    private SenderAuthentication senderAuthentication;
    private DnsResolver dns;
    private SenderFallbackPolicy fallback = SenderFallbackPolicy.none();
    private final List<OnboardingListener> listeners = new ArrayList<>();

    private Builder(Clock clock, OnboardingStore store) {
      this.clock = Checks.notNull("clock", clock);
      this.store = Checks.notNull("store", store);
    }

    /** The vetting checklist (default {@link VettingChecks#profileChecks()}); at least one. */
    public Builder vettingChecks(List<VettingCheck> checks) {
      this.vettingChecks = nonEmpty("vettingChecks", checks);
      return this;
    }

    /** The content checks (default {@link ContentChecks#defaults()}); at least one. */
    public Builder contentChecks(List<ContentCheck> checks) {
      this.contentChecks = nonEmpty("contentChecks", checks);
      return this;
    }

    /** The provider's sender authentication; needed for domain verification. */
    public Builder senderAuthentication(SenderAuthentication auth) {
      this.senderAuthentication = Checks.notNull("senderAuthentication", auth);
      return this;
    }

    /** The resolver the SPF, DKIM and DMARC checks ask; needed for domain verification. */
    public Builder dnsResolver(DnsResolver dns) {
      this.dns = Checks.notNull("dnsResolver", dns);
      return this;
    }

    /** The fallback policy for tenants without an authenticated domain (default none). */
    public Builder fallbackPolicy(SenderFallbackPolicy policy) {
      this.fallback = Checks.notNull("fallbackPolicy", policy);
      return this;
    }

    /** Adds a listener of onboarding events. */
    public Builder listener(OnboardingListener listener) {
      listeners.add(Checks.notNull("listener", listener));
      return this;
    }

    private static <T> List<T> nonEmpty(String field, List<T> checks) {
      Checks.notNull(field, checks);
      if (checks.isEmpty()) {
        throw new InvalidOnboardingInputException(field + " must hold at least one check");
      }
      for (int i = 0; i < checks.size(); i++) {
        Checks.notNull(field + "[" + i + "]", checks.get(i));
      }
      return List.copyOf(checks);
    }

    /** The workflow. */
    public OnboardingWorkflow build() {
      return new OnboardingWorkflow(this);
    }
  }
}
