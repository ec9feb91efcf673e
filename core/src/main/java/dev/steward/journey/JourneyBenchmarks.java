package dev.steward.journey;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.internal.json.StrictJson;
import java.util.Iterator;
import java.util.Set;

/**
 * What journey alerts compare each step with ({@link JourneyAnalytics}), as data. The defaults are
 * the B2B figures of the source material: opens 20 to 25% of delivered mail, clicks 3 to 5%,
 * unsubscribes under 0.5% of sends. A step is judged only once it has {@link #minimumVolume}
 * messages (delivered ones for opens and clicks, sent ones for unsubscribes), so that a handful of
 * sends raises nothing. Kept as JSON with {@link #fromJson} and {@link #toJson}:
 *
 * <pre>{@code
 * {"minimumVolume": 100, "openRate": {"low": 0.2, "high": 0.25},
 *  "clickRate": {"low": 0.03, "high": 0.05}, "maxUnsubscribeRate": 0.005, "spikeFactor": 3.0}
 * }</pre>
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

  /**
   * Reads benchmarks from JSON (the format of {@link #toJson}); a field left out keeps its default,
   * an unknown or mistyped one is refused naming its path.
   *
   * @throws InvalidJourneyException naming what is wrong
   */
  public static JourneyBenchmarks fromJson(String json) {
    InvalidJourneyException.requireNonNull(json, "benchmarks JSON");
    JsonNode n = StrictJson.read(json, "benchmarks", InvalidJourneyException::new);
    if (!n.isObject()) {
      throw new InvalidJourneyException("benchmarks JSON must be an object");
    }
    only(
        n,
        "",
        Set.of("minimumVolume", "openRate", "clickRate", "maxUnsubscribeRate", "spikeFactor"));
    Builder b = builder();
    if (n.has("minimumVolume")) {
      JsonNode v = n.get("minimumVolume");
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw new InvalidJourneyException("benchmarks: minimumVolume must be a whole number");
      }
      b.minimumVolume(v.asLong());
    }
    double[] open = range(n, "openRate", b.openRateLow, b.openRateHigh);
    b.openRate(open[0], open[1]);
    double[] click = range(n, "clickRate", b.clickRateLow, b.clickRateHigh);
    b.clickRate(click[0], click[1]);
    if (n.has("maxUnsubscribeRate")) {
      b.maxUnsubscribeRate(number(n.get("maxUnsubscribeRate"), "maxUnsubscribeRate"));
    }
    if (n.has("spikeFactor")) {
      b.spikeFactor(number(n.get("spikeFactor"), "spikeFactor"));
    }
    return b.build();
  }

  private static void only(JsonNode n, String path, Set<String> known) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new InvalidJourneyException(
            "benchmarks: unknown field '"
                + path
                + f
                + "'; known are "
                + new java.util.TreeSet<>(known));
      }
    }
  }

  private static double[] range(JsonNode n, String field, double low, double high) {
    if (!n.has(field)) {
      return new double[] {low, high};
    }
    JsonNode r = n.get(field);
    if (!r.isObject()) {
      throw new InvalidJourneyException(
          "benchmarks: " + field + " must be an object with low and high");
    }
    only(r, field + ".", Set.of("low", "high"));
    return new double[] {
      r.has("low") ? number(r.get("low"), field + ".low") : low,
      r.has("high") ? number(r.get("high"), field + ".high") : high
    };
  }

  private static double number(JsonNode v, String path) {
    if (!v.isNumber()) {
      throw new InvalidJourneyException("benchmarks: " + path + " must be a number, was " + v);
    }
    return v.asDouble();
  }

  /** These benchmarks as JSON, readable by {@link #fromJson}. */
  public String toJson() {
    return "{\"minimumVolume\": "
        + minimumVolume
        + ", \"openRate\": {\"low\": "
        + openRateLow
        + ", \"high\": "
        + openRateHigh
        + "}, \"clickRate\": {\"low\": "
        + clickRateLow
        + ", \"high\": "
        + clickRateHigh
        + "}, \"maxUnsubscribeRate\": "
        + maxUnsubscribeRate
        + ", \"spikeFactor\": "
        + spikeFactor
        + "}";
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
