package dev.steward.delivery;

import dev.steward.internal.ComputedList;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a gate says of a message: allow, defer until {@link #notBefore()}, or suppress; always with
 * the reasons that led there. A deferral's reasons include the rule that set its instant, with that
 * instant as its {@link Reason#allowedFrom()}. A gate may compute its reasons when they are first
 * read (the frequency limiter does); they are the same whenever they are read.
 *
 * @param notBefore present exactly when the outcome is DEFER: the instant it defers to
 */
public record Decision(Outcome outcome, Optional<Instant> notBefore, List<Reason> reasons) {

  public Decision {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(notBefore, "notBefore (Optional.empty() when not deferred)");
    if (outcome == Outcome.DEFER && notBefore.isEmpty()) {
      throw new IllegalArgumentException("a deferral needs the instant it defers to");
    }
    if (outcome != Outcome.DEFER && notBefore.isPresent()) {
      throw new IllegalArgumentException(outcome + " carries no notBefore instant");
    }
    // an explanation computed on first read is immutable already; copying it would compute it
    reasons = reasons instanceof ComputedList<?> ? reasons : List.copyOf(reasons);
  }

  public static Decision allow(List<Reason> reasons) {
    return new Decision(Outcome.ALLOW, Optional.empty(), reasons);
  }

  public static Decision allow(Reason... reasons) {
    return allow(List.of(reasons));
  }

  /** A deferral until {@code until} (non-null). */
  public static Decision defer(Instant until, List<Reason> reasons) {
    return new Decision(
        Outcome.DEFER,
        Optional.of(Objects.requireNonNull(until, "a deferral needs the instant it defers to")),
        reasons);
  }

  public static Decision suppress(List<Reason> reasons) {
    return new Decision(Outcome.SUPPRESS, Optional.empty(), reasons);
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
    return outcome + notBefore.map(t -> " until " + t).orElse("") + " " + reasons;
  }
}
