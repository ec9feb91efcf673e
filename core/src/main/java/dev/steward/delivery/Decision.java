package dev.steward.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a gate says of a message: allow, defer until {@link #notBefore()}, or suppress; always with
 * the reasons that led there.
 */
public record Decision(Outcome outcome, Instant notBefore, List<Reason> reasons) {

  public Decision {
    Objects.requireNonNull(outcome, "outcome");
    if (outcome == Outcome.DEFER && notBefore == null) {
      throw new IllegalArgumentException("a deferral needs the instant it defers to");
    }
    if (outcome != Outcome.DEFER && notBefore != null) {
      throw new IllegalArgumentException(outcome + " carries no notBefore instant");
    }
    reasons = List.copyOf(reasons);
  }

  public static Decision allow(List<Reason> reasons) {
    return new Decision(Outcome.ALLOW, null, reasons);
  }

  public static Decision allow(Reason... reasons) {
    return allow(List.of(reasons));
  }

  public static Decision defer(Instant until, List<Reason> reasons) {
    return new Decision(Outcome.DEFER, until, reasons);
  }

  public static Decision suppress(List<Reason> reasons) {
    return new Decision(Outcome.SUPPRESS, null, reasons);
  }

  public static Decision suppress(Reason... reasons) {
    return suppress(List.of(reasons));
  }

  public boolean isAllowed() {
    return outcome == Outcome.ALLOW;
  }

  /** This decision with more reasons appended (for the pipeline's combined explanation). */
  public Decision withMoreReasons(List<Reason> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<Reason> all = new ArrayList<>(reasons.size() + more.size());
    all.addAll(reasons);
    all.addAll(more);
    return new Decision(outcome, notBefore, all);
  }

  @Override
  public String toString() {
    return outcome + (notBefore == null ? "" : " until " + notBefore) + " " + reasons;
  }
}
