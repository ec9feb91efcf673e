package dev.steward.governance;

import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link GovernanceMetricsStore} in memory, for one process and tests. Each key keeps a ring of
 * the last {@value Buckets#HOURS} hourly and {@value Buckets#DAYS} daily buckets (about 3.7 KB per
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
  private final ConcurrentHashMap<TenantId, TenantCounts> tenants = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Buckets> pools = new ConcurrentHashMap<>();

  private InMemoryGovernanceMetricsStore() {}

  /** An empty store. */
  public static InMemoryGovernanceMetricsStore of() {
    return new InMemoryGovernanceMetricsStore();
  }

  private TenantCounts tenant(TenantId tenant) {
    TenantCounts t = tenants.get(tenant);
    return t != null ? t : tenants.computeIfAbsent(tenant, k -> new TenantCounts());
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
    long mark = EventMarks.hash(i.eventId());
    int counter = i.counter().ordinal();
    String pool = i.pool().orElse(null);
    TenantCounts.Outcome outcome;
    do {
      outcome = tenant(i.tenant()).count(mark, hour, day, counter, i.toInactive(), at, pool);
    } while (outcome == TenantCounts.Outcome.DROPPED); // erased or purged meanwhile: the next one
    if (outcome != TenantCounts.Outcome.COUNTED) {
      return false;
    }
    if (pool != null) {
      Buckets b = pools.computeIfAbsent(pool, p -> new Buckets());
      synchronized (b) {
        b.add(hour, day, counter, i.toInactive());
      }
    }
    return true;
  }

  @Override
  public MetricCounts counts(MetricsKey key, Granularity granularity, Instant from, Instant to) {
    InvalidGovernanceException.requireNonNull(key, "key");
    InvalidGovernanceException.requireNonNull(granularity, "granularity");
    InvalidGovernanceException.requireNonNull(from, "from");
    InvalidGovernanceException.requireNonNull(to, "to");
    long[] sum = new long[Counter.all().length];
    if (key.tenant().isEmpty()) {
      Buckets b = pools.get(key.pool().get());
      if (b == null) {
        return MetricCounts.ZERO;
      }
      synchronized (b) {
        b.sum(granularity, from, to, sum);
      }
    } else {
      TenantCounts t = tenants.get(key.tenant().get());
      if (t == null) {
        return MetricCounts.ZERO;
      }
      t.sum(key.pool(), granularity, from, to, sum);
    }
    return MetricCounts.of(sum);
  }

  @Override
  public Map<EmailAddress, RecipientActivity> activity(
      TenantId tenant, Collection<EmailAddress> addresses) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    InvalidGovernanceException.requireNonNull(addresses, "addresses");
    for (EmailAddress a : addresses) {
      InvalidGovernanceException.requireNonNull(a, "address");
    }
    Map<EmailAddress, RecipientActivity> found = null; // most batches find no one: no map
    TenantCounts t = tenants.get(tenant);
    if (t != null) {
      for (EmailAddress a : addresses) {
        RecipientActivity r = t.activityOf(a);
        if (r != null) {
          if (found == null) {
            found = new HashMap<>();
          }
          found.put(a, r);
        }
      }
    }
    return found == null ? Map.of() : found;
  }

  /**
   * Whether mail sent at {@code at} to {@code address} of {@code tenant} goes to an inactive
   * address, as {@link RecipientActivity#inactiveAt} says of its {@link #activity}; false when it
   * has none. The listener's per-event read, with no activity built.
   */
  boolean inactiveAt(TenantId tenant, EmailAddress address, Instant at, Duration period) {
    TenantCounts t = tenants.get(tenant);
    return t != null && t.inactiveAt(address, at, period);
  }

  @Override
  public void touch(Collection<ActivityTouch> touches) {
    InvalidGovernanceException.requireNonNull(touches, "touches");
    for (ActivityTouch t : touches) {
      InvalidGovernanceException.requireNonNull(t, "touch");
    }
    for (ActivityTouch t : touches) {
      while (!tenant(t.tenant()).touch(t)) {
        // erased or purged meanwhile: touch the tenant's next one
      }
    }
  }

  @Override
  public int purgeBefore(Granularity granularity, Instant cutoff, int max) {
    InvalidGovernanceException.requireNonNull(granularity, "granularity");
    InvalidGovernanceException.requireNonNull(cutoff, "cutoff");
    checkMax(max);
    int n = 0;
    for (TenantCounts t : tenants.values()) {
      n += t.purge(granularity, cutoff, max - n);
      if (n >= max) {
        return n;
      }
    }
    for (Buckets b : pools.values()) {
      synchronized (b) {
        n += b.purge(granularity, cutoff, max - n);
      }
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
    long cutoffDay = Granularity.DAY.index(cutoff);
    boolean[] emptied = new boolean[1];
    int n = 0;
    for (Map.Entry<TenantId, TenantCounts> e : tenants.entrySet()) {
      TenantCounts t = e.getValue();
      synchronized (t) {
        n += t.purgeMarks(cutoffDay, cutoff, emptied);
        // dropped under its monitor, so that no count lands in it between the check and the drop
        if (emptied[0] && tenants.remove(e.getKey(), t)) {
          t.drop();
        }
      }
    }
    return n;
  }

  @Override
  public boolean eraseAddress(TenantId tenant, EmailAddress address) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    InvalidGovernanceException.requireNonNull(address, "address");
    TenantCounts t = tenants.get(tenant);
    return t != null && t.eraseAddress(address);
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    TenantCounts t = tenants.remove(tenant);
    return t == null ? 0 : t.drop();
  }

  @Override
  public int eraseTenant(TenantId tenant, Instant erasedAt) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    InvalidGovernanceException.requireNonNull(erasedAt, "erasedAt");
    TenantCounts[] old = {null};
    // the fresh object holds the tombstone from the moment it is in the map: what is applied from
    // now on meets it. The old one is dropped outside compute: its monitor is never taken inside
    // the map's bin lock, which a purge takes the other way round.
    tenants.compute(
        tenant,
        (k, o) -> {
          old[0] = o;
          Instant kept = o == null ? null : o.erasedAt();
          return new TenantCounts(kept != null && kept.isAfter(erasedAt) ? kept : erasedAt);
        });
    return old[0] == null ? 0 : old[0].drop();
  }

  private static void checkMax(int max) {
    if (max < 1) {
      throw new InvalidGovernanceException("max must be at least 1, was " + max);
    }
  }
}
