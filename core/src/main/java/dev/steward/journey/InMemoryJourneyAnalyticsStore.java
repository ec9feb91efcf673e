package dev.steward.journey;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link JourneyAnalyticsStore} in memory, for one process and tests; every operation holds its
 * lock.
 */
public final class InMemoryJourneyAnalyticsStore implements JourneyAnalyticsStore {
  private final Map<TenantId, Tenant> tenants = new HashMap<>();

  private static final JourneyMetric[] METRICS = JourneyMetric.values();

  /**
   * No kept mark is older than this (null: none is kept): a purge before it has nothing to do and
   * returns at once instead of walking every subject. The daily purge runs at start-up, when every
   * mark is usually younger than the retention.
   */
  private Instant earliest;

  /** One tenant's data. */
  private static final class Tenant {
    /** subject -> what was counted of it, by metric */
    final Map<String, Marks> marks = new HashMap<>();

    /** journey -> version -> step -> its counts */
    final Map<String, Map<Integer, Map<String, StepCounts>>> counts = new HashMap<>();

    final Map<EpisodeKey, Instant> episodes = new HashMap<>();

    /**
     * The step whose counts were counted last and those counts (mem5): the facts of a run of due
     * steps are mostly of one step, which then takes one comparison instead of three map lookups.
     * Counts are never taken out of {@link #counts} while the tenant's data lives, so the ones kept
     * here are always the map's. Read and written under the store's lock.
     */
    JourneyStepRef lastStep;

    StepCounts lastCounts;

    /** The counts of step {@code s}, made if it has none yet. */
    StepCounts countsOf(JourneyStepRef s) {
      if (s.equals(lastStep)) {
        return lastCounts;
      }
      StepCounts c =
          counts
              .computeIfAbsent(s.journey(), k -> new HashMap<>())
              .computeIfAbsent(s.version(), k -> new HashMap<>())
              .computeIfAbsent(s.step(), k -> new StepCounts());
      lastStep = s;
      lastCounts = c;
      return c;
    }
  }

  /**
   * The metrics counted of one subject: the step each was counted against and when it happened
   * (cpu14: one object per subject instead of two maps of entries). Only the metrics counted have a
   * slot (memstep: most subjects have one to a few of the thirteen metrics, and arrays of all of
   * them were 168 bytes a subject, kept for the marks' retention): {@code counted} holds a bit per
   * metric's ordinal, and a metric's slot is the number of counted metrics of lower ordinal.
   */
  private static final class Marks {
    int counted;
    JourneyStepRef[] steps = NO_STEPS;
    Instant[] at = NO_TIMES;

    int size() {
      return Integer.bitCount(counted);
    }

    boolean has(int metric) {
      return (counted & (1 << metric)) != 0;
    }

    private int slot(int metric) {
      return Integer.bitCount(counted & ((1 << metric) - 1));
    }

    /** The step a counted metric was counted against. */
    JourneyStepRef step(int metric) {
      return steps[slot(metric)];
    }

    /** The time a counted metric happened. */
    Instant at(int metric) {
      return at[slot(metric)];
    }

    /** Counts a metric not counted yet. */
    void add(int metric, JourneyStepRef step, Instant when) {
      int i = slot(metric);
      int n = size();
      JourneyStepRef[] s = new JourneyStepRef[n + 1];
      Instant[] a = new Instant[n + 1];
      System.arraycopy(steps, 0, s, 0, i);
      System.arraycopy(at, 0, a, 0, i);
      s[i] = step;
      a[i] = when;
      System.arraycopy(steps, i, s, i + 1, n - i);
      System.arraycopy(at, i, a, i + 1, n - i);
      steps = s;
      at = a;
      counted |= 1 << metric;
    }

    /** Forgets a counted metric. */
    void remove(int metric) {
      int i = slot(metric);
      int n = size();
      JourneyStepRef[] s = new JourneyStepRef[n - 1];
      Instant[] a = new Instant[n - 1];
      System.arraycopy(steps, 0, s, 0, i);
      System.arraycopy(at, 0, a, 0, i);
      System.arraycopy(steps, i + 1, s, i, n - i - 1);
      System.arraycopy(at, i + 1, a, i, n - i - 1);
      steps = s;
      at = a;
      counted &= ~(1 << metric);
    }
  }

  static {
    if (METRICS.length > Integer.SIZE) { // a bit per metric in Marks.counted
      throw new IllegalStateException(METRICS.length + " journey metrics do not fit an int");
    }
  }

  private static final JourneyStepRef[] NO_STEPS = {};
  private static final Instant[] NO_TIMES = {};

  /** One step's counts: by metric's ordinal, and by metric and reason for those with one. */
  private static final class StepCounts {
    final long[] byMetric = new long[METRICS.length];
    Map<ReasonKey, Long> byReason;
  }

  private record ReasonKey(JourneyMetric metric, String reason) {}

  private record EpisodeKey(JourneyStepRef step, JourneyAlertKind kind) {}

  private InMemoryJourneyAnalyticsStore() {}

  /** An empty store. */
  public static InMemoryJourneyAnalyticsStore of() {
    return new InMemoryJourneyAnalyticsStore();
  }

