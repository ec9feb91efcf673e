package dev.steward.onboarding;

import static dev.steward.onboarding.GateSupport.reason;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
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
    if (message.kind() == MessageKind.TRANSACTIONAL && now.isBefore(graceUntil)) {
      Reason grace =
          reason(
              RULE + "-grace",
              Outcome.ALLOW,
              where
                  + "; end-of-service policy: its transactional mail passes until "
                  + graceUntil
                  + " (grace "
                  + policy.grace().toDays()
                  + " days)");
      Reason from = sender.check(message);
      return from.effect() == Outcome.ALLOW
          ? Decision.allow(List.of(grace, from))
          : Decision.suppress(List.of(grace, from));
    }
    String why =
        message.kind() == MessageKind.TRANSACTIONAL
            ? "; end-of-service policy: its grace for transactional mail ("
                + policy.grace().toDays()
                + " days) ended at "
                + graceUntil
            : "; end-of-service policy: no "
                + kind
                + " mail after termination (only transactional mail, for "
                + policy.grace().toDays()
                + " days)";
    return Decision.suppress(List.of(reason(RULE, Outcome.SUPPRESS, where + why)));
  }
}
