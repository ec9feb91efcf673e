package dev.steward.journey;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link JourneySimulation} produced: the timelines it kept (every contact's, or a sample,
 * each up to a limit), the funnel of every journey version per tenant, step by step (entered, sent,
 * deferred and why, skipped and why, delivered, opened, clicked, bounced, spam-reported,
 * unsubscribed, exited by criterion, with {@link JourneyAnalytics}' reasons), and totals.
 */
public final class SimulationResult {

  /** A contact of a tenant. */
  record ContactKey(TenantId tenant, ContactId contact) {}

  private final Instant start;
  private final Instant end;
  private final Map<ContactKey, List<TimelineEntry>> timelines;
  private final Set<ContactKey> truncated;
  private final List<JourneyFunnel> funnels;
  private final long sent;
  private final long deferrals;
  private final long workRuns;
  private final Duration wallTime;

  SimulationResult(
      Instant start,
      Instant end,
      Map<ContactKey, List<TimelineEntry>> timelines,
      Set<ContactKey> truncated,
      List<JourneyFunnel> funnels,
      long sent,
      long deferrals,
      long workRuns,
      Duration wallTime) {
    this.start = start;
    this.end = end;
    Map<ContactKey, List<TimelineEntry>> kept = new java.util.HashMap<>();
    timelines.forEach((k, v) -> kept.put(k, List.copyOf(v)));
    this.timelines = Map.copyOf(kept);
    this.truncated = Set.copyOf(truncated);
    this.funnels = List.copyOf(funnels);
    this.sent = sent;
    this.deferrals = deferrals;
    this.workRuns = workRuns;
    this.wallTime = wallTime;
  }

  /** The virtual instant the simulation started at. */
  public Instant start() {
    return start;
  }

  /** The virtual instant it ended at: nothing due later was run. */
  public Instant end() {
    return end;
  }

  /**
   * The timeline of a contact, in virtual-time order; empty if the simulation did not keep it (not
   * in the sample, see {@link JourneySimulation.Builder#keepTimelines}) or knows no such contact.
   */
  public Optional<List<TimelineEntry>> timeline(TenantId tenant, ContactId contact) {
    return Optional.ofNullable(timelines.get(new ContactKey(tenant, contact)));
  }

  /** How many timelines were kept. */
  public int timelinesKept() {
    return timelines.size();
  }

  /**
   * Whether a kept timeline stopped at {@link JourneySimulation.Builder#maxTimelineEntries}: the
   * entries after the limit went only to the listener.
   */
  public boolean truncated(TenantId tenant, ContactId contact) {
    return truncated.contains(new ContactKey(tenant, contact));
  }

  /** The funnel of every journey version that had an entry, by tenant, journey id and version. */
  public List<JourneyFunnel> funnels() {
    return funnels;
  }

  /** The funnel of a tenant's journey version; empty if nobody entered it. */
  public Optional<JourneyFunnel> funnel(TenantId tenant, String journey, int version) {
    return funnels.stream()
        .filter(
            f -> f.tenant().equals(tenant) && f.journey().equals(journey) && f.version() == version)
        .findFirst();
  }

  /** How many messages were sent, all journeys and contacts together. */
  public long messagesSent() {
    return sent;
  }

  /** How many times a gate deferred a message (a message deferred twice counts twice). */
  public long deferrals() {
    return deferrals;
  }

  /** How many due work items ran (journey steps and deferred messages). */
  public long workRuns() {
    return workRuns;
  }

  /** How long the run took on the wall clock. */
  public Duration wallTime() {
    return wallTime;
  }

  @Override
  public String toString() {
    return "simulation "
        + start
        + " to "
        + end
        + ": "
        + sent
        + " sent, "
        + deferrals
        + " deferrals, "
        + workRuns
        + " work runs, "
        + timelines.size()
        + " timelines kept, "
        + wallTime.toMillis()
        + " ms";
  }
}
