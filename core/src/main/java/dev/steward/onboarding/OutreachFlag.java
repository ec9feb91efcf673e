package dev.steward.onboarding;

import dev.steward.governance.Breach;
import dev.steward.governance.Level;
import dev.steward.governance.WindowReading;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A tenant flagged for outreach, and why.
 *
 * @param tenant the tenant
 * @param at when
 * @param reasons what caused it: the warn rung reached, mail mostly to unengaged addresses, or both
 * @param level the tenant's governance level
 * @param breaches the metrics at or above a rung's threshold (metric, value, threshold, window)
 * @param readings every window read, with its counts (the inactive share among them)
 * @param explanation the cause in words, as the tenant's onboarding audit trail keeps it
 * @param noticeId the notice's id, the same each time this episode's flag is told again (a listener
 *     that must act once de-duplicates on it): {@code <tenant>/outreach-<enrolment>-<n>}, unique
 *     across tenants and episodes
 */
public record OutreachFlag(
    TenantId tenant,
    Instant at,
    Set<Reason> reasons,
    Level level,
    List<Breach> breaches,
    List<WindowReading> readings,
    String explanation,
    String noticeId) {
  public OutreachFlag {
    Checks.notNull("tenant", tenant);
    Checks.notNull("at", at);
    reasons = Set.copyOf(Checks.notNull("reasons", reasons));
    Checks.notNull("level", level);
    breaches = List.copyOf(Checks.notNull("breaches", breaches));
    readings = List.copyOf(Checks.notNull("readings", readings));
    Checks.notNull("explanation", explanation);
    Checks.notNull("noticeId", noticeId);
  }

  /** What flags a tenant. */
  public enum Reason {
    /** Governance put the tenant on the warn rung (or above). */
    WARN_RUNG,
    /** The share of its mail sent to addresses with no open or click is above the threshold. */
    MOSTLY_UNENGAGED
  }

  /**
   * A tenant's outreach episode ended.
   *
   * @param tenant the tenant
   * @param at when
   * @param explanation why, in words
   * @param noticeId the notice's id, the same each time it is told again (see {@link
   *     OutreachFlag#noticeId})
   */
  public record Cleared(TenantId tenant, Instant at, String explanation, String noticeId) {
    public Cleared {
      Checks.notNull("tenant", tenant);
      Checks.notNull("at", at);
      Checks.notNull("explanation", explanation);
      Checks.notNull("noticeId", noticeId);
    }
  }
}
