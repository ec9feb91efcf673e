package dev.steward.health;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A scorecard flattened into parallel arrays, measures of a group contiguous, so that scoring is a
 * loop over primitives. An ungrouped measure is a group of one whose inner weight is 1: spreading
 * weight within the group, then across groups, then gives the flat result.
 */
final class CompiledScorecard {
  final int size;
  final String[] ids;
  final Measure[] measures;
  final Mapping[] mappings;
  final String[] groupOf; // null for ungrouped measures
  final double[] innerWeight;
  final long[] maxAgeMillis; // Long.MAX_VALUE: no limit
  final double[] halfLifeMillis; // 0: no decay
  final double[] nominalShare;
  final int groups;
  final int[] groupStart; // groups + 1 entries
  final double[] groupWeight;
  private final Map<String, Integer> index = new HashMap<>();

  private CompiledScorecard(List<ScorecardItem> items, int n) {
    size = n;
    ids = new String[n];
    measures = new Measure[n];
    mappings = new Mapping[n];
    groupOf = new String[n];
    innerWeight = new double[n];
    maxAgeMillis = new long[n];
    halfLifeMillis = new double[n];
    nominalShare = new double[n];
    groups = items.size();
    groupStart = new int[groups + 1];
    groupWeight = new double[groups];
  }

  static CompiledScorecard compile(Scorecard card) {
    List<ScorecardItem> items = card.items();
    int n = 0;
    for (ScorecardItem item : items) {
      n += item instanceof MeasureGroup g ? g.measures().size() : 1;
    }
    CompiledScorecard c = new CompiledScorecard(items, n);
    double totalGroupWeight = 0;
    for (ScorecardItem item : items) {
      totalGroupWeight += item.weight();
    }
    int i = 0;
    for (int g = 0; g < items.size(); g++) {
      ScorecardItem item = items.get(g);
      c.groupStart[g] = i;
      c.groupWeight[g] = item.weight();
      if (item instanceof Measure m) {
        c.put(i++, m, null, 1, 1);
      } else {
        MeasureGroup group = (MeasureGroup) item;
        double inner = 0;
        for (Measure m : group.measures()) {
          inner += m.weight();
        }
        for (Measure m : group.measures()) {
          c.put(i++, m, group.id(), m.weight(), inner);
        }
      }
      for (int k = c.groupStart[g]; k < i; k++) {
        c.nominalShare[k] *= item.weight() / totalGroupWeight;
      }
    }
    c.groupStart[items.size()] = i;
    return c;
  }

  private void put(int i, Measure m, String group, double inner, double innerTotal) {
    ids[i] = m.id();
    measures[i] = m;
    mappings[i] = m.mapping();
    groupOf[i] = group;
    innerWeight[i] = inner;
    maxAgeMillis[i] = m.maxAge() == null ? Long.MAX_VALUE : m.maxAge().toMillis();
    halfLifeMillis[i] = m.halfLife() == null ? 0 : (double) m.halfLife().toMillis();
    nominalShare[i] = innerTotal == 0 ? 0 : inner / innerTotal;
    index.put(m.id(), i);
  }

  int indexOf(String id) {
    Integer i = index.get(id);
    return i == null ? -1 : i;
  }
}
