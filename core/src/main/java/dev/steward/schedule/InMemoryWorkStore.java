package dev.steward.schedule;

import dev.steward.model.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link WorkStore} in memory, for one process and for tests. Thread-safe. Claiming costs O(log
 * n) per item claimed: READY items sit in sorted sets (one over all, one per tenant), leased ones
 * in a set ordered by lease end, so nothing is scanned or sorted per claim. Leases are judged by
 * the store's clock.
 */
public final class InMemoryWorkStore implements WorkStore {

  /** How many tenants a claim serves in its fair pass before it fills by due time alone. */
  static final int FAIR_TENANTS = 16;

  /** Due time, then higher priority, then first scheduled: on primitives, as claims sort a lot. */
  private static final Comparator<Entry> BY_DUE =
      (a, b) -> {
        int c = Long.compare(a.due, b.due);
        if (c == 0) {
          c = Integer.compare(b.priority, a.priority);
        }
        return c != 0 ? c : Long.compare(a.seq, b.seq);
      };

  private static final Comparator<Entry> BY_LEASE_END =
      Comparator.comparing((Entry e) -> e.leaseUntil).thenComparingLong(e -> e.seq);

  private final Clock clock;
  private final Map<WorkKey, Entry> items = new HashMap<>();
  private final TreeSet<Entry> ready = new TreeSet<>(BY_DUE);
  private final TreeMap<TenantId, TreeSet<Entry>> readyByTenant = new TreeMap<>();
  private final TreeSet<Entry> leased = new TreeSet<>(BY_LEASE_END);
  private final TreeSet<Entry> dead = new TreeSet<>(BY_DUE);
  private final Map<SubjectKey, Set<WorkKey>> bySubject = new HashMap<>();
  private TenantId cursor;
  private long nextSeq;
  private long deadCount;

  private InMemoryWorkStore(Clock clock) {
    this.clock = Checks.notNull(clock, "clock");
  }

  /** A store whose leases are judged by {@code clock}. */
  public static InMemoryWorkStore of(Clock clock) {
    return new InMemoryWorkStore(clock);
  }

  @Override
  public synchronized boolean schedule(WorkItem item, IfExists ifExists) {
    Checks.notNull(item, "item");
    Checks.notNull(ifExists, "ifExists");
    Entry old = items.get(item.key());
    if (old != null) {
      if (ifExists == IfExists.KEEP) {
        return false;
      }
      remove(old);
    }
    add(new Entry(item, nextSeq++));
    return true;
  }

