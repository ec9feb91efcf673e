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
   * and no open or click within it. Never for a period reaching back before the earliest {@link
   * Instant} (such as {@code ChronoUnit.FOREVER}'s): no address was mailed that long before.
   */
  public boolean inactiveAt(Instant at, Duration period) {
    Instant since = since(at, period);
    return since != null
        && !firstSent.isAfter(since)
        && lastEngaged.map(e -> e.isBefore(since)).orElse(true);
  }

  /**
   * {@code at} minus {@code period}, or null when that is before {@link Instant#MIN} (every instant
   * is then after it), where {@link Instant#minus} would throw: the builders accept any period of a
   * day or more.
   */
  static Instant since(Instant at, Duration period) {
    if (period.isNegative()) {
      return at.minus(period);
    }
    long room = at.getEpochSecond() - Instant.MIN.getEpochSecond(); // 0 or more, no overflow
    long seconds = period.getSeconds();
    if (seconds < room) {
      return at.minus(period);
    }
    int nanos = at.getNano() - period.getNano();
    return seconds > room || nanos < 0
        ? null
        : Instant.ofEpochSecond(Instant.MIN.getEpochSecond(), nanos);
  }
}
