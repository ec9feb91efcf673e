package dev.steward.ippool;

import dev.steward.governance.GovernanceMetric;
import dev.steward.governance.Level;
import dev.steward.governance.MetricWindow;
import dev.steward.governance.Standing;
import dev.steward.governance.StandingChange;
import dev.steward.governance.WindowReading;
import dev.steward.onboarding.OnboardingState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The default strategy: tiers with hysteresis, as {@link TierConfig} describes. */
final class TieredStrategy implements IpPoolStrategy {
  private final TierConfig config;

  TieredStrategy(TierConfig config) {
    this.config = config;
  }

  /** A metric at or above a threshold in one window. */
  private record Breach(GovernanceMetric metric, double value, double threshold, String window) {
    MoveReason reason(String what) {
      return MoveReason.metric(
          metric,
          value,
          threshold,
          metric.jsonName()
              + " "
              + percent(value)
              + " over "
              + window
              + " reached "
              + percent(threshold)
              + ": "
              + what);
    }
  }

  private record Target(Tier tier, MoveReason reason) {}

  @Override
  public List<PoolMove> propose(TenantView v) {
    InvalidIpPoolException.requireNonNull(v, "tenant view");
    List<PoolMove> moves = new ArrayList<>();
    for (Stream stream : Stream.values()) {
      if (!v.streams().contains(stream)) {
        continue;
      }
      Optional<PoolAssignment> cur = v.assignment(stream);
      Target t = decide(v, stream, cur);
      if (t == null) {
        continue;
      }
      PoolName to =
          t.tier() == Tier.DEDICATED
              ? config.dedicatedPool(v.tenant(), stream)
              : config.pool(t.tier(), stream);
      if (cur.isPresent() && cur.get().pool().equals(to)) {
        continue;
      }
      if (cur.isPresent()
          && t.tier() != Tier.QUARANTINE
          && cur.get().since().plus(config.minDwell()).isAfter(v.now())) {
        continue; // not yet: a stream stays a while, so no input flaps it between pools
      }
      moves.add(
          new PoolMove(
              v.tenant(),
              stream,
              cur.map(PoolAssignment::pool),
              to,
              t.tier(),
              cur.map(PoolAssignment::version).orElse(0L),
              t.reason()));
    }
    return moves;
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

  /** The tier the stream belongs in, or null to leave it where it is. */
  private Target decide(TenantView v, Stream stream, Optional<PoolAssignment> assignment) {
    Tier current = assignment.map(PoolAssignment::tier).orElse(null);
    Standing s = v.standing();
    OnboardingState o = v.onboarding().orElse(null);
    if (o != null && !o.maySend()) {
      return null; // a tenant that may not send needs no pool; an existing one stays
    }
    // the higher of the governance standing and the onboarding record's governance state, as the
    // tenant gate applies them: a person may quarantine or restrict through the record
    Level level = s.level();
    Level byRecord = o == null ? Level.NONE : levelOf(o);
    if (byRecord.compareTo(level) > 0) {
      level = byRecord;
      if (level.compareTo(Level.QUARANTINE) >= 0) {
        return new Target(
            Tier.QUARANTINE,
            MoveReason.onboarding(
                o,
                "the onboarding record says "
                    + o
                    + ": the tenant sends apart from the shared pools"));
      }
    }
    // quarantine (below) comes before the pilot: a quarantined pilot tenant leaves the warm-up
    // pool every new tenant shares
    Target pilot =
        o == OnboardingState.PILOT
            ? new Target(
                Tier.WARMUP,
                MoveReason.onboarding(
                    o, "the tenant is in its pilot: new tenants send from the warm-up pool"))
            : null;
    if (level == Level.RESTRICT) {
      // restricted: quarantined only as a repeat offender
      int repeats = escalations(s, v.now());
      if (repeats >= config.repeatCount()) {
        return new Target(
            Tier.QUARANTINE,
            MoveReason.standing(
                level,
                "standing "
                    + level.jsonName()
                    + " after "
                    + repeats
                    + " escalations within "
                    + config.repeatWithin().toDays()
                    + " days: a repeat offender sends from the quarantine pool"));
      }
    }
    if (level.compareTo(Level.QUARANTINE) >= 0) {
      return new Target(
          Tier.QUARANTINE,
          MoveReason.standing(
              level,
              "standing "
                  + level.jsonName()
                  + " since "
                  + s.since()
                  + ": the tenant sends apart from the shared pools"));
    }
    if (pilot != null) {
      return pilot;
    }
    if (assignment.isPresent() && current == Tier.PREMIUM) {
      Target out = leavePool(v, stream, assignment.get());
      if (out != null) {
        return out;
      }
    }
    Breach leave = worst(v.readings(), config.premiumLeaveRatio(), false);
    if (current == Tier.QUARANTINE && leave != null) {
      return null; // hysteresis: out of quarantine only once no metric reaches warn
    }
    Breach enterBlock = worst(v.readings(), config.premiumEnterRatio(), true);
    // no tenant joins a premium pool that is itself sending its worst tenants out
    boolean premiumPoolFit =
        v.pool(config.pool(Tier.PREMIUM, stream))
            .map(p -> !p.standing().atLeast(config.poolActLevel()))
            .orElse(true);
    // nor a stream whose own mail through its pool now would not be let in (the tenant's metrics
    // may hide one bad stream behind a clean one): it left for a reason, and returns without it
    boolean streamFit =
        assignment
            .flatMap(a -> v.pool(a.pool()))
            .map(p -> worst(p.tenantReadings(), config.premiumEnterRatio(), false) == null)
            .orElse(true);
    boolean fitForPremium =
        level == Level.NONE && enterBlock == null && premiumPoolFit && streamFit;
    if (current == Tier.DEDICATED || current == Tier.PREMIUM) {
      String pool = current == Tier.DEDICATED ? "its dedicated pool" : "the premium shared pool";
      if (leave != null) {
        return new Target(
            Tier.STANDARD, leave.reason("the tenant leaves " + pool + " before it damages it"));
      }
      if (level != Level.NONE) {
        return new Target(
            Tier.STANDARD,
            MoveReason.standing(
                level, "standing " + level.jsonName() + ": the tenant leaves " + pool));
      }
      if (current == Tier.DEDICATED) {
        if (v.dailySent30d() < config.dedicatedLeaveDaily()) {
          boolean premium = v.dailySent7d() >= config.premiumEnterDaily();
          return new Target(
              premium ? Tier.PREMIUM : Tier.STANDARD,
              MoveReason.volume(
                  v.dailySent30d(),
                  config.dedicatedLeaveDaily(),
                  "sends "
                      + Math.round(v.dailySent30d())
                      + " a day over 30 days, below the "
                      + config.dedicatedLeaveDaily()
                      + " a dedicated pool needs to stay warm"));
        }
        return null;
      }
    }
    if (current != Tier.DEDICATED
        && fitForPremium
        && v.dailySent30d() >= config.dedicatedEnterDaily()
        && cleanFor(v, config.dedicatedClean())) {
      return new Target(
          Tier.DEDICATED,
          MoveReason.volume(
              v.dailySent30d(),
              config.dedicatedEnterDaily(),
              "sends "
                  + Math.round(v.dailySent30d())
                  + " a day over 30 days (dedicated from "
                  + config.dedicatedEnterDaily()
                  + ") with a clean record for "
                  + config.dedicatedClean().toDays()
                  + " days"));
    }
    if (current == Tier.PREMIUM) {
      if (v.dailySent7d() < config.premiumLeaveDaily()) {
        return new Target(
            Tier.STANDARD,
            MoveReason.volume(
                v.dailySent7d(),
                config.premiumLeaveDaily(),
                "sends "
                    + Math.round(v.dailySent7d())
                    + " a day over 7 days, below the premium pool's "
                    + config.premiumLeaveDaily()));
      }
      return null;
    }
    if (fitForPremium
        && v.dailySent7d() >= config.premiumEnterDaily()
        && cleanFor(v, config.premiumClean())) {
      String text =
          "sends "
              + Math.round(v.dailySent7d())
              + " a day over 7 days (premium from "
              + config.premiumEnterDaily()
              + "), every metric below "
              + percent(config.premiumEnterRatio())
              + " of its warn threshold, clean for "
              + config.premiumClean().toDays()
              + " days";
      if (current == Tier.QUARANTINE || current == Tier.STANDARD) {
        return new Target(Tier.PREMIUM, MoveReason.of(MoveReason.Cause.RECOVERY, text));
      }
      return new Target(
          Tier.PREMIUM, MoveReason.volume(v.dailySent7d(), config.premiumEnterDaily(), text));
    }
    if (current == Tier.STANDARD) {
      return null;
    }
    if (current == Tier.QUARANTINE) {
      return new Target(
          Tier.STANDARD,
          MoveReason.of(
              MoveReason.Cause.RECOVERY,
              "standing "
                  + level.jsonName()
                  + " and no metric at its warn threshold: the tenant returns to the standard"
                  + " shared pool"));
    }
    if (current == Tier.WARMUP) {
      OnboardingState now = v.onboarding().orElse(OnboardingState.ACTIVE);
      return new Target(
          Tier.STANDARD,
          MoveReason.onboarding(
              now,
              "the tenant graduated from its pilot ("
                  + now.name().toLowerCase(Locale.ROOT)
                  + "): it moves to the standard shared pool"));
    }
    return new Target(
        Tier.STANDARD,
        v.onboarding().isPresent()
            ? MoveReason.onboarding(
                v.onboarding().get(), "first assignment of a graduated tenant: the standard pool")
            : MoveReason.of(
                MoveReason.Cause.CONFIGURATION,
                "first assignment without onboarding: the standard shared pool"));
  }

  /**
   * The move out of the premium shared pool when the pool's own standing is at the act level and
   * this tenant's mail through it raises the pool's breaching metric: to the standard pool (a
   * tenant whose standing calls for quarantine went there before this rule is asked); null when the
   * pool is fine, the tenant is not among those raising it, or the standard pool stands at the
   * block level or worse.
   */
  private Target leavePool(TenantView v, Stream stream, PoolAssignment at) {
    PoolView pv = v.pool(at.pool()).orElse(null);
    if (pv == null || !pv.standing().atLeast(config.poolActLevel())) {
      return null;
    }
    Tier to = Tier.STANDARD;
    PoolName toPool = config.pool(to, stream);
    boolean blocked =
        v.pool(toPool).map(p -> p.standing().atLeast(config.poolBlockLevel())).orElse(false);
    if (blocked) {
      return null; // a pool's standing never moves a tenant into a pool in trouble itself
    }
    for (dev.steward.governance.Breach b : pv.standing().breaches()) {
      if (b.level().compareTo(config.poolActLevel()) < 0) {
        continue;
      }
      for (WindowReading r : pv.tenantReadings()) {
        if (r.window() != b.window()) {
          continue;
        }
        double mine = r.value(b.metric());
        double bar = config.poolLeaveRatio() * b.value();
        if (b.metric().numeratorOf(r.counts()) > 0 && mine >= bar) {
          return new Target(
              to,
              MoveReason.metric(
                  b.metric(),
                  mine,
                  bar,
                  "pool "
                      + at.pool()
                      + " stands at "
                      + pv.standing().level().jsonName()
                      + ": "
                      + b.explain()
                      + "; this tenant's "
                      + b.metric().jsonName()
                      + " through it is "
                      + percent(mine)
                      + " ("
                      + b.metric().numeratorOf(r.counts())
                      + " of "
                      + b.metric().denominatorOf(r.counts())
                      + ") over "
                      + b.window().label()
                      + ", at least "
                      + percent(bar)
                      + ": it leaves for "
                      + toPool
                      + " before it damages the pool"));
        }
      }
    }
    return null;
  }

  private static boolean cleanFor(TenantView v, Duration d) {
    return v.cleanSince().map(since -> !since.plus(d).isAfter(v.now())).orElse(false);
  }

  /** Escalations to restrict or above within the repeat period. */
  private int escalations(Standing s, Instant now) {
    Instant from = now.minus(config.repeatWithin());
    int n = 0;
    for (StandingChange c : s.history()) {
      if (c.to().isAbove(c.from())
          && c.to().compareTo(Level.RESTRICT) >= 0
          && !c.at().isBefore(from)) {
        n++;
      }
    }
    return n;
  }

  /**
   * The metric furthest at or above {@code ratio} of its warn threshold in the judged windows; for
   * entering ({@code entering}), the 7-day window must hold enough mail, and its absence blocks.
   */
  private Breach worst(List<WindowReading> readings, double ratio, boolean entering) {
    Breach worst = null;
    double worstShare = 0;
    boolean sevenDaysJudged = false;
    for (WindowReading r : readings) {
      if (!r.sufficient() || (entering && r.window() != MetricWindow.SEVEN_DAYS)) {
        continue;
      }
      sevenDaysJudged |= r.window() == MetricWindow.SEVEN_DAYS;
      for (GovernanceMetric m : GovernanceMetric.values()) {
        double threshold = ratio * config.warnThreshold(m);
        double value = r.value(m);
        if (threshold > 0 && value >= threshold && value / threshold > worstShare) {
          worstShare = value / threshold;
          worst = new Breach(m, value, threshold, r.window().label());
        }
      }
    }
    if (entering && !sevenDaysJudged) {
      return new Breach(GovernanceMetric.HARD_BOUNCE_RATE, 0, 0, "7d (too little mail to judge)");
    }
    return worst;
  }

  private static String percent(double rate) {
    return String.format(Locale.ROOT, "%.2f%%", rate * 100);
  }
}
