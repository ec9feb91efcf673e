package dev.steward.governance;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The ladder's rules as pure functions: which rungs the readings reach ({@link #breaches}) and what
 * a standing becomes ({@link #decide}): up at once to the highest rung reached; a termination
 * review on repeat offences; renewed while the metrics stay; down one rung after the clean time or
 * when an action expires unrenewed; nothing while a human override is in force or the data is too
 * little. No store, clock or listener: the {@link GovernanceEvaluator} reads, stores and tells.
 */
final class StandingDecider {
  private final Ladder ladder;

  StandingDecider(Ladder ladder) {
    this.ladder = ladder;
  }

  /** The breaches in readings: per window and metric, the highest rung reached. */
  List<Breach> breaches(List<WindowReading> readings) {
    List<Breach> out = new ArrayList<>();
    for (WindowReading r : readings) {
      if (!r.sufficient()) {
        continue;
      }
      for (GovernanceMetric m : GovernanceMetric.values()) {
        double v = r.value(m);
        Rung reached = null;
        for (Rung rung : ladder.rungs().values()) {
          Optional<Double> t = rung.threshold(m);
          if (t.isPresent() && v >= t.get()) {
            reached = rung;
          }
        }
        if (reached != null) {
          out.add(
              new Breach(
                  m,
                  r.window(),
                  v,
                  reached.threshold(m).get(),
                  reached.level(),
                  m.numeratorOf(r.counts()),
                  m.denominatorOf(r.counts())));
        }
      }
    }
    out.sort(
        Comparator.comparing(Breach::level)
            .reversed()
            .thenComparing(b -> b.value() / b.threshold(), Comparator.reverseOrder()));
    return out;
  }

  /** The decision for a standing: a pure function of its arguments and the ladder. */
  GovernanceDecision decide(
      Standing current, List<WindowReading> readings, List<Breach> breaches, Instant now) {
    Level cur = current.level();
    Standing s = current;
    String prefix = "";
    if (s.override().isPresent() && !s.overriddenAt(now)) {
      // a human's timed decision has run out: back to the standing evaluation computes
      boolean judged = readings.stream().anyMatch(WindowReading::sufficient);
      Level before = s.override().get().resumeTo();
      Level computed = breaches.isEmpty() ? Level.NONE : breaches.get(0).level();
      // metrics above the level it returns to are an escalation from that level, taken below (so
      // that a repeat offence reached this way is counted as any other)
      Level resume =
          before == Level.TERMINATE || !judged || computed.isAbove(before) ? before : computed;
      String why =
          Explanations.overrideEnded(s.override().get(), now)
              + Explanations.resumed(resume, before, computed, judged);
      s =
          s.with(
              resume,
              resume == s.level() ? s.since() : now,
              automaticExpiry(resume, now),
              Optional.empty(),
              s.terminationReview(),
              Optional.empty(),
              new StandingChange(now, s.level(), resume, Cause.OVERRIDE_ENDED, why));
      cur = resume;
      prefix = why + "; ";
    }
    if (s.overriddenAt(now)) {
      return decision(
          current,
          s,
          Cause.OVERRIDE_IN_FORCE,
          breaches,
          readings,
          now,
          Explanations.overrideInForce(s.override().get(), breaches));
    }
    boolean anySufficient = readings.stream().anyMatch(WindowReading::sufficient);
    if (cur == Level.TERMINATE) {
      return decision(
          current, s, Cause.UNCHANGED, breaches, readings, now, prefix + Explanations.terminated());
    }
    if (s.terminationReview()) {
      // "suspended until a human decides": no expiry or clean week lifts it (an override does)
      return decision(
          current,
          s,
          Cause.UNCHANGED,
          breaches,
          readings,
          now,
          prefix + Explanations.heldForReview(cur));
    }
    if (!anySufficient) {
      if (cur != Level.NONE && s.expiresAt().isPresent() && !now.isBefore(s.expiresAt().get())) {
        return stepDown(
            current,
            s,
            Level.NONE,
            Cause.EXPIRED,
            breaches,
            readings,
            now,
            prefix + Explanations.expiredTooLittleMail(cur, s.expiresAt().get(), readings));
      }
      return decision(
          current,
          s,
          Cause.INSUFFICIENT_DATA,
          breaches,
          readings,
          now,
          prefix + Explanations.insufficientData(readings, ladder.minimumDelivered()));
    }
    Level target = breaches.isEmpty() ? Level.NONE : breaches.get(0).level();
    if (target.isAbove(cur)) {
      return escalate(current, s, target, breaches, readings, now, prefix);
    }
    if (cur == Level.NONE) {
      return decision(
          current,
          s,
          Cause.UNCHANGED,
          breaches,
          readings,
          now,
          prefix + Explanations.goodStanding(readings));
    }
    if (target == cur) {
      Standing renewed =
          s.with(
              cur,
              s.since(),
              automaticExpiry(cur, now),
              Optional.empty(),
              s.terminationReview(),
              s.override(),
              null);
      return decision(
          current,
          renewed,
          Cause.RENEWED,
          breaches,
          readings,
          now,
          prefix + Explanations.stillAt(cur, breaches));
    }
    // metrics call for less than the current level
    Instant clean = s.cleanSince().orElse(now);
    boolean cleanLongEnough = !now.isBefore(clean.plus(ladder.stepDownAfter()));
    boolean expired = s.expiresAt().isPresent() && !now.isBefore(s.expiresAt().get());
    String metricsNow = Explanations.metricsNow(target, breaches);
    if (cleanLongEnough || expired) {
      Cause cause = cleanLongEnough ? Cause.STEPPED_DOWN : Cause.EXPIRED;
      String why =
          prefix
              + (cleanLongEnough
                  ? Explanations.cleanSince(clean, ladder.stepDownAfter(), metricsNow)
                  : Explanations.expired(cur, s.expiresAt().get(), metricsNow));
      return stepDown(current, s, target, cause, breaches, readings, now, why);
    }
    Standing waiting =
        s.with(
            cur,
            s.since(),
            s.expiresAt(),
            Optional.of(clean),
            s.terminationReview(),
            s.override(),
            null);
    return decision(
        current,
        waiting,
        Cause.UNCHANGED,
        breaches,
        readings,
        now,
        prefix + Explanations.waitingToStepDown(metricsNow, clean, ladder.stepDownAfter()));
  }

  /** Up to {@code to} at once; to a termination review if that makes a repeat offence. */
  private GovernanceDecision escalate(
      Standing current,
      Standing s,
      Level to,
      List<Breach> breaches,
      List<WindowReading> readings,
      Instant now,
      String prefix) {
    Level cur = s.level(); // the level it leaves: the resumed one when an override just ended
    String why = prefix + Explanations.explainAt(breaches, to);
    boolean review = s.terminationReview();
    Standing escalated =
        s.with(
            to,
            now,
            automaticExpiry(to, now),
            Optional.empty(),
            review,
            Optional.empty(),
            new StandingChange(now, cur, to, Cause.ESCALATED, why));
    Level rl = ladder.repeatLevel();
    if (rl.isAbove(cur) && !rl.isAbove(to) && !review) {
      long count =
          escalated.history().stream()
              .filter(c -> !c.at().isBefore(now.minus(ladder.repeatWithin())))
              .filter(c -> c.cause() == Cause.ESCALATED || c.cause() == Cause.TERMINATION_REVIEW)
              .filter(c -> !rl.isAbove(c.to()) && rl.isAbove(c.from()))
              .count();
      if (count >= ladder.repeatCount()) {
        Level suspended = Level.SUSPEND.isAbove(to) ? Level.SUSPEND : to;
        String rwhy = why + Explanations.terminationReview(count, rl, ladder.repeatWithin());
        Standing reviewed =
            s.with(
                suspended,
                now,
                automaticExpiry(suspended, now),
                Optional.empty(),
                true,
                Optional.empty(),
                new StandingChange(now, cur, suspended, Cause.TERMINATION_REVIEW, rwhy));
        return decision(current, reviewed, Cause.TERMINATION_REVIEW, breaches, readings, now, rwhy);
      }
    }
    return decision(current, escalated, Cause.ESCALATED, breaches, readings, now, why);
  }

  private GovernanceDecision stepDown(
      Standing original,
      Standing s,
      Level floor,
      Cause cause,
      List<Breach> breaches,
      List<WindowReading> readings,
      Instant now,
      String why) {
    Level cur = s.level();
    Level to = below(cur);
    if (floor.isAbove(to)) {
      to = floor;
    }
    Optional<Instant> clean = to.isAbove(floor) ? Optional.of(now) : Optional.empty();
    Standing next =
        s.with(
            to,
            now,
            automaticExpiry(to, now),
            clean,
            to.compareTo(Level.SUSPEND) >= 0 && s.terminationReview(),
            Optional.empty(),
            new StandingChange(now, cur, to, cause, why));
    return decision(original, next, cause, breaches, readings, now, why);
  }

  /** The next lower level that has a rung, or NONE. */
  private Level below(Level l) {
    for (int i = l.ordinal() - 1; i > 0; i--) {
      Level candidate = Level.values()[i];
      if (ladder.rung(candidate).isPresent()) {
        return candidate;
      }
    }
    return Level.NONE;
  }

  /**
   * When an automatic action at {@code l} taken now ends unless renewed; none for NONE, TERMINATE.
   */
  Optional<Instant> automaticExpiry(Level l, Instant now) {
    return l == Level.NONE || l == Level.TERMINATE
        ? Optional.empty()
        : Optional.of(now.plus(ladder.expiryOf(l)));
  }

  private static GovernanceDecision decision(
      Standing before,
      Standing after,
      Cause cause,
      List<Breach> breaches,
      List<WindowReading> readings,
      Instant now,
      String why) {
    TenantId tenant = before.tenant();
    return new GovernanceDecision(
        tenant, now, before.level(), cause, breaches, readings, why, after);
  }
}
