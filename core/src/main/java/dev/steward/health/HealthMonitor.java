package dev.steward.health;

import dev.steward.model.AccountId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches each account's scores and fires {@link HealthBandChanged} when a score crosses an alert
 * band, with hysteresis so alerts do not flap: each boundary between two bands has an enter level (a
 * score below it moves down) and a higher exit level (a score at or above it moves up), and a move
 * counts only after {@code minConsecutive} evaluations in a row point to the same new band. The first
 * score of an account places it without an event; insufficient scores neither confirm nor break a
 * run. Optionally appends every score to a {@link HealthHistoryStore}. Thread-safe.
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
  private final ConcurrentMap<AccountId, State> states = new ConcurrentHashMap<>();

  private record State(int band, int candidate, int count) {}

  private HealthMonitor(Builder b) {
    this.bands = List.copyOf(b.bands);
    this.enter = b.enter.stream().mapToDouble(Double::doubleValue).toArray();
    this.exit = b.exit.stream().mapToDouble(Double::doubleValue).toArray();
    this.minConsecutive = b.minConsecutive;
    this.history = b.history;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
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

  /** Adds a listener. */
  public void addListener(HealthListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The account's confirmed band, if it has been scored. */
  public Optional<String> bandOf(AccountId account) {
    State s = states.get(account);
    return s == null ? Optional.empty() : Optional.of(bands.get(s.band()));
  }

  /** Takes in an account's new score: stores it (if a history is set) and fires any band change. */
  public void evaluate(AccountId account, HealthScore score) {
    if (history != null) {
      history.append(HealthRecord.of(account, score));
    }
    if (!score.isScored()) {
      for (HealthListener l : listeners) {
        safely(() -> l.onInsufficient(account, score));
      }
      return;
    }
    double v = score.value();
    HealthBandChanged[] fired = new HealthBandChanged[1];
    states.compute(
        account,
        (a, s) -> {
          if (s == null) {
            return new State(initialBand(v), -1, 0);
          }
          int target = s.band();
          while (target > 0 && v < enter[target - 1]) {
            target--;
          }
          while (target < bands.size() - 1 && v >= exit[target]) {
            target++;
          }
          if (target == s.band()) {
            return new State(s.band(), -1, 0);
          }
          int count = target == s.candidate() ? s.count() + 1 : 1;
          if (count >= minConsecutive) {
            fired[0] =
                new HealthBandChanged(
                    a, bands.get(s.band()), bands.get(target), target < s.band(), score.asOf(), score);
            return new State(target, -1, 0);
          }
          return new State(s.band(), target, count);
        });
    if (fired[0] != null) {
      HealthBandChanged e = fired[0];
      LOG.info("health of {} moved from {} to {} at {} (score {})", account, e.from(), e.to(), e.at(), v);
      for (HealthListener l : listeners) {
        safely(() -> l.onBandChanged(e));
      }
    }
  }

  /** Forgets an account's band state (the history store is not touched). */
  public void forget(AccountId account) {
    states.remove(account);
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
            "monitor: band '" + name + "' must follow a boundary after band '" + bands.get(bands.size() - 1) + "'");
      }
      bands.add(name);
      return this;
    }

    /**
     * The boundary above the last band: a score below {@code enterBelow} moves down into it, a score
     * at or above {@code exitAtOrAbove} moves up out of it.
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
      return new HealthMonitor(this);
    }
  }
}
