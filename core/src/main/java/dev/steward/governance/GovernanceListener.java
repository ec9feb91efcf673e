package dev.steward.governance;

import dev.steward.delivery.EmailEventListener;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the provider's events to the {@link GovernanceMetricsStore}:
 *
 * <ul>
 *   <li>PROCESSED: sent (and sent to an inactive address when the recipient was first mailed at
 *       least the inactivity period before and has not opened or clicked within it);
 *   <li>DELIVERED, DEFERRED, SPAM_REPORT: their counter; UNSUBSCRIBE and GROUP_UNSUBSCRIBE:
 *       unsubscribes;
 *   <li>BOUNCE of type {@code bounce}: a hard bounce; of type {@code blocked}, and BLOCKED: a
 *       block;
 *   <li>DROPPED with reason {@code Invalid}: an invalid address (other drops are the provider's own
 *       suppressions or the content, not the list's quality: not counted);
 *   <li>OPEN and CLICK: the recipient's latest engagement.
 * </ul>
 *
 * <p>An event it cannot classify (a bounce without a known type, a drop without a reason) or that
 * names no tenant (and no default tenant is set) is counted ({@link #eventsNotClassified()}, {@link
 * #eventsWithoutTenant()}) and logged at DEBUG by event id, never fatal. So is an event dated more
 * than {@link #MAX_FUTURE_SKEW} after the clock, when it has one ({@link Builder#clock}, {@link
 * Builder#evaluateWith}; {@link #eventsFromTheFuture()}): a provider's clock is not that far off,
 * and such a time (a forged webhook, a corrupted field) would otherwise take a bucket of days to
 * come and, in memory, push out the buckets of the present. Idempotent: the store counts each event
 * once by tenant and event id, and recipient activity keeps the earliest send and latest
 * engagement. The pool is read from the event's {@value #ATTRIBUTE_POOL} attribute unless {@link
 * Builder#poolOf} says otherwise. With {@link Builder#evaluateWith} the tenants of each batch get
 * an evaluation scheduled as due work.
 */
public final class GovernanceListener implements EmailEventListener {
  private static final Logger log = LoggerFactory.getLogger(GovernanceListener.class);

  /** The event attribute naming the IP pool the message went through, if the transport set it. */
  public static final String ATTRIBUTE_POOL = "pool";

  /** The event attribute holding SendGrid's bounce type: {@code bounce} or {@code blocked}. */
  public static final String ATTRIBUTE_BOUNCE_TYPE = "type";

  /** The event attribute holding SendGrid's reason for a drop. */
  public static final String ATTRIBUTE_DROP_REASON = "reason";

  /**
   * How far after the clock an event may be dated and still count: one hour, far beyond the clock
   * skew between the provider and this host, and short enough that the in-memory rings (36 hours,
   * 10 days) keep every bucket the 24-hour and 7-day windows read beside the future ones.
   */
  public static final Duration MAX_FUTURE_SKEW = Duration.ofHours(1);

  private final GovernanceMetricsStore store;
  private final Clock clock; // null: none given, no event refused for its time
  private final Optional<TenantId> defaultTenant;
  private final Function<EmailEvent, Optional<String>> poolOf;
  private final Duration inactiveAfter;
  private final GovernanceEvaluator evaluator;
  private final WorkStore work;
  private final LongAdder withoutTenant = new LongAdder();
  private final LongAdder notClassified = new LongAdder();
  private final LongAdder fromTheFuture = new LongAdder();

  private GovernanceListener(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    this.defaultTenant = Optional.ofNullable(b.defaultTenant);
    this.poolOf = b.poolOf;
    this.inactiveAfter = b.inactiveAfter;
    this.evaluator = b.evaluator;
    this.work = b.work;
  }

  /** A builder over the store: pool from the event's attribute, 180 days of inactivity. */
  public static Builder builder(GovernanceMetricsStore store) {
    return new Builder(store);
  }

  /** Events that named no tenant while no default tenant was set. */
  public long eventsWithoutTenant() {
    return withoutTenant.sum();
  }

  /** Events not counted because they were dated more than {@link #MAX_FUTURE_SKEW} ahead. */
  public long eventsFromTheFuture() {
    return fromTheFuture.sum();
  }

  /** Events of a counted type that could not be classified (bounce type or drop reason unknown). */
  public long eventsNotClassified() {
    return notClassified.sum();
  }

  @Override
  public void onEvents(List<EmailEvent> batch) {
    // one snapshot walked twice: the inactive flags are kept by position, so the second walk must
    // meet the events of the first in the same order (free for an immutable list, which it keeps)
    List<EmailEvent> events = List.copyOf(batch);
    int n = events.size();
    List<Increment> increments = new ArrayList<>(n);
    List<ActivityTouch> touches = new ArrayList<>();
    Set<TenantId> tenants = evaluator == null ? null : new LinkedHashSet<>(capacityFor(n));
    Instant latest = clock == null ? Instant.MAX : clock.instant().plus(MAX_FUTURE_SKEW);
    // whether each PROCESSED event went to an inactive address, read before the batch changes
    // any recipient's activity
    boolean[] toInactive = readInactive(events, latest);
    int index = -1;
    for (EmailEvent e : events) {
      index++;
      Counter counter = classify(e);
      boolean engagement =
          e.type() == dev.steward.model.EmailEventType.OPEN
              || e.type() == dev.steward.model.EmailEventType.CLICK;
      if (counter == null && !engagement) {
        continue;
      }
      if (e.occurredAt().isAfter(latest)) {
        fromTheFuture.increment();
        log.debug(
            "{} event {} dated {} is more than {} ahead of the clock; not counted",
            e.type(),
            e.eventId(),
            e.occurredAt(),
            MAX_FUTURE_SKEW);
        continue;
      }
      TenantId t = tenantOf(e);
      if (t == null) {
        withoutTenant.increment();
        log.debug("{} event {} names no tenant; not counted", e.type(), e.eventId());
        continue;
      }
      if (engagement) {
        e.email().ifPresent(a -> touches.add(new ActivityTouch(t, a, true, e.occurredAt())));
        continue;
      }
      boolean inactive = toInactive != null && toInactive[index];
      if (counter == Counter.PROCESSED && e.email().isPresent()) {
        touches.add(new ActivityTouch(t, e.email().get(), false, e.occurredAt()));
      }
      Optional<String> pool = poolOf.apply(e);
      increments.add(new Increment(t, e.eventId(), pool, counter, inactive, e.occurredAt()));
      if (tenants != null) {
        tenants.add(t);
      }
    }
    if (!increments.isEmpty()) {
      store.add(increments);
    }
    if (!touches.isEmpty()) {
      store.touch(touches);
    }
    if (tenants != null && !tenants.isEmpty()) {
      evaluator.schedule(work, tenants);
    }
  }

  /**
   * For each event, true if it is a PROCESSED one (counted, with a tenant and a recipient) sent to
   * an inactive address; null when the batch has no such event. The in-memory store is asked per
   * event (a lookup, with no round trip to save); any other store once per tenant of the batch.
   */
  private boolean[] readInactive(List<EmailEvent> events, Instant latest) {
    boolean[] inactive = null;
    if (store instanceof InMemoryGovernanceMetricsStore memory) {
      int i = -1;
      for (EmailEvent e : events) {
        i++;
        TenantId t = processedTenant(e, latest);
        if (t != null && memory.inactiveAt(t, e.email().get(), e.occurredAt(), inactiveAfter)) {
          if (inactive == null) {
            inactive = new boolean[events.size()];
          }
          inactive[i] = true;
        }
      }
      return inactive;
    }
    // who was mailed, so that recipient activity is read once per batch and tenant
    Map<TenantId, List<EmailAddress>> processedTo = new HashMap<>();
    for (EmailEvent e : events) {
      TenantId t = processedTenant(e, latest);
      if (t != null) {
        processedTo.computeIfAbsent(t, k -> new ArrayList<>(4)).add(e.email().get());
      }
    }
    if (processedTo.isEmpty()) {
      return null;
    }
    Map<TenantId, Map<EmailAddress, RecipientActivity>> known =
        new HashMap<>(capacityFor(processedTo.size()));
    for (Map.Entry<TenantId, List<EmailAddress>> p : processedTo.entrySet()) {
      Map<EmailAddress, RecipientActivity> found = store.activity(p.getKey(), p.getValue());
      if (!found.isEmpty()) {
        known.put(p.getKey(), found);
      }
    }
    if (known.isEmpty()) {
      return null;
    }
    int i = -1;
    for (EmailEvent e : events) {
      i++;
      TenantId t = processedTenant(e, latest);
      Map<EmailAddress, RecipientActivity> found = t == null ? null : known.get(t);
      RecipientActivity r = found == null ? null : found.get(e.email().get());
      if (r != null && r.inactiveAt(e.occurredAt(), inactiveAfter)) {
        if (inactive == null) {
          inactive = new boolean[events.size()];
        }
        inactive[i] = true;
      }
    }
    return inactive;
  }

  /** The tenant of a PROCESSED event with a recipient that is not too far ahead; else null. */
  private TenantId processedTenant(EmailEvent e, Instant latest) {
    if (e.type() != dev.steward.model.EmailEventType.PROCESSED
        || e.email().isEmpty()
        || e.occurredAt().isAfter(latest)) {
      return null;
    }
    return tenantOf(e);
  }

  /** The event's tenant, or the default tenant, or null. */
  private TenantId tenantOf(EmailEvent e) {
    return e.tenant().isPresent() ? e.tenant().get() : defaultTenant.orElse(null);
  }

  /** A hash map's initial capacity that holds {@code n} entries without growing. */
  private static int capacityFor(int n) {
    return (int) Math.min(1 << 30, n * 4L / 3 + 1);
  }

  /** The counter of an event, or null if it counts nothing (or cannot be classified). */
  private Counter classify(EmailEvent e) {
    switch (e.type()) {
      case PROCESSED:
        return Counter.PROCESSED;
      case DELIVERED:
        return Counter.DELIVERED;
      case DEFERRED:
        return Counter.DEFERRED;
      case SPAM_REPORT:
        return Counter.SPAM_REPORT;
      case UNSUBSCRIBE:
      case GROUP_UNSUBSCRIBE:
        return Counter.UNSUBSCRIBE;
      case BLOCKED:
        return Counter.BLOCKED;
      case BOUNCE:
        {
          String type = attribute(e, ATTRIBUTE_BOUNCE_TYPE);
          if ("bounce".equals(type)) {
            return Counter.HARD_BOUNCE;
          }
          if ("blocked".equals(type)) {
            return Counter.BLOCKED;
          }
          notClassified(e, "bounce type " + (type == null ? "missing" : "'" + type + "'"));
          return null;
        }
      case DROPPED:
        {
          String reason = attribute(e, ATTRIBUTE_DROP_REASON);
          if (reason == null) {
            notClassified(e, "no drop reason");
            return null;
          }
          return "invalid".equals(reason) ? Counter.INVALID : null;
        }
      default:
        return null;
    }
  }

  private void notClassified(EmailEvent e, String why) {
    notClassified.increment();
    log.debug("{} event {} not counted by governance: {}", e.type(), e.eventId(), why);
  }

  private static String attribute(EmailEvent event, String name) {
    String v = event.attributes().get(name);
    return v == null || v.isBlank() ? null : v.strip().toLowerCase(Locale.ROOT);
  }

  /** Configures a {@link GovernanceListener}. */
  public static final class Builder {
    private final GovernanceMetricsStore store;
    private Clock clock;
    private TenantId defaultTenant;
    private Function<EmailEvent, Optional<String>> poolOf =
        e -> Optional.ofNullable(e.attributes().get(ATTRIBUTE_POOL)).filter(p -> !p.isBlank());
    private Duration inactiveAfter = Ladder.DEFAULT_INACTIVE_AFTER;
    private GovernanceEvaluator evaluator;
    private WorkStore work;

    private Builder(GovernanceMetricsStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * The clock that events dated more than {@link #MAX_FUTURE_SKEW} ahead are judged by; the
     * evaluator's with {@link #evaluateWith}. Without either, no event is refused for its time.
     */
    public Builder clock(Clock clock) {
      this.clock = InvalidGovernanceException.requireNonNull(clock, "clock");
      return this;
    }

    /** The tenant of events that name none; none by default (such events are not counted). */
    public Builder defaultTenant(TenantId tenant) {
      this.defaultTenant = InvalidGovernanceException.requireNonNull(tenant, "defaultTenant");
      return this;
    }

    /** How to read the pool of an event; the {@value #ATTRIBUTE_POOL} attribute by default. */
    public Builder poolOf(Function<EmailEvent, Optional<String>> poolOf) {
      this.poolOf = InvalidGovernanceException.requireNonNull(poolOf, "poolOf");
      return this;
    }

    /** The inactivity period; take it from the evaluator's ladder ({@code 180 days} by default). */
    public Builder inactiveAfter(Duration inactiveAfter) {
      if (inactiveAfter == null || inactiveAfter.compareTo(Duration.ofDays(1)) < 0) {
        throw new InvalidGovernanceException(
            "inactiveAfter must be at least 1 day, was " + inactiveAfter);
      }
      this.inactiveAfter = inactiveAfter;
      return this;
    }

    /**
     * Schedules an evaluation by {@code evaluator} on {@code work} for the tenants of each batch,
     * and takes the inactivity period from its ladder and the clock from it.
     */
    public Builder evaluateWith(GovernanceEvaluator evaluator, WorkStore work) {
      this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
      this.work = Objects.requireNonNull(work, "work");
      this.inactiveAfter = evaluator.ladder().inactiveAfter();
      this.clock = evaluator.clock();
      return this;
    }

    public GovernanceListener build() {
      return new GovernanceListener(this);
    }
  }
}
