package dev.steward.onboarding;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * A tenant's end of service, as told to {@link EndOfServiceListener}s.
 *
 * @param tenant the terminated tenant
 * @param terminatedAt when it entered {@link OnboardingState#TERMINATED}
 * @param graceUntil until when its transactional mail still passes the gate
 * @param eraseAt when its data is erased; empty under a legal hold
 * @param noticeId stable for this termination, the same on every retry: de-duplicate on it
 */
public record EndOfServiceNotice(
    TenantId tenant,
    Instant terminatedAt,
    Instant graceUntil,
    Optional<Instant> eraseAt,
    String noticeId) {
  /** Validates the notice. */
  public EndOfServiceNotice {
    Checks.notNull("tenant", tenant);
    Checks.notNull("terminatedAt", terminatedAt);
    Checks.notNull("graceUntil", graceUntil);
    Checks.notNull("eraseAt", eraseAt);
    Checks.notNull("noticeId", noticeId);
  }
}
