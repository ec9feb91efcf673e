package dev.steward.health;

import dev.steward.model.AccountId;
import java.time.Instant;
import java.util.Objects;

/**
 * One stored score of an account, with the scorecard version that produced it.
 *
 * @param value NaN when {@link ScoreStatus#INSUFFICIENT}
 * @param overridden true when a manual override set the value
 */
public record HealthRecord(
    AccountId account,
    Instant asOf,
    ScoreStatus status,
    double value,
    double coverage,
    String scorecardId,
    int scorecardVersion,
    boolean overridden) {

  public HealthRecord {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(scorecardId, "scorecardId");
    if (status == ScoreStatus.SCORED && !(value >= 0 && value <= 100)) {
      throw new IllegalArgumentException("a scored record needs a value within 0..100, got " + value);
    }
    if (status == ScoreStatus.INSUFFICIENT) {
      value = Double.NaN;
    }
  }

  /** The record of a computed score. */
  public static HealthRecord of(AccountId account, HealthScore score) {
    return new HealthRecord(
        account,
        score.asOf(),
        score.status(),
        score.value(),
        score.coverage(),
        score.scorecardId(),
        score.scorecardVersion(),
        score.override() != null);
  }

  /** True when the record has a value. */
  public boolean isScored() {
    return status == ScoreStatus.SCORED;
  }
}
