package dev.steward.health;

import dev.steward.schedule.Recurring;
import dev.steward.schedule.WorkRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Purges the engagement events that no aggregator's window reads any more, as recurring work:
 * without it an {@link EngagementStore} keeps every event for good. An event is purged once it is
 * older than the {@linkplain #retention() retention}: twice the longest window of the aggregators
 * given (a margin for scores computed late or for an earlier time), and at least {@link
 * Builder#keepAtLeast}.
 *
 * <pre>{@code
 * EngagementRetention retention =
 *     EngagementRetention.builder(store, clock).aggregator(aggregator).build();
 * WorkRunner runner = retention.register(WorkRunner.builder(workStore, clock)).build().start();
 * }</pre>
 */
public final class EngagementRetention {
  /** The kind of the recurring work item. */
  public static final String KIND = "steward.retention.engagement";

  private final EngagementStore store;
  private final Clock clock;
  private final Duration retention;
  private final Recurring recurring;

  private EngagementRetention(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    Duration longest = b.keepAtLeast;
    for (EmailEngagementAggregator a : b.aggregators) {
      Duration twice = a.window().multipliedBy(2);
      longest = twice.compareTo(longest) > 0 ? twice : longest;
    }
    this.retention = longest;
    this.recurring = Recurring.builder(KIND, this::purge).every(b.every).budget(b.budget).build();
  }

  /** A builder over the store the aggregators write and the application's clock. */
  public static Builder builder(EngagementStore store, Clock clock) {
    return new Builder(store, clock);
  }

  /** How long an event is kept after it occurred. */
  public Duration retention() {
    return retention;
  }

  /** The recurring work that runs the purge. */
  public Recurring recurring() {
    return recurring;
  }

  /**
   * Purges at most {@code max} events older than the retention, as of the clock's current time; how
   * many. Fewer than {@code max} means none is left.
   */
  public int purge(int max) {
    return store.purgeBefore(cutoff(), max);
  }

  /** Purges every event older than the retention, all at once; how many. */
  public int purgeAll() {
    return store.purgeBefore(cutoff());
  }

  /**
   * Adds the recurring purge to {@code runner} and makes sure its item is stored (once, however
   * many instances register); returns {@code runner}.
   */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    return recurring.register(runner);
  }

  private Instant cutoff() {
    return clock.instant().minus(retention);
  }

  /** Builds an {@link EngagementRetention}. */
  public static final class Builder {
    private final EngagementStore store;
    private final Clock clock;
    private final List<EmailEngagementAggregator> aggregators = new ArrayList<>();
    private Duration keepAtLeast = Duration.ZERO;
    private Duration every = Recurring.DEFAULT_EVERY;
    private Duration budget = Recurring.DEFAULT_BUDGET;

    private Builder(EngagementStore store, Clock clock) {
      this.store = InvalidHealthInputException.requireNonNull(store, "store");
      this.clock = InvalidHealthInputException.requireNonNull(clock, "clock");
    }

    /**
     * Keeps events as long as {@code aggregator}'s window reads them (twice over); add every
     * aggregator of the store.
     */
    public Builder aggregator(EmailEngagementAggregator aggregator) {
      InvalidHealthInputException.requireNonNull(aggregator, "aggregator");
      if (aggregator.store() != store) {
        throw new InvalidHealthInputException(
            "aggregator: it counts from another store than the one this retention purges");
      }
      aggregators.add(aggregator);
      return this;
    }

    /** Keeps events at least this long, whatever the aggregators need. */
    public Builder keepAtLeast(Duration duration) {
      if (duration == null || duration.isNegative()) {
        throw new InvalidHealthInputException("keepAtLeast: must not be negative, was " + duration);
      }
      this.keepAtLeast = duration;
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

    /**
     * The retention.
     *
     * @throws InvalidHealthInputException when neither an aggregator nor a positive {@link
     *     #keepAtLeast} says how long to keep events: a retention of zero would purge everything
     */
    public EngagementRetention build() {
      if (aggregators.isEmpty() && keepAtLeast.isZero()) {
        throw new InvalidHealthInputException(
            "engagement retention: give the aggregators of the store, or keepAtLeast");
      }
      return new EngagementRetention(this);
    }
  }
}
