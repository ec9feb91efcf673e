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

  /** One tenant's data. */
  private static final class Tenant {
    /** subject -> metric -> the step it was counted against */
    final Map<String, Map<JourneyMetric, JourneyStepRef>> marks = new HashMap<>();

    /** subject -> metric -> when the fact happened */
    final Map<String, Map<JourneyMetric, Instant>> markedAt = new HashMap<>();

    /** (journey, version) -> (step, metric, reason or empty) -> count */
    final Map<String, Map<CountKey, Long>> counts = new HashMap<>();

    final Map<EpisodeKey, Instant> episodes = new HashMap<>();
  }

  private record CountKey(String step, JourneyMetric metric, Optional<String> reason) {}

  private record EpisodeKey(JourneyStepRef step, JourneyAlertKind kind) {}

  private InMemoryJourneyAnalyticsStore() {}

  /** An empty store. */
  public static InMemoryJourneyAnalyticsStore of() {
    return new InMemoryJourneyAnalyticsStore();
  }

  private static String versionKey(String journey, int version) {
    return journey + "#" + version;
  }

  @Override
  public synchronized boolean record(JourneyFact fact) {
    InvalidJourneyException.requireNonNull(fact, "journey fact");
    Tenant t = tenants.computeIfAbsent(fact.tenant(), k -> new Tenant());
    Map<JourneyMetric, JourneyStepRef> marks =
        t.marks.computeIfAbsent(fact.subject(), k -> new HashMap<>());
    if (marks.putIfAbsent(fact.metric(), fact.step()) != null) {
      return false;
    }
    t.markedAt.computeIfAbsent(fact.subject(), k -> new HashMap<>()).put(fact.metric(), fact.at());
    JourneyStepRef s = fact.step();
    Map<CountKey, Long> counts =
        t.counts.computeIfAbsent(versionKey(s.journey(), s.version()), k -> new HashMap<>());
    counts.merge(new CountKey(s.step(), fact.metric(), Optional.empty()), 1L, Long::sum);
    fact.reason()
        .ifPresent(
            r -> counts.merge(new CountKey(s.step(), fact.metric(), fact.reason()), 1L, Long::sum));
    return true;
  }

  @Override
  public synchronized Optional<JourneyStepRef> stepOf(TenantId tenant, String messageId) {
    JourneyAnalyticsStore.checkMessage(tenant, messageId);
    Tenant t = tenants.get(tenant);
    Map<JourneyMetric, JourneyStepRef> marks = t == null ? null : t.marks.get(messageId);
    if (marks == null) {
      return Optional.empty();
    }
    for (JourneyMetric m : JourneyMetric.values()) { // in a fixed order, as the JDBC store does
      if (m.perMessage() && marks.containsKey(m)) {
        return Optional.of(marks.get(m));
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized List<StepCount> counts(TenantId tenant, String journey, int version) {
    JourneyAnalyticsStore.checkJourney(tenant, journey, version);
    Tenant t = tenants.get(tenant);
    Map<CountKey, Long> counts = t == null ? null : t.counts.get(versionKey(journey, version));
    List<StepCount> out = new ArrayList<>();
    if (counts != null) {
      counts.forEach((k, n) -> out.add(new StepCount(k.step(), k.metric(), k.reason(), n)));
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
    int n = 0;
    for (Tenant t : tenants.values()) {
      var subjects = t.markedAt.entrySet().iterator();
      while (subjects.hasNext() && n < max) {
        Map.Entry<String, Map<JourneyMetric, Instant>> s = subjects.next();
        var metrics = s.getValue().entrySet().iterator();
        while (metrics.hasNext() && n < max) {
          Map.Entry<JourneyMetric, Instant> m = metrics.next();
          if (m.getValue().isBefore(cutoff)) {
            metrics.remove();
            t.marks.get(s.getKey()).remove(m.getKey());
            n++;
          }
        }
        if (s.getValue().isEmpty()) {
          subjects.remove();
          t.marks.remove(s.getKey());
        }
      }
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
    for (Map<JourneyMetric, JourneyStepRef> m : t.marks.values()) {
      n += m.size();
    }
    return n;
  }
}
