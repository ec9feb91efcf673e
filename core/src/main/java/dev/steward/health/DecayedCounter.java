package dev.steward.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An event count whose every event loses half its weight per half-life: {@code value(t) = sum of
 * amount * 2^(-(t - eventTime) / halfLife)}. Immutable. Counters of the same half-life {@link #merge
 * merge}, and the order of adding does not matter, so a batch recount and a stream of updates reach
 * the same value (to floating-point rounding).
 *
 * @param value the decayed count as of {@code reference}
 * @param reference the time the value is expressed at: the latest event or update seen
 */
public record DecayedCounter(Duration halfLife, double value, Instant reference) {
  public DecayedCounter {
    Objects.requireNonNull(halfLife, "halfLife");
    Objects.requireNonNull(reference, "reference");
    if (halfLife.isZero() || halfLife.isNegative()) {
      throw new IllegalArgumentException("halfLife must be positive, got " + halfLife);
    }
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException("value must be a finite non-negative number, got " + value);
    }
  }

  /** An empty counter that has been counting since {@code since}. */
  public static DecayedCounter empty(Duration halfLife, Instant since) {
    return new DecayedCounter(halfLife, 0, since);
  }

  /** This counter with {@code amount} more events at {@code at} (which may be earlier than others). */
  public DecayedCounter plus(Instant at, double amount) {
    if (!Double.isFinite(amount) || amount < 0) {
      throw new IllegalArgumentException("amount must be a finite non-negative number, got " + amount);
    }
    if (at.isAfter(reference)) {
      return new DecayedCounter(halfLife, factor(reference, at) * value + amount, at);
    }
    return new DecayedCounter(halfLife, value + amount * factor(at, reference), reference);
  }

  /** This counter with one event at {@code at}. */
  public DecayedCounter plus(Instant at) {
    return plus(at, 1);
  }

  /** This counter brought up to date at {@code at} with no new events; never moves backwards. */
  public DecayedCounter advanceTo(Instant at) {
    return at.isAfter(reference)
        ? new DecayedCounter(halfLife, factor(reference, at) * value, at)
        : this;
  }

  /** The sum of both counters' events; both must have the same half-life. */
  public DecayedCounter merge(DecayedCounter other) {
    if (!other.halfLife.equals(halfLife)) {
      throw new IllegalArgumentException(
          "cannot merge counters with half-lives " + halfLife + " and " + other.halfLife);
    }
    return other.reference.isAfter(reference)
        ? new DecayedCounter(halfLife, factor(reference, other.reference) * value + other.value, other.reference)
        : new DecayedCounter(halfLife, value + other.value * factor(other.reference, reference), reference);
  }

  /** The decayed count at {@code at}, which must not be before the reference. */
  public double valueAt(Instant at) {
    if (at.isBefore(reference)) {
      throw new IllegalArgumentException(
          "counter is expressed at " + reference + "; cannot read it earlier, at " + at);
    }
    return factor(reference, at) * value;
  }

  /** The counter as a measure input: its value at its reference time, which the calculator decays. */
  public Observation observation() {
    return new Observation(value, reference);
  }

  private double factor(Instant from, Instant to) {
    return HealthScoreCalculator.decayed(
        1, Duration.between(from, to).toMillis(), (double) halfLife.toMillis());
  }
}