  @Override
  public synchronized boolean record(JourneyFact fact) {
    InvalidJourneyException.requireNonNull(fact, "journey fact");
    Tenant t = tenants.get(fact.tenant());
    if (t == null) {
      t = new Tenant();
      tenants.put(fact.tenant(), t);
    }
    Marks marks = t.marks.get(fact.subject());
    if (marks == null) {
      marks = new Marks();
      t.marks.put(fact.subject(), marks);
    }
    int m = fact.metric().ordinal();
    if (marks.has(m)) {
      return false;
    }
    marks.add(m, fact.step(), fact.at());
    if (earliest == null || fact.at().isBefore(earliest)) {
      earliest = fact.at();
    }
    StepCounts counts = t.countsOf(fact.step());
    counts.byMetric[m]++;
    if (fact.reason().isPresent()) {
      if (counts.byReason == null) {
        counts.byReason = new HashMap<>();
      }
      counts.byReason.merge(new ReasonKey(fact.metric(), fact.reason().get()), 1L, Long::sum);
    }
    return true;
  }

  @Override
  public synchronized Optional<JourneyStepRef> stepOf(TenantId tenant, String messageId) {
    JourneyAnalyticsStore.checkMessage(tenant, messageId);
    Tenant t = tenants.get(tenant);
    Marks marks = t == null ? null : t.marks.get(messageId);
    if (marks == null) {
      return Optional.empty();
    }
    for (JourneyMetric m : METRICS) { // in a fixed order, as the JDBC store does
      if (m.perMessage() && marks.has(m.ordinal())) {
        return Optional.of(marks.step(m.ordinal()));
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized List<StepCount> counts(TenantId tenant, String journey, int version) {
    JourneyAnalyticsStore.checkJourney(tenant, journey, version);
    Tenant t = tenants.get(tenant);
    Map<Integer, Map<String, StepCounts>> versions = t == null ? null : t.counts.get(journey);
    Map<String, StepCounts> steps = versions == null ? null : versions.get(version);
    List<StepCount> out = new ArrayList<>();
    if (steps != null) {
      steps.forEach(
          (step, c) -> {
            for (JourneyMetric m : METRICS) {
              if (c.byMetric[m.ordinal()] > 0) {
                out.add(new StepCount(step, m, Optional.empty(), c.byMetric[m.ordinal()]));
              }
            }
            if (c.byReason != null) {
              c.byReason.forEach(
                  (k, n) -> out.add(new StepCount(step, k.metric(), Optional.of(k.reason()), n)));
            }
          });
    }
    return out;
  }

  @Override
  public synchronized boolean openEpisode(
      TenantId tenant, JourneyStepRef step, JourneyAlertKind kind, Instant at) {
    JourneyAnalyticsStore.checkOpen(tenant, step, kind, at);
    return tenants
            .computeIfAbsent(tenant, k -> new Tenant())
            .episodes
            .putIfAbsent(new EpisodeKey(step, kind), at)
        == null;
  }

  @Override
  public synchronized boolean closeEpisode(
      TenantId tenant, JourneyStepRef step, JourneyAlertKind kind) {
    JourneyAnalyticsStore.checkEpisode(tenant, step, kind);
    Tenant t = tenants.get(tenant);
    return t != null && t.episodes.remove(new EpisodeKey(step, kind)) != null;
  }

  @Override
  public synchronized Map<String, Set<JourneyAlertKind>> openEpisodes(
      TenantId tenant, String journey, int version) {
    JourneyAnalyticsStore.checkJourney(tenant, journey, version);
    Tenant t = tenants.get(tenant);
    Map<String, Set<JourneyAlertKind>> out = new TreeMap<>();
    if (t != null) {
      for (EpisodeKey k : t.episodes.keySet()) {
        if (k.step().journey().equals(journey) && k.step().version() == version) {
          out.computeIfAbsent(k.step().step(), x -> EnumSet.noneOf(JourneyAlertKind.class))
              .add(k.kind());
        }
      }
    }
    return out;
  }

  @Override
  public synchronized int purgeMarksBefore(Instant cutoff, int max) {
    JourneyAnalyticsStore.checkPurge(cutoff, max);
    if (earliest == null || !earliest.isBefore(cutoff)) {
      return 0;
    }
    int n = 0;
    Instant kept = null; // the oldest mark kept, known when the walk saw every one
    for (Tenant t : tenants.values()) {
      var subjects = t.marks.values().iterator();
      while (subjects.hasNext() && n < max) {
        Marks s = subjects.next();
        for (int m = 0; m < METRICS.length; m++) {
          if (!s.has(m)) {
            continue;
          }
          Instant at = s.at(m);
          if (n < max && at.isBefore(cutoff)) {
            s.remove(m);
            n++;
          } else if (kept == null || at.isBefore(kept)) {
            kept = at;
          }
        }
        if (s.size() == 0) {
          subjects.remove();
        }
      }
    }
    if (n < max) { // walked every mark: the bound is the oldest kept one now
      earliest = kept;
    }
    return n;
  }

  @Override
  public synchronized int eraseTenant(TenantId tenant) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    Tenant t = tenants.remove(tenant);
    if (t == null) {
      return 0;
    }
    int n = 0;
    for (Marks m : t.marks.values()) {
      n += m.size();
    }
    return n;
  }
}
