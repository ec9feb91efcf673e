package dev.steward.sendgrid.governance;

import dev.steward.governance.Counter;
import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.Granularity;
import dev.steward.governance.Increment;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricsKey;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import dev.steward.sendgrid.admin.EmailMetrics;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.admin.Stats;
import dev.steward.sendgrid.admin.StatsPeriod;
import dev.steward.sendgrid.admin.StatsRow;
import dev.steward.sendgrid.admin.TenantSubusers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Back-fills core's governance metrics from SendGrid's subuser statistics for days the Event
 * Webhook missed (an outage of the application's endpoint longer than SendGrid's retries, a webhook
 * configured late).
 *
 * <p><b>Never counted twice.</b> A day is back-filled only when all of these hold:
 *
 * <ol>
 *   <li>it is <em>settled</em>: it ended (UTC) at least {@link Builder#settle} ago ({@value
 *       #DEFAULT_SETTLE_HOURS} hours by default), so SendGrid has stopped retrying the webhook's
 *       batches of that day (it retries for 24 hours) and no late event can arrive on top of the
 *       back-fill; this also keeps back-filled days out of governance's 24-hour spike window;
 *   <li>the tenant's daily bucket of that day holds <em>no count at all</em> in the {@link
 *       GovernanceMetricsStore}: the webhook counted nothing of it. A day the webhook counted even
 *       partly is left alone (its gap is not guessed at: the webhook's events and SendGrid's totals
 *       cannot be matched event by event). The one exception is a day holding exactly what a
 *       back-fill that died between two of its writes leaves (see {@code diedMidWay}): it is
 *       finished by writing all of its ids again;
 *   <li>each back-filled count is an {@link Increment} with a deterministic event id ({@code
 *       sendgrid-stats:<day>:<counter>:<n>}), so the store's own de-duplication makes a repeated or
 *       concurrent back-fill of the same day (two instances, a retry) count once.
 * </ol>
 *
 * Choosing "only days without webhook data" over "record the totals as a separate source" keeps
 * core unchanged (the store counts events, it has no second source) and keeps the governance
 * windows reading one number per counter. Its cost: a partly missed day is not repaired.
 *
 * <p>Mapping: {@code processed} to {@link Counter#PROCESSED}, {@code delivered} {@link
 * Counter#DELIVERED}, {@code bounces} {@link Counter#HARD_BOUNCE}, {@code blocks} {@link
 * Counter#BLOCKED}, {@code invalid_emails} {@link Counter#INVALID}, {@code spam_reports} {@link
 * Counter#SPAM_REPORT}, {@code unsubscribes} {@link Counter#UNSUBSCRIBE}, {@code deferred} {@link
 * Counter#DEFERRED}. The statistics name no recipient and no pool: nothing is counted as sent to an
 * inactive address, and pools' metrics are not back-filled. A day's counts are spread evenly over
 * its hours. SendGrid's days are the account's time zone's: set it to UTC so they match
 * governance's UTC buckets. A day with more than {@link Builder#maxCountsPerDay} counts (summed
 * without overflow) is not back-filled (each count is one increment and one de-duplication mark in
 * the store). Only days the governance store can hold ({@link StoreLimits}) are accepted.
 *
 * <p>A back-fill does not judge the tenant: schedule an evaluation afterwards ({@code
 * GovernanceEvaluator.schedule(work, tenants)}) when a day was {@link Outcome#BACKFILLED}.
 */
public final class StatsBackfill {
  private static final Logger log = LoggerFactory.getLogger(StatsBackfill.class);

  /** Hours after a day's end before it is back-filled, by default. */
  public static final int DEFAULT_SETTLE_HOURS = 48;

  /** The most counts back-filled for one day, by default. */
  public static final long DEFAULT_MAX_COUNTS_PER_DAY = 200_000;

  /** The most days one call covers. */
  public static final int MAX_DAYS = 366;

  /** The prefix of the event ids of back-filled counts. */
  public static final String EVENT_ID_PREFIX = "sendgrid-stats:";

  private static final int CHUNK = 1_000;

  /** The first day whose every instant the governance store can hold ({@link StoreLimits}). */
  private static final LocalDate FIRST_DAY =
      LocalDate.ofInstant(StoreLimits.MIN_INSTANT, ZoneOffset.UTC).plusDays(1);

  /** The last day whose every instant (and its end) the governance store can hold. */
  private static final LocalDate LAST_DAY =
      LocalDate.ofInstant(StoreLimits.MAX_INSTANT, ZoneOffset.UTC).minusDays(1);

  private static final int PAGE = Stats.MAX_PAGE;

  /** What a back-fill did with one day. */
  public enum Outcome {
    /** Counted from SendGrid's statistics. */
    BACKFILLED,
    /** Left alone: the store already holds counts of the day (the webhook's). */
    HAS_DATA,
    /** Left alone: the day is too recent, the webhook may still deliver it. */
    NOT_SETTLED,
    /** Nothing to count: SendGrid reported nothing for the tenant that day. */
    NO_STATS,
    /** Left alone: more counts than {@link Builder#maxCountsPerDay}. */
    TOO_LARGE
  }

  /**
   * One day's result.
   *
   * @param day the UTC day
   * @param outcome what was done
   * @param counted what this call counted (zero unless {@link Outcome#BACKFILLED}; less than
   *     SendGrid's totals when another back-fill had counted part of them)
   */
  public record DayResult(LocalDate day, Outcome outcome, MetricCounts counted) {
    /** Checks the parts. */
    public DayResult {
      Objects.requireNonNull(day, "day");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(counted, "counted");
    }
  }

  private final Stats stats;
  private final GovernanceMetricsStore store;
  private final TenantSubusers subusers;
  private final Clock clock;
  private final Duration settle;
  private final long maxPerDay;

  private StatsBackfill(Builder b) {
    this.stats = b.admin.stats();
    this.store = b.store;
    this.subusers = b.subusers;
    this.clock = b.clock;
    this.settle = b.settle;
    this.maxPerDay = b.maxPerDay;
  }

  /** A builder. */
  public static Builder builder(
      SendGridAdmin admin, GovernanceMetricsStore store, TenantSubusers subusers, Clock clock) {
    return new Builder(admin, store, subusers, clock);
  }

  /**
   * Back-fills the tenant's days from {@code from} to {@code to} (both included, at most {@value
   * #MAX_DAYS}), reading its subuser's statistics; one result per day, in order.
   *
   * @throws IllegalArgumentException if the range is wrong or the tenant has no subuser, before any
   *     request
   * @throws dev.steward.sendgrid.admin.SendGridApiException if SendGrid's statistics could not be
   *     read; nothing is counted then
   */
  public List<DayResult> backfill(TenantId tenant, LocalDate from, LocalDate to) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from.isBefore(FIRST_DAY) || to.isAfter(LAST_DAY)) {
      throw new IllegalArgumentException(
          "back-fill days from "
              + FIRST_DAY
              + " to "
              + LAST_DAY
              + " (what the governance store can hold), not "
              + from
              + " to "
              + to);
    }
    StatsPeriod period = StatsPeriod.days(from, to);
    long days = ChronoUnit.DAYS.between(from, to) + 1;
    if (days > MAX_DAYS) {
      throw new IllegalArgumentException(
          "back-fill at most " + MAX_DAYS + " days at once, not " + days);
    }
    String subuser =
        subusers
            .subuserOf(tenant)
            .orElseThrow(
                () ->
                    new IllegalArgumentException("tenant " + tenant + " has no SendGrid subuser"));
    Instant now = clock.instant();
    Map<LocalDate, EmailMetrics> byDay = new HashMap<>();
    if (!dayEnd(from).plus(settle).isAfter(now)) {
      // read only when at least one day can be back-filled
      // one row per day, so the days asked fit in one page (MAX_DAYS < PAGE); the loop stops
      // anyway when the rows read cover the days asked or a page repeats (a server ignoring offset)
      List<StatsRow> previous = List.of();
      for (int offset = 0; ; offset += PAGE) {
        List<StatsRow> page = stats.subuser(subuser, period, PAGE, offset);
        for (StatsRow row : page) {
          row.metricsOf(subuser).ifPresent(m -> byDay.merge(row.date(), m, (a, b) -> a));
        }
        if (page.size() < PAGE || offset + PAGE >= days || page.equals(previous)) {
          break;
        }
        previous = page;
      }
    }
    List<DayResult> out = new ArrayList<>();
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      out.add(day(tenant, day, Optional.ofNullable(byDay.get(day)), now));
    }
    return out;
  }

  private DayResult day(TenantId tenant, LocalDate day, Optional<EmailMetrics> m, Instant now) {
    Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    if (dayEnd(day).plus(settle).isAfter(now)) {
      return new DayResult(day, Outcome.NOT_SETTLED, MetricCounts.ZERO);
    }
    MetricCounts held = store.counts(MetricsKey.of(tenant), Granularity.DAY, start, dayEnd(day));
    Map<Counter, Long> totals = m.map(StatsBackfill::totals).orElse(Map.of());
    long all = sum(totals, maxPerDay);
    if (!held.equals(MetricCounts.ZERO) && (all < 0 || !diedMidWay(held, totals))) {
      return new DayResult(day, Outcome.HAS_DATA, MetricCounts.ZERO);
    }
    if (all == 0) {
      return new DayResult(day, Outcome.NO_STATS, MetricCounts.ZERO);
    }
    if (all < 0) {
      log.warn(
          "tenant {}: {} holds more counts than the {} back-filled per day; not back-filled",
          tenant,
          day,
          maxPerDay);
      return new DayResult(day, Outcome.TOO_LARGE, MetricCounts.ZERO);
    }
    long[] counted = new long[Counter.values().length];
    for (Map.Entry<Counter, Long> e : totals.entrySet()) {
      Counter c = e.getKey();
      long k = e.getValue();
      List<Increment> chunk = new ArrayList<>(CHUNK);
      for (long n = 1; n <= k; n++) {
        Instant at = start.plusSeconds((n - 1) * Granularity.DAY.seconds() / k);
        String id =
            EVENT_ID_PREFIX + day + ":" + c.name().toLowerCase(java.util.Locale.ROOT) + ":" + n;
        chunk.add(Increment.of(tenant, id, c, at));
        if (chunk.size() == CHUNK || n == k) {
          counted[c.ordinal()] += store.add(chunk);
          chunk.clear();
        }
      }
    }
    MetricCounts result =
        new MetricCounts(
            counted[Counter.PROCESSED.ordinal()],
            counted[Counter.DELIVERED.ordinal()],
            counted[Counter.HARD_BOUNCE.ordinal()],
            counted[Counter.BLOCKED.ordinal()],
            counted[Counter.INVALID.ordinal()],
            counted[Counter.SPAM_REPORT.ordinal()],
            counted[Counter.UNSUBSCRIBE.ordinal()],
            counted[Counter.DEFERRED.ordinal()],
            0);
    log.info("tenant {}: back-filled governance metrics of {} from SendGrid stats", tenant, day);
    return new DayResult(day, Outcome.BACKFILLED, result);
  }

  /**
   * The sum of {@code totals}, or -1 when it (or any one count) is above {@code max} or overflows a
   * long: such a day is never written, and never mistaken for an empty one.
   */
  static long sum(Map<Counter, Long> totals, long max) {
    long all = 0;
    for (long n : totals.values()) {
      if (n > max) {
        return -1;
      }
      try {
        all = Math.addExact(all, n);
      } catch (ArithmeticException e) {
        return -1;
      }
    }
    return all > max ? -1 : all;
  }

  /**
   * True when {@code held} is exactly what a back-fill of {@code totals} that stopped between two
   * of its writes leaves: the counters it writes first (in {@link Counter} order) complete, then
   * one counter with a whole number of chunks of {@value #CHUNK}, then nothing. Such a day holds
   * only this class's counts (the webhook's would not fall on chunk bounds in write order), so it
   * is finished by adding all of its ids again: the store ignores those it counted. A day the
   * back-fill completed, or one the webhook counted, is left alone.
   */
  static boolean diedMidWay(MetricCounts held, Map<Counter, Long> totals) {
    if (held.sentToInactive() != 0) {
      return false;
    }
    boolean cut = false;
    boolean complete = true;
    for (Counter c : Counter.values()) {
      if (c == Counter.SENT_TO_INACTIVE) {
        continue;
      }
      long h = held.get(c);
      long t = totals.getOrDefault(c, 0L);
      if (h > t || (cut && h != 0)) {
        return false;
      }
      if (!cut && h < t) {
        if (h % CHUNK != 0) {
          return false;
        }
        cut = true;
        complete = false;
      }
    }
    return !complete;
  }

  private static Map<Counter, Long> totals(EmailMetrics m) {
    Map<Counter, Long> t = new EnumMap<>(Counter.class);
    put(t, Counter.PROCESSED, m.processed());
    put(t, Counter.DELIVERED, m.delivered());
    put(t, Counter.HARD_BOUNCE, m.bounces());
    put(t, Counter.BLOCKED, m.blocks());
    put(t, Counter.INVALID, m.invalidEmails());
    put(t, Counter.SPAM_REPORT, m.spamReports());
    put(t, Counter.UNSUBSCRIBE, m.unsubscribes());
    put(t, Counter.DEFERRED, m.deferred());
    return t;
  }

  private static void put(Map<Counter, Long> t, Counter c, long n) {
    if (n > 0) {
      t.put(c, n);
    }
  }

  private static Instant dayEnd(LocalDate day) {
    return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  @Override
  public String toString() {
    return "StatsBackfill[settle=" + settle + ", maxCountsPerDay=" + maxPerDay + "]";
  }

  /** Builds a {@link StatsBackfill}; each setter checks its value. */
  public static final class Builder {
    private final SendGridAdmin admin;
    private final GovernanceMetricsStore store;
    private final TenantSubusers subusers;
    private final Clock clock;
    private Duration settle = Duration.ofHours(DEFAULT_SETTLE_HOURS);
    private long maxPerDay = DEFAULT_MAX_COUNTS_PER_DAY;

    private Builder(
        SendGridAdmin admin, GovernanceMetricsStore store, TenantSubusers subusers, Clock clock) {
      this.admin = Objects.requireNonNull(admin, "admin");
      this.store = Objects.requireNonNull(store, "store");
      this.subusers = Objects.requireNonNull(subusers, "subusers");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * How long after a day's end it may be back-filled: at least 24 hours (SendGrid retries the
     * webhook's batches for 24 hours); {@value #DEFAULT_SETTLE_HOURS} hours by default.
     */
    public Builder settle(Duration settle) {
      Objects.requireNonNull(settle, "settle");
      if (settle.compareTo(Duration.ofHours(24)) < 0) {
        throw new IllegalArgumentException(
            "settle must be at least 24 hours (SendGrid's webhook retries), not " + settle);
      }
      this.settle = settle;
      return this;
    }

    /** The most counts back-filled for one day (1 to 10,000,000). */
    public Builder maxCountsPerDay(long max) {
      if (max < 1 || max > 10_000_000) {
        throw new IllegalArgumentException("maxCountsPerDay must be 1 to 10,000,000, not " + max);
      }
      this.maxPerDay = max;
      return this;
    }

    /** Builds it. */
    public StatsBackfill build() {
      return new StatsBackfill(this);
    }
  }
}
