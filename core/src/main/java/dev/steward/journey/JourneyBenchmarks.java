package dev.steward.journey;

/**
 * What journey alerts compare each step with ({@link JourneyAnalytics}), as data. The defaults are
 * the B2B figures of the source material: opens 20 to 25% of delivered mail, clicks 3 to 5%,
 * unsubscribes under 0.5% of sends. A step is judged only once it has {@link #minimumVolume}
 * messages (delivered ones for opens and clicks, sent ones for unsubscribes), so that a handful of
 * sends raises nothing.
 *
 * @param minimumVolume the messages a step needs before it is judged (at least 1)
 * @param openRateLow opens per delivered message under which {@link JourneyAlertKind#LOW_OPEN_RATE}
 *     is raised
 * @param openRateHigh opens per delivered message at or above which, with clicks under {@code
 *     clickRateLow}, {@link JourneyAlertKind#OPENS_WITHOUT_CLICKS} is raised
 * @param clickRateLow clicks per delivered message under which {@link
 *     JourneyAlertKind#LOW_CLICK_RATE} is raised
 * @param clickRateHigh the click benchmark's high end (reported, not alerted on)
 * @param maxUnsubscribeRate unsubscribes per sent message above which {@link
 *     JourneyAlertKind#HIGH_UNSUBSCRIBE_RATE} is raised
 * @param spikeFactor how many times the rest of the journey version's unsubscribe rate one step's
 *     must reach (besides exceeding the maximum) to be {@link JourneyAlertKind#UNSUBSCRIBE_SPIKE}
 */
public record JourneyBenchmarks(
    long minimumVolume,
    double openRateLow,
    double openRateHigh,
    double clickRateLow,
    double clickRateHigh,
    double maxUnsubscribeRate,
    double spikeFactor) {

  /** The messages a step needs before it is judged, unless set. */
  public static final long DEFAULT_MINIMUM_VOLUME = 100;

  /** The defaults: 100 messages; opens 20-25%, clicks 3-5%, unsubscribes under 0.5%; spike 3x. */
  public static final JourneyBenchmarks DEFAULTS =
      new JourneyBenchmarks(DEFAULT_MINIMUM_VOLUME, 0.20, 0.25, 0.03, 0.05, 0.005, 3.0);

  public JourneyBenchmarks {
    if (minimumVolume < 1) {
      throw new InvalidJourneyException(
          "benchmarks: minimum volume must be at least 1, was " + minimumVolume);
    }
    share("open rate low", openRateLow);
    share("open rate high", openRateHigh);
    share("click rate low", clickRateLow);
    share("click rate high", clickRateHigh);
    share("max unsubscribe rate", maxUnsubscribeRate);
    if (openRateLow > openRateHigh) {
      throw new InvalidJourneyException(
          "benchmarks: open rate low " + openRateLow + " is above open rate high " + openRateHigh);
    }
    if (clickRateLow > clickRateHigh) {
      throw new InvalidJourneyException(
          "benchmarks: click rate low "
              + clickRateLow
              + " is above click rate high "
              + clickRateHigh);
    }
    if (!(spikeFactor >= 1.0) || Double.isInfinite(spikeFactor)) {
      throw new InvalidJourneyException(
          "benchmarks: spike factor must be a finite number of at least 1, was " + spikeFactor);
    }
  }

  private static void share(String what, double v) {
    if (!(v >= 0.0 && v <= 1.0)) {
      throw new InvalidJourneyException(
          "benchmarks: " + what + " must be a share from 0 to 1 (0.2 is 20%), was " + v);
    }
  }

  /** A builder starting from {@link #DEFAULTS}. */
  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  /** Builds {@link JourneyBenchmarks}; each value is checked by {@link #build()}. */
  public static final class Builder {
    private long minimumVolume;
    private double openRateLow;
    private double openRateHigh;
    private double clickRateLow;
    private double clickRateHigh;
    private double maxUnsubscribeRate;
    private double spikeFactor;

    private Builder(JourneyBenchmarks from) {
      minimumVolume = from.minimumVolume;
      openRateLow = from.openRateLow;
      openRateHigh = from.openRateHigh;
      clickRateLow = from.clickRateLow;
      clickRateHigh = from.clickRateHigh;
      maxUnsubscribeRate = from.maxUnsubscribeRate;
      spikeFactor = from.spikeFactor;
    }

    /** The messages a step needs before it is judged. */
    public Builder minimumVolume(long messages) {
      this.minimumVolume = messages;
      return this;
    }

    /** The open benchmark: from {@code low} to {@code high} opens per delivered message. */
    public Builder openRate(double low, double high) {
      this.openRateLow = low;
      this.openRateHigh = high;
      return this;
    }

    /** The click benchmark: from {@code low} to {@code high} clicks per delivered message. */
    public Builder clickRate(double low, double high) {
      this.clickRateLow = low;
      this.clickRateHigh = high;
      return this;
    }

    /** The most unsubscribes per sent message. */
    public Builder maxUnsubscribeRate(double max) {
      this.maxUnsubscribeRate = max;
      return this;
    }

    /** How many times the rest of the journey's unsubscribe rate makes a spike. */
    public Builder spikeFactor(double factor) {
      this.spikeFactor = factor;
      return this;
    }

    /** The benchmarks; throws {@link InvalidJourneyException} naming a bad value. */
    public JourneyBenchmarks build() {
      return new JourneyBenchmarks(
          minimumVolume,
          openRateLow,
          openRateHigh,
          clickRateLow,
          clickRateHigh,
          maxUnsubscribeRate,
          spikeFactor);
    }
  }
}
