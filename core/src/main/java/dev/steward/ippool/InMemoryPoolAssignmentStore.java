package dev.steward.ippool;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link PoolAssignmentStore} in this process's memory; thread-safe (one lock per tenant). */
public final class InMemoryPoolAssignmentStore implements PoolAssignmentStore {

  private static final class Entry {
    final Map<Stream, PoolAssignment> assignments = new EnumMap<>(Stream.class);
    final List<PoolChange> changes = new ArrayList<>();
  }

  /** Oldest first; changes at one instant by stream, then version (as the JDBC store orders). */
  private static final Comparator<PoolChange> ORDER =
      Comparator.comparing(PoolChange::at)
          .thenComparing(PoolChange::stream)
          .thenComparingLong(PoolChange::version);

  private final ConcurrentHashMap<TenantId, Entry> tenants = new ConcurrentHashMap<>();

  /** Erasure tombstones; {@link #UNDATED} until the first look dates one. */
  private final ConcurrentHashMap<TenantId, Instant> erased = new ConcurrentHashMap<>();

  private static final Instant UNDATED = Instant.MAX;

  private InMemoryPoolAssignmentStore() {}

  /** An empty store. */
  public static InMemoryPoolAssignmentStore of() {
    return new InMemoryPoolAssignmentStore();
  }

  @Override
  public Optional<PoolAssignment> find(TenantId tenant, Stream stream) {
    InvalidIpPoolException.requireNonNull(tenant, "tenant");
    InvalidIpPoolException.requireNonNull(stream, "stream");
    Entry e = tenants.get(tenant);
    if (e == null) {
      return Optional.empty();
    }
    synchronized (e) {
      return Optional.ofNullable(e.assignments.get(stream));
    }
  }

  @Override
  public List<PoolAssignment> assignments(TenantId tenant) {
    InvalidIpPoolException.requireNonNull(tenant, "tenant");
    Entry e = tenants.get(tenant);
    if (e == null) {
      return List.of();
    }
    synchronized (e) {
      return List.copyOf(e.assignments.values());
    }
  }

  @Override
  public int countIn(PoolName pool) {
    InvalidIpPoolException.requireNonNull(pool, "pool");
    int n = 0;
    for (Entry e : tenants.values()) {
      synchronized (e) {
        for (PoolAssignment a : e.assignments.values()) {
          if (a.pool().equals(pool)) {
            n++;
          }
        }
      }
    }
    return n;
  }

  @Override
  public boolean apply(PoolChange change) {
    InvalidIpPoolException.requireNonNull(change, "change");
    while (true) {
      Entry e = tenants.computeIfAbsent(change.tenant(), t -> new Entry());
      synchronized (e) {
        if (tenants.get(change.tenant()) != e) {
          continue; // erased meanwhile: start over with the new entry
        }
        PoolAssignment current = e.assignments.get(change.stream());
        long version = current == null ? 0 : current.version();
        if (version != change.version() - 1) {
          return false;
        }
        e.assignments.put(change.stream(), change.assignment());
        e.changes.add(change);
        return true;
      }
    }
  }

  @Override
  public List<PoolChange> changes(TenantId tenant, int limit) {
    InvalidIpPoolException.requireNonNull(tenant, "tenant");
    if (limit < 1 || limit > MAX_CHANGES) {
      throw new InvalidIpPoolException("limit must be 1 to " + MAX_CHANGES + ", was " + limit);
    }
    Entry e = tenants.get(tenant);
    if (e == null) {
      return List.of();
    }
    synchronized (e) {
      List<PoolChange> sorted = new ArrayList<>(e.changes);
      sorted.sort(ORDER);
      int from = Math.max(0, sorted.size() - limit);
      return List.copyOf(sorted.subList(from, sorted.size()));
    }
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    return eraseTenant(tenant, UNDATED);
  }

  @Override
  public Optional<Instant> erasedAt(TenantId tenant, Instant now) {
    InvalidIpPoolException.requireNonNull(tenant, "tenant");
    InvalidIpPoolException.requireNonNull(now, "now");
    return Optional.ofNullable(
        erased.computeIfPresent(tenant, (t, at) -> at.equals(UNDATED) ? now : at));
  }

  @Override
  public int eraseTenant(TenantId tenant, Instant erasedAt) {
    InvalidIpPoolException.requireNonNull(tenant, "tenant");
    InvalidIpPoolException.requireNonNull(erasedAt, "erasedAt");
    // the later erasure wins; an undated one (the latest, by definition) waits to be dated
    erased.merge(tenant, erasedAt, (a, b) -> a.isAfter(b) ? a : b);
    Entry e = tenants.remove(tenant);
    if (e == null) {
      return 0;
    }
    synchronized (e) {
      return e.assignments.size();
    }
  }

  @Override
  public int purgeErasuresBefore(Instant cutoff, Instant now, int max) {
    PoolErasureRetention.check(cutoff, now, max);
    int n = 0;
    for (Map.Entry<TenantId, Instant> e : erased.entrySet()) {
      TenantId tenant = e.getKey();
      erased.computeIfPresent(tenant, (t, at) -> at.equals(UNDATED) ? now : at);
      Instant at = erased.get(tenant);
      if (n < max && at != null && at.isBefore(cutoff) && erased.remove(tenant, at)) {
        n++;
      }
    }
    return n;
  }
}
