package dev.steward.ippool;

import dev.steward.governance.GovernanceMetric;
import dev.steward.governance.Level;
import dev.steward.onboarding.OnboardingState;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Why a stream moves: what caused it (onboarding phase, standing, a metric, volume), with the value
 * and threshold where a number decided it, and a sentence for people.
 *
 * @param cause what kind of input decided the move
 * @param metric the metric that decided it, for {@link Cause#METRIC}
 * @param value the metric's value, or the daily volume for {@link Cause#VOLUME}
 * @param threshold the threshold it was compared with
 * @param level the governance level behind it, for {@link Cause#STANDING}
 * @param onboarding the onboarding state behind it, for {@link Cause#ONBOARDING}
 * @param explanation one sentence naming the input, its value and the rule
 */
public record MoveReason(
    Cause cause,
    Optional<GovernanceMetric> metric,
    OptionalDouble value,
    OptionalDouble threshold,
    Optional<Level> level,
    Optional<OnboardingState> onboarding,
    String explanation) {

  /** What kind of input decided a move. */
  public enum Cause {
    /** The tenant's onboarding state (a new tenant warming up, or graduating). */
    ONBOARDING,
    /** The tenant's governance standing (quarantine, or stepping down from it). */
    STANDING,
    /** A reputation metric crossing the tier's threshold. */
    METRIC,
    /** The tenant's sustained daily volume. */
    VOLUME,
    /** The tenant's clean record after a problem: its return. */
    RECOVERY,
    /** The configuration changed the pool of a tier. */
    CONFIGURATION,
    /** A human decided it. */
    MANUAL
  }

  public MoveReason {
    InvalidIpPoolException.requireNonNull(cause, "reason cause");
    InvalidIpPoolException.requireNonNull(metric, "reason metric");
    InvalidIpPoolException.requireNonNull(value, "reason value");
    InvalidIpPoolException.requireNonNull(threshold, "reason threshold");
    InvalidIpPoolException.requireNonNull(level, "reason level");
    InvalidIpPoolException.requireNonNull(onboarding, "reason onboarding");
    InvalidIpPoolException.requireNonNull(explanation, "reason explanation");
    if (explanation.isBlank()) {
      throw new InvalidIpPoolException("a move reason needs an explanation");
    }
  }

  /** A reason of {@code cause} explained in words only. */
  public static MoveReason of(Cause cause, String explanation) {
    return new MoveReason(
        cause,
        Optional.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        Optional.empty(),
        Optional.empty(),
        explanation);
  }

  /** A metric reached (or fell below) a threshold. */
  public static MoveReason metric(
      GovernanceMetric metric, double value, double threshold, String explanation) {
    return new MoveReason(
        Cause.METRIC,
        Optional.of(metric),
        OptionalDouble.of(value),
        OptionalDouble.of(threshold),
        Optional.empty(),
        Optional.empty(),
        explanation);
  }

  /** The governance standing decided it. */
  public static MoveReason standing(Level level, String explanation) {
    return new MoveReason(
        Cause.STANDING,
        Optional.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        Optional.of(level),
        Optional.empty(),
        explanation);
  }

  /** The onboarding state decided it. */
  public static MoveReason onboarding(OnboardingState state, String explanation) {
    return new MoveReason(
        Cause.ONBOARDING,
        Optional.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        Optional.empty(),
        Optional.of(state),
        explanation);
  }

  /** The daily volume decided it. */
  public static MoveReason volume(double perDay, double threshold, String explanation) {
    return new MoveReason(
        Cause.VOLUME,
        Optional.empty(),
        OptionalDouble.of(perDay),
        OptionalDouble.of(threshold),
        Optional.empty(),
        Optional.empty(),
        explanation);
  }

  @Override
  public String toString() {
    return cause.name().toLowerCase(java.util.Locale.ROOT) + ": " + explanation;
  }
}
