package dev.steward.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.internal.json.StrictJson;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * System-wide upkeep (a purge) that runs every period as due work, in bounded batches, on whichever
 * of the runners sharing a store claims it.
 *
 * <p>{@link #register} adds the kind's handler to a runner's builder and schedules the one item of
 * the kind ({@link #SYSTEM_TENANT}, the kind, id {@value #ID}) with {@link IfExists#KEEP}, due at
 * once: every instance registers, the store keeps the first, and the lease makes sure one instance
 * runs it at a time. Each run calls the {@link Batch} until it reports nothing left or the run's
 * time budget is spent, then reschedules the item itself: to the next multiple of the period after
 * its due time (so the runs keep their time of day), or, when the budget ran out with work left,
 * after a short rest, so that a backlog is worked off in slices rather than in one long run. A run
 * that fails is retried with back-off up to one period apart and never goes DEAD: upkeep that gave
 * up for good would let the tables grow unseen.
 *
 * <p>Built-in upkeep kinds start with {@code steward.retention.}.
 */
public final class Recurring {
  private static final Logger log = LoggerFactory.getLogger(Recurring.class);

  /**
   * The tenant of system-wide work, which belongs to no tenant of the application. Reserved: do not
   * use it for a tenant of your own, since erasing that tenant ({@link WorkStore#cancelTenant})
   * would cancel Steward's upkeep too (until the next start-up schedules it again).
   */
  public static final TenantId SYSTEM_TENANT = TenantId.of("steward-system");

  /** The id of the one item of each recurring kind. */
  public static final String ID = "recurring";

  /** How often upkeep runs unless told otherwise: daily is ample for retentions of days. */
  public static final Duration DEFAULT_EVERY = Duration.ofDays(1);

  /**
   * How long one run may work before it yields: long enough to clear a day's worth of rows in most
   * installations, short enough that it never hogs a worker or the database for long.
   */
  public static final Duration DEFAULT_BUDGET = Duration.ofMinutes(1);

  /** How much one batch does at most: one short transaction's worth of rows. */
  public static final int DEFAULT_BATCH_SIZE = 1000;

  /** The pause before the next slice when a run stopped at its budget with work left. */
  public static final Duration DEFAULT_REST = Duration.ofMinutes(1);

  private static final int FORMAT = 1;

  /** The largest batch size: a batch should stay one short transaction. */
  public static final int MAX_BATCH_SIZE = 100_000;

  /** One step of upkeep. */
  @FunctionalInterface
  public interface Batch {
    /**
     * Does at most {@code max} units of work (rows purged) and returns how many it did; fewer than
     * {@code max} means nothing was left to do.
     */
    int run(int max);
  }

  /**
   * What one run did.
   *
   * @param done units of work done (rows purged)
   * @param batches batches run
   * @param finished true if the last batch found nothing more to do; false if the budget ran out
   */
  public record Run(long done, int batches, boolean finished) {}

  private final String kind;
  private final Batch batch;
  private final Duration every;
  private final Duration budget;
  private final int batchSize;
  private final Duration rest;
  private final WorkType<Optional<Instant>> type;
  private final KindSettings settings;

  private Recurring(Builder b) {
    this.kind = b.kind;
    this.batch = b.batch;
    this.every = b.every;
    this.budget = b.budget;
    this.batchSize = b.batchSize;
    this.rest = b.rest;
    this.type = WorkType.of(kind, FORMAT, Recurring::writePhase, Recurring::readPhase);
    Duration maxDelay = every.compareTo(Duration.ofHours(1)) < 0 ? every : Duration.ofHours(1);
    Duration firstDelay = rest.compareTo(maxDelay) < 0 ? rest : maxDelay;
    // one at a time per runner (the lease already keeps it to one across runners); a failed run
    // is retried with back-off for as long as it keeps failing, never given up
    this.settings =
        KindSettings.DEFAULT
            .withConcurrency(1)
            .withRetry(new RetryPolicy(Integer.MAX_VALUE, firstDelay, maxDelay))
            .withTimeout(budget.multipliedBy(2).plus(Duration.ofMinutes(5)));
  }

  /** A builder of upkeep of {@code kind} that does its work with {@code batch}. */
  public static Builder builder(String kind, Batch batch) {
    return new Builder(kind, batch);
  }

  /** The kind of the work item. */
  public String kind() {
    return kind;
  }

  /** The key of the one work item of this kind. */
  public WorkKey key() {
    return WorkKey.of(SYSTEM_TENANT, kind, ID);
  }

  /** How often it runs. */
  public Duration every() {
    return every;
  }

  /** How long one run may work. */
  public Duration budget() {
    return budget;
  }

  /** The most one batch does. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Adds the handler of this kind to {@code runner} and makes sure the kind's item is stored in the
   * runner's store ({@link IfExists#KEEP}: several instances create it once), due now if it is new.
   * Returns {@code runner}.
   */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    Objects.requireNonNull(runner, "runner");
    runner.handler(type, WorkHandler.sync(this::handle), settings);
    boolean created = runner.store().schedule(first(runner.clock().instant()), IfExists.KEEP);
    log.debug(
        "recurring work {} registered, every {}; {}",
        kind,
        every,
        created ? "its item was created" : "its item was already stored");
    return runner;
  }

  /** The kind's item as first stored: due at {@code at}, which is also its phase. */
  private WorkItem first(Instant at) {
    return WorkItem.builder(key()).dueAt(at).payload(writePhase(Optional.of(at))).build();
  }

  /**
   * Runs batches until one reports nothing left or the budget is spent (at least one batch runs):
   * what a scheduled run does, for operators who want to run it by hand.
   */
  public Run runOnce() {
    long started = System.nanoTime();
    long budgetNanos = budget.toNanos();
    long done = 0;
    int batches = 0;
    while (true) {
      int n = batch.run(batchSize);
      if (n < 0 || n > batchSize) {
        throw new IllegalStateException(
            "recurring work " + kind + " did " + n + " units in a batch of at most " + batchSize);
      }
      done += n;
      batches++;
      if (n < batchSize) {
        return new Run(done, batches, true);
      }
      if (System.nanoTime() - started >= budgetNanos) {
        return new Run(done, batches, false);
      }
    }
  }

  private Next handle(WorkContext<Optional<Instant>> work) {
    Run run = runOnce(); // an exception fails the attempt: retried with back-off, never DEAD
    Instant now = work.startedAt();
    // the regular due time this run (or the slice it continues) stands for
    Instant phase = work.payload().orElse(work.item().dueAt());
    if (!run.finished()) {
      Instant at = now.plus(rest);
      log.info(
          "recurring work {} did {} in {} batches and stopped at its budget of {}; continuing at"
              + " {}",
          kind,
          run.done(),
          run.batches(),
          budget,
          at);
      return work.rescheduleAt(at, Optional.of(phase));
    }
    Instant at = nextAfter(phase, now, every);
    if (run.done() > 0) {
      log.info("recurring work {} did {}; next run at {}", kind, run.done(), at);
    } else {
      log.debug("recurring work {} found nothing to do; next run at {}", kind, at);
    }
    // the next regular due time goes in the payload too: a failed attempt is retried at another
    // time, and the run after it must keep the time of day all the same
    return work.rescheduleAt(at, Optional.of(at));
  }

  /**
   * The payload: the regular due time this run stands for (empty only for the first run, whose due
   * time is its item's), so that neither slices nor retries shift the time of day of later runs.
   */
  private static String writePhase(Optional<Instant> phase) {
    return phase.map(p -> "{\"phase\":\"" + p + "\"}").orElse("{}");
  }

  private static Optional<Instant> readPhase(String json, int version) {
    JsonNode node =
        StrictJson.read(json, "recurring work payload", (m, c) -> new InvalidWorkException(m, c));
    JsonNode phase = node.get("phase");
    return phase == null ? Optional.empty() : Optional.of(Instant.parse(phase.asText()));
  }

  /** The first of {@code due + k * every} (k at least 1) after {@code now}. */
  static Instant nextAfter(Instant due, Instant now, Duration every) {
    Instant next = due.plus(every);
    if (next.isAfter(now)) {
      return next;
    }
    // behind by several periods (the runners were down): skip the missed runs, keep the phase
    long periods = Duration.between(due, now).dividedBy(every);
    next = due.plus(every.multipliedBy(periods + 1));
    return next.isAfter(now) ? next : next.plus(every);
  }

  @Override
  public String toString() {
    return "Recurring[" + kind + " every " + every + "]";
  }

  /** Builds a {@link Recurring}; every setting has a default. */
  public static final class Builder {
    private final String kind;
    private final Batch batch;
    private Duration every = DEFAULT_EVERY;
    private Duration budget = DEFAULT_BUDGET;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration rest = DEFAULT_REST;

    private Builder(String kind, Batch batch) {
      this.kind = WorkKey.checkKind(kind);
      this.batch = Objects.requireNonNull(batch, "batch");
    }

    /** How often it runs; default {@link #DEFAULT_EVERY}, at least one minute. */
    public Builder every(Duration every) {
      if (every == null || every.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new InvalidWorkException("every must be at least one minute, was " + every);
      }
      this.every = every;
      return this;
    }

    /** How long one run may work; default {@link #DEFAULT_BUDGET}; shorter than the period. */
    public Builder budget(Duration budget) {
      if (budget == null || budget.isNegative() || budget.isZero()) {
        throw new InvalidWorkException("budget must be positive, was " + budget);
      }
      this.budget = budget;
      return this;
    }

    /** The most one batch does; default {@value #DEFAULT_BATCH_SIZE}. */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
        throw new InvalidWorkException(
            "batchSize must be 1 to " + MAX_BATCH_SIZE + ", was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * The pause before the next slice when a run stopped at its budget with work left; default
     * {@link #DEFAULT_REST}; shorter than the period.
     */
    public Builder rest(Duration rest) {
      if (rest == null || rest.isNegative() || rest.isZero()) {
        throw new InvalidWorkException("rest must be positive, was " + rest);
      }
      this.rest = rest;
      return this;
    }

    /** The recurring work. */
    public Recurring build() {
      if (budget.compareTo(every) >= 0) {
        throw new InvalidWorkException(
            "budget " + budget + " must be shorter than the period " + every);
      }
      if (rest.compareTo(every) >= 0) {
        throw new InvalidWorkException(
            "rest " + rest + " must be shorter than the period " + every);
      }
      return new Recurring(this);
    }
  }
}
