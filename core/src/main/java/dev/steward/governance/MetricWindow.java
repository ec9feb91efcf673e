package dev.steward.governance;

import java.time.Duration;
import java.time.Instant;

/** The windows metrics are evaluated over. */
public enum MetricWindow {
  /** The rolling seven days: the current UTC day and the six before, in daily buckets. */
  SEVEN_DAYS("7d", Granularity.DAY, 7),
  /** The 24-hour spike window: the current UTC hour and the 23 before, in hourly buckets. */
  SPIKE_24H("24h", Granularity.HOUR, 24);

  private final String label;
  private final Granularity granularity;
  private final int buckets;

  MetricWindow(String label, Granularity granularity, int buckets) {
    this.label = label;
    this.granularity = granularity;
    this.buckets = buckets;
  }

  /** A short label for explanations: {@code 7d}, {@code 24h}. */
  public String label() {
    return label;
  }

  /** The granularity of the buckets read. */
  public Granularity granularity() {
    return granularity;
  }

  /** The window's length. */
  public Duration length() {
    return Duration.ofSeconds(granularity.seconds() * buckets);
  }

  /** The start of the window that ends with the bucket holding {@code now}. */
  public Instant from(Instant now) {
    return granularity.startOf(granularity.index(now) - (buckets - 1));
  }

  /** The end (exclusive) of the window: the end of the bucket holding {@code now}. */
  public Instant to(Instant now) {
    return granularity.startOf(granularity.index(now) + 1);
  }

  /** The counts of {@code key} in the window ending now. */
  public MetricCounts read(GovernanceMetricsStore store, MetricsKey key, Instant now) {
    return store.counts(key, granularity, from(now), to(now));
  }
}
