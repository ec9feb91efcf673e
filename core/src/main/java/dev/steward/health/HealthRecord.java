package dev.steward.health;

import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.time.Instant;

/**
 * One stored score of a tenant's account, with the scorecard version that produced it.
 *
 * @param tenant the tenant the account belongs to: the same account id under two tenants is two
 *     accounts
 * @param value NaN when {@link ScoreStatus#INSUFFICIENT}
 * @param overridden true when a manual override set the value
 */
public record HealthRecord(
    TenantId tenant,
    AccountId account,
    Instant asOf,
    ScoreStatus status,
    double value,
    double coverage,
    String scorecardId,
    int scorecardVersion,
    boolean overridden) {

  public HealthRecord {
    InvalidHealthInputException.requireNonNull(tenant, "health record tenant");
    InvalidHealthInputException.requireNonNull(account, "health record account");
    InvalidHealthInputException.requireNonNull(asOf, "health record asOf");
    InvalidHealthInputException.requireNonNull(status, "health record status");
    InvalidHealthInputException.requireNonNull(scorecardId, "health record scorecardId");
    if (status == ScoreStatus.SCORED && !(value >= 0 && value <= 100)) {
      throw new InvalidHealthInputException(
          "a scored record needs a value within 0..100, got " + value);
    }
    if (status == ScoreStatus.INSUFFICIENT) {
      value = Double.NaN;
    }
  }

  /** The record of a tenant's account's computed score. */
  public static HealthRecord of(TenantId tenant, AccountId account, HealthScore score) {
    InvalidHealthInputException.requireNonNull(score, "health score");
    return new HealthRecord(
        tenant,
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
