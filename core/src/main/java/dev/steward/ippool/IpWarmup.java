package dev.steward.ippool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Per-IP warm-up by a {@link WarmupSchedule}: how much each IP of a pool may send in the current
 * period, how a period's volume is spread over the pool's IPs (warming IPs up to their limits, the
 * rest to warm IPs: overflow), and when an IP must warm up again (after {@link
 * #DEFAULT_REWARM_AFTER} without mail, as SendGrid advises). Pure: it reads what the provider
 * reports ({@link IpInfo}) and the caller's counts. Thread-safe.
 */
public final class IpWarmup {
  /** Default idle time after which an IP is cold again: 30 days. */
  public static final Duration DEFAULT_REWARM_AFTER = Duration.ofDays(30);

  private final WarmupSchedule schedule;

  /**
   * The longest re-warm period accepted (100 years of 365 days); a longer one (ChronoUnit.FOREVER)
   * would overflow when added to an IP's last send.
   */
  public static final Duration MAX_REWARM_AFTER = Duration.ofDays(36_500);

  private final Duration rewarmAfter;

  private IpWarmup(WarmupSchedule schedule, Duration rewarmAfter) {
    this.schedule = schedule;
    this.rewarmAfter = rewarmAfter;
  }

  /** Warm-up by {@code schedule}, cold again after 30 idle days. */
  public static IpWarmup of(WarmupSchedule schedule) {
    return of(schedule, DEFAULT_REWARM_AFTER);
  }

  /** Warm-up by {@code schedule}, cold again after {@code rewarmAfter} idle. */
  public static IpWarmup of(WarmupSchedule schedule, Duration rewarmAfter) {
    InvalidIpPoolException.requireNonNull(schedule, "schedule");
    InvalidIpPoolException.requireNonNull(rewarmAfter, "rewarmAfter");
    if (rewarmAfter.isNegative() || rewarmAfter.isZero()) {
      throw new InvalidIpPoolException("rewarmAfter must be positive, was " + rewarmAfter);
    }
    if (rewarmAfter.compareTo(MAX_REWARM_AFTER) > 0) {
      throw new InvalidIpPoolException(
          "rewarmAfter must be at most "
              + MAX_REWARM_AFTER.toDays()
              + " days (it is added to an IP's last send), was "
              + rewarmAfter);
    }
    return new IpWarmup(schedule, rewarmAfter);
  }

  /** Where an IP stands in its warm-up. */
  public enum State {
    /** Past its warm-up (or never in one) and recently used: no limit. */
    WARM,
    /** In its warm-up: limited per period. */
    WARMING,
    /** Never used, or idle too long: it must warm up again before it sends freely. */
    COLD
  }

  /**
   * An IP's warm-up status now.
   *
   * @param day the warm-up day, for a warming IP (0 for a cold one)
   * @param limit the limit per period; empty for a warm IP
   */
  public record Status(IpAddress ip, State state, OptionalLong day, OptionalLong limit) {}

  /** The IP's status at {@code now}. */
  public Status status(IpInfo ip, Instant now) {
    InvalidIpPoolException.requireNonNull(ip, "ip");
    InvalidIpPoolException.requireNonNull(now, "now");
    boolean idle = ip.lastSentAt().map(last -> !last.plus(rewarmAfter).isAfter(now)).orElse(false);
    // a warm-up started after the last send is the re-warm-up itself
    boolean restarted =
        ip.warmupStartedAt().isPresent()
            && ip.lastSentAt().map(l -> !ip.warmupStartedAt().get().isBefore(l)).orElse(true);
    if (idle && !restarted) {
      return cold(ip);
    }
    if (ip.warmupStartedAt().isPresent()) {
      long day = Math.max(0, Duration.between(ip.warmupStartedAt().get(), now).toDays());
      OptionalLong limit = schedule.limitOnDay(day);
      return limit.isPresent()
          ? new Status(ip.ip(), State.WARMING, OptionalLong.of(day), limit)
          : new Status(ip.ip(), State.WARM, OptionalLong.empty(), OptionalLong.empty());
    }
    if (ip.lastSentAt().isEmpty()) {
      return cold(ip);
    }
    return new Status(ip.ip(), State.WARM, OptionalLong.empty(), OptionalLong.empty());
  }

  private Status cold(IpInfo ip) {
    return new Status(ip.ip(), State.COLD, OptionalLong.of(0), schedule.limitOnDay(0));
  }

  /** True if the IP must start a warm-up (again) before it sends freely. */
  public boolean needsWarmup(IpInfo ip, Instant now) {
    return status(ip, now).state() == State.COLD;
  }

  /**
   * How a period's {@code volume} is spread over a pool's IPs.
   *
   * @param perIp the mail each IP takes, in the pool's order
   * @param overflow what no IP can take this period: warming IPs are full and the pool has no warm
   *     IP (send it from another pool with warm IPs, or defer it to the next period)
   */
  public record Allocation(Map<IpAddress, Long> perIp, long overflow) {
    public Allocation {
      perIp = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(perIp));
    }
  }

  /**
   * Spreads {@code volume} over {@code ips} for the period holding {@code now}: each warming or
   * cold IP takes up to its limit less what it sent this period ({@code sentThisPeriod}, absent
   * means 0); the warm IPs share the rest evenly; what is left is overflow. An IP listed twice
   * counts once; a negative count is refused with {@link InvalidIpPoolException} naming the IP.
   */
  public Allocation allocate(
      List<IpInfo> ips, Map<IpAddress, Long> sentThisPeriod, long volume, Instant now) {
    InvalidIpPoolException.requireNonNull(ips, "ips");
    InvalidIpPoolException.requireNonNull(sentThisPeriod, "sentThisPeriod");
    if (volume < 0) {
      throw new InvalidIpPoolException("volume must not be negative, was " + volume);
    }
    for (Map.Entry<IpAddress, Long> e : sentThisPeriod.entrySet()) {
      InvalidIpPoolException.requireNonNull(e.getKey(), "sentThisPeriod IP");
      InvalidIpPoolException.requireNonNull(e.getValue(), "sentThisPeriod count of " + e.getKey());
      if (e.getValue() < 0) {
        throw new InvalidIpPoolException(
            "sentThisPeriod of IP " + e.getKey() + " must not be negative, was " + e.getValue());
      }
    }
    Map<IpAddress, Long> out = new LinkedHashMap<>();
    List<IpAddress> warm = new ArrayList<>();
    long left = volume;
    for (IpInfo ip : ips) {
      InvalidIpPoolException.requireNonNull(ip, "ips element");
      if (out.containsKey(ip.ip())) {
        continue; // an IP listed twice takes its room once
      }
      Status s = status(ip, now);
      out.put(ip.ip(), 0L);
      if (s.limit().isEmpty()) {
        warm.add(ip.ip());
        continue;
      }
      long room = Math.max(0, s.limit().getAsLong() - sentThisPeriod.getOrDefault(ip.ip(), 0L));
      long take = Math.min(room, left);
      out.put(ip.ip(), take);
      left -= take;
    }
    if (!warm.isEmpty() && left > 0) {
      long each = left / warm.size();
      long extra = left % warm.size();
      for (int i = 0; i < warm.size(); i++) {
        out.put(warm.get(i), each + (i < extra ? 1 : 0));
      }
      left = 0;
    }
    return new Allocation(out, left);
  }

  /** The schedule. */
  public WarmupSchedule schedule() {
    return schedule;
  }
}
