package dev.steward.delivery;

import dev.steward.internal.ComputedList;
import java.util.ArrayList;
import java.util.List;

/**
 * The reasons one dispatch gathers (each gate's decision's, then the pipeline's own), kept as the
 * lists they came in, unread: a gate's explanation computed on first read (the frequency gate's)
 * stays unbuilt until someone reads the dispatch's combined decision. Every part is immutable (a
 * decision's reasons are), so holding it is holding its value. Not thread-safe: one dispatch's.
 */
final class GatheredReasons {
  private final List<List<Reason>> parts;

  /** None yet. */
  GatheredReasons() {
    this.parts = new ArrayList<>(4);
  }

  /** The reasons {@code from} gathered so far, to add more to without changing {@code from}. */
  GatheredReasons(GatheredReasons from) {
    this.parts = new ArrayList<>(from.parts);
  }

  /** Adds a decision's reasons (immutable, as every decision's are) without reading them. */
  void addAll(List<Reason> reasons) {
    parts.add(reasons);
  }

  /** Adds one reason. */
  void add(Reason reason) {
    parts.add(List.of(reason));
  }

  /** The reasons gathered so far, in order, as one immutable list computed on first read. */
  List<Reason> list() {
    List<List<Reason>> fixed = List.copyOf(parts);
    return new ComputedList<>(() -> concat(fixed));
  }

  private static List<Reason> concat(List<List<Reason>> fixed) {
    int n = 0;
    for (List<Reason> part : fixed) {
      n += part.size();
    }
    List<Reason> all = new ArrayList<>(n);
    for (List<Reason> part : fixed) {
      all.addAll(part);
    }
    return all;
  }
}
