package dev.steward.delivery;

import dev.steward.schedule.Recurring;
import dev.steward.schedule.WorkRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Keeps the delivery ledger to a retention, as recurring work: settled records (SENT, FAILED) older
 * than the retention are purged; records whose outcome is open never are.
 *
 * <pre>{@code
 * DeliveryLedgerRetention retention = DeliveryLedgerRetention.builder(ledger, clock).build();
 * WorkRunner runner = retention.register(WorkRunner.builder(workStore, clock)).build().start();
 * }</pre>
 */
public final class DeliveryLedgerRetention {
  /** The kind of the recurring work item. */
  public static final String KIND = "steward.retention.delivery-ledger";

  /**
   * How long settled records are kept unless told otherwise. A record is what makes an idempotency
   * key send at most once and what a provider event about the message is matched to, so it must
   * outlive any retry of a caller (a job re-run the next day, a queue redelivering after an outage)
   * and any late event (SendGrid sends up to 72 hours ahead and retries its webhook for 24 hours).
   * Thirty days covers both with a wide margin, at a row per message.
   */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  /** The shortest retention: well past the last provider event a send can still cause. */
  public static final Duration MIN_RETENTION = Duration.ofDays(7);

  private final DeliveryLedger ledger;
  private final Clock clock;
  private final Duration retention;
  private final Recurring recurring;

  private DeliveryLedgerRetention(Builder b) {
    this.ledger = b.ledger;
    this.clock = b.clock;
    this.retention = b.retention;
    this.recurring = Recurring.builder(KIND, this::purge).every(b.every).budget(b.budget).build();
  }

  /** A builder over the ledger and the application's clock. */
  public static Builder builder(DeliveryLedger ledger, Clock clock) {
    return new Builder(ledger, clock);
  }

  /** How long a settled record is kept after it last changed. */
  public Duration retention() {
    return retention;
  }

  /** The recurring work that runs the purge. */
  public Recurring recurring() {
    return recurring;
  }

  /** Purges at most {@code max} records settled before the retention; how many. */
  public int purge(int max) {
    return ledger.purgeSettledBefore(clock.instant().minus(retention), max);
  }

  /**
   * Adds the recurring purge to {@code runner} and makes sure its item is stored (once, however
   * many instances register); returns {@code runner}.
   */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    return recurring.register(runner);
  }

  /** Builds a {@link DeliveryLedgerRetention}. */
  public static final class Builder {
    private final DeliveryLedger ledger;
    private final Clock clock;
    private Duration retention = DEFAULT_RETENTION;
    private Duration every = Recurring.DEFAULT_EVERY;
    private Duration budget = Recurring.DEFAULT_BUDGET;

    private Builder(DeliveryLedger ledger, Clock clock) {
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** How long settled records are kept; default 30 days, at least {@link #MIN_RETENTION}. */
    public Builder retention(Duration retention) {
      if (retention == null || retention.compareTo(MIN_RETENTION) < 0) {
        throw new IllegalArgumentException(
            "retention must be at least "
                + MIN_RETENTION.toDays()
                + " days (provider events arrive up to four days after a send), was "
                + retention);
      }
      this.retention = retention;
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

    /** The retention. */
    public DeliveryLedgerRetention build() {
      return new DeliveryLedgerRetention(this);
    }
  }
}