  @Override
  public synchronized int scheduleAll(Collection<WorkItem> batch, IfExists ifExists) {
    Checks.notNull(batch, "items");
    // check everything before changing anything: a bad item in the batch writes nothing
    batch.forEach(i -> Checks.notNull(i, "item"));
    Checks.notNull(ifExists, "ifExists");
    int n = 0;
    for (WorkItem i : batch) {
      if (schedule(i, ifExists)) {
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized List<ClaimedWork> claim(ClaimRequest request) {
    Checks.notNull(request, "request");
    Instant leaseNow = clock.instant();
    expireLeases(leaseNow);
    Instant until = leaseNow.plus(request.lease());
    long token = ThreadLocalRandom.current().nextLong();
    List<ClaimedWork> out = new ArrayList<>(Math.min(request.max(), 256));

    // fair pass: a share for each tenant with due work, starting after the last one served
    List<TenantId> due = dueTenants(request);
    if (!due.isEmpty()) {
      int share = Math.max(1, request.max() / due.size());
      for (TenantId t : due) {
        if (out.size() >= request.max()) {
          break; // the turn moves on only past tenants that were served
        }
        TreeSet<Entry> lane = readyByTenant.get(t);
        int taken = 0;
        Iterator<Entry> it = lane == null ? null : lane.iterator();
        List<Entry> chosen = new ArrayList<>();
        while (it != null
            && it.hasNext()
            && taken < share
            && out.size() + chosen.size() < request.max()) {
          Entry e = it.next();
          if (e.item.dueAt().isAfter(request.now())) {
            break;
          }
          if (wanted(request, e)) {
            chosen.add(e);
            taken++;
          }
        }
        for (Entry e : chosen) {
          out.add(lease(e, request.owner(), token, until));
        }
        cursor = t;
      }
    }
    // fill: the rest by due time alone
    Iterator<Entry> it = ready.iterator();
    List<Entry> chosen = new ArrayList<>();
    while (it.hasNext() && out.size() + chosen.size() < request.max()) {
      Entry e = it.next();
      if (e.item.dueAt().isAfter(request.now())) {
        break;
      }
      if (wanted(request, e)) {
        chosen.add(e);
      }
    }
    for (Entry e : chosen) {
      out.add(lease(e, request.owner(), token, until));
    }
    return out;
  }

  /** Up to {@link #FAIR_TENANTS} tenants with due work, in turn after the cursor. */
  private List<TenantId> dueTenants(ClaimRequest request) {
    List<TenantId> due = new ArrayList<>();
    if (readyByTenant.isEmpty()) {
      return due;
    }
    int looked = 0;
    int lookLimit = FAIR_TENANTS * 4;
    TenantId t = cursor == null ? null : readyByTenant.higherKey(cursor);
    TenantId first = null;
    while (due.size() < FAIR_TENANTS && looked < lookLimit) {
      if (t == null) {
        t = readyByTenant.firstKey();
      }
      if (t.equals(first)) {
        break;
      }
      if (first == null) {
        first = t;
      }
      looked++;
      if (hasDue(readyByTenant.get(t), request)) {
        due.add(t);
      }
      t = readyByTenant.higherKey(t);
    }
    return due;
  }

  private static boolean hasDue(TreeSet<Entry> lane, ClaimRequest request) {
    for (Entry e : lane) {
      if (e.item.dueAt().isAfter(request.now())) {
        return false;
      }
      if (wanted(request, e)) {
        return true;
      }
    }
    return false;
  }

  private static boolean wanted(ClaimRequest request, Entry e) {
    return request.kinds().isEmpty() || request.kinds().contains(e.item.key().kind());
  }

  private ClaimedWork lease(Entry e, String owner, long token, Instant until) {
    unready(e);
    e.leaseOwner = owner;
    e.leaseToken = token;
    e.leaseUntil = until;
    leased.add(e);
    return new ClaimedWork(e.item, new Lease(e.item.key(), owner, token));
  }

  private void expireLeases(Instant now) {
    while (!leased.isEmpty() && !leased.first().leaseUntil.isAfter(now)) {
      Entry e = leased.pollFirst();
      clearLease(e);
      ready(e);
    }
  }

  @Override
  public synchronized List<Lease> renew(Collection<Lease> leases, Duration lease) {
    Checks.notNull(leases, "leases");
    Checks.lease(lease);
    Instant now = clock.instant();
    expireLeases(now);
    List<Lease> held = new ArrayList<>();
    for (Lease l : leases) {
      Entry e = held(l);
      if (e != null) {
        leased.remove(e);
        e.leaseUntil = now.plus(lease);
        leased.add(e);
        held.add(l);
      }
    }
    return held;
  }

  @Override
  public synchronized List<Completion> complete(List<Completion> completions) {
    Checks.notNull(completions, "completions");
    completions.forEach(c -> Checks.notNull(c, "completion"));
    expireLeases(clock.instant());
    List<Completion> applied = new ArrayList<>();
    for (Completion c : completions) {
      Entry e = held(c.lease());
      if (e == null) {
        continue;
      }
      WorkItem i = e.item;
      if (c instanceof Completion.Done) {
        remove(e);
      } else if (c instanceof Completion.Reschedule r) {
        replace(
            e,
            new WorkItem(
                i.key(),
                i.subject(),
                r.payload(),
                i.payloadVersion(),
                r.dueAt(),
                i.priority(),
                0,
                WorkState.READY,
                ""));
      } else if (c instanceof Completion.Retry r) {
        replace(
            e,
            new WorkItem(
                i.key(),
                i.subject(),
                i.payload(),
                i.payloadVersion(),
                r.dueAt(),
                i.priority(),
                i.attempts() + 1,
                WorkState.READY,
                r.error()));
      } else if (c instanceof Completion.Dead d) {
        replace(
            e,
            new WorkItem(
                i.key(),
                i.subject(),
                i.payload(),
                i.payloadVersion(),
                i.dueAt(),
                i.priority(),
                i.attempts() + 1,
                WorkState.DEAD,
                d.error()));
      }
      applied.add(c);
    }
    return applied;
  }

  @Override
  public synchronized int release(Collection<Lease> leases) {
    Checks.notNull(leases, "leases");
    expireLeases(clock.instant());
    int n = 0;
    for (Lease l : leases) {
      Entry e = held(l);
      if (e != null) {
        leased.remove(e);
        clearLease(e);
        ready(e);
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized boolean replaceIfUnchanged(
      Collection<WorkItem> expected, Collection<WorkItem> writes) {
    Checks.notNull(expected, "expected");
    Checks.notNull(writes, "writes");
    // check everything before changing anything
    expected.forEach(i -> Checks.notNull(i, "expected item"));
    writes.forEach(i -> Checks.notNull(i, "item"));
    Checks.distinctKeys(expected);
    expireLeases(clock.instant());
    for (WorkItem want : expected) {
      Entry e = items.get(want.key());
      if (e == null || e.leaseUntil != null || !Checks.sameStored(e.item, want)) {
        return false;
      }
    }
    for (WorkItem i : writes) {
      schedule(i, IfExists.REPLACE);
    }
    return true;
  }

  @Override
  public synchronized boolean cancel(WorkKey key) {
    Checks.notNull(key, "key");
    Entry e = items.get(key);
    if (e == null) {
      return false;
    }
    remove(e);
    return true;
  }

  @Override
  public synchronized int cancelSubject(TenantId tenant, String subject) {
    Checks.notNull(tenant, "tenant");
    Checks.notNull(subject, "subject");
    Set<WorkKey> keys = bySubject.get(new SubjectKey(tenant, subject));
    if (keys == null) {
      return 0;
    }
    int n = 0;
    for (WorkKey k : new ArrayList<>(keys)) {
      if (cancel(k)) {
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized int cancelTenant(TenantId tenant) {
    Checks.notNull(tenant, "tenant");
    List<Entry> gone = new ArrayList<>();
    for (Entry e : items.values()) {
      if (e.item.key().tenant().equals(tenant)) {
        gone.add(e);
      }
    }
    gone.forEach(this::remove);
    return gone.size();
  }

  @Override
  public synchronized Optional<WorkItem> find(WorkKey key) {
    Checks.notNull(key, "key");
    Entry e = items.get(key);
    return e == null ? Optional.empty() : Optional.of(e.item);
  }

  @Override
  public synchronized List<WorkItem> findBySubject(TenantId tenant, String subject, String kind) {
    Checks.notNull(tenant, "tenant");
    Checks.notNull(subject, "subject");
    WorkKey.checkKind(kind);
    Set<WorkKey> keys = bySubject.getOrDefault(new SubjectKey(tenant, subject), Set.of());
    List<Entry> found = new ArrayList<>();
    for (WorkKey k : keys) {
      if (k.kind().equals(kind)) {
        found.add(items.get(k));
      }
    }
    found.sort(BY_DUE);
    return found.stream().map(e -> e.item).toList();
  }

  @Override
  public synchronized List<WorkItem> dead(int max) {
    if (max < 1) {
      throw new InvalidWorkException("max must be at least 1, was " + max);
    }
    return dead.stream().limit(max).map(e -> e.item).toList();
  }

  @Override
  public synchronized boolean retryDead(WorkKey key, Instant at) {
    Checks.notNull(key, "key");
    Checks.notNull(at, "at");
    Entry e = items.get(key);
    if (e == null || e.item.state() != WorkState.DEAD) {
      return false;
    }
    replace(e, e.item.retriedAt(at));
    return true;
  }

  @Override
  public synchronized long count(WorkState state) {
    Checks.notNull(state, "state");
    return state == WorkState.DEAD ? deadCount : items.size() - deadCount;
  }

  /**
   * The due time of the earliest READY item, if any (leased and DEAD items aside): lets a caller
   * that moves a clock itself (a simulation over virtual time) jump straight to the next instant at
   * which something is due instead of stepping through every minute in between.
   */
  public synchronized Optional<Instant> nextDueAt() {
    return ready.isEmpty() ? Optional.empty() : Optional.of(ready.first().item.dueAt());
  }

  private Entry held(Lease l) {
    Checks.notNull(l, "lease");
    Entry e = items.get(l.key());
    if (e == null
        || e.leaseUntil == null
        || e.leaseToken != l.token()
        || !l.owner().equals(e.leaseOwner)) {
      return null;
    }
    return e;
  }

  private void add(Entry e) {
    items.put(e.item.key(), e);
    if (e.item.state() == WorkState.DEAD) {
      dead.add(e);
      deadCount++;
    } else {
      ready(e);
    }
    if (!e.item.subject().isEmpty()) {
      bySubject
          .computeIfAbsent(
              new SubjectKey(e.item.key().tenant(), e.item.subject()), k -> new HashSet<>())
          .add(e.item.key());
    }
  }

  private void remove(Entry e) {
    items.remove(e.item.key());
    if (e.leaseUntil != null) {
      leased.remove(e);
      clearLease(e);
    }
    if (e.item.state() == WorkState.DEAD) {
      dead.remove(e);
      deadCount--;
    } else {
      unready(e);
    }
    if (!e.item.subject().isEmpty()) {
      SubjectKey sk = new SubjectKey(e.item.key().tenant(), e.item.subject());
      Set<WorkKey> keys = bySubject.get(sk);
      if (keys != null) {
        keys.remove(e.item.key());
        if (keys.isEmpty()) {
          bySubject.remove(sk);
        }
      }
    }
  }

  private void replace(Entry old, WorkItem next) {
    remove(old);
    add(new Entry(next, nextSeq++));
  }

  private void ready(Entry e) {
    ready.add(e);
    readyByTenant.computeIfAbsent(e.item.key().tenant(), t -> new TreeSet<>(BY_DUE)).add(e);
  }

  private void unready(Entry e) {
    if (ready.remove(e)) {
      TenantId t = e.item.key().tenant();
      TreeSet<Entry> lane = readyByTenant.get(t);
      lane.remove(e);
      if (lane.isEmpty()) {
        readyByTenant.remove(t);
      }
    }
  }

  private static void clearLease(Entry e) {
    e.leaseOwner = null;
    e.leaseToken = 0;
    e.leaseUntil = null;
  }

  private record SubjectKey(TenantId tenant, String subject) {}

  /** A stored item and its lease; identity matters (sets hold entries, not values). */
  private static final class Entry {
    final WorkItem item;
    final long seq;
    final long due;
    final int priority;
    String leaseOwner;
    long leaseToken;
    Instant leaseUntil;

    Entry(WorkItem item, long seq) {
      this.item = item;
      this.seq = seq;
      // nanoseconds since the epoch: WorkItem keeps due times in the range a long holds
      Instant at = item.dueAt();
      this.due = at.getEpochSecond() * 1_000_000_000L + at.getNano();
      this.priority = item.priority();
    }
  }
}
