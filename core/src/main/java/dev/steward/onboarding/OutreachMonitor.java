package dev.steward.onboarding;

import dev.steward.governance.Breach;
import dev.steward.governance.GovernanceDecision;
import dev.steward.governance.GovernanceMetric;
import dev.steward.governance.Level;
import dev.steward.governance.StandingChanged;
import dev.steward.governance.StandingListener;
import dev.steward.governance.WindowReading;
import dev.steward.model.TenantId;
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
 * (or instances) see it: listeners hear it once per episode. Only tenants in ACTIVE are flagged: a
 * tenant still in its pilot or pool assignment, or in a governance state, is governance's.
 */
public final class OutreachMonitor implements StandingListener {
  private static final Logger LOG = LoggerFactory.getLogger(OutreachMonitor.class);

  /** The actor of outreach moves. */
  public static final Actor RULE = Actor.rule("outreach-monitor");

  /** "Mostly": a tenant whose mail goes more than half to unengaged addresses is flagged. */
  public static final double DEFAULT_UNENGAGED_SHARE = 0.5;

  private final OnboardingStateMachine machine;
  private final double unengagedShare;
  private final List<OutreachListener> listeners;

  private OutreachMonitor(Builder b) {
    this.machine = b.machine;
    this.unengagedShare = b.unengagedShare;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
  }

  /** A builder moving tenants on {@code machine}. */
  public static Builder builder(OnboardingStateMachine machine) {
    return new Builder(machine);
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
    try {
      machine.transition(tenant, OnboardingState.OUTREACH, RULE, explanation);
    } catch (IllegalTransitionException ex) {
      // flagged (or moved) meanwhile, by another evaluation: its episode is told once
      LOG.debug("tenant {} not flagged: {}", tenant, ex.getMessage());
      return;
    }
    OutreachFlag flag =
        new OutreachFlag(tenant, at, reasons, level, breaches, readings, explanation);
    for (OutreachListener l : listeners) {
      try {
        l.onFlagged(flag);
      } catch (RuntimeException ex) {
        LOG.warn("outreach listener failed on tenant {}; the flag stands", tenant, ex);
      }
    }
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
    try {
      machine.transition(tenant, OnboardingState.ACTIVE, RULE, explanation);
    } catch (IllegalTransitionException ex) {
      LOG.debug("tenant {} not cleared: {}", tenant, ex.getMessage());
      return;
    }
    OutreachFlag.Cleared cleared = new OutreachFlag.Cleared(tenant, at, explanation);
    for (OutreachListener l : listeners) {
      try {
        l.onCleared(cleared);
      } catch (RuntimeException ex) {
        LOG.warn("outreach listener failed on tenant {}; ignored", tenant, ex);
      }
    }
  }

  private static String percent(double rate) {
    return String.format(Locale.ROOT, "%.2f%%", rate * 100);
  }

  /** Configures an {@link OutreachMonitor}. */
  public static final class Builder {
    private final OnboardingStateMachine machine;
    private double unengagedShare = DEFAULT_UNENGAGED_SHARE;
    private final List<OutreachListener> listeners = new ArrayList<>();

    private Builder(OnboardingStateMachine machine) {
      this.machine = Checks.notNull("machine", machine);
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
