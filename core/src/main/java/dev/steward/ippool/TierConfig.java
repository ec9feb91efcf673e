package dev.steward.ippool;

import dev.steward.governance.GovernanceMetric;
import dev.steward.governance.Ladder;
import dev.steward.governance.Level;
import dev.steward.governance.Rung;
import dev.steward.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The default tiered strategy's settings, as data, each with a named default. Every threshold comes
 * as a pair, one to move in and one to move out, apart by a margin (hysteresis): a tenant whose
 * rate sits at the threshold does not flap between pools.
 *
 * <ul>
 *   <li>Premium (the first shared pool, good senders only): in when every judged metric of the
 *       7-day window is below {@link #DEFAULT_PREMIUM_ENTER_RATIO} of its warn threshold, the
 *       tenant has sent at least {@value #DEFAULT_PREMIUM_ENTER_DAILY} a day over 7 days and its
 *       standing has been clean {@link #DEFAULT_PREMIUM_CLEAN} ; out (to standard) when any metric
 *       of the 7-day or 24-hour window reaches {@link #DEFAULT_PREMIUM_LEAVE_RATIO} of its warn
 *       threshold, the standing is warned or worse, or the volume falls below {@value
 *       #DEFAULT_PREMIUM_LEAVE_DAILY} a day.
 *   <li>Dedicated: in when the tenant has sent at least {@value #DEFAULT_DEDICATED_ENTER_DAILY} a
 *       day over 30 days with a clean standing for {@link #DEFAULT_DEDICATED_CLEAN} and metrics fit
 *       for premium; out below {@value #DEFAULT_DEDICATED_LEAVE_DAILY} a day or on the premium
 *       leaving rules.
 *   <li>Quarantine: at the ladder's {@link Level#QUARANTINE} or above (the higher of the governance
 *       standing and the onboarding record's QUARANTINED or RESTRICTED state, a pilot tenant
 *       included), or at {@link Level#RESTRICT} for a repeat offender ({@value
 *       #DEFAULT_REPEAT_COUNT} escalations to restrict or above in {@link #DEFAULT_REPEAT_WITHIN});
 *       back to standard once the standing is below that and no metric reaches the premium leaving
 *       threshold.
 *   <li>Pools judged on their own metrics: when the premium shared pool stands at {@link
 *       #DEFAULT_POOL_ACT_LEVEL} or worse on the ladder's thresholds (every tenant's mail through
 *       it, judged above the ladder's minimum volume), each tenant whose own mail through the pool
 *       has the pool's breaching metric at {@value #DEFAULT_POOL_LEAVE_RATIO} times the pool's rate
 *       or more (those dragging it up, the worst planned first) leaves it for the standard pool (or
 *       quarantine, when its standing calls for that). A pool's standing never moves a tenant into
 *       a pool that itself stands at {@link #DEFAULT_POOL_BLOCK_LEVEL} or worse, and no tenant
 *       enters premium while the premium pool stands at {@link #DEFAULT_POOL_ACT_LEVEL} or worse.
 *   <li>A stream stays at least {@link #DEFAULT_MIN_DWELL} in a pool before it moves again, except
 *       into quarantine, which is never delayed.
 * </ul>
 *
 * Warn thresholds are the {@link Ladder}'s warn rung (the metric's default warn where the rung has
 * none). The dedicated volume defaults follow the usual advice that a dedicated IP needs steady
 * volume to keep a reputation (SendGrid suggests dedicated IPs for senders above roughly 100,000 a
 * month; we ask for more, 50,000 a day, because a tenant's own IPs are only as warm as its mail).
 */
public final class TierConfig {
  /** Default share of the warn threshold every metric must stay below to enter premium. */
  public static final double DEFAULT_PREMIUM_ENTER_RATIO = 0.5;

  /** Default share of the warn threshold at which a stream leaves premium or dedicated. */
  public static final double DEFAULT_PREMIUM_LEAVE_RATIO = 1.0;

  /** Default mail a day (over 7 days) to enter premium. */
  public static final long DEFAULT_PREMIUM_ENTER_DAILY = 1_000;

  /** Default mail a day (over 7 days) below which a stream leaves premium. */
  public static final long DEFAULT_PREMIUM_LEAVE_DAILY = 500;

  /** Default clean standing before entering (or returning to) premium. */
  public static final Duration DEFAULT_PREMIUM_CLEAN = Duration.ofDays(14);

  /** Default mail a day (over 30 days) to get a dedicated pool. */
  public static final long DEFAULT_DEDICATED_ENTER_DAILY = 50_000;

  /** Default mail a day (over 30 days) below which a dedicated pool is given up. */
  public static final long DEFAULT_DEDICATED_LEAVE_DAILY = 35_000;

  /** Default clean standing before a dedicated pool. */
  public static final Duration DEFAULT_DEDICATED_CLEAN = Duration.ofDays(30);

  /** Default escalations (to restrict or above) that make a repeat offender. */
  public static final int DEFAULT_REPEAT_COUNT = 2;

  /** Default period in which escalations count as repeats. */
  public static final Duration DEFAULT_REPEAT_WITHIN = Duration.ofDays(90);

  /**
   * The longest duration accepted (100 years of 365 days): the strategy adds durations to instants,
   * and a longer one (ChronoUnit.FOREVER) would overflow.
   */
  public static final Duration MAX_DURATION = Duration.ofDays(36_500);

  /** Default time a stream stays in a pool before it moves again (quarantine excepted). */
  public static final Duration DEFAULT_MIN_DWELL = Duration.ofDays(1);

  /** Default pool of new tenants. */
  public static final PoolName DEFAULT_WARMUP_POOL = PoolName.of("warmup");

  /** Default first shared pool, of good senders. */
  public static final PoolName DEFAULT_PREMIUM_POOL = PoolName.of("shared-premium");

  /** Default standard shared pool. */
  public static final PoolName DEFAULT_STANDARD_POOL = PoolName.of("shared-standard");

  /**
   * Default level of a shared pool's own standing from which its worst tenants leave it: warn, so
   * that they leave before the pool is restricted.
   */
  public static final Level DEFAULT_POOL_ACT_LEVEL = Level.WARN;

  /**
   * Default multiple of the pool's rate at which a tenant's own rate through the pool makes it
   * leave: 1.0, every tenant at least as bad as the pool as a whole (those raising it).
   */
  public static final double DEFAULT_POOL_LEAVE_RATIO = 1.0;

  /** Default level of a pool's standing from which a pool's standing moves nobody into it. */
  public static final Level DEFAULT_POOL_BLOCK_LEVEL = Level.RESTRICT;

  private final Map<Tier, Map<Stream, PoolName>> pools;
  private final BiFunction<TenantId, Stream, PoolName> dedicatedPool;
  private final Ladder ladder;
  private final double premiumEnterRatio;
  private final double premiumLeaveRatio;
  private final long premiumEnterDaily;
  private final long premiumLeaveDaily;
  private final Duration premiumClean;
  private final long dedicatedEnterDaily;
  private final long dedicatedLeaveDaily;
  private final Duration dedicatedClean;
  private final int repeatCount;
  private final Duration repeatWithin;
  private final Duration minDwell;
  private final Level poolActLevel;
  private final double poolLeaveRatio;
  private final Level poolBlockLevel;

  private TierConfig(Builder b) {
    EnumMap<Tier, Map<Stream, PoolName>> p = new EnumMap<>(Tier.class);
    b.pools.forEach((t, m) -> p.put(t, Map.copyOf(m)));
    this.pools = Map.copyOf(p);
    this.dedicatedPool = b.dedicatedPool;
    this.ladder = b.ladder;
    this.premiumEnterRatio = b.premiumEnterRatio;
    this.premiumLeaveRatio = b.premiumLeaveRatio;
    this.premiumEnterDaily = b.premiumEnterDaily;
    this.premiumLeaveDaily = b.premiumLeaveDaily;
    this.premiumClean = b.premiumClean;
    this.dedicatedEnterDaily = b.dedicatedEnterDaily;
    this.dedicatedLeaveDaily = b.dedicatedLeaveDaily;
    this.dedicatedClean = b.dedicatedClean;
    this.repeatCount = b.repeatCount;
    this.repeatWithin = b.repeatWithin;
    this.minDwell = b.minDwell;
    this.poolActLevel = b.poolActLevel;
    this.poolLeaveRatio = b.poolLeaveRatio;
    this.poolBlockLevel = b.poolBlockLevel;
  }

  /** The defaults above, with the default ladder. */
  public static TierConfig ofDefaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The pool of a shared tier (warm-up, premium, standard, quarantine) for a stream. */
  public PoolName pool(Tier tier, Stream stream) {
    InvalidIpPoolException.requireNonNull(tier, "tier");
    InvalidIpPoolException.requireNonNull(stream, "stream");
    if (tier == Tier.DEDICATED) {
      throw new InvalidIpPoolException("a dedicated pool belongs to a tenant: use dedicatedPool");
    }
    return pools.get(tier).get(stream);
  }

  /** The tenant's own pool for a stream. */
  public PoolName dedicatedPool(TenantId tenant, Stream stream) {
    PoolName p = dedicatedPool.apply(tenant, stream);
    if (p == null) {
      throw new InvalidIpPoolException("the dedicated pool function returned null for " + tenant);
    }
    return p;
  }

  /** The tier whose pool {@code pool} is for {@code stream}, if it is a shared tier's. */
  Tier tierOf(PoolName pool, Stream stream) {
    for (Map.Entry<Tier, Map<Stream, PoolName>> e : pools.entrySet()) {
      if (pool.equals(e.getValue().get(stream))) {
        return e.getKey();
      }
    }
    return null;
  }

  /** The metric's warn threshold: the ladder's warn rung, else the metric's default. */
  public double warnThreshold(GovernanceMetric metric) {
    Double t = ladder.rung(Level.WARN).map(Rung::thresholds).map(m -> m.get(metric)).orElse(null);
    return t != null ? t : metric.defaultWarn();
  }

  /** The ladder whose warn thresholds and minimum volume apply. */
  public Ladder ladder() {
    return ladder;
  }

  public double premiumEnterRatio() {
    return premiumEnterRatio;
  }

  public double premiumLeaveRatio() {
    return premiumLeaveRatio;
  }

  public long premiumEnterDaily() {
    return premiumEnterDaily;
  }

  public long premiumLeaveDaily() {
    return premiumLeaveDaily;
  }

  public Duration premiumClean() {
    return premiumClean;
  }

  public long dedicatedEnterDaily() {
    return dedicatedEnterDaily;
  }

  public long dedicatedLeaveDaily() {
    return dedicatedLeaveDaily;
  }

  public Duration dedicatedClean() {
    return dedicatedClean;
  }

  public int repeatCount() {
    return repeatCount;
  }

  public Duration repeatWithin() {
    return repeatWithin;
  }

  public Duration minDwell() {
    return minDwell;
  }

  /** The level of a shared pool's own standing from which its worst tenants leave it. */
  public Level poolActLevel() {
    return poolActLevel;
  }

  /** The multiple of the pool's rate at which a tenant's rate through the pool makes it leave. */
  public double poolLeaveRatio() {
    return poolLeaveRatio;
  }

  /** The level of a pool's standing from which a pool's standing moves nobody into it. */
  public Level poolBlockLevel() {
    return poolBlockLevel;
  }

  /** A default dedicated pool name: {@code dedicated-<tenant>-tx|mk}, hashed when too long. */
  static PoolName defaultDedicatedPool(TenantId tenant, Stream stream) {
    String suffix = stream == Stream.TRANSACTIONAL ? "-tx" : "-mk";
    String t = tenant.value().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
    String name = "dedicated-" + t + suffix;
    if (name.length() > PoolName.MAX_LENGTH || !t.equals(tenant.value())) {
      // a tenant id that would be cut or changed gets a digest, so two tenants never share one
      name = "dedicated-" + digest(tenant.value()) + suffix;
    }
    return PoolName.of(name);
  }

  private static String digest(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Builds a {@link TierConfig}; {@link #build} refuses overlapping thresholds. */
  public static final class Builder {
    private final EnumMap<Tier, EnumMap<Stream, PoolName>> pools = new EnumMap<>(Tier.class);
    private BiFunction<TenantId, Stream, PoolName> dedicatedPool = TierConfig::defaultDedicatedPool;
    private Ladder ladder = Ladder.ofDefaults();
    private double premiumEnterRatio = DEFAULT_PREMIUM_ENTER_RATIO;
    private double premiumLeaveRatio = DEFAULT_PREMIUM_LEAVE_RATIO;
    private long premiumEnterDaily = DEFAULT_PREMIUM_ENTER_DAILY;
    private long premiumLeaveDaily = DEFAULT_PREMIUM_LEAVE_DAILY;
    private Duration premiumClean = DEFAULT_PREMIUM_CLEAN;
    private long dedicatedEnterDaily = DEFAULT_DEDICATED_ENTER_DAILY;
    private long dedicatedLeaveDaily = DEFAULT_DEDICATED_LEAVE_DAILY;
    private Duration dedicatedClean = DEFAULT_DEDICATED_CLEAN;
    private int repeatCount = DEFAULT_REPEAT_COUNT;
    private Duration repeatWithin = DEFAULT_REPEAT_WITHIN;
    private Duration minDwell = DEFAULT_MIN_DWELL;
    private Level poolActLevel = DEFAULT_POOL_ACT_LEVEL;
    private double poolLeaveRatio = DEFAULT_POOL_LEAVE_RATIO;
    private Level poolBlockLevel = DEFAULT_POOL_BLOCK_LEVEL;

    private Builder() {
      both(Tier.WARMUP, DEFAULT_WARMUP_POOL);
      both(Tier.PREMIUM, DEFAULT_PREMIUM_POOL);
      both(Tier.STANDARD, DEFAULT_STANDARD_POOL);
    }

    private void both(Tier tier, PoolName pool) {
      EnumMap<Stream, PoolName> m = new EnumMap<>(Stream.class);
      m.put(Stream.TRANSACTIONAL, pool);
      m.put(Stream.MARKETING, pool);
      pools.put(tier, m);
    }

    /** The pool of a shared tier for both streams. */
    public Builder pool(Tier tier, PoolName pool) {
      checkShared(tier);
      both(tier, InvalidIpPoolException.requireNonNull(pool, "pool"));
      return this;
    }

    /** The pool of a shared tier for one stream: transactional and marketing mail apart. */
    public Builder pool(Tier tier, Stream stream, PoolName pool) {
      checkShared(tier);
      InvalidIpPoolException.requireNonNull(stream, "stream");
      InvalidIpPoolException.requireNonNull(pool, "pool");
      if (!pools.containsKey(tier)) {
        if (tier == Tier.QUARANTINE) {
          // the other stream keeps the ladder's quarantine pool, filled in by build()
          pools.put(tier, new EnumMap<>(Stream.class));
        } else {
          both(tier, pool);
        }
      }
      pools.get(tier).put(stream, pool);
      return this;
    }

    private static void checkShared(Tier tier) {
      InvalidIpPoolException.requireNonNull(tier, "tier");
      if (tier == Tier.DEDICATED) {
        throw new InvalidTierConfigException(
            "dedicated pools belong to tenants: set them with dedicatedPool(function)");
      }
    }

    /** How a tenant's own pool is named (default {@code dedicated-<tenant>-tx} / {@code -mk}). */
    public Builder dedicatedPool(BiFunction<TenantId, Stream, PoolName> naming) {
      this.dedicatedPool = InvalidIpPoolException.requireNonNull(naming, "dedicatedPool");
      return this;
    }

    /**
     * The ladder whose warn thresholds apply; its quarantine pool ({@link Ladder#quarantinePool()})
     * is the quarantine tier's unless set with {@link #pool}.
     */
    public Builder ladder(Ladder ladder) {
      this.ladder = InvalidIpPoolException.requireNonNull(ladder, "ladder");
      return this;
    }

    /** Shares of the warn threshold to enter premium and to leave it (enter below leave). */
    public Builder premiumRatios(double enter, double leave) {
      this.premiumEnterRatio = enter;
      this.premiumLeaveRatio = leave;
      return this;
    }

    /** Mail a day over 7 days to enter premium, and below which to leave it. */
    public Builder premiumDaily(long enter, long leave) {
      this.premiumEnterDaily = enter;
      this.premiumLeaveDaily = leave;
      return this;
    }

    /** Clean standing needed to enter premium. */
    public Builder premiumClean(Duration clean) {
      this.premiumClean = InvalidIpPoolException.requireNonNull(clean, "premiumClean");
      return this;
    }

    /** Mail a day over 30 days to get a dedicated pool, and below which to give it up. */
    public Builder dedicatedDaily(long enter, long leave) {
      this.dedicatedEnterDaily = enter;
      this.dedicatedLeaveDaily = leave;
      return this;
    }

    /** Clean standing needed for a dedicated pool. */
    public Builder dedicatedClean(Duration clean) {
      this.dedicatedClean = InvalidIpPoolException.requireNonNull(clean, "dedicatedClean");
      return this;
    }

    /** Escalations within a period that make a repeat offender, quarantined from restrict on. */
    public Builder repeatOffender(int count, Duration within) {
      this.repeatCount = count;
      this.repeatWithin = InvalidIpPoolException.requireNonNull(within, "repeatWithin");
      return this;
    }

    /** Least time in a pool before a stream moves again (quarantine excepted). */
    public Builder minDwell(Duration dwell) {
      this.minDwell = InvalidIpPoolException.requireNonNull(dwell, "minDwell");
      return this;
    }

    /**
     * When a shared pool's own standing sends tenants out: from {@code act} (warn to suspend), each
     * tenant whose rate through the pool is at least {@code leaveRatio} (above 0, at most 100)
     * times the pool's rate; never into a pool standing at {@code block} (warn to suspend) or
     * worse.
     */
    public Builder poolRules(Level act, double leaveRatio, Level block) {
      this.poolActLevel = InvalidIpPoolException.requireNonNull(act, "pool act level");
      this.poolLeaveRatio = leaveRatio;
      this.poolBlockLevel = InvalidIpPoolException.requireNonNull(block, "pool block level");
      return this;
    }

    /** The configuration; refuses overlapping thresholds and pools shared between tiers. */
    public TierConfig build() {
      Map<Stream, PoolName> quarantine =
          pools.computeIfAbsent(Tier.QUARANTINE, t -> new EnumMap<>(Stream.class));
      for (Stream st : Stream.values()) {
        quarantine.putIfAbsent(st, PoolName.of(ladder.quarantinePool()));
      }
      if (!(premiumEnterRatio > 0) || !(premiumLeaveRatio > 0) || premiumLeaveRatio > 1) {
        throw new InvalidTierConfigException(
            "premium ratios must be above 0 and the leaving one at most 1 (the warn threshold);"
                + " were enter "
                + premiumEnterRatio
                + ", leave "
                + premiumLeaveRatio);
      }
      if (premiumEnterRatio >= premiumLeaveRatio) {
        throw new InvalidTierConfigException(
            "premium thresholds overlap: the entering ratio "
                + premiumEnterRatio
                + " must be below the leaving ratio "
                + premiumLeaveRatio
                + ", or a tenant at the threshold would flap in and out");
      }
      if (premiumLeaveDaily < 0 || premiumEnterDaily <= premiumLeaveDaily) {
        throw new InvalidTierConfigException(
            "premium volumes overlap: entering at "
                + premiumEnterDaily
                + " a day must be above leaving at "
                + premiumLeaveDaily
                + " (and that at least 0)");
      }
      if (dedicatedEnterDaily <= dedicatedLeaveDaily) {
        throw new InvalidTierConfigException(
            "dedicated volumes overlap: entering at "
                + dedicatedEnterDaily
                + " a day must be above leaving at "
                + dedicatedLeaveDaily);
      }
      if (dedicatedLeaveDaily <= premiumEnterDaily) {
        throw new InvalidTierConfigException(
            "dedicated and premium volumes overlap: leaving dedicated at "
                + dedicatedLeaveDaily
                + " a day must be above entering premium at "
                + premiumEnterDaily
                + ", so a tenant leaving its own pool still has a premium sender's volume");
      }
      for (Duration d : new Duration[] {premiumClean, dedicatedClean, repeatWithin, minDwell}) {
        if (d.isNegative()) {
          throw new InvalidTierConfigException("durations must not be negative, was " + d);
        }
        if (d.compareTo(MAX_DURATION) > 0) {
          throw new InvalidTierConfigException(
              "durations must be at most "
                  + MAX_DURATION.toDays()
                  + " days (the strategy adds them to instants), was "
                  + d);
        }
      }
      for (Level l : new Level[] {poolActLevel, poolBlockLevel}) {
        if (l == Level.NONE || l == Level.TERMINATE) {
          throw new InvalidTierConfigException(
              "pool levels must be warn, restrict, quarantine or suspend (a pool is judged on the"
                  + " ladder's automatic rungs), was "
                  + l.jsonName());
        }
      }
      if (!(poolLeaveRatio > 0) || poolLeaveRatio > 100 || Double.isNaN(poolLeaveRatio)) {
        throw new InvalidTierConfigException(
            "pool leave ratio must be above 0 and at most 100 (a multiple of the pool's rate), was "
                + poolLeaveRatio);
      }
      if (repeatCount < 1) {
        throw new InvalidTierConfigException(
            "repeat offender count must be at least 1, was " + repeatCount);
      }
      // one pool, one tier: a quarantine pool that is also a shared one protects nothing
      Map<PoolName, Tier> owner = new java.util.HashMap<>();
      for (Tier t : Tier.values()) {
        Map<Stream, PoolName> m = pools.get(t);
        if (m == null) {
          continue;
        }
        for (PoolName p : m.values()) {
          Tier other = owner.putIfAbsent(p, t);
          if (other != null && other != t) {
            throw new InvalidTierConfigException(
                "tiers "
                    + other
                    + " and "
                    + t
                    + " share the pool '"
                    + p
                    + "': each tier needs pools of its own");
          }
        }
      }
      Objects.requireNonNull(dedicatedPool);
      return new TierConfig(this);
    }
  }
}
