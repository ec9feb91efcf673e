package dev.steward.sendgrid.governance;

import dev.steward.governance.GovernanceEvaluator;
import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.KindSettings;
import dev.steward.schedule.Next;
import dev.steward.schedule.WorkContext;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkType;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.admin.SendGridApiException;
import dev.steward.sendgrid.admin.SubuserReputation;
import dev.steward.sendgrid.admin.Subusers;
import dev.steward.sendgrid.admin.TenantSubusers;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds SendGrid's sender reputation of each watched tenant's subuser into governance: when it
 * falls below a threshold, the tenant gets a {@link GovernanceEvaluator#warn warning} naming the
 * value and the threshold. Once per drop: the tenant is warned when the reputation goes from at or
 * above the threshold to below it, not again on every read while it stays below; once it is back at
 * or above the threshold, the next drop warns again.
 *
 * <p>Due work of kind {@value #KIND}, one item per watched tenant ({@link #watch}), run every
 * {@link Builder#every} ({@value #DEFAULT_EVERY_MINUTES} minutes by default). Whether the last read
 * was below the threshold is the item's payload, so it survives a restart and is shared by every
 * instance; a run that warned and died before its item was rescheduled warns once more (the warning
 * is recorded before the item). A read SendGrid fails is retried with the kind's back-off (a 429
 * after its reset); one it refuses (a key without the scope) makes the item DEAD for an operator. A
 * tenant without a subuser is logged and no longer watched; a subuser SendGrid does not rate yet is
 * read again next time.
 */
public final class ReputationWatch {
  private static final Logger log = LoggerFactory.getLogger(ReputationWatch.class);

  /** The work kind. */
  public static final String KIND = "sendgrid.subuser-reputation";

  /** The work item id of a tenant's watch. */
  public static final String ID = "reputation";

  /** The threshold by default: a reputation below it warns. */
  public static final double DEFAULT_THRESHOLD = 80.0;

  /** Minutes between reads, by default. */
  public static final long DEFAULT_EVERY_MINUTES = 60;

  private static final int VERSION = 1;

  private final Subusers subusers;
  private final TenantSubusers names;
  private final GovernanceEvaluator governance;
  private final WorkStore work;
  private final Clock clock;
  private final double threshold;
  private final Duration every;
  private final KindSettings settings;
  private final WorkType<Below> type;

  /** Whether the last read was below the threshold. */
  record Below(boolean below) {
    String encode() {
      return "{\"below\":" + below + "}";
    }

    static Below decode(String json, int version) {
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "reputation watch payload version " + version + " unknown");
      }
      String compact = json.replaceAll("\\s", "");
      if (compact.equals("{\"below\":true}")) {
        return new Below(true);
      }
      if (compact.equals("{\"below\":false}")) {
        return new Below(false);
      }
      throw new IllegalArgumentException("reputation watch payload is not readable");
    }
  }

  private ReputationWatch(Builder b) {
    this.subusers = b.admin.subusers();
    this.names = b.names;
    this.governance = b.governance;
    this.work = b.work;
    this.clock = b.clock;
    this.threshold = b.threshold;
    this.every = b.every;
    this.settings = b.settings;
    this.type = WorkType.of(KIND, VERSION, Below::encode, Below::decode);
  }

  /**
   * A builder: SendGrid with the parent key, the tenants' subusers, governance to warn, the
   * due-work store and a clock.
   */
  public static Builder builder(
      SendGridAdmin admin,
      TenantSubusers subusers,
      GovernanceEvaluator governance,
      WorkStore work,
      Clock clock) {
    return new Builder(admin, subusers, governance, work, clock);
  }

  /** Adds this kind's handler to {@code runner}; returns {@code runner}. */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    Objects.requireNonNull(runner, "runner");
    return runner.handler(type, WorkHandler.sync(this::handle), settings);
  }

  /**
   * Watches the tenant's reputation from now on, first read at once; a tenant watched already keeps
   * its watch (and what it last read).
   *
   * @return true if the tenant was not watched before
   */
  public boolean watch(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    return work.schedule(
        WorkItem.builder(WorkKey.of(tenant, KIND, ID))
            .payload(new Below(false).encode())
            .payloadVersion(VERSION)
            .dueAt(clock.instant())
            .build(),
        IfExists.KEEP);
  }

  /** Stops watching the tenant; true if it was watched. */
  public boolean unwatch(TenantId tenant) {
    return work.cancel(WorkKey.of(Objects.requireNonNull(tenant, "tenant"), KIND, ID));
  }

  /** The threshold below which a tenant is warned. */
  public double threshold() {
    return threshold;
  }

  private Next handle(WorkContext<Below> context) {
    TenantId tenant = context.item().key().tenant();
    boolean wasBelow = context.payload().below();
    Optional<String> subuser;
    try {
      subuser = names.subuserOf(tenant);
    } catch (RuntimeException e) {
      return Next.retry(
          "reading the SendGrid subuser of tenant " + tenant + " failed: " + e.getMessage());
    }
    if (subuser.isEmpty()) {
      log.warn("tenant {} has no SendGrid subuser; its reputation is no longer watched", tenant);
      return Next.done();
    }
    Optional<SubuserReputation> read;
    try {
      read = subusers.reputation(subuser.get());
    } catch (SendGridApiException e) {
      String why =
          "reading the SendGrid reputation of tenant " + tenant + " failed: " + e.getMessage();
      if (!e.isRetryable()) {
        return Next.fail(why);
      }
      return e.retryAfter()
          .map(t -> Duration.between(clock.instant(), t))
          .filter(d -> !d.isNegative())
          .map(d -> Next.retryAfter(d, why))
          .orElseGet(() -> Next.retry(why));
    }
    java.time.Instant next = clock.instant().plus(every);
    if (read.isEmpty()) {
      log.debug("SendGrid does not rate subuser {} of tenant {} yet", subuser.get(), tenant);
      return context.rescheduleAt(next, context.payload());
    }
    double value = read.get().reputation();
    boolean below = value < threshold;
    if (below && !wasBelow) {
      String explanation =
          String.format(
              Locale.ROOT,
              "SendGrid sender reputation of subuser %s fell to %.1f, below the threshold %.1f",
              subuser.get(),
              value,
              threshold);
      try {
        governance.warn(tenant, explanation);
      } catch (RuntimeException e) {
        return Next.retry(
            "warning tenant " + tenant + " of its reputation failed: " + e.getMessage());
      }
      log.info("tenant {}: {}", tenant, explanation);
    } else if (!below && wasBelow) {
      log.info(
          "tenant {}: SendGrid sender reputation is back at {} (threshold {})",
          tenant,
          value,
          threshold);
    }
    return context.rescheduleAt(next, new Below(below));
  }

  @Override
  public String toString() {
    return "ReputationWatch[threshold=" + threshold + ", every=" + every + "]";
  }

  /** Builds a {@link ReputationWatch}; each setter checks its value. */
  public static final class Builder {
    private final SendGridAdmin admin;
    private final TenantSubusers names;
    private final GovernanceEvaluator governance;
    private final WorkStore work;
    private final Clock clock;
    private double threshold = DEFAULT_THRESHOLD;
    private Duration every = Duration.ofMinutes(DEFAULT_EVERY_MINUTES);
    private KindSettings settings = KindSettings.DEFAULT;

    private Builder(
        SendGridAdmin admin,
        TenantSubusers names,
        GovernanceEvaluator governance,
        WorkStore work,
        Clock clock) {
      this.admin = Objects.requireNonNull(admin, "admin");
      this.names = Objects.requireNonNull(names, "subusers");
      this.governance = Objects.requireNonNull(governance, "governance");
      this.work = Objects.requireNonNull(work, "work");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The reputation below which a tenant is warned: above 0 and at most 100 ({@value
     * #DEFAULT_THRESHOLD} by default).
     */
    public Builder threshold(double threshold) {
      if (!(threshold > 0 && threshold <= 100)) {
        throw new IllegalArgumentException(
            "reputation threshold must be above 0 and at most 100, not " + threshold);
      }
      this.threshold = threshold;
      return this;
    }

    /** Time between reads of one tenant's reputation: 1 minute to 7 days. */
    public Builder every(Duration every) {
      Objects.requireNonNull(every, "every");
      if (every.compareTo(Duration.ofMinutes(1)) < 0 || every.compareTo(Duration.ofDays(7)) > 0) {
        throw new IllegalArgumentException(
            "reputation reads must be 1 minute to 7 days apart, not " + every);
      }
      this.every = every;
      return this;
    }

    /** The work kind's settings (retry back-off, timeout). */
    public Builder settings(KindSettings s) {
      this.settings = Objects.requireNonNull(s, "settings");
      return this;
    }

    /** Builds it. */
    public ReputationWatch build() {
      return new ReputationWatch(this);
    }
  }
}
