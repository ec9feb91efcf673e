package dev.steward;

import dev.steward.delivery.Decision;
import dev.steward.delivery.DispatchListener;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.EmailEventListener;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.governance.GovernanceDecision;
import dev.steward.governance.StandingChanged;
import dev.steward.governance.StandingListener;
import dev.steward.internal.ComputedList;
import dev.steward.internal.RuleOutline;
import dev.steward.model.EmailEvent;
import dev.steward.model.Message;
import dev.steward.schedule.Lease;
import dev.steward.schedule.Next;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the pipeline does (decisions by gate, rule and outcome; results; work finished and
 * failed; events by type; governance decisions and standing changes) and reads gauges (due work,
 * dead work, unsettled sends) on demand: the numbers a Micrometer or OpenTelemetry binding
 * publishes, with no metrics library in core.
 *
 * <p>Register it as a {@link DispatchListener}, a {@link WorkListener}, an {@link
 * EmailEventListener} and a {@link StandingListener} ({@code Steward} does); read it with {@link
 * #snapshot()} or {@link #count(String, Map)}. Counters only grow; tag values are the closed sets
 * the library defines (gate and rule names, statuses, kinds, event types), never ids or addresses,
 * so the number of series stays small.
 */
public final class StewardMetrics
    implements DispatchListener, WorkListener, EmailEventListener, StandingListener {
  private static final Logger log = LoggerFactory.getLogger(StewardMetrics.class);

  /** Results of {@code dispatch}, tagged {@code status}. */
  public static final String DISPATCH_RESULTS = "steward.dispatch.results";

  /** Gate decisions, tagged {@code gate} and {@code outcome}. */
  public static final String GATE_DECISIONS = "steward.gate.decisions";

  /** Reasons given by rules, tagged {@code gate}, {@code rule} and {@code effect}. */
  public static final String RULE_REASONS = "steward.rule.reasons";

  /** Work items handled, tagged {@code kind} and {@code next} (DONE, RESCHEDULE, ...). */
  public static final String WORK_FINISHED = "steward.work.finished";

  /** Work items whose handler failed, tagged {@code kind} and {@code dead} (true, false). */
  public static final String WORK_FAILED = "steward.work.failed";

  /** Leases a runner lost while it worked (its answer was not recorded). */
  public static final String LEASES_LOST = "steward.work.leases.lost";

  /** Provider events applied, tagged {@code type}. */
  public static final String EVENTS = "steward.events";

  /** Governance evaluations of tenants, tagged {@code cause} and {@code level} (after). */
  public static final String GOVERNANCE_DECISIONS = "steward.governance.decisions";

  /**
   * Changes of a tenant's governance standing, tagged {@code from}, {@code to} and {@code cause}
   * (escalated, stepped down, expired, overridden, termination review, ...).
   */
  public static final String STANDING_CHANGES = "steward.governance.standing.changes";

  /**
   * Gauge {@code Steward} defines: provider events governance could not classify (a bounce without
   * its type, a drop without its reason) since start.
   */
  public static final String GOVERNANCE_UNCLASSIFIED = "steward.governance.events.unclassified";

  /** Gauge {@code Steward} defines: provider events that named no tenant, since start. */
  public static final String GOVERNANCE_UNTENANTED = "steward.governance.events.untenanted";

  /** One counter or gauge reading: its name, its tags and its value. */
  public record Metric(String name, Map<String, String> tags, long value) {
    public Metric {
      Objects.requireNonNull(name, "name");
      tags = Map.copyOf(tags);
    }
  }

  /**
   * A counter's name and up to three tags, their keys in alphabetical order (null where unused): a
   * key that hashes and compares its strings (whose hashes they keep) without the map a counter's
   * tags are handed out as, since a counter moves on every send, gate decision and work item.
   */
  private record Series(
      String name, String k1, String v1, String k2, String v2, String k3, String v3) {
    /** The series of a name and at most three tags. */
    static Series of(String name, Map<String, String> tags) {
      String[] kv = new String[6];
      int i = 0;
      for (String k : new TreeMap<>(tags).keySet()) {
        kv[i++] = k;
        kv[i++] = tags.get(k);
      }
      return new Series(name, kv[0], kv[1], kv[2], kv[3], kv[4], kv[5]);
    }

    Map<String, String> tags() {
      if (k1 == null) {
        return Map.of();
      }
      if (k2 == null) {
        return Map.of(k1, v1);
      }
      return k3 == null ? Map.of(k1, v1, k2, v2) : Map.of(k1, v1, k2, v2, k3, v3);
    }
  }

  private final ConcurrentMap<Series, LongAdder> counters = new ConcurrentHashMap<>();

  // cpu14: the counters that move on every send and work item, found without building a Series:
  // by their string tag, then their enum tag's ordinal. Each slot holds the adder stored under the
  // counter's Series (filled from it on first use), so every read goes on seeing the one counter.
  private final ConcurrentMap<String, AtomicReferenceArray<LongAdder>> gateDecisions =
      new ConcurrentHashMap<>();
  private final ConcurrentMap<String, ConcurrentMap<String, AtomicReferenceArray<LongAdder>>>
      ruleReasons = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, AtomicReferenceArray<LongAdder>> workFinished =
      new ConcurrentHashMap<>();
  private final AtomicReferenceArray<LongAdder> dispatchResults =
      new AtomicReferenceArray<>(DispatchStatus.values().length);
  private static final int OUTCOMES = Outcome.values().length;
  private static final int ACTIONS = Next.Action.values().length;
  private final Map<String, LongSupplier> gauges;

  private StewardMetrics(Map<String, LongSupplier> gauges) {
    this.gauges = Map.copyOf(gauges);
  }

  /** Metrics with counters only. */
  public static StewardMetrics of() {
    return new StewardMetrics(Map.of());
  }

  /** A builder, for metrics with gauges. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void onGateDecision(Message message, String gate, Decision decision) {
    Outcome outcome = decision.outcome();
    if (gate == null) { // refused, as for any tag of no value
      increment(GATE_DECISIONS, "gate", gate, "outcome", outcome.name(), null, null);
    }
    AtomicReferenceArray<LongAdder> row = row(gateDecisions, gate, OUTCOMES);
    LongAdder a = row.get(outcome.ordinal());
    if (a == null) {
      a = adder(GATE_DECISIONS, "gate", gate, "outcome", outcome.name(), null, null);
      row.set(outcome.ordinal(), a);
    }
    a.increment();
    List<Reason> reasons = decision.reasons();
    // memsend: a lazily explained decision that says what its rules are is counted from that,
    // leaving its reasons (their texts, counts and instants) unbuilt
    RuleOutline<?> outline = reasons instanceof ComputedList<?> c ? c.outline() : null;
    if (outline != null && outlinesOutcomes(outline)) {
      for (int i = 0, n = outline.size(); i < n; i++) {
        countRule(outline.gate(i), outline.rule(i), (Outcome) outline.effect(i));
      }
      return;
    }
    for (int i = 0; i < reasons.size(); i++) {
      Reason r = reasons.get(i);
      countRule(r.gate(), r.rule(), r.effect());
    }
  }

  /** True when every effect the outline tells is an {@link Outcome} (else the reasons are read). */
  private static boolean outlinesOutcomes(RuleOutline<?> outline) {
    for (int i = 0, n = outline.size(); i < n; i++) {
      if (!(outline.effect(i) instanceof Outcome)) {
        return false;
      }
    }
    return true;
  }

  private void countRule(String gate, String rule, Outcome effect) {
    ConcurrentMap<String, AtomicReferenceArray<LongAdder>> rules = ruleReasons.get(gate);
    if (rules == null) {
      rules = ruleReasons.computeIfAbsent(gate, g -> new ConcurrentHashMap<>());
    }
    AtomicReferenceArray<LongAdder> effects = row(rules, rule, OUTCOMES);
    LongAdder e = effects.get(effect.ordinal());
    if (e == null) {
      e = adder(RULE_REASONS, "effect", effect.name(), "gate", gate, "rule", rule);
      effects.set(effect.ordinal(), e);
    }
    e.increment();
  }

  @Override
  public void onResult(DispatchResult result) {
    DispatchStatus status = result.status();
    LongAdder a = dispatchResults.get(status.ordinal());
    if (a == null) {
      a = adder(DISPATCH_RESULTS, "status", status.name(), null, null, null, null);
      dispatchResults.set(status.ordinal(), a);
    }
    a.increment();
  }

  @Override
  public void onFinished(WorkItem item, Next next, Duration took) {
    String kind = item.key().kind();
    Next.Action action = next.action();
    if (kind == null) { // refused, as for any tag of no value
      increment(WORK_FINISHED, "kind", kind, "next", action.name(), null, null);
    }
    AtomicReferenceArray<LongAdder> row = row(workFinished, kind, ACTIONS);
    LongAdder a = row.get(action.ordinal());
    if (a == null) {
      a = adder(WORK_FINISHED, "kind", kind, "next", action.name(), null, null);
      row.set(action.ordinal(), a);
    }
    a.increment();
  }

  /**
   * The slots of {@code tag}'s value in a table of adders by a string tag and an enum's ordinal.
   */
  private static AtomicReferenceArray<LongAdder> row(
      ConcurrentMap<String, AtomicReferenceArray<LongAdder>> table, String tag, int size) {
    AtomicReferenceArray<LongAdder> row = table.get(tag);
    return row != null ? row : table.computeIfAbsent(tag, t -> new AtomicReferenceArray<>(size));
  }

  @Override
  public void onFailed(WorkItem item, Throwable error, boolean dead) {
    increment(WORK_FAILED, "dead", Boolean.toString(dead), "kind", item.key().kind(), null, null);
  }

  @Override
  public void onLeaseLost(Lease lease) {
    increment(LEASES_LOST, null, null, null, null, null, null);
  }

  @Override
  public void onEvents(List<EmailEvent> events) {
    for (EmailEvent e : events) {
      increment(EVENTS, "type", e.type().name(), null, null, null, null);
    }
  }

  @Override
  public void onChange(StandingChanged event) {
    increment(
        STANDING_CHANGES,
        "cause",
        event.cause().name(),
        "from",
        event.from().name(),
        "to",
        event.to().name());
  }

  @Override
  public void onDecision(GovernanceDecision decision) {
    increment(
        GOVERNANCE_DECISIONS,
        "cause",
        decision.cause().name(),
        "level",
        decision.level().name(),
        null,
        null);
  }

  /** The counter's value for exactly these tags; 0 if it never moved. */
  public long count(String name, Map<String, String> tags) {
    Map<String, String> copy = Map.copyOf(tags);
    if (copy.size() > 3) {
      return 0; // no counter has more tags
    }
    LongAdder a = counters.get(Series.of(name, copy));
    return a == null ? 0 : a.sum();
  }

  /** The sum of a counter over all its tags. */
  public long total(String name) {
    long sum = 0;
    for (Map.Entry<Series, LongAdder> e : counters.entrySet()) {
      if (e.getKey().name().equals(name)) {
        sum += e.getValue().sum();
      }
    }
    return sum;
  }

  /** A gauge read now. */
  public long gauge(String name) {
    LongSupplier g = gauges.get(name);
    if (g == null) {
      throw new IllegalArgumentException("no gauge named '" + name + "'; have " + gauges.keySet());
    }
    return g.getAsLong();
  }

  /**
   * Every counter, then every gauge read now, sorted by name and tags; a gauge that cannot be read
   * (its store is down) is left out and logged.
   */
  public List<Metric> snapshot() {
    List<Metric> out = new ArrayList<>();
    counters.forEach((s, a) -> out.add(new Metric(s.name(), s.tags(), a.sum())));
    gauges.forEach(
        (name, g) -> {
          try {
            out.add(new Metric(name, Map.of(), g.getAsLong()));
          } catch (RuntimeException e) {
            // a store that is down must not hide the counters; the gauge is left out this time
            log.warn("gauge {} could not be read; left out of this snapshot", name, e);
          }
        });
    out.sort(
        Comparator.comparing(Metric::name).thenComparing(m -> new TreeMap<>(m.tags()).toString()));
    return out;
  }

  /** Tag keys in alphabetical order, as {@link Series} keeps them. */
  private void increment(
      String name, String k1, String v1, String k2, String v2, String k3, String v3) {
    adder(name, k1, v1, k2, v2, k3, v3).increment();
  }

  /** The adder of a series, stored on first use. Tag keys in alphabetical order. */
  private LongAdder adder(
      String name, String k1, String v1, String k2, String v2, String k3, String v3) {
    Series key = new Series(name, k1, v1, k2, v2, k3, v3);
    LongAdder a = counters.get(key);
    if (a == null) {
      // checked once per series, before it is stored: a null value (a gate named null) would be
      // kept and make every later snapshot fail building its tags, as Map.of refused it before
      requireValue(name, k1, v1);
      requireValue(name, k2, v2);
      requireValue(name, k3, v3);
      a = counters.computeIfAbsent(key, s -> new LongAdder());
    }
    return a;
  }

  private static void requireValue(String name, String key, String value) {
    if (key != null && value == null) {
      throw new IllegalArgumentException(
          "tag '" + key + "' of counter " + name + " has no value; not counted");
    }
  }

  /** Builds {@link StewardMetrics}; gauges are read only when asked for. */
  public static final class Builder {
    private final Map<String, LongSupplier> gauges = new LinkedHashMap<>();

    private Builder() {}

    /** A gauge read from {@code value} each time it is asked for; it should be cheap. */
    public Builder gauge(String name, LongSupplier value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (gauges.putIfAbsent(name, value) != null) {
        throw new IllegalArgumentException("gauge '" + name + "' is defined twice");
      }
      return this;
    }

    /** The metrics. */
    public StewardMetrics build() {
      return new StewardMetrics(gauges);
    }
  }
}
