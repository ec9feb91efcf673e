package dev.steward.ippool;

import java.util.List;
import java.util.Optional;

/**
 * What applying a plan did, move by move.
 *
 * @param planId the plan applied
 * @param outcomes one per move of the plan, in its order
 */
public record ApplyResult(String planId, List<MoveOutcome> outcomes) {
  public ApplyResult {
    InvalidIpPoolException.requireNonNull(planId, "planId");
    outcomes = List.copyOf(InvalidIpPoolException.requireNonNull(outcomes, "outcomes"));
  }

  /** What happened to one move. */
  public enum Status {
    /** Applied by this run: the provider changed and the change recorded. */
    APPLIED,
    /** Found applied already (by an earlier run, or another instance): nothing done. */
    ALREADY_APPLIED,
    /** The stream has moved since the plan was made: the move no longer applies; plan again. */
    STALE,
    /** Not applied: the target pool has no IP with validated reverse DNS to send from. */
    BLOCKED,
    /** The provider failed; the run stopped here. Run the plan again to complete it. */
    FAILED,
    /** Not tried, because an earlier move failed. */
    NOT_RUN
  }

  /** One move's outcome, with a detail for blocked and failed ones. */
  public record MoveOutcome(PoolMove move, Status status, Optional<String> detail) {
    public MoveOutcome {
      InvalidIpPoolException.requireNonNull(move, "move");
      InvalidIpPoolException.requireNonNull(status, "status");
      InvalidIpPoolException.requireNonNull(detail, "detail");
    }
  }

  /** True if every move is in effect or no longer applies: nothing is left to run again. */
  public boolean complete() {
    return outcomes.stream()
        .allMatch(
            o ->
                o.status() == Status.APPLIED
                    || o.status() == Status.ALREADY_APPLIED
                    || o.status() == Status.STALE);
  }

  /** How many moves ended with {@code status}. */
  public long count(Status status) {
    return outcomes.stream().filter(o -> o.status() == status).count();
  }
}
