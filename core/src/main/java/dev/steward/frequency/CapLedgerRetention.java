package dev.steward.frequency;

import dev.steward.frequency.internal.LedgerChecks;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.WorkRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Purges the send logs that no rule of the limiters sharing a {@link CapLedgerStore} can read any
 * more, as recurring work: without it, the log of every contact ever mailed and never mailed again
 * stays for good (a limiter prunes a log only when it writes it).
 *
 * <p>A log is purged once it has been idle for the {@linkplain #retention() retention}: the longest
 * {@linkplain FrequencyCapLimiter#lookback() lookback} of the limiters given (cap windows,
 * cool-downs after activities, calendar periods of contact preferences) plus a {@linkplain
 * Builder#grace grace} period, so that an instance whose clock runs behind the purging one's still
 * finds every entry its windows reach (see {@link SendLog#idleSince()}; a journey admission an
 * older library stored in a log counts for nothing). The store deletes a log only if no instance
 * wrote it since it was judged idle, so the purge may run while {@code decide} writes the same logs
 * elsewhere.
 *
 * <pre>{@code
 * CapLedgerRetention retention = CapLedgerRetention.builder(store, clock).limiter(limiter).build();
 * WorkRunner runner = retention.register(WorkRunner.builder(workStore, clock)).build().start();
 * }</pre>
 *
 * Give every limiter that writes the store: a purge judged by a shorter policy than another
 * limiter's would take entries that limiter still counts.
 */
public final class CapLedgerRetention {
  /** The kind of the recurring work item. */
  public static final String KIND = "steward.retention.cap-ledger";

  /**
   * Added to the longest lookback: a day covers any clock skew between instances many times over,
   * at the cost of keeping idle logs a day longer.
   */
  public static final Duration DEFAULT_GRACE = Duration.ofDays(1);

  private final CapLedgerStore store;
  private final Clock clock;
  private final Duration retention;
  private final Recurring recurring;

  private CapLedgerRetention(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    Duration longest = b.keepAtLeast;
    for (FrequencyCapLimiter l : b.limiters) {
      longest = l.lookback().compareTo(longest) > 0 ? l.lookback() : longest;
    }
    this.retention = longest.plus(b.grace);
    this.recurring = Recurring.builder(KIND, this::purge).every(b.every).budget(b.budget).build();
  }

  /** A builder over the store the limiters write and the application's clock. */
  public static Builder builder(CapLedgerStore store, Clock clock) {
    return new Builder(store, clock);
  }

  /** How long a log is kept after its newest entry. */
  public Duration retention() {
    return retention;
  }

  /** The recurring work that runs the purge. */
  public Recurring recurring() {
    return recurring;
  }

  /**
   * Purges at most {@code max} logs idle for longer than the retention, as of the clock's current
   * time; how many. Fewer than {@code max} means none is left.
   */
  public int purge(int max) {
    Instant cutoff = clock.instant().minus(retention);
    return store.purgeIdleSince(cutoff, max);
  }

  /**
   * Adds the recurring purge to {@code runner} and makes sure its item is stored (once, however
   * many instances register); returns {@code runner}.
   */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    return recurring.register(runner);
  }

  /** Builds a {@link CapLedgerRetention}. */
  public static final class Builder {
    private final CapLedgerStore store;
    private final Clock clock;
    private final List<FrequencyCapLimiter> limiters = new ArrayList<>();
    private Duration keepAtLeast = Duration.ZERO;
    private Duration grace = DEFAULT_GRACE;
    private Duration every = Recurring.DEFAULT_EVERY;
    private Duration budget = Recurring.DEFAULT_BUDGET;

    private Builder(CapLedgerStore store, Clock clock) {
      this.store = LedgerChecks.notNull(store, "store");
      this.clock = LedgerChecks.notNull(clock, "clock");
    }

    /** Keeps logs as long as {@code limiter}'s rules read them; add every limiter of the store. */
    public Builder limiter(FrequencyCapLimiter limiter) {
      limiters.add(LedgerChecks.notNull(limiter, "limiter"));
      return this;
    }

    /** Keeps logs at least this long after their newest entry, whatever the limiters need. */
    public Builder keepAtLeast(Duration duration) {
      this.keepAtLeast = notNegative(duration, "keepAtLeast");
      return this;
    }

    /** Added to the longest lookback; default {@link #DEFAULT_GRACE}. */
    public Builder grace(Duration grace) {
      this.grace = notNegative(grace, "grace");
      return this;
    }

    /** How often the purge runs; default {@link Recurring#DEFAULT_EVERY}. */
    public Builder every(Duration every) {
      this.every = Objects.requireNonNull(every, "every");
      return this;
    }

    /** How long one run may purge; default {@link Recurring#DEFAULT_BUDGET}. */
    public Builder budget(Duration budget) {
      this.budget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    private static Duration notNegative(Duration d, String argument) {
      if (d == null || d.isNegative()) {
        throw new InvalidPolicyException(argument + ": must not be negative, was " + d);
      }
      return d;
    }

    /** The retention. */
    public CapLedgerRetention build() {
      if (limiters.isEmpty() && keepAtLeast.isZero()) {
        throw new InvalidPolicyException(
            "limiter: give every limiter that writes the store (or keepAtLeast), so that no log"
                + " a rule still reads is purged");
      }
      return new CapLedgerRetention(this);
    }
  }
}
