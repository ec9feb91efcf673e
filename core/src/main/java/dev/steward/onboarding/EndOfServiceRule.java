package dev.steward.onboarding;

import static dev.steward.onboarding.GateSupport.reason;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The {@link TenantGate}'s decision on a terminated tenant's mail under an {@link
 * EndOfServicePolicy}: transactional mail passes (under the sender rule) during the grace, and
 * everything else is refused with a reason naming the policy.
 */
final class EndOfServiceRule {
  static final String RULE = "end-of-service";

  private EndOfServiceRule() {}

  static Decision decide(
      EndOfServicePolicy policy,
      OnboardingRecord record,
      Message message,
      Instant now,
      SenderRule sender) {
    Instant terminatedAt = record.enteredAt(OnboardingState.TERMINATED).orElse(Instant.MIN);
    Instant graceUntil =
        terminatedAt.equals(Instant.MIN) ? Instant.MIN : policy.graceUntil(terminatedAt);
    String where = "tenant " + record.tenant() + " was terminated at " + terminatedAt;
    String kind = message.kind().name().toLowerCase(Locale.ROOT);
    // no grace is none, also on a clock that reads before the termination (another instance's,
    // or one stepped back): the stored termination is the fact, not this clock's idea of it
    boolean inGrace = !policy.grace().isZero() && now.isBefore(graceUntil);
    String grace = length(policy.grace());
    if (message.kind() == MessageKind.TRANSACTIONAL && inGrace) {
      Reason passes =
          reason(
              RULE + "-grace",
              Outcome.ALLOW,
              where
                  + "; end-of-service policy: its transactional mail passes until "
                  + graceUntil
                  + " (grace "
                  + grace
                  + ")");
      Reason from = sender.check(message);
      return from.effect() == Outcome.ALLOW
          ? Decision.allow(List.of(passes, from))
          : Decision.suppress(List.of(passes, from));
    }
    boolean none = policy.grace().isZero();
    String why;
    if (message.kind() == MessageKind.TRANSACTIONAL) {
      why =
          none
              ? "; end-of-service policy: no grace for transactional mail"
              : "; end-of-service policy: its grace for transactional mail ("
                  + grace
                  + ") ended at "
                  + graceUntil;
    } else {
      why =
          "; end-of-service policy: no "
              + kind
              + " mail after termination"
              + (none
                  ? " (and no grace for transactional mail)"
                  : " (only transactional mail, for " + grace + ")");
    }
    return Decision.suppress(List.of(reason(RULE, Outcome.SUPPRESS, where + why)));
  }

  /**
   * A grace (not zero) as people say it: whole days, hours or minutes, else the ISO-8601 duration.
   */
  static String length(Duration d) {
    if (d.equals(Duration.ofDays(d.toDays()))) {
      return plural(d.toDays(), "day");
    }
    if (d.equals(Duration.ofHours(d.toHours()))) {
      return plural(d.toHours(), "hour");
    }
    if (d.equals(Duration.ofMinutes(d.toMinutes()))) {
      return plural(d.toMinutes(), "minute");
    }
    return d.toString();
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}
