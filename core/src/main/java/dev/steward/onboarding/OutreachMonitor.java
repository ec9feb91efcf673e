package dev.steward.onboarding;

import dev.steward.governance.Breach;
import dev.steward.governance.GovernanceDecision;
import dev.steward.governance.GovernanceMetric;
import dev.steward.governance.Level;
import dev.steward.governance.StandingChanged;
import dev.steward.governance.StandingListener;
import dev.steward.governance.WindowReading;
import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.KindSettings;
import dev.steward.schedule.Next;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Onboarding's phase 7, engagement: listens to governance (add it to the evaluator as a {@link
 * StandingListener}) and flags a tenant for outreach when governance puts it on the warn rung or
 * above, or when more than a share ({@link #DEFAULT_UNENGAGED_SHARE} by default) of its mail in a
 * window governance could judge went to addresses with no open or click ({@link
 * GovernanceMetric#INACTIVE_SHARE}).
 *
 * <p>A flag is a move of the tenant from {@link OnboardingState#ACTIVE} to {@link
 * OnboardingState#OUTREACH}, by {@link #RULE}, with the metrics that caused it as the reason on the
 * tenant's audit trail; the {@link OutreachListener}s hear it with the metrics. The episode lasts
 * until an evaluation finds the tenant at no level and its mail no longer mostly unengaged: the
 * tenant moves back to ACTIVE and the listeners hear {@link OutreachListener#onCleared}. Since the
 * move is stored over the record's version, one episode is flagged once, however many evaluations
 * (or instances) see it. Only tenants in ACTIVE are flagged: a tenant still in its pilot or pool
 * assignment, or in a governance state, is governance's.
 *
 * <p>The listeners are told at least once, as due work ({@value #NOTICE_KIND}, one item per
 * episode's move, under the tenant): the notice is stored before the move, and delivered (on a
 * runner's thread, {@link #register}) only once the move it announces is on the tenant's audit
 * trail, so an instance that dies after the move, or a store whose answer is lost, leaves the
 * notice to be told by whichever instance claims it. A listener that throws fails the delivery,
 * which is retried with back-off ({@link #NOTICE_RETRY}; then DEAD, for an operator), and every
 * listener hears it again: listeners de-duplicate on {@link OutreachFlag#noticeId()}. A notice
 * whose move never got stored (another instance moved the tenant first, or the store refused) is
 * dropped unheard; erasing the tenant cancels its notices with its other work.
 */
public final class OutreachMonitor implements StandingListener {
  private static final Logger LOG = LoggerFactory.getLogger(OutreachMonitor.class);

  /** The actor of outreach moves. */
  public static final Actor RULE = Actor.rule("outreach-monitor");

  /** "Mostly": a tenant whose mail goes more than half to unengaged addresses is flagged. */
  public static final double DEFAULT_UNENGAGED_SHARE = 0.5;

  /** The work kind of a pending outreach notice. */
  public static final String NOTICE_KIND = "steward.onboarding.outreach-notice";

  /**
   * How a notice whose listener threw is retried: 30 seconds, doubling up to an hour apart, 50
   * attempts (about two days), then DEAD.
   */
  public static final RetryPolicy NOTICE_RETRY =
      new RetryPolicy(50, Duration.ofSeconds(30), Duration.ofHours(1));

  // a notice found before its move is stored waits this long between looks, and is dropped once
  // its move has not appeared for NOTICE_ABANDON (the move failed without an answer)
  private static final Duration NOTICE_WAIT = Duration.ofSeconds(30);
  private static final Duration NOTICE_ABANDON = Duration.ofHours(1);

  private static final WorkType<OutreachNotice> NOTICE =
      WorkType.of(NOTICE_KIND, 1, OutreachNotice::write, OutreachNotice::read);

  private final OnboardingStateMachine machine;
  private final WorkStore work;
  private final Clock clock;
  private final double unengagedShare;
  private final List<OutreachListener> listeners;

  private OutreachMonitor(Builder b) {
    this.machine = b.machine;
    this.work = b.work;
    this.clock = b.machine.clock();
    this.unengagedShare = b.unengagedShare;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
  }

  /**
   * A builder moving tenants on {@code machine} and keeping the notices to tell in {@code work}
   * (register the monitor with a runner over the same store: {@link #register}).
   */
  public static Builder builder(OnboardingStateMachine machine, WorkStore work) {
    return new Builder(machine, work);
  }

  /**
   * Adds the delivery of outreach notices to {@code runner}, whose store must be the one given to
   * the builder; returns {@code runner}.
   */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    Checks.notNull("runner", runner);
    if (runner.store() != work) {
      throw new InvalidOnboardingInputException(
          "the outreach monitor keeps its notices in another work store than the runner's:"
              + " they would never be told");
    }
    runner.handler(
        NOTICE, WorkHandler.sync(this::deliver), KindSettings.DEFAULT.withRetry(NOTICE_RETRY));
    return runner;
  }

  /** The share of unengaged mail above which a tenant is flagged. */
  public double unengagedShare() {
    return unengagedShare;
  }

  @Override
  public void onDecision(GovernanceDecision d) {
    Set<OutreachFlag.Reason> reasons = EnumSet.noneOf(OutreachFlag.Reason.class);
    List<String> why = new ArrayList<>();
    if (d.level().isAbove(Level.NONE)) {
      reasons.add(OutreachFlag.Reason.WARN_RUNG);
      StringBuilder w = new StringBuilder("governance level " + d.level().jsonName());
      if (!d.breaches().isEmpty()) {
        w.append(": ")
            .append(String.join("; ", d.breaches().stream().map(Breach::explain).toList()));
      }
      why.add(w.toString());
    }
    for (WindowReading r : d.readings()) {
      double share = r.value(GovernanceMetric.INACTIVE_SHARE);
      if (r.sufficient() && share > unengagedShare) {
        reasons.add(OutreachFlag.Reason.MOSTLY_UNENGAGED);
        why.add(
            "inactive-share "
                + percent(share)
                + " of "
                + r.counts().sent()
                + " sent over "
                + r.window().label()
                + " is above the outreach threshold "
                + percent(unengagedShare));
      }
    }
    if (reasons.isEmpty()) {
      clear(d.tenant(), d.at(), d.cause().name());
    } else {
      flag(d.tenant(), d.at(), reasons, d.level(), d.breaches(), d.readings(), why);
    }
  }

  @Override
  public void onChange(StandingChanged e) {
    // warnings no metric shows (a failed re-check, a rejected content sample) and overrides
    // reach the rung without an evaluation's decision
    if (e.to().isAbove(Level.NONE)) {
      flag(
          e.tenant(),
          e.at(),
          EnumSet.of(OutreachFlag.Reason.WARN_RUNG),
          e.to(),
          List.of(),
          List.of(),
          List.of("governance level " + e.to().jsonName() + ": " + e.explanation()));
    }
  }

  private void flag(
      TenantId tenant,
      Instant at,
      Set<OutreachFlag.Reason> reasons,
      Level level,
      List<Breach> breaches,
      List<WindowReading> readings,
      List<String> why) {
    Optional<OnboardingRecord> r = machine.find(tenant);
    if (r.isEmpty() || r.get().state() != OnboardingState.ACTIVE) {
      return;
    }
    String explanation = "flagged for outreach: " + String.join("; ", why);
    if (explanation.length() > 2000) {
      explanation = explanation.substring(0, 1997) + "...";
    }
    OutreachNotice notice =
        new OutreachNotice(
            true,
            r.get().enrolledAt(),
            r.get().transitions().size(),
            clock.instant(),
            at,
            reasons,
            level,
            breaches,
            readings,
            explanation);
    move(tenant, OnboardingState.OUTREACH, notice);
  }

  /**
   * Stores the notice, then makes the move it announces; a move stored at another place of the
   * audit trail than the one read (a person moved the tenant meanwhile and back) gets its own.
   */
  private void move(TenantId tenant, OnboardingState to, OutreachNotice notice) {
    schedule(tenant, notice);
    OnboardingRecord after;
    try {
      after = machine.transition(tenant, to, RULE, notice.explanation());
    } catch (IllegalTransitionException ex) {
      // moved meanwhile, by another evaluation or a person: the notice finds no move and is
      // dropped (or, if another instance's same move won, told once for both)
      LOG.debug("tenant {} not moved to {}: {}", tenant, to, ex.getMessage());
      return;
    }
    int stored = after.transitions().size() - 1;
    if (stored != notice.index()) {
      schedule(tenant, notice.at(stored));
    }
  }

  private void schedule(TenantId tenant, OutreachNotice notice) {
    work.schedule(
        WorkItem.builder(tenant, NOTICE_KIND, notice.itemId())
            .payload(OutreachNotice.write(notice))
            .dueAt(notice.createdAt())
            .build(),
        IfExists.KEEP);
  }

  private Next deliver(WorkContext<OutreachNotice> w) {
    TenantId tenant = w.item().key().tenant();
    OutreachNotice n = w.payload();
    Optional<OnboardingRecord> r = machine.find(tenant);
    if (r.isEmpty() || !r.get().enrolledAt().equals(n.enrolledAt())) {
      LOG.debug("outreach notice {} of tenant {} dropped: the record is gone", n.itemId(), tenant);
      return Next.done();
    }
    List<Transition> trail = r.get().transitions();
    if (trail.size() <= n.index()) {
      if (w.startedAt().isAfter(n.createdAt().plus(NOTICE_ABANDON))) {
        LOG.info("outreach notice {} of tenant {} dropped: its move never got stored", n, tenant);
        return Next.done();
      }
      return Next.rescheduleAt(w.startedAt().plus(NOTICE_WAIT));
    }
    Transition t = trail.get(n.index());
    OnboardingState to = n.flagged() ? OnboardingState.OUTREACH : OnboardingState.ACTIVE;
    if (t.to() != to || !t.by().equals(RULE)) {
      LOG.debug("outreach notice {} of tenant {} dropped: another move was stored", n, tenant);
      return Next.done();
    }
    String id = tenant.value() + "/" + n.itemId();
    OutreachFlag flag =
        n.flagged()
            ? new OutreachFlag(
                tenant,
                n.at(),
                n.reasons(),
                n.level(),
                n.breaches(),
                n.readings(),
                n.explanation(),
                id)
            : null;
    OutreachFlag.Cleared cleared =
        n.flagged() ? null : new OutreachFlag.Cleared(tenant, n.at(), n.explanation(), id);
    // every listener is told even when one throws; a failure fails the delivery, retried with
    // back-off and told to every listener again
    RuntimeException failed = null;
    for (OutreachListener l : listeners) {
      try {
        if (flag != null) {
          l.onFlagged(flag);
        } else {
          l.onCleared(cleared);
        }
      } catch (RuntimeException ex) {
        LOG.warn("outreach listener failed on notice {} of tenant {}", n.itemId(), tenant, ex);
        if (failed == null) {
          failed = ex;
        } else {
          failed.addSuppressed(ex);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
    return Next.done();
  }

  private void clear(TenantId tenant, Instant at, String cause) {
    Optional<OnboardingRecord> r = machine.find(tenant);
    if (r.isEmpty() || r.get().state() != OnboardingState.OUTREACH) {
      return;
    }
    String explanation =
        "outreach episode over: governance level none and mail no longer mostly to unengaged"
            + " addresses ("
            + cause.toLowerCase(Locale.ROOT)
            + ")";
    OutreachNotice notice =
        new OutreachNotice(
            false,
            r.get().enrolledAt(),
            r.get().transitions().size(),
            clock.instant(),
            at,
            Set.of(),
            Level.NONE,
            List.of(),
            List.of(),
            explanation);
    move(tenant, OnboardingState.ACTIVE, notice);
  }

  private static String percent(double rate) {
    return String.format(Locale.ROOT, "%.2f%%", rate * 100);
  }

  /** Configures an {@link OutreachMonitor}. */
  public static final class Builder {
    private final OnboardingStateMachine machine;
    private final WorkStore work;
    private double unengagedShare = DEFAULT_UNENGAGED_SHARE;
    private final List<OutreachListener> listeners = new ArrayList<>();

    private Builder(OnboardingStateMachine machine, WorkStore work) {
      this.machine = Checks.notNull("machine", machine);
      this.work = Checks.notNull("work", work);
    }

    /**
     * The share of a judged window's mail sent to unengaged addresses above which a tenant is
     * flagged: above 0 and at most 1; {@link #DEFAULT_UNENGAGED_SHARE} unless set.
     */
    public Builder unengagedShare(double share) {
      if (!(share > 0 && share <= 1)) {
        throw new InvalidOnboardingInputException(
            "outreach unengagedShare must be above 0 and at most 1, was " + share);
      }
      this.unengagedShare = share;
      return this;
    }

    /** Adds a listener of flags, called in the order added. */
    public Builder listener(OutreachListener listener) {
      listeners.add(Checks.notNull("listener", listener));
      return this;
    }

    /** The monitor. */
    public OutreachMonitor build() {
      return new OutreachMonitor(this);
    }
  }
}
