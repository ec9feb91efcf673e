package dev.steward.benchmarks;

import dev.steward.health.HealthInputs;
import dev.steward.health.HealthScore;
import dev.steward.health.HealthScoreCalculator;
import dev.steward.health.Mapping;
import dev.steward.health.Measure;
import dev.steward.health.MeasureGroup;
import dev.steward.health.Scorecard;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Scoring throughput of a realistic 12-measure scorecard: three groups and three ungrouped
 * measures, linear, logarithmic, tiered and inverted mappings, two decaying counters, and one
 * measure whose data is always stale so that its weight is spread over the others on every score.
 * Inputs of {@code accounts} accounts are built once and cycled through, so the caches see a
 * portfolio, not one hot account (1M inputs retain about 850 MB of heap). One thread.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar HealthScoreBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
// a fixed, pre-touched heap: otherwise the first passes through fresh eden pay the VM's page faults
// (several times the scoring cost at 2 KB a score) and the warm-up never reaches steady state
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class HealthScoreBenchmark {
  private static final Instant AS_OF = Instant.parse("2026-06-01T06:00:00Z");

  /** How many accounts' inputs are cycled through. */
  @Param("1000000")
  public int accounts;

  private Scorecard card;
  private HealthInputs[] inputs;
  private int next;

  /** Builds the scorecard and every account's inputs (seeded, so every run scores the same). */
  @Setup(Level.Trial)
  public void setUp() {
    card = scorecard();
    inputs = new HealthInputs[accounts];
    SplittableRandom random = new SplittableRandom(42);
    // a handful of shared observation times: distinct Instants per account would only add heap
    Instant[] recent = new Instant[24];
    for (int h = 0; h < recent.length; h++) {
      recent[h] = AS_OF.minus(Duration.ofHours(h + 1));
    }
    Instant weekAgo = AS_OF.minus(Duration.ofDays(7));
    Instant stale = AS_OF.minus(Duration.ofDays(120));
    for (int a = 0; a < accounts; a++) {
      Instant at = recent[random.nextInt(recent.length)];
      inputs[a] =
          HealthInputs.builder()
              .put("logins", random.nextDouble(0, 400), at)
              .put("active_ratio", random.nextDouble(), at)
              .put("feature_adoption", random.nextInt(0, 12), weekAgo)
              .put("api_calls", random.nextDouble(0, 50_000), at)
              .put("tickets_opened", random.nextInt(0, 15), at)
              .put("p1_tickets", random.nextInt(0, 4), at)
              .put("csat", random.nextDouble(1, 5), weekAgo)
              .put("nps", random.nextInt(-100, 101), weekAgo)
              .put("days_overdue", random.nextInt(0, 90), at)
              .put("seat_utilisation", random.nextDouble(0, 1.3), at)
              .put("email_engagement", random.nextDouble(0, 1), at)
              .put("exec_touch", random.nextInt(0, 5), stale)
              .build();
    }
    next = 0;
  }

  /** Scores the next account with a per-measure explanation. */
  @Benchmark
  public HealthScore score() {
    return HealthScoreCalculator.score(card, nextInputs(), AS_OF);
  }

  /** Scores the next account, value, status and coverage only. */
  @Benchmark
  public HealthScore scoreWithoutExplanations() {
    return HealthScoreCalculator.scoreWithoutExplanations(card, nextInputs(), AS_OF);
  }

  private HealthInputs nextInputs() {
    HealthInputs in = inputs[next];
    next = next + 1 == inputs.length ? 0 : next + 1;
    return in;
  }

  static Scorecard scorecard() {
    Duration month = Duration.ofDays(30);
    return Scorecard.builder("benchmark")
        .version(3)
        .group(
            MeasureGroup.of(
                "usage",
                3,
                Measure.of("logins", 2, Mapping.logarithmic(0, 300))
                    .withHalfLife(Duration.ofDays(14))
                    .withMaxAge(month),
                Measure.of("active_ratio", 2, Mapping.linear(0.1, 0.8)).withMaxAge(month),
                Measure.of("feature_adoption", 1, Mapping.tiers(10, 2, 40, 5, 70, 8, 100)),
                Measure.of("api_calls", 1, Mapping.logarithmic(10, 20_000))
                    .withHalfLife(Duration.ofDays(7))))
        .group(
            MeasureGroup.of(
                "support",
                2,
                Measure.of("tickets_opened", 2, Mapping.linear(10, 0)),
                Measure.of(
                    "p1_tickets", 1, Mapping.inverted(Mapping.tiers(0, 1, 60, 2, 90, 3, 100))),
                Measure.of("csat", 1, Mapping.linear(1, 5)).withMaxAge(Duration.ofDays(90))))
        .measure(Measure.of("nps", 2, Mapping.tiers(0, -20, 30, 0, 60, 30, 80, 60, 100)))
        .group(
            MeasureGroup.of(
                "billing",
                2,
                Measure.of("days_overdue", 3, Mapping.linear(60, 0)),
                Measure.of("seat_utilisation", 1, Mapping.linearBounded(0.2, 0.9, 10, 100))))
        .measure(Measure.of("email_engagement", 1, Mapping.linear(0.02, 0.4)))
        // always 120 days old against a 30-day limit: its weight is re-spread on every score
        .measure(Measure.of("exec_touch", 1, Mapping.linear(0, 3)).withMaxAge(month))
        .minCoverage(0.5)
        .build();
  }
}
