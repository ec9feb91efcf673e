package dev.steward.onboarding;

import static dev.steward.onboarding.GateSupport.dayOf;
import static dev.steward.onboarding.GateSupport.last;

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
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TenantGate}'s warm-up ladder: judges a tenant's last active day at its first message
 * of a new day (advance a stage, graduate, or stay), drops a stage once per new governance warning,
 * starts the warm-up again after the plan's idle days, and moves a graduated tenant on to {@link
 * OnboardingState#POOL_ASSIGNMENT}.
 */
final class PilotLadder {
  private static final Logger log = LoggerFactory.getLogger(TenantGate.class);

  private static final Duration DAY = Duration.ofDays(1);

  private final OnboardingStateMachine onboarding;
  private final PilotStore pilot;
  private final GovernanceEvaluator governance;
  private final GovernanceMetricsStore metrics;
  private final WarmUpPlan plan;

  PilotLadder(
      OnboardingStateMachine onboarding,
      PilotStore pilot,
      GovernanceEvaluator governance,
      GovernanceMetricsStore metrics,
      WarmUpPlan plan) {
    this.onboarding = onboarding;
    this.pilot = pilot;
    this.governance = governance;
    this.metrics = metrics;
    this.plan = plan;
  }

  /**
   * The tenant's pilot state as of now: judged again at the first message of a new day, or when a
   * new governance warning appeared; otherwise read.
   */
  PilotState judge(
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
      onboarding.transition(tenant, OnboardingState.POOL_ASSIGNMENT, TenantGate.PILOT_RULE, why);
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
}
