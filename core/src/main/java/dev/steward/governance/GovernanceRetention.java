package dev.steward.governance;

import dev.steward.schedule.Recurring;
import dev.steward.schedule.WorkRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Purges what no governance window reads any more, as recurring work ({@value #KIND}, daily):
 * hourly buckets after {@link #HOURS_KEPT}, daily buckets after {@link #DAYS_KEPT}, event marks
 * after {@link #MARKS_KEPT} (by the event's time: longer than SendGrid retries a batch, 24 hours,
 * plus the event ingestor's three days of de-duplication, so a redelivered event still finds its
 * mark). Without it a JDBC {@link GovernanceMetricsStore} keeps every bucket and mark for good; the
 * in-memory one reuses its buckets by itself but, like the JDBC one, keeps its event marks until
 * they are purged.
 */
public final class GovernanceRetention {
  /** The kind of the recurring work item. */
  public static final String KIND = "steward.retention.governance";

  /** How long hourly buckets are kept: the 24-hour window and a day of margin. */
  public static final Duration HOURS_KEPT = Duration.ofDays(2);

  /** How long daily buckets are kept: the 7-day window and a week of margin. */
  public static final Duration DAYS_KEPT = Duration.ofDays(14);

  /** How long event marks are kept, by the event's time. */
  public static final Duration MARKS_KEPT = Duration.ofDays(8);

  private final GovernanceMetricsStore store;
  private final Clock clock;
  private final Recurring recurring;

  private GovernanceRetention(GovernanceMetricsStore store, Clock clock, Duration every) {
    this.store = store;
    this.clock = clock;
    this.recurring = Recurring.builder(KIND, this::purge).every(every).build();
  }

  /** A daily purge of {@code store} as of {@code clock}. */
  public static GovernanceRetention of(GovernanceMetricsStore store, Clock clock) {
    return of(store, clock, Recurring.DEFAULT_EVERY);
  }

  /** A purge of {@code store} every {@code every}. */
  public static GovernanceRetention of(GovernanceMetricsStore store, Clock clock, Duration every) {
    return new GovernanceRetention(
        InvalidGovernanceException.requireNonNull(store, "store"),
        InvalidGovernanceException.requireNonNull(clock, "clock"),
        Objects.requireNonNull(every, "every"));
  }

  /**
   * Purges at most {@code max} buckets and marks past their retention as of now; how many. Fewer
   * than {@code max} means none is left.
   */
  public int purge(int max) {
    Instant now = clock.instant();
    int n = store.purgeBefore(Granularity.HOUR, now.minus(HOURS_KEPT), max);
    if (n < max) {
      n += store.purgeBefore(Granularity.DAY, now.minus(DAYS_KEPT), max - n);
    }
    if (n < max) {
      n += store.purgeMarksBefore(now.minus(MARKS_KEPT), max - n);
    }
    return n;
  }

  /** The recurring work that runs the purge. */
  public Recurring recurring() {
    return recurring;
  }

  /**
   * Adds the recurring purge to {@code runner} and makes sure its item is stored (once, however
   * many instances register); returns {@code runner}.
   */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    return recurring.register(runner);
  }
}
