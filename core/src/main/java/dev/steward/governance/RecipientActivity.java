package dev.steward.governance;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a {@link GovernanceMetricsStore} knows of one recipient address of a tenant: when it was
 * first mailed, and when it last opened or clicked.
 */
public record RecipientActivity(Instant firstSent, Optional<Instant> lastEngaged) {
  public RecipientActivity {
    InvalidGovernanceException.requireNonNull(firstSent, "firstSent");
    InvalidGovernanceException.requireNonNull(lastEngaged, "lastEngaged");
  }

  /**
   * True if mail sent at {@code at} goes to an inactive address: mailed for at least {@code period}
   * and no open or click within it.
   */
  public boolean inactiveAt(Instant at, Duration period) {
    Instant since = at.minus(period);
    return !firstSent.isAfter(since) && lastEngaged.map(e -> e.isBefore(since)).orElse(true);
  }
}
