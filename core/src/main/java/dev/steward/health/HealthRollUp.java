package dev.steward.health;

import dev.steward.model.AccountId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Rolls scores up from contacts to their account and from child accounts to their parent: the mean,
 * the revenue-weighted mean, or the worst. Members without a score are left out and shown in the
 * coverage; with none scored the roll-up is {@link ScoreStatus#INSUFFICIENT}.
 */
public final class HealthRollUp {

  /** How member scores combine. */
  public enum Method {
    MEAN,
    REVENUE_WEIGHTED,
    WORST
  }

  /** A member's score (NaN when it has none) and its revenue (weight for REVENUE_WEIGHTED). */
  public record Member(String id, double value, double revenue) {
    public Member {
      if (!(revenue >= 0) || Double.isInfinite(revenue)) {
        throw new IllegalArgumentException("member '" + id + "': revenue must be finite and >= 0, got " + revenue);
      }
    }

    /** A member from a health score: its value, or NaN when insufficient. */
    public static Member of(String id, HealthScore score, double revenue) {
      return new Member(id, score.isScored() ? score.value() : Double.NaN, revenue);
    }
  }

  /**
   * A rolled-up score.
   *
   * @param value NaN when insufficient
   * @param coverage the share of members (by count, or by revenue for REVENUE_WEIGHTED) with a score
   * @param revenue the members' total revenue
   */
  public record Result(
      ScoreStatus status, double value, Method method, int members, int scored, double coverage, double revenue) {}

  private HealthRollUp() {}

  /** Combines the members' scores. */
  public static Result combine(List<Member> members, Method method) {
    double sum = 0;
    double weight = 0;
    double worst = Double.POSITIVE_INFINITY;
    double revenue = 0;
    double scoredRevenue = 0;
    int scored = 0;
    for (Member m : members) {
      revenue += m.revenue();
      if (Double.isNaN(m.value())) {
        continue;
      }
      scored++;
      scoredRevenue += m.revenue();
      double w = method == Method.REVENUE_WEIGHTED ? m.revenue() : 1;
      sum += w * m.value();
      weight += w;
      worst = Math.min(worst, m.value());
    }
    double coverage;
    if (method == Method.REVENUE_WEIGHTED) {
      coverage = revenue == 0 ? 0 : scoredRevenue / revenue;
    } else {
      coverage = members.isEmpty() ? 0 : (double) scored / members.size();
    }
    boolean ok = method == Method.WORST ? scored > 0 : weight > 0;
    double value = !ok ? Double.NaN : method == Method.WORST ? worst : sum / weight;
    return new Result(
        ok ? ScoreStatus.SCORED : ScoreStatus.INSUFFICIENT,
        value,
        method,
        members.size(),
        scored,
        coverage,
        revenue);
  }

  /**
   * Rolls an account tree up to {@code root}: each account combines its own score (if any) with the
   * rolled-up scores of its children, each child weighted by the revenue of its whole subtree.
   *
   * @throws IllegalArgumentException if the hierarchy has a cycle
   */
  public static Result rollUpTree(
      AccountId root,
      Function<AccountId, List<AccountId>> children,
      Function<AccountId, Optional<HealthScore>> ownScore,
      ToDoubleFunction<AccountId> ownRevenue,
      Method method) {
    return tree(root, children, ownScore, ownRevenue, method, new HashSet<>());
  }

  private static Result tree(
      AccountId node,
      Function<AccountId, List<AccountId>> children,
      Function<AccountId, Optional<HealthScore>> ownScore,
      ToDoubleFunction<AccountId> ownRevenue,
      Method method,
      Set<AccountId> path) {
    if (!path.add(node)) {
      throw new IllegalArgumentException("account hierarchy has a cycle through " + node);
    }
    List<Member> members = new ArrayList<>();
    Optional<HealthScore> own = ownScore.apply(node);
    double revenue = ownRevenue.applyAsDouble(node);
    if (own.isPresent()) {
      members.add(Member.of(node.value(), own.get(), revenue));
    }
    double subtreeRevenue = revenue;
    for (AccountId child : children.apply(node)) {
      Result r = tree(child, children, ownScore, ownRevenue, method, path);
      members.add(new Member(child.value(), r.value(), r.revenue()));
      subtreeRevenue += r.revenue();
    }
    path.remove(node);
    Result combined = combine(members, method);
    return new Result(
        combined.status(),
        combined.value(),
        method,
        combined.members(),
        combined.scored(),
        combined.coverage(),
        subtreeRevenue);
  }
}
