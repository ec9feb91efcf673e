package dev.steward.governance;

import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A virtual-time world for governance scenarios: one tenant's mail, day by day, fed hour by hour to
 * one or more instances (each its own stores, listener and evaluator, round robin), evaluated at
 * 23:30 each day: as due work on a {@link WorkRunner} with one instance, or by the instances in
 * turn with several.
 */
public final class GovernanceWorld {
  /** A Monday, midnight UTC. */
  public static final Instant START = Instant.parse("2026-03-02T00:00:00Z");

  /** What a tenant sends in one day. */
  public record Mix(int delivered, int spam, int hardBounces, int blocked) {
    public static Mix clean(int delivered) {
      return new Mix(delivered, 0, 0, 0);
    }
  }

  /** One instance of the application. */
  public record Instance(
      GovernanceMetricsStore metrics,
      StandingStore standings,
      GovernanceEvaluator evaluator,
      GovernanceListener listener) {}

  /** One day's evaluation. */
  public record Day(int day, GovernanceDecision decision) {}

  public final SettableClock clock = SettableClock.of(START);
  public final TenantId tenant;
  public final List<Instance> instances = new ArrayList<>();
  public final List<StandingChanged> changes = new CopyOnWriteArrayList<>();
  public final List<Day> days = new ArrayList<>();
  public final List<GovernanceDecision> decisions = new CopyOnWriteArrayList<>();
  private final ManualWorkDriver driver;
  private int day;
  private long eventSeq;
  private int next;

  /** One in-memory instance, evaluating as due work. */
  public static GovernanceWorld inMemory(TenantId tenant, Ladder ladder) {
    return new GovernanceWorld(
        tenant,
        ladder,
        List.of(InMemoryGovernanceMetricsStore.of()),
        List.of(InMemoryStandingStore.of()),
        true);
  }

  /** Instances over the given stores (pairwise), evaluated by the instances in turn. */
  public static GovernanceWorld of(
      TenantId tenant,
      Ladder ladder,
      List<GovernanceMetricsStore> metrics,
      List<StandingStore> standings) {
    return new GovernanceWorld(tenant, ladder, metrics, standings, false);
  }

  private GovernanceWorld(
      TenantId tenant,
      Ladder ladder,
      List<GovernanceMetricsStore> metrics,
      List<StandingStore> standings,
      boolean dueWork) {
    this.tenant = tenant;
    for (int i = 0; i < metrics.size(); i++) {
      GovernanceEvaluator ev =
          GovernanceEvaluator.builder(metrics.get(i), standings.get(i), clock)
              .ladder(ladder)
              .every(Duration.ofDays(1))
              .listener(
                  new StandingListener() {
                    @Override
                    public void onChange(StandingChanged event) {
                      changes.add(event);
                    }

                    @Override
                    public void onDecision(GovernanceDecision decision) {
                      decisions.add(decision);
                    }
                  })
              .build();
      instances.add(
          new Instance(
              metrics.get(i),
              standings.get(i),
              ev,
              GovernanceListener.builder(metrics.get(i)).build()));
    }
    if (dueWork) {
      InMemoryWorkStore work = InMemoryWorkStore.of(clock);
      GovernanceEvaluator ev = instances.get(0).evaluator();
      WorkRunner runner = ev.register(WorkRunner.builder(work, clock)).build();
      driver = ManualWorkDriver.of(runner, clock);
      // the first evaluation at 23:30 on day 1; the handler comes back daily
      work.schedule(
          WorkItem.builder(tenant, GovernanceEvaluator.KIND, GovernanceEvaluator.ITEM_ID)
              .payload("{}")
              .dueAt(START.plus(Duration.ofMinutes(23 * 60 + 30)))
              .build(),
          IfExists.KEEP);
    } else {
      driver = null;
    }
  }

  /** Sends one day's mail, hour by hour, then evaluates at 23:30; the day's decision. */
  public GovernanceDecision sendDay(Mix mix) {
    Instant dayStart = START.plus(Duration.ofDays(day));
    for (int h = 0; h < 24; h++) {
      Instant hour = dayStart.plus(Duration.ofHours(h));
      clock.set(hour);
      List<EmailEvent> events = new ArrayList<>();
      addHour(events, EmailEventType.DELIVERED, null, mix.delivered(), h, hour);
      addHour(events, EmailEventType.BOUNCE, "bounce", mix.hardBounces(), h, hour);
      addHour(events, EmailEventType.BLOCKED, null, mix.blocked(), h, hour);
      addHour(events, EmailEventType.SPAM_REPORT, null, mix.spam(), h, hour);
      for (int from = 0; from < events.size(); from += 500) {
        List<EmailEvent> batch = events.subList(from, Math.min(events.size(), from + 500));
        instances.get(next++ % instances.size()).listener().onEvents(batch);
      }
      if (driver != null) {
        driver.runDue();
      }
    }
    clock.set(dayStart.plus(Duration.ofMinutes(23 * 60 + 30)));
    GovernanceDecision d;
    if (driver != null) {
      int before = decisions.size();
      driver.runDue();
      if (decisions.size() == before) {
        throw new AssertionError("no evaluation ran as due work on day " + (day + 1));
      }
      d = decisions.get(decisions.size() - 1);
    } else {
      d = instances.get(day % instances.size()).evaluator().evaluate(tenant);
    }
    day++;
    days.add(new Day(day, d));
    return d;
  }

  /** Sends {@code n} days of the same mix; the last decision. */
  public GovernanceDecision sendDays(int n, Mix mix) {
    GovernanceDecision d = null;
    for (int i = 0; i < n; i++) {
      d = sendDay(mix);
    }
    return d;
  }

  /** The levels after each day so far. */
  public List<Level> levels() {
    return days.stream().map(d -> d.decision().level()).toList();
  }

  /** The number of days evaluated so far. */
  public int day() {
    return day;
  }

  /**
   * {@code count} events of a type spread over the day, those falling in hour {@code h}: each
   * delivered, bounced or blocked message also has its PROCESSED event.
   */
  private void addHour(
      List<EmailEvent> out,
      EmailEventType type,
      String bounceType,
      int count,
      int h,
      Instant hour) {
    for (int k = 0; k < count; k++) {
      if ((int) ((long) k * 24 / count) != h) {
        continue;
      }
      Instant at = hour.plusSeconds(k % 3600);
      String address = "r" + (k % 5000) + "@example.com";
      if (type != EmailEventType.SPAM_REPORT) {
        out.add(
            EmailEvent.builder("p" + (++eventSeq), EmailEventType.PROCESSED, at)
                .tenant(tenant)
                .email(address)
                .build());
      }
      EmailEvent.Builder b =
          EmailEvent.builder("e" + (++eventSeq), type, at).tenant(tenant).email(address);
      if (bounceType != null) {
        b.attribute("type", bounceType);
      }
      out.add(b.build());
    }
  }
}
