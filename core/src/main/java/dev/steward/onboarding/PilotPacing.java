package dev.steward.onboarding;

import static dev.steward.onboarding.GateSupport.dayOf;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.Level;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link TenantGate}'s daily pacing: the cap a tenant's mail is counted against today (its
 * pilot stage's, cut while restricted) and the reservation of one message against it in the {@link
 * PilotStore}, spread over the UTC day; mail over the pace or the cap is deferred to when it fits.
 */
final class PilotPacing {
  private static final Duration DAY = Duration.ofDays(1);

  private final PilotStore pilot;
  private final WarmUpPlan plan;
  private final GovernanceEvaluator governance;
  private final Map<TenantId, LocalDate> purgedOn = new ConcurrentHashMap<>();

  PilotPacing(PilotStore pilot, WarmUpPlan plan, GovernanceEvaluator governance) {
    this.pilot = pilot;
    this.plan = plan;
    this.governance = governance;
  }

  /** A daily cap, the rule that set it and how a reason describes it. */
  record Cap(long perDay, String rule, String text) {}

  /**
   * The cap a message is counted against: the pilot stage's ({@code pilotState} present and not
   * graduated), cut by the ladder's factor while restricted (the plan's last stage's, cut, outside
   * the pilot); none otherwise.
   */
  Optional<Cap> capOf(Optional<PilotState> pilotState, Level level) {
    long cap = -1;
    String capRule = null;
    String capText = null;
    if (pilotState.isPresent() && !pilotState.get().graduated()) {
      int stage = Math.min(pilotState.get().stage(), plan.size() - 1);
      cap = plan.cap(stage);
      capRule = "warm-up-stage-" + (stage + 1);
      capText = "pilot stage " + (stage + 1) + " of " + plan.size() + " (" + cap + " a day)";
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
    return cap < 0 ? Optional.empty() : Optional.of(new Cap(cap, capRule, capText));
  }

  /**
   * Reserves the message against {@code cap} today: adds the reason and answers empty if granted,
   * or the deferral until the message fits.
   */
  Optional<Decision> reserve(Message message, Instant now, Cap c, List<Reason> reasons) {
    long cap = c.perDay();
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
              TenantGate.GATE,
              c.rule(),
              Outcome.ALLOW,
              c.text()
                  + ": "
                  + r.used()
                  + " sent today, "
                  + allowed
                  + " allowed by now at an even pace with a burst of "
                  + plan.burstOf(cap),
              usage,
              null));
      return Optional.empty();
    }
    Duration wait = plan.whenNextFits(cap, r.used());
    Instant at = dayStart.plus(wait);
    String detail;
    if (r.used() >= cap) {
      at = dayEnd;
      detail =
          c.text() + ": the day's cap of " + cap + " is used (" + r.used() + " sent); next UTC day";
    } else {
      if (!at.isAfter(now)) {
        at = now.plusSeconds(1);
      }
      detail =
          c.text()
              + ": "
              + r.used()
              + " sent today is ahead of the even pace ("
              + allowed
              + " allowed by now); deferred until the next fits";
    }
    reasons.add(Reason.of(TenantGate.GATE, c.rule(), Outcome.DEFER, detail, usage, at));
    return Optional.of(Decision.defer(at, reasons));
  }
}
