package dev.steward.health;

import dev.steward.health.HealthBandStateStore.BandState;
import dev.steward.health.HealthBandStateStore.BandUpdate;
import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches each tenant's accounts' scores and fires {@link HealthBandChanged} when a score crosses
 * an alert band, with hysteresis so alerts do not flap: each boundary between two bands has an
 * enter level (a score below it moves down) and a higher exit level (a score at or above it moves
 * up), and a move counts only after {@code minConsecutive} evaluations in a row point to the same
 * new band. The first score of an account places it without an event; insufficient scores neither
 * confirm nor break a run. Optionally appends every score to a {@link HealthHistoryStore}. The band
 * state lives in a {@link HealthBandStateStore}: in memory by default, or shared by several
 * instances through a database, each account's update atomic. Thread-safe.
 */
public final class HealthMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

  /** Evaluations in a row needed by default before a band change fires. */
  public static final int DEFAULT_MIN_CONSECUTIVE = 2;

  private final List<String> bands;
  private final double[] enter; // boundary i lies between bands i and i+1
  private final double[] exit;
  private final int minConsecutive;
  private final HealthHistoryStore history;
  private final List<HealthListener> listeners;
  private final Map<String, Integer> bandIndex = new HashMap<>();
  private final HealthBandStateStore state;

  private HealthMonitor(Builder b) {
    this.bands = List.copyOf(b.bands);
    this.enter = b.enter.stream().mapToDouble(Double::doubleValue).toArray();
    this.exit = b.exit.stream().mapToDouble(Double::doubleValue).toArray();
    this.minConsecutive = b.minConsecutive;
    this.history = b.history;
    this.listeners = List.copyOf(b.listeners);
    this.state = b.state;
    for (int i = 0; i < bands.size(); i++) {
      bandIndex.put(bands.get(i), i);
    }
  }

  /** A builder; start with the lowest band. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Red, yellow and green matching {@link DisplayScheme#COLOURS} (40 and 70) with 5 points of
   * hysteresis either side and {@value #DEFAULT_MIN_CONSECUTIVE} evaluations in a row.
   */
  public static Builder colours() {
    return builder().band("red").boundary(35, 45).band("yellow").boundary(65, 75).band("green");
  }

  /** The account's confirmed band, if it has been scored. */
  public Optional<String> bandOf(TenantId tenant, AccountId account) {
    return state.get(tenant, account).map(BandState::band).filter(bandIndex::containsKey);
  }

  /**
   * Takes in a tenant's account's new score: stores it (if a history is set) and fires any band
   * change.
   */
  public void evaluate(TenantId tenant, AccountId account, HealthScore score) {
    HealthRecord record = HealthRecord.of(tenant, account, score); // checks the arguments first
    if (history != null) {
      history.append(record);
    }
    if (!score.isScored()) {
      for (HealthListener l : listeners) {
        safely(() -> l.onInsufficient(tenant, account, score));
      }
      return;
    }
    double v = score.value();
    BandUpdate u = state.update(tenant, account, s -> next(tenant, account, s, v));
    // a move is confirmed exactly when the committed change left a known band for another
    int from = u.before() == null ? -1 : bandIndex.getOrDefault(u.before().band(), -1);
    int to = bandIndex.getOrDefault(u.after().band(), -1);
    if (from < 0 || to < 0 || from == to) {
      return;
    }
    HealthBandChanged e =
        new HealthBandChanged(
            tenant, account, bands.get(from), bands.get(to), to < from, score.asOf(), score);
    LOG.info(
        "health of {} of tenant {} moved from {} to {} at {} (score {})",
        account,
        tenant,
        e.from(),
        e.to(),
        e.at(),
        v);
    for (HealthListener l : listeners) {
      safely(() -> l.onBandChanged(e));
    }
  }

  /**
   * The band state after a score of {@code v}: placed afresh without a known band, settled in a new
   * band once {@code minConsecutive} scores in a row point to it, else the run towards it counted.
   */
  private BandState next(TenantId tenant, AccountId account, BandState s, double v) {
    int band = s == null ? -1 : bandIndex.getOrDefault(s.band(), -1);
    if (band < 0) {
      if (s != null) {
        LOG.warn(
            "health of {} of tenant {}: stored band '{}' is not one of {};"
                + " placing the account afresh",
            account,
            tenant,
            s.band(),
            bands);
      }
      return BandState.settled(bands.get(initialBand(v)));
    }
    int target = band;
    while (target > 0 && v < enter[target - 1]) {
      target--;
    }
    while (target < bands.size() - 1 && v >= exit[target]) {
      target++;
    }
    if (target == band) {
      return BandState.settled(bands.get(band));
    }
    int candidate = s.candidate() == null ? -1 : bandIndex.getOrDefault(s.candidate(), -1);
    int count = target == candidate ? s.consecutive() + 1 : 1;
    return count >= minConsecutive
        ? BandState.settled(bands.get(target))
        : new BandState(bands.get(band), bands.get(target), count);
  }

  /** Forgets an account's band state (the history store is not touched). */
  public void forget(TenantId tenant, AccountId account) {
    state.remove(tenant, account);
  }

  private int initialBand(double v) {
    // no previous band to hold on to: cut at the middle of each boundary's dead zone
    int b = 0;
    while (b < bands.size() - 1 && v >= (enter[b] + exit[b]) / 2) {
      b++;
    }
    return b;
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("a health listener failed; the others still run", e);
    }
  }

  /**
   * Builds a {@link HealthMonitor}: {@code band("red").boundary(35, 45).band("yellow")...}, lowest
   * band first.
   */
  public static final class Builder {
    private final List<String> bands = new ArrayList<>();
    private final List<Double> enter = new ArrayList<>();
    private final List<Double> exit = new ArrayList<>();
    private int minConsecutive = DEFAULT_MIN_CONSECUTIVE;
    private HealthHistoryStore history;
    private HealthBandStateStore state;
    private final List<HealthListener> listeners = new ArrayList<>();

    private Builder() {}

    /** Adds the next band up. */
    public Builder band(String name) {
      if (name == null || name.isBlank()) {
        throw new InvalidScorecardException("monitor: band name must not be blank");
      }
      if (bands.contains(name)) {
        throw new InvalidScorecardException("monitor: band '" + name + "' is defined twice");
      }
      if (bands.size() != enter.size()) {
        throw new InvalidScorecardException(
            "monitor: band '"
                + name
                + "' must follow a boundary after band '"
                + bands.get(bands.size() - 1)
                + "'");
      }
      bands.add(name);
      return this;
    }

    /**
     * The boundary above the last band: a score below {@code enterBelow} moves down into it, a
     * score at or above {@code exitAtOrAbove} moves up out of it.
     */
    public Builder boundary(double enterBelow, double exitAtOrAbove) {
      if (bands.size() != enter.size() + 1) {
        throw new InvalidScorecardException("monitor: a boundary must follow a band");
      }
      String where = "monitor: boundary above band '" + bands.get(bands.size() - 1) + "'";
      if (!(enterBelow > 0 && exitAtOrAbove <= 100)) {
        throw new InvalidScorecardException(where + ": levels must lie within (0, 100]");
      }
      if (enterBelow > exitAtOrAbove) {
        throw new InvalidScorecardException(
            where + ": enter level " + enterBelow + " must not exceed exit level " + exitAtOrAbove);
      }
      if (!exit.isEmpty() && exit.get(exit.size() - 1) > enterBelow) {
        throw new InvalidScorecardException(
            where
                + ": enter level "
                + enterBelow
                + " overlaps the exit level "
                + exit.get(exit.size() - 1)
                + " of the boundary below");
      }
      enter.add(enterBelow);
      exit.add(exitAtOrAbove);
      return this;
    }

    /** Evaluations in a row that must point to a new band before it fires; at least 1. */
    public Builder minConsecutive(int n) {
      if (n < 1) {
        throw new InvalidScorecardException("monitor: minConsecutive must be at least 1, got " + n);
      }
      this.minConsecutive = n;
      return this;
    }

    /** Stores every evaluated score here. */
    public Builder history(HealthHistoryStore history) {
      this.history = Objects.requireNonNull(history, "history");
      return this;
    }

    /**
     * Keeps the band state here; default a new {@link InMemoryHealthBandStateStore}. Monitors with
     * the same bands that share a store act as one.
     */
    public Builder state(HealthBandStateStore state) {
      this.state = Objects.requireNonNull(state, "state");
      return this;
    }

    /** Adds a listener. */
    public Builder listener(HealthListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    public HealthMonitor build() {
      if (bands.size() < 2) {
        throw new InvalidScorecardException("monitor: needs at least two bands");
      }
      if (bands.size() != enter.size() + 1) {
        throw new InvalidScorecardException("monitor: the last boundary needs a band above it");
      }
      if (state == null) {
        state = InMemoryHealthBandStateStore.of();
      }
      return new HealthMonitor(this);
    }
  }
}
