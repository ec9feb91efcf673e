package dev.steward.governance;

import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link GovernanceMetricsStore} in memory, for one process and tests. Each key keeps a ring of
 * the last {@value Buckets#HOURS} hourly and {@value Buckets#DAYS} daily buckets (about 3 KB per
 * tenant and per pool), so memory stays bounded and older buckets give way to new ones by
 * themselves; {@link #purgeBefore} clears them sooner. A bucket dated ahead takes a free slot and
 * evicts nothing while one is free (the {@link GovernanceListener} refuses events dated more than
 * {@link GovernanceListener#MAX_FUTURE_SKEW} ahead, so a ring has room for them). Event marks are
 * 64-bit hashes of event ids per tenant, as the JDBC store keeps them (a replay counts nothing
 * whatever its time), until {@link #purgeMarksBefore} (which {@link GovernanceRetention} runs)
 * forgets them by the time of the event: without it they grow with the events counted. Counting an
 * event allocates nothing once its tenant's buckets exist. Thread-safe.
 */
public final class InMemoryGovernanceMetricsStore implements GovernanceMetricsStore {
  private final ConcurrentHashMap<TenantId, TenantBuckets> tenants = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Buckets> pools = new ConcurrentHashMap<>();
  private final EventMarks marks = new EventMarks();
  private final ConcurrentHashMap<TenantId, ConcurrentHashMap<EmailAddress, RecipientActivity>>
      activity = new ConcurrentHashMap<>();

  private InMemoryGovernanceMetricsStore() {}

  /** An empty store. */
  public static InMemoryGovernanceMetricsStore of() {
    return new InMemoryGovernanceMetricsStore();
  }

  private static final class TenantBuckets {
    final Buckets all = new Buckets();
    final ConcurrentHashMap<String, Buckets> byPool = new ConcurrentHashMap<>();
  }

  @Override
  public int add(Collection<Increment> increments) {
    InvalidGovernanceException.requireNonNull(increments, "increments");
    for (Increment i : increments) {
      InvalidGovernanceException.requireNonNull(i, "increment");
    }
    int n = 0;
    for (Increment i : increments) {
      if (count(i)) {
        n++;
      }
    }
    return n;
  }

  private boolean count(Increment i) {
    Instant at = i.at();
    long hour = Granularity.HOUR.index(at);
    long day = Granularity.DAY.index(at);
    if (!marks.mark(i.tenant(), i.eventId(), day, at)) {
      return false;
    }
    int counter = i.counter().ordinal();
    TenantBuckets t = tenants.get(i.tenant());
    if (t == null) {
      t = tenants.computeIfAbsent(i.tenant(), k -> new TenantBuckets());
    }
    t.all.add(hour, day, counter, i.toInactive());
    if (i.pool().isPresent()) {
      String pool = i.pool().get();
      t.byPool.computeIfAbsent(pool, p -> new Buckets()).add(hour, day, counter, i.toInactive());
      pools.computeIfAbsent(pool, p -> new Buckets()).add(hour, day, counter, i.toInactive());
    }
    return true;
  }

  @Override
  public MetricCounts counts(MetricsKey key, Granularity granularity, Instant from, Instant to) {
    InvalidGovernanceException.requireNonNull(key, "key");
    InvalidGovernanceException.requireNonNull(granularity, "granularity");
    InvalidGovernanceException.requireNonNull(from, "from");
    InvalidGovernanceException.requireNonNull(to, "to");
    Buckets b = find(key);
    if (b == null) {
      return MetricCounts.ZERO;
    }
    long[] sum = new long[Counter.all().length];
    b.sum(granularity, from, to, sum);
    return MetricCounts.of(sum);
  }

  private Buckets find(MetricsKey key) {
    if (key.tenant().isEmpty()) {
      return pools.get(key.pool().get());
    }
    TenantBuckets t = tenants.get(key.tenant().get());
    if (t == null) {
      return null;
    }
    return key.pool().isEmpty() ? t.all : t.byPool.get(key.pool().get());
  }

  @Override
  public Map<EmailAddress, RecipientActivity> activity(
      TenantId tenant, Collection<EmailAddress> addresses) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    InvalidGovernanceException.requireNonNull(addresses, "addresses");
    Map<EmailAddress, RecipientActivity> found = new HashMap<>();
    Map<EmailAddress, RecipientActivity> known = activity.get(tenant);
    for (EmailAddress a : addresses) {
      InvalidGovernanceException.requireNonNull(a, "address");
      RecipientActivity r = known == null ? null : known.get(a);
      if (r != null) {
        found.put(a, r);
      }
    }
    return found;
  }

  @Override
  public void touch(Collection<ActivityTouch> touches) {
    InvalidGovernanceException.requireNonNull(touches, "touches");
    for (ActivityTouch t : touches) {
      InvalidGovernanceException.requireNonNull(t, "touch");
    }
    for (ActivityTouch t : touches) {
      if (marks.erased(t.tenant(), t.at())) {
        continue; // an erased tenant's recipient, from before its erasure
      }
      activity
          .computeIfAbsent(t.tenant(), k -> new ConcurrentHashMap<>())
          .merge(
              t.address(),
              t.engaged()
                  ? new RecipientActivity(t.at(), Optional.of(t.at()))
                  : new RecipientActivity(t.at(), Optional.empty()),
              (old, add) -> merge(old, t));
    }
  }

  static RecipientActivity merge(RecipientActivity old, ActivityTouch t) {
    if (t.engaged()) {
      boolean later = old.lastEngaged().map(e -> t.at().isAfter(e)).orElse(true);
      Instant first = t.at().isBefore(old.firstSent()) ? t.at() : old.firstSent();
      return later || first != old.firstSent()
          ? new RecipientActivity(first, later ? Optional.of(t.at()) : old.lastEngaged())
          : old;
    }
    return t.at().isBefore(old.firstSent())
        ? new RecipientActivity(t.at(), old.lastEngaged())
        : old;
  }

  @Override
  public int purgeBefore(Granularity granularity, Instant cutoff, int max) {
    InvalidGovernanceException.requireNonNull(granularity, "granularity");
    InvalidGovernanceException.requireNonNull(cutoff, "cutoff");
    checkMax(max);
    int n = 0;
    for (TenantBuckets t : tenants.values()) {
      n += t.all.purge(granularity, cutoff, max - n);
      for (Buckets b : t.byPool.values()) {
        n += b.purge(granularity, cutoff, max - n);
      }
      if (n >= max) {
        return n;
      }
    }
    for (Buckets b : pools.values()) {
      n += b.purge(granularity, cutoff, max - n);
      if (n >= max) {
        return n;
      }
    }
    return n;
  }

  @Override
  public int purgeMarksBefore(Instant cutoff, int max) {
    InvalidGovernanceException.requireNonNull(cutoff, "cutoff");
    checkMax(max);
    // whole days only: the marks of the day that holds the cutoff stay
    return marks.purgeBefore(cutoff);
  }

  @Override
  public boolean eraseAddress(TenantId tenant, EmailAddress address) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    InvalidGovernanceException.requireNonNull(address, "address");
    Map<EmailAddress, RecipientActivity> known = activity.get(tenant);
    return known != null && known.remove(address) != null;
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    marks.erase(tenant);
    return eraseData(tenant);
  }

  @Override
  public int eraseTenant(TenantId tenant, Instant erasedAt) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    InvalidGovernanceException.requireNonNull(erasedAt, "erasedAt");
    marks.erase(tenant, erasedAt); // first: what is applied from now on meets the tombstone
    return eraseData(tenant);
  }

  private int eraseData(TenantId tenant) {
    activity.remove(tenant);
    TenantBuckets t = tenants.remove(tenant);
    if (t == null) {
      return 0;
    }
    int n = t.all.size();
    for (Buckets b : t.byPool.values()) {
      n += b.size();
    }
    return n;
  }

  private static void checkMax(int max) {
    if (max < 1) {
      throw new InvalidGovernanceException("max must be at least 1, was " + max);
    }
  }
}
