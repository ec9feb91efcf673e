package dev.steward.ippool;

import dev.steward.governance.Granularity;
import java.util.List;
import java.util.OptionalLong;

/**
 * How much mail a warming IP may send per period (an hour or a day) on each day of its warm-up, as
 * data; from the day after the last entry on, the IP is warm and unlimited.
 *
 * @param period {@link Granularity#HOUR} for an hourly limit, {@link Granularity#DAY} for a daily
 *     one
 * @param limits the limit on day 0, 1, 2, ... of the warm-up; positive and never decreasing
 */
public record WarmupSchedule(Granularity period, List<Long> limits) {

  /**
   * SendGrid's automated IP warm-up: the hourly send limit by the IP's age in days, day 0 to 41, as
   * published in "Warming Up an IP Address", section "Automated IP warmup hourly send schedule"
   * (https://docs.sendgrid.com/ui/sending-email/warming-up-an-ip-address, also mirrored at
   * https://sendgrid.kke.co.jp/docs/API_Reference/Web_API_v3/IP_Management/ip_warmup_schedule.html).
   * Volume above a warming IP's hourly limit goes to the other (warm) IPs; with none, SendGrid
   * retries it later.
   */
  public static final List<Long> SENDGRID_AUTOMATED_HOURLY =
      List.of(
          20L,
          28L,
          39L,
          55L,
          77L,
          108L,
          151L,
          211L,
          295L,
          413L,
          579L,
          810L,
          1_000L,
          1_587L,
          2_222L,
          3_111L,
          4_356L,
          6_098L,
          8_583L,
          11_953L,
          16_734L,
          23_427L,
          32_798L,
          45_917L,
          64_284L,
          89_998L,
          125_997L,
          176_395L,
          246_953L,
          345_735L,
          484_029L,
          677_640L,
          948_696L,
          1_328_175L,
          1_859_444L,
          2_603_222L,
          3_644_511L,
          5_102_316L,
          7_143_242L,
          10_000_539L,
          14_000_754L,
          19_601_056L);

  /**
   * Steward's default manual daily schedule: 50 on day 0, doubling or more each day up to 4 million
   * on day 16, after the shape of SendGrid's recommended manual warm-up (start in the tens, reach
   * millions after two to three weeks). Replace it with your own with {@link #daily}.
   */
  public static final List<Long> DEFAULT_MANUAL_DAILY =
      List.of(
          50L,
          100L,
          500L,
          1_000L,
          5_000L,
          10_000L,
          20_000L,
          40_000L,
          70_000L,
          100_000L,
          150_000L,
          250_000L,
          400_000L,
          600_000L,
          1_000_000L,
          2_000_000L,
          4_000_000L);

  public WarmupSchedule {
    InvalidIpPoolException.requireNonNull(period, "warm-up period");
    if (period != Granularity.HOUR && period != Granularity.DAY) {
      throw new InvalidIpPoolException("a warm-up schedule is hourly or daily, not " + period);
    }
    limits = List.copyOf(InvalidIpPoolException.requireNonNull(limits, "warm-up limits"));
    if (limits.isEmpty()) {
      throw new InvalidIpPoolException("a warm-up schedule needs at least one day's limit");
    }
    long previous = 0;
    for (int day = 0; day < limits.size(); day++) {
      long l = limits.get(day);
      if (l <= 0) {
        throw new InvalidIpPoolException(
            "warm-up day " + day + " has the limit " + l + "; limits must be positive");
      }
      if (l < previous) {
        throw new InvalidIpPoolException(
            "warm-up day "
                + day
                + " allows "
                + l
                + ", less than day "
                + (day - 1)
                + "'s "
                + previous
                + "; a warm-up never sends less the next day");
      }
      previous = l;
    }
  }

  /** SendGrid's automated hourly schedule ({@link #SENDGRID_AUTOMATED_HOURLY}). */
  public static WarmupSchedule sendGridAutomated() {
    return new WarmupSchedule(Granularity.HOUR, SENDGRID_AUTOMATED_HOURLY);
  }

  /** The default manual daily schedule ({@link #DEFAULT_MANUAL_DAILY}). */
  public static WarmupSchedule manualDaily() {
    return new WarmupSchedule(Granularity.DAY, DEFAULT_MANUAL_DAILY);
  }

  /** A daily schedule of your own. */
  public static WarmupSchedule daily(List<Long> limits) {
    return new WarmupSchedule(Granularity.DAY, limits);
  }

  /** An hourly schedule of your own. */
  public static WarmupSchedule hourly(List<Long> limits) {
    return new WarmupSchedule(Granularity.HOUR, limits);
  }

  /** The limit per period on warm-up day {@code day}; empty once the IP is warm. */
  public OptionalLong limitOnDay(long day) {
    if (day < 0) {
      throw new InvalidIpPoolException("warm-up day must not be negative, was " + day);
    }
    return day < limits.size() ? OptionalLong.of(limits.get((int) day)) : OptionalLong.empty();
  }

  /** The days the warm-up lasts. */
  public int days() {
    return limits.size();
  }
}
