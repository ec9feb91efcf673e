package dev.steward.schedule;

import dev.steward.internal.CompactIds;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link WorkStore} in memory, for one process and for tests. Thread-safe. Claiming costs O(log
 * n) per item claimed: READY items sit in one binary heap per tenant ordered by due time, the
 * tenants' heaps in a heap ordered by their earliest items, leased ones in a set ordered by lease
 * end, so nothing is scanned or sorted per claim. Leases are judged by the store's clock.
 *
 * <p>Most items wait, so an item is kept as a compact row (its due time as nanoseconds, an id that
 * is a UUID as two longs, short payloads shared between items that carry the same text, its place
 * in the heaps as indexes, its subject's other items as links) in open-addressing tables; the
 * {@link WorkItem} is made when the item is read or claimed.
 */
public final class InMemoryWorkStore implements WorkStore {

  /** How many tenants a claim serves in its fair pass before it fills by due time alone. */
  static final int FAIR_TENANTS = 16;

  /** Payloads up to this length are shared between items that carry the same text. */
  static final int SHARED_PAYLOAD_LENGTH = 32;

  /** How many distinct short payloads are shared at most (the rest are kept as they come). */
  static final int SHARED_PAYLOADS = 1024;

  /** Due time, then higher priority, then first scheduled: on primitives, as claims sort a lot. */
  private static final Comparator<Entry> BY_DUE =
      (a, b) -> {
        int c = Long.compare(a.due, b.due);
        if (c == 0) {
          c = Integer.compare(b.priority(), a.priority());
        }
        return c != 0 ? c : Long.compare(a.seq, b.seq);
      };

  private static final Comparator<Entry> BY_LEASE_END =
      Comparator.comparing((Entry e) -> e.extra.leaseUntil).thenComparingLong(e -> e.seq);

  private final Clock clock;
  private final KeyTable items = new KeyTable();
  private final SubjectTable bySubject = new SubjectTable();
  // READY items: a heap per tenant (its lane), and the lanes in a heap by their earliest item, so
  // that an item is in one heap of its tenant's size only (a heap over all items as well cost a
  // second O(log n) per item scheduled and claimed), the order over all found by merging the lanes
  private final TreeMap<TenantId, DueHeap> readyByTenant = new TreeMap<>();
  private final Lanes lanes = new Lanes();
  private final TreeSet<Entry> leased = new TreeSet<>(BY_LEASE_END);
  // each leased entry by the lease it was claimed with: a lease is held exactly when it is here
  // (same key, owner and token), found by the lease's hash instead of parsing its key's id again
  private final Map<Lease, Entry> byLease = new HashMap<>();
  private final TreeSet<Entry> dead = new TreeSet<>(BY_DUE);
  private final Map<String, String> sharedPayloads = new HashMap<>();
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
    add(item);
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
    long now = nanosAtMost(request.now());
    List<ClaimedWork> out = new ArrayList<>(Math.min(request.max(), 256));
    if (now == Long.MIN_VALUE && request.now().isBefore(StoreLimits.MIN_INSTANT)) {
      return out; // before the first storable instant, at which an item may be due: none is yet
    }

    // fair pass: a share for each tenant with due work, starting after the last one served
    List<TenantId> due = dueTenants(request, now);
    if (!due.isEmpty()) {
      int share = Math.max(1, request.max() / due.size());
      for (TenantId t : due) {
        if (out.size() >= request.max()) {
          break; // the turn moves on only past tenants that were served
        }
        DueHeap lane = readyByTenant.get(t);
        int taken = 0;
        // the earliest straight off the heap while it is due and wanted: most claims need no walk
        while (lane.size > 0 && taken < share && out.size() < request.max()) {
          Entry e = lane.first();
          if (e.due > now || !wanted(request, e)) {
            break;
          }
          out.add(lease(e, request.owner(), token, until));
          taken++;
        }
        if (lane.size > 0 && taken < share && out.size() < request.max()) {
          Walk it = lane.ascending();
          List<Entry> chosen = new ArrayList<>();
          while (it.hasNext() && taken < share && out.size() + chosen.size() < request.max()) {
            Entry e = it.next();
            if (e.due > now) {
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
        }
        cursor = t;
      }
    }
    // fill: the rest by due time alone, the earliest of all straight off the lanes' heaps first
    while (lanes.size > 0 && out.size() < request.max()) {
      Entry e = lanes.first().first();
      if (e.due > now || !wanted(request, e)) {
        break;
      }
      out.add(lease(e, request.owner(), token, until));
    }
    if (lanes.size > 0 && out.size() < request.max()) {
      Walk it = lanes.ascending();
      List<Entry> chosen = new ArrayList<>();
      while (it.hasNext() && out.size() + chosen.size() < request.max()) {
        Entry e = it.next();
        if (e.due > now) {
          break;
        }
        if (wanted(request, e)) {
          chosen.add(e);
        }
      }
      for (Entry e : chosen) {
        out.add(lease(e, request.owner(), token, until));
      }
    }
    return out;
  }

  /** Up to {@link #FAIR_TENANTS} tenants with due work, in turn after the cursor. */
  private List<TenantId> dueTenants(ClaimRequest request, long now) {
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
      if (hasDue(readyByTenant.get(t), request, now)) {
        due.add(t);
      }
      t = readyByTenant.higherKey(t);
    }
    return due;
  }

  private static boolean hasDue(DueHeap lane, ClaimRequest request, long now) {
    if (lane.size == 0 || lane.first().due > now) {
      return false; // the earliest is not due: asked of every tenant with work on every claim
    }
    if (request.kinds().isEmpty()) {
      return true;
    }
    Walk it = lane.ascending();
    while (it.hasNext()) {
      Entry e = it.next();
      if (e.due > now) {
        return false;
      }
      if (wanted(request, e)) {
        return true;
      }
    }
    return false;
  }

  private static boolean wanted(ClaimRequest request, Entry e) {
    return request.kinds().isEmpty() || request.kinds().contains(e.kind);
  }

  private ClaimedWork lease(Entry e, String owner, long token, Instant until) {
    unready(e);
    Extra x = e.extra();
    x.leaseUntil = until;
    leased.add(e);
    WorkItem item = e.item();
    Lease l = new Lease(item.key(), owner, token);
    x.lease = l;
    byLease.put(l, e);
    return new ClaimedWork(item, l);
  }

  private void expireLeases(Instant now) {
    while (!leased.isEmpty() && !leased.first().extra.leaseUntil.isAfter(now)) {
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
    Instant until = now.plus(lease);
    List<Lease> held = new ArrayList<>(leases.size());
    for (Lease l : leases) {
      Entry e = held(l);
      if (e != null) {
        if (!e.extra.leaseUntil.equals(until)) { // renewed again within the same instant: in place
          leased.remove(e);
          e.extra.leaseUntil = until;
          leased.add(e);
        }
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
      if (c instanceof Completion.Done) {
        remove(e);
      } else if (c instanceof Completion.Reschedule r) {
        readyAgain(e, r.payload(), r.dueAt(), 0, "");
      } else if (c instanceof Completion.Retry r) {
        readyAgain(e, e.payload, r.dueAt(), e.extra.attempts + 1, r.error());
      } else {
        WorkItem i = e.item();
        if (c instanceof Completion.Dead d) {
          replace(
              e,
              WorkItem.stored(
                  i.key().tenant(),
                  i.key().kind(),
                  i.key().id(),
                  i.subject(),
                  i.payload(),
                  i.payloadVersion(),
                  i.dueAt(),
                  i.priority(),
                  i.attempts() + 1,
                  WorkState.DEAD,
                  d.error()));
        }
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
      if (e == null || e.leased() || !Checks.sameStored(e.item(), want)) {
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
    if (subject.isEmpty()) {
      return 0; // items without a subject are not about one
    }
    List<Entry> gone = new ArrayList<>();
    for (Entry e = bySubject.head(tenant, subject); e != null; e = e.subjectNext) {
      gone.add(e);
    }
    gone.forEach(this::erase);
    return gone.size();
  }

  @Override
  public synchronized int cancelTenant(TenantId tenant) {
    Checks.notNull(tenant, "tenant");
    List<Entry> gone = new ArrayList<>();
    for (Entry e : items.slots) {
      if (e != null && e.tenant.equals(tenant)) {
        gone.add(e);
      }
    }
    gone.forEach(this::erase);
    return gone.size();
  }

  @Override
  public synchronized Optional<WorkItem> find(WorkKey key) {
    Checks.notNull(key, "key");
    Entry e = items.get(key);
    return e == null ? Optional.empty() : Optional.of(e.item());
  }

  @Override
  public synchronized List<WorkItem> findBySubject(TenantId tenant, String subject, String kind) {
    Checks.notNull(tenant, "tenant");
    Checks.notNull(subject, "subject");
    WorkKey.checkKind(kind);
    if (subject.isEmpty()) {
      return List.of();
    }
    List<Entry> found = new ArrayList<>();
    for (Entry e = bySubject.head(tenant, subject); e != null; e = e.subjectNext) {
      if (e.kind.equals(kind)) {
        found.add(e);
      }
    }
    found.sort(BY_DUE);
    return found.stream().map(Entry::item).toList();
  }

  @Override
  public synchronized List<WorkItem> dead(int max) {
    if (max < 1) {
      throw new InvalidWorkException("max must be at least 1, was " + max);
    }
    return dead.stream().limit(max).map(Entry::item).toList();
  }

  @Override
  public synchronized boolean retryDead(WorkKey key, Instant at) {
    Checks.notNull(key, "key");
    Checks.notNull(at, "at");
    // refused whatever the key, as the JDBC store refuses it before it reads (rb4)
    Checks.storable(at, "at");
    Entry e = items.get(key);
    if (e == null || !e.dead()) {
      return false;
    }
    replace(e, e.item().retriedAt(at));
    return true;
  }

  @Override
  public synchronized long count(WorkState state) {
    Checks.notNull(state, "state");
    return state == WorkState.DEAD ? deadCount : items.size - deadCount;
  }

  /**
   * The due time of the earliest READY item, if any (leased and DEAD items aside): lets a caller
   * that moves a clock itself (a simulation over virtual time) jump straight to the next instant at
   * which something is due instead of stepping through every minute in between.
   */
  public synchronized Optional<Instant> nextDueAt() {
    return lanes.size == 0 ? Optional.empty() : Optional.of(instant(lanes.first().first().due));
  }

  /**
   * The entry {@code l} holds: one stored under its key, leased to its owner with its token; null
   * if none.
   */
  private Entry held(Lease l) {
    Checks.notNull(l, "lease");
    return byLease.get(l);
  }

  private void add(WorkItem item) {
    Entry e = new Entry(item, share(item.payload()), nextSeq++);
    items.add(e);
    if (e.dead()) {
      dead.add(e);
      deadCount++;
    } else {
      ready(e);
    }
    if (!e.subject.isEmpty()) {
      bySubject.link(e);
    }
  }

  private void remove(Entry e) {
    items.remove(e);
    if (e.leased()) {
      leased.remove(e);
      clearLease(e);
    }
    if (e.dead()) {
      dead.remove(e);
      deadCount--;
    } else {
      unready(e);
    }
    if (!e.subject.isEmpty()) {
      bySubject.unlink(e);
    }
  }

  /**
   * Removes an item as erasure does: also its payload's text from the shared ones, which would
   * otherwise outlive it (other items that carry the same text keep their copy; the next one to
   * come is shared again).
   */
  private void erase(Entry e) {
    remove(e);
    sharedPayloads.remove(e.payload);
  }

  /**
   * A leased entry READY again in place, as if it were removed and its next item (same key,
   * subject, priority and payload version; checked when its completion was made) added: its key and
   * subject stay where they are in their tables, and it is scheduled after every item before.
   */
  private void readyAgain(Entry e, String payload, Instant dueAt, int attempts, String lastError) {
    leased.remove(e); // ordered by seq among equal lease ends: before seq changes
    Extra x = e.extra;
    x.attempts = attempts;
    x.lastError = lastError;
    clearLease(e);
    e.payload = share(payload);
    e.due = nanos(dueAt);
    e.seq = nextSeq++;
    ready(e);
  }

  private void replace(Entry old, WorkItem next) {
    remove(old);
    add(next);
  }

  /** The one copy of a short payload that many items carry (a step's {@code {"seq":2}}). */
  private String share(String payload) {
    if (payload.length() > SHARED_PAYLOAD_LENGTH) {
      return payload;
    }
    String shared = sharedPayloads.get(payload);
    if (shared != null) {
      return shared;
    }
    if (sharedPayloads.size() < SHARED_PAYLOADS) {
      sharedPayloads.put(payload, payload);
    }
    return payload;
  }

  private void ready(Entry e) {
    DueHeap lane = readyByTenant.get(e.tenant);
    if (lane == null) {
      lane = new DueHeap();
      readyByTenant.put(e.tenant, lane);
      lane.add(e);
      lanes.add(lane);
    } else {
      lane.add(e);
      if (lane.first() == e) {
        lanes.earlier(lane);
      }
    }
    e.lane = lane;
  }

  private void unready(Entry e) {
    DueHeap lane = e.lane;
    if (lane == null) {
      return; // not READY: leased or DEAD
    }
    e.lane = null;
    boolean head = e.laneAt == 0;
    lane.remove(e);
    if (lane.size == 0) {
      lanes.remove(lane);
      readyByTenant.remove(e.tenant);
    } else if (head) {
      lanes.later(lane);
    }
  }

  private void clearLease(Entry e) {
    Extra x = e.extra;
    byLease.remove(x.lease);
    x.lease = null;
    x.leaseUntil = null;
    if (x.plain()) {
      e.extra = null; // a fresh item again: nothing beyond the row to keep
    }
  }

  /** Nanoseconds since the epoch: WorkItem keeps due times in the range a long holds. */
  static long nanos(Instant at) {
    long seconds = at.getEpochSecond();
    int nano = at.getNano();
    if (seconds < 0 && nano > 0) { // the earliest ones overflow as seconds * 10^9 before the nanos
      return Math.addExact(Math.multiplyExact(seconds + 1, 1_000_000_000L), nano - 1_000_000_000L);
    }
    return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nano);
  }

  /** {@link #nanos}, or the nearest long for an instant beyond them (a claim's far "now"). */
  static long nanosAtMost(Instant at) {
    try {
      return nanos(at);
    } catch (ArithmeticException beyond) {
      return at.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(0, nanos);
  }

  /**
   * A stored item as a row; identity matters (heaps and sets hold entries, not values). What only
   * retried, dead or leased items have sits in {@link Extra}, absent for the rest.
   */
  private static final class Entry {
    final TenantId tenant;
    final String kind;
    // the id: a UUID in its canonical text as two longs (idText null), any other id as it is
    final String idText;
    final long idHigh;
    final long idLow;
    final String subject;
    // the subject table's hash of tenant and subject: moving entries on a delete reads it here
    // instead of from the subject's string, a cache miss per entry moved (an int the row's
    // alignment has room for)
    final int subjectHash;
    // payload, due and seq change when a leased entry is READY again in place (readyAgain)
    String payload;
    long due;
    long seq;
    Extra extra;
    // while READY: its tenant's heap and its place there (-1 when not there)
    DueHeap lane;
    int laneAt = -1;
    // the other items of the same tenant and subject
    Entry subjectPrev;
    Entry subjectNext;

    Entry(WorkItem item, String payload, long seq) {
      WorkKey key = item.key();
      this.tenant = key.tenant();
      this.kind = key.kind();
      if (CompactIds.isCanonicalUuid(key.id())) {
        this.idText = null;
        this.idHigh = CompactIds.high(key.id());
        this.idLow = CompactIds.low(key.id());
      } else {
        this.idText = key.id();
        this.idHigh = 0;
        this.idLow = 0;
      }
      this.subject = item.subject();
      this.subjectHash = SubjectTable.hash(tenant, subject);
      this.payload = payload;
      this.due = nanos(item.dueAt());
      this.seq = seq;
      Extra x = new Extra();
      x.payloadVersion = item.payloadVersion();
      x.priority = item.priority();
      x.attempts = item.attempts();
      x.dead = item.state() == WorkState.DEAD;
      x.lastError = item.lastError();
      this.extra = x.plain() ? null : x;
    }

    int priority() {
      return extra == null ? 0 : extra.priority;
    }

    int payloadVersion() {
      return extra == null ? 1 : extra.payloadVersion;
    }

    String id() {
      return idText != null ? idText : CompactIds.text(idHigh, idLow);
    }

    boolean dead() {
      return extra != null && extra.dead;
    }

    boolean leased() {
      return extra != null && extra.leaseUntil != null;
    }

    Extra extra() {
      if (extra == null) {
        extra = new Extra();
      }
      return extra;
    }

    int keyHash() {
      return KeyTable.hash(tenant, kind, idText != null ? idText.hashCode() : idHash());
    }

    int idHash() {
      return CompactIds.hash(idHigh, idLow);
    }

    WorkItem item() {
      Extra x = extra;
      return WorkItem.stored(
          tenant,
          kind,
          id(),
          subject,
          payload,
          payloadVersion(),
          instant(due),
          priority(),
          x == null ? 0 : x.attempts,
          x != null && x.dead ? WorkState.DEAD : WorkState.READY,
          x == null ? "" : x.lastError);
    }
  }

  /**
   * What few items have: a payload version other than 1, a priority other than 0, attempts, an
   * error, DEAD, a lease.
   */
  private static final class Extra {
    int payloadVersion = 1;
    int priority;
    int attempts;
    boolean dead;
    String lastError = "";
    Instant leaseUntil;
    // the lease given when claimed (its key, owner and token), while leased
    Lease lease;

    /** Whether this says nothing beyond a fresh item's defaults (then the row needs none). */
    boolean plain() {
      return payloadVersion == 1
          && priority == 0
          && attempts == 0
          && !dead
          && lastError.isEmpty()
          && leaseUntil == null;
    }
  }

  /** Open addressing with linear probing over entries; deletion shifts back (no tombstones). */
  private abstract static class Table {
    Entry[] slots = new Entry[16];
    int size;

    abstract int hash(Entry e);

    static int spread(int h) {
      return h ^ (h >>> 16);
    }

    /** The slot that holds {@code e} itself. */
    int slotOf(Entry e) {
      int mask = slots.length - 1;
      for (int i = spread(hash(e)) & mask; ; i = (i + 1) & mask) {
        if (slots[i] == e) {
          return i;
        }
        if (slots[i] == null) {
          throw new IllegalStateException("work item not in its table: " + e.item().key());
        }
      }
    }

    /** Puts {@code e} into a free slot (its key is known to be absent). */
    void insert(Entry e) {
      if ((size + 1) * 4 > slots.length * 3) {
        resize(slots.length * 2);
      }
      place(slots, e, hash(e));
      size++;
    }

    private static void place(Entry[] into, Entry e, int h) {
      int mask = into.length - 1;
      int i = spread(h) & mask;
      while (into[i] != null) {
        i = (i + 1) & mask;
      }
      into[i] = e;
    }

    void delete(int i) {
      int mask = slots.length - 1;
      slots[i] = null;
      size--;
      int j = i;
      while (true) {
        j = (j + 1) & mask;
        Entry s = slots[j];
        if (s == null) {
          break;
        }
        int k = spread(hash(s)) & mask;
        // s stays if its home k lies cyclically in (i, j]; otherwise it moves into the hole
        boolean stays = i < j ? (k > i && k <= j) : (k > i || k <= j);
        if (!stays) {
          slots[i] = s;
          slots[j] = null;
          i = j;
        }
      }
      if (slots.length > 16 && size * 8 < slots.length) {
        resize(slots.length / 2);
      }
    }

    private void resize(int length) {
      Entry[] old = slots;
      slots = new Entry[length];
      for (Entry e : old) {
        if (e != null) {
          place(slots, e, hash(e));
        }
      }
    }
  }

  /** Entries by tenant, kind and id. */
  private static final class KeyTable extends Table {
    // a UUID id's bits while it is looked up (the store's lock is held)
    private final long[] bits = new long[2];

    static int hash(TenantId tenant, String kind, int idHash) {
      return (tenant.hashCode() * 31 + kind.hashCode()) * 31 + idHash;
    }

    @Override
    int hash(Entry e) {
      return e.keyHash();
    }

    Entry get(WorkKey key) {
      int i = indexOf(key);
      return i < 0 ? null : slots[i];
    }

    private int indexOf(WorkKey key) {
      String id = key.id();
      boolean uuid = CompactIds.parse(id, bits);
      long high = uuid ? bits[0] : 0;
      long low = uuid ? bits[1] : 0;
      int h = hash(key.tenant(), key.kind(), uuid ? CompactIds.hash(high, low) : id.hashCode());
      int mask = slots.length - 1;
      for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
        Entry s = slots[i];
        if (s == null) {
          return -1;
        }
        if (s.tenant.equals(key.tenant())
            && s.kind.equals(key.kind())
            && (uuid
                ? s.idText == null && s.idHigh == high && s.idLow == low
                : id.equals(s.idText))) {
          return i;
        }
      }
    }

    void add(Entry e) {
      insert(e);
    }

    void remove(Entry e) {
      delete(slotOf(e));
    }
  }

  /** The first entry of each tenant and subject; the others hang off it, linked both ways. */
  private static final class SubjectTable extends Table {
    static int hash(TenantId tenant, String subject) {
      return tenant.hashCode() * 31 + subject.hashCode();
    }

    @Override
    int hash(Entry e) {
      return e.subjectHash;
    }

    private int indexOf(TenantId tenant, String subject, int h) {
      int mask = slots.length - 1;
      for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
        Entry s = slots[i];
        if (s == null) {
          return -1;
        }
        if (s.subjectHash == h && s.tenant.equals(tenant) && s.subject.equals(subject)) {
          return i;
        }
      }
    }

    Entry head(TenantId tenant, String subject) {
      int i = indexOf(tenant, subject, hash(tenant, subject));
      return i < 0 ? null : slots[i];
    }

    void link(Entry e) {
      int i = indexOf(e.tenant, e.subject, e.subjectHash);
      if (i < 0) {
        insert(e);
      } else {
        Entry head = slots[i];
        e.subjectNext = head;
        head.subjectPrev = e;
        slots[i] = e;
      }
    }

    void unlink(Entry e) {
      Entry prev = e.subjectPrev;
      Entry next = e.subjectNext;
      if (next != null) {
        next.subjectPrev = prev;
      }
      if (prev != null) {
        prev.subjectNext = next;
      } else { // the head: in its slot itself
        int i = slotOf(e);
        if (next == null) {
          delete(i);
        } else {
          slots[i] = next;
        }
      }
      e.subjectPrev = null;
      e.subjectNext = null;
    }
  }

  /**
   * A binary heap whose elements each know their index in it, so that adding and removing any
   * element cost O(log n): a tenant's READY entries ({@link DueHeap}) and the tenants' heaps
   * ({@link Lanes}).
   */
  private abstract static class IndexedHeap<T> {
    private Object[] heap = new Object[8];
    int size;

    /** Whether {@code a} comes before {@code b}. */
    abstract boolean before(T a, T b);

    /** Notes that {@code x} is at index {@code i} now (-1: no longer here). */
    abstract void placed(T x, int i);

    /** Where {@code x} is. */
    abstract int indexOf(T x);

    /** A new best-first walk of this heap (see {@link #ascending}). */
    abstract Walk newWalk();

    // the one walk of this heap, started again by each claim: claims hold the store's lock and
    // never walk one heap twice at once
    private Walk walk;

    /**
     * The elements' entries in {@link #BY_DUE} order, k of them in O(k log k), nothing changed (do
     * not change the heap while walking). The walk is this heap's one walk, started again: the one
     * given before is done with.
     */
    final Walk ascending() {
      Walk w = walk;
      if (w == null) {
        w = newWalk();
        walk = w;
      }
      w.start(size > 0);
      return w;
    }

    @SuppressWarnings("unchecked")
    final T get(int i) {
      return (T) heap[i];
    }

    /** The first element (the heap is not empty). */
    final T first() {
      return get(0);
    }

    private void set(int i, T x) {
      heap[i] = x;
      placed(x, i);
    }

    final void add(T x) {
      if (size == heap.length) {
        heap = java.util.Arrays.copyOf(heap, size * 2);
      }
      set(size, x);
      size++;
      up(size - 1);
    }

    final void remove(T x) {
      int i = indexOf(x);
      placed(x, -1);
      size--;
      T last = get(size);
      heap[size] = null;
      if (i != size) {
        set(i, last);
        if (!up(i)) {
          down(i);
        }
      }
      if (heap.length > 8 && size * 4 < heap.length) {
        heap = java.util.Arrays.copyOf(heap, heap.length / 2);
      }
    }

    /** Moves the element at {@code i} towards the first place while it comes before its parent. */
    final boolean up(int i) {
      T x = get(i);
      int start = i;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        T p = get(parent);
        if (!before(x, p)) {
          break;
        }
        set(i, p);
        i = parent;
      }
      set(i, x);
      return i != start;
    }

    /** Moves the element at {@code i} away from the first place while a child comes before it. */
    final void down(int i) {
      T x = get(i);
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && before(get(child + 1), get(child))) {
          child++;
        }
        if (!before(get(child), x)) {
          break;
        }
        set(i, get(child));
        i = child;
      }
      set(i, x);
    }
  }

  /**
   * A binary heap of one tenant's READY entries in {@link #BY_DUE} order, each entry knowing its
   * index; {@link #ascending} walks it in order without changing it.
   */
  private static final class DueHeap extends IndexedHeap<Entry> {
    // its place in the heap of lanes
    int at = -1;

    @Override
    boolean before(Entry a, Entry b) {
      return BY_DUE.compare(a, b) < 0;
    }

    @Override
    void placed(Entry e, int i) {
      e.laneAt = i;
    }

    @Override
    int indexOf(Entry e) {
      return e.laneAt;
    }

    @Override
    Walk newWalk() {
      return new Cursor();
    }

    /** A best-first walk of the heap: the places whose parents were taken, in a small heap. */
    final class Cursor extends Walk {
      @Override
      Entry at(long place) {
        return get((int) place);
      }

      @Override
      void opened(long place) {
        int child = 2 * (int) place + 1;
        if (child < size) {
          push(child);
        }
        if (child + 1 < size) {
          push(child + 1);
        }
      }
    }
  }

  /**
   * A best-first walk of a tree whose every entry comes no earlier than its parent's (a heap):
   * {@link #next} takes the earliest open place and opens its children; k entries in O(k log k),
   * the tree unchanged (do not change it while walking). Places are longs a subclass reads.
   */
  private abstract static class Walk {
    private long[] open = new long[8];
    private int count;

    /** The entry at {@code place}. */
    abstract Entry at(long place);

    /** Opens the children of {@code place}, just taken ({@link #push} each). */
    abstract void opened(long place);

    /** Starts again, at the root (place 0) if there is one. */
    final void start(boolean root) {
      count = 0;
      if (root) {
        open[count++] = 0L;
      }
    }

    final boolean hasNext() {
      return count > 0;
    }

    final Entry next() {
      long top = open[0];
      count--;
      if (count > 0) {
        open[0] = open[count];
        sink(0);
      }
      opened(top);
      return at(top);
    }

    private boolean less(int a, int b) {
      return BY_DUE.compare(at(open[a]), at(open[b])) < 0;
    }

    final void push(long place) {
      if (count == open.length) {
        open = java.util.Arrays.copyOf(open, count * 2);
      }
      int i = count++;
      open[i] = place;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (!less(i, parent)) {
          break;
        }
        swap(i, parent);
        i = parent;
      }
    }

    private void sink(int i) {
      while (true) {
        int child = 2 * i + 1;
        if (child >= count) {
          return;
        }
        if (child + 1 < count && less(child + 1, child)) {
          child++;
        }
        if (!less(child, i)) {
          return;
        }
        swap(i, child);
        i = child;
      }
    }

    private void swap(int a, int b) {
      long t = open[a];
      open[a] = open[b];
      open[b] = t;
    }
  }

  /**
   * The tenants' heaps with READY entries in a binary heap ordered by their earliest entries: the
   * earliest READY entry of all is the first one's first, and {@link #ascending} merges the lanes.
   * A lane moves here only when its earliest entry changes.
   */
  private static final class Lanes extends IndexedHeap<DueHeap> {

    @Override
    boolean before(DueHeap a, DueHeap b) {
      return BY_DUE.compare(a.first(), b.first()) < 0;
    }

    @Override
    void placed(DueHeap lane, int i) {
      lane.at = i;
    }

    @Override
    int indexOf(DueHeap lane) {
      return lane.at;
    }

    /** {@code lane}'s earliest entry is earlier than before. */
    void earlier(DueHeap lane) {
      up(lane.at);
    }

    /** {@code lane}'s earliest entry is later than before. */
    void later(DueHeap lane) {
      down(lane.at);
    }

    @Override
    Walk newWalk() {
      return new Cursor();
    }

    /**
     * A best-first walk of the lanes as one tree: below a lane's earliest entry hang its heap's
     * other entries and the lanes below it in the heap of lanes, none earlier than it. A place is a
     * lane's place (high half) and an entry's place in it (low half).
     */
    final class Cursor extends Walk {
      @Override
      Entry at(long place) {
        return get((int) (place >>> 32)).get((int) place);
      }

      @Override
      void opened(long place) {
        int l = (int) (place >>> 32);
        int i = (int) place;
        int child = 2 * i + 1;
        int n = get(l).size;
        if (child < n) {
          push(place(l, child));
        }
        if (child + 1 < n) {
          push(place(l, child + 1));
        }
        if (i == 0) { // the lane's earliest: the lanes below it open
          int below = 2 * l + 1;
          if (below < size) {
            push(place(below, 0));
          }
          if (below + 1 < size) {
            push(place(below + 1, 0));
          }
        }
      }

      private long place(int lane, int index) {
        return ((long) lane << 32) | index;
      }
    }
  }
}
