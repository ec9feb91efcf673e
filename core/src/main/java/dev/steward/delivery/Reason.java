package dev.steward.delivery;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a gate decided as it did: one rule, its effect and, for counting rules, the count it saw.
 *
 * @param gate the gate that applied the rule ("consent", "frequency", ...)
 * @param rule a stable identifier of the rule ("contact-2-per-P7D", "global-opt-out", ...)
 * @param effect what the rule alone says of the message
 * @param detail a sentence a person can read
 * @param usage for caps: how many of the limit the window holds, else null
 * @param allowedFrom for a deferring rule: the first instant this rule allows, else null
 */
public record Reason(
    String gate,
    String rule,
    Outcome effect,
    String detail,
    Optional<Usage> usage,
    Optional<Instant> allowedFrom) {

  public Reason {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(allowedFrom, "allowedFrom");
  }

  /** A reason without counts. */
  public static Reason of(String gate, String rule, Outcome effect, String detail) {
    return new Reason(gate, rule, effect, detail, Optional.empty(), Optional.empty());
  }

  /**
   * A reason with what the rule counted and from when it allows; either may be null when the rule
   * has none.
   */
  public static Reason of(
      String gate, String rule, Outcome effect, String detail, Usage usage, Instant allowedFrom) {
    return new Reason(
        gate, rule, effect, detail, Optional.ofNullable(usage), Optional.ofNullable(allowedFrom));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(gate).append('/').append(rule).append(": ");
    sb.append(effect).append(" - ").append(detail);
    usage.ifPresent(
        u -> sb.append(" [").append(u.used()).append('/').append(u.limit()).append(']'));
    allowedFrom.ifPresent(at -> sb.append(" (allowed from ").append(at).append(')'));
    return sb.toString();
  }

  /**
   * How much of a cap the current window holds.
   *
   * @param used messages already counted in the window (before this one)
   * @param limit the cap
   * @param windowStart the window's first instant (inclusive)
   * @param windowEnd the window's end (exclusive)
   */
  public record Usage(long used, long limit, Instant windowStart, Instant windowEnd) {}
}
