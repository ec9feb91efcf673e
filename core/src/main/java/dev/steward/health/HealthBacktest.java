package dev.steward.health;

import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Replays scores against recorded churn and renewal outcomes: for each outcome, the account's score
 * {@code leadTime} before it, tallied per band into a churn rate, with the AUC (how often a renewed
 * account scored above a churned one). A what-if run re-scores the same stored inputs with a
 * changed scorecard, so two scorecards can be compared on the same history.
 */
public final class HealthBacktest {

  /** What happened to an account at the end of its term. */
  public enum Result {
    CHURNED,
    RENEWED
  }

  /** A recorded outcome of a tenant's account. */
  public record Outcome(TenantId tenant, AccountId account, Result result, Instant at) {
    public Outcome {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(at, "at");
    }
  }

  /** The inputs an account was scored from at a time, kept for what-if replays. */
  public record Snapshot(TenantId tenant, AccountId account, Instant asOf, HealthInputs inputs) {
    public Snapshot {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(asOf, "asOf");
      Objects.requireNonNull(inputs, "inputs");
    }
  }

  /** One band's tally. */
  public record BandResult(String band, int accounts, int churned, int renewed) {
    /** Churned over all accounts in the band; NaN when the band is empty. */
    public double churnRate() {
      return accounts == 0 ? Double.NaN : (double) churned / accounts;
    }
  }

  /** One outcome with the score it had at the lead time; {@code score} NaN when it had none. */
  public record Case(
      TenantId tenant, AccountId account, Result result, Instant scoredAt, double score) {}

  /**
   * A backtest's result.
   *
   * @param bands one entry per band of the display scheme, lowest first
   * @param unscored outcomes with no (sufficient) score at the lead time
   * @param auc probability that a renewed account scored above a churned one (ties count half); NaN
   *     without both kinds of outcome
   */
  public record Report(List<BandResult> bands, int unscored, double auc, List<Case> cases) {
    public Report {
      bands = List.copyOf(bands);
      cases = List.copyOf(cases);
    }

    /** The tally of one band. */
    public Optional<BandResult> band(String label) {
      return bands.stream().filter(b -> b.band().equals(label)).findFirst();
    }
  }

  /** A what-if comparison of two scorecards on the same snapshots and outcomes. */
  public record Comparison(Report baseline, Report candidate) {}

  private HealthBacktest() {}

  /** Replays stored history: each outcome's latest record at or before {@code at - leadTime}. */
  public static Report replay(
      HealthHistoryStore history, List<Outcome> outcomes, Duration leadTime, DisplayScheme bands) {
    List<Case> cases = new ArrayList<>();
    for (Outcome o : outcomes) {
      Instant cutoff = o.at().minus(leadTime);
      Optional<HealthRecord> r = history.atOrBefore(o.tenant(), o.account(), cutoff);
      double score = r.filter(HealthRecord::isScored).map(HealthRecord::value).orElse(Double.NaN);
      cases.add(
          new Case(
              o.tenant(), o.account(), o.result(), r.map(HealthRecord::asOf).orElse(null), score));
    }
    return tally(cases, bands);
  }

  /**
   * Scores each outcome's latest snapshot at or before {@code at - leadTime} with both scorecards.
   */
  public static Comparison whatIf(
      List<Snapshot> snapshots,
      List<Outcome> outcomes,
      Scorecard baseline,
      Scorecard candidate,
      Duration leadTime,
      DisplayScheme bands) {
    Map<TenantAccount, List<Snapshot>> byAccount = new LinkedHashMap<>();
    for (Snapshot s : snapshots) {
      byAccount
          .computeIfAbsent(new TenantAccount(s.tenant(), s.account()), a -> new ArrayList<>())
          .add(s);
    }
    byAccount.values().forEach(l -> l.sort(Comparator.comparing(Snapshot::asOf)));
    List<Case> base = new ArrayList<>();
    List<Case> cand = new ArrayList<>();
    for (Outcome o : outcomes) {
      Instant cutoff = o.at().minus(leadTime);
      Snapshot chosen = null;
      for (Snapshot s :
          byAccount.getOrDefault(new TenantAccount(o.tenant(), o.account()), List.of())) {
        if (!s.asOf().isAfter(cutoff)) {
          chosen = s;
        }
      }
      if (chosen == null) {
        base.add(new Case(o.tenant(), o.account(), o.result(), null, Double.NaN));
        cand.add(new Case(o.tenant(), o.account(), o.result(), null, Double.NaN));
        continue;
      }
      base.add(caseOf(o, chosen, baseline));
      cand.add(caseOf(o, chosen, candidate));
    }
    return new Comparison(tally(base, bands), tally(cand, bands));
  }

  private static Case caseOf(Outcome o, Snapshot s, Scorecard card) {
    HealthScore score = HealthScoreCalculator.scoreWithoutExplanations(card, s.inputs(), s.asOf());
    return new Case(
        o.tenant(),
        o.account(),
        o.result(),
        s.asOf(),
        score.isScored() ? score.value() : Double.NaN);
  }

  private static Report tally(List<Case> cases, DisplayScheme scheme) {
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (Band b : scheme.bands()) {
      counts.put(b.label(), new int[2]);
    }
    int unscored = 0;
    List<Double> churned = new ArrayList<>();
    List<Double> renewed = new ArrayList<>();
    for (Case c : cases) {
      if (Double.isNaN(c.score())) {
        unscored++;
        continue;
      }
      int[] n = counts.get(scheme.bandOf(c.score()).label());
      if (c.result() == Result.CHURNED) {
        n[0]++;
        churned.add(c.score());
      } else {
        n[1]++;
        renewed.add(c.score());
      }
    }
    List<BandResult> out = new ArrayList<>();
    counts.forEach((label, n) -> out.add(new BandResult(label, n[0] + n[1], n[0], n[1])));
    return new Report(out, unscored, auc(churned, renewed), cases);
  }

  /** Mann–Whitney: ranks of all scores, ties averaged. */
  static double auc(List<Double> churned, List<Double> renewed) {
    int nc = churned.size();
    int nr = renewed.size();
    if (nc == 0 || nr == 0) {
      return Double.NaN;
    }
    double[][] all = new double[nc + nr][];
    for (int i = 0; i < nc; i++) {
      all[i] = new double[] {churned.get(i), 0};
    }
    for (int i = 0; i < nr; i++) {
      all[nc + i] = new double[] {renewed.get(i), 1};
    }
    Arrays.sort(all, Comparator.comparingDouble(a -> a[0]));
    double renewedRankSum = 0;
    int i = 0;
    while (i < all.length) {
      int j = i;
      while (j + 1 < all.length && all[j + 1][0] == all[i][0]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (all[k][1] == 1) {
          renewedRankSum += rank;
        }
      }
      i = j + 1;
    }
    return (renewedRankSum - nr * (nr + 1) / 2.0) / ((double) nr * nc);
  }
}
