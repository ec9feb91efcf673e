package dev.steward.jdbc;

import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.Completion;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InvalidWorkException;
import dev.steward.schedule.Lease;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkState;
import dev.steward.schedule.WorkStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * A {@link WorkStore} in one table ({@code steward_work}) of PostgreSQL or H2, shared by any number
 * of runners. Claims select due rows with {@code FOR UPDATE SKIP LOCKED} and write a lease in the
 * same transaction, so two runners never hold one item; leases are judged by the database's clock,
 * never by an instance's own. Finished items are deleted at once, so the table holds pending and
 * dead work only. The schema comes from {@link StewardSchema#bootstrap}.
 *
 * <p>Fairness: a claim first serves up to {@value #FAIR_TENANTS} tenants with READY work in turn (a
 * share of the batch each, the turn moving on at every claim), then fills the rest by due time. The
 * list of tenants with READY work is read with an index skip scan and cached for {@link
 * #TENANT_REFRESH}.
 */
public final class JdbcWorkStore implements WorkStore {
  static final String TABLE = "steward_work";
  static final int FAIR_TENANTS = 16;

  /** How long the list of tenants with READY work is reused before it is read again. */
  static final Duration TENANT_REFRESH = Duration.ofMillis(500);

  private static final String COLUMNS =
      "tenant_id, kind, item_id, subject, payload, payload_version, due_at, priority, attempts,"
          + " state, last_error";

  /** The columns, each qualified by the claim's table alias, for its RETURNING clause. */
  private static final String RETURNING_COLUMNS =
      "w." + String.join(", w.", COLUMNS.split(",\\s*"));

  private static final String KEY_MATCH = "tenant_id = ? AND kind = ? AND item_id = ?";
  private static final String[] KEY = {"tenant_id", "kind", "item_id"};
  private static final String[] ALL = {
    "tenant_id",
    "kind",
    "item_id",
    "subject",
    "payload",
    "payload_version",
    "due_at",
    "priority",
    "attempts",
    "state",
    "last_error",
    "lease_owner",
    "lease_token",
    "lease_until"
  };
  private static final Comparator<ClaimedWork> BY_DUE =
      Comparator.comparing((ClaimedWork c) -> c.item().dueAt())
          .thenComparing((ClaimedWork c) -> c.item().priority(), Comparator.reverseOrder())
          .thenComparing(c -> c.item().key().id());

  /**
   * The one order in which every multi-row write locks rows (renew, complete, release), so two of
   * them can never wait on each other in a cycle (a deadlock PostgreSQL would break by aborting).
   * Code points, not {@link String#compareTo}: PostgreSQL's renewal locks in its {@code ORDER BY}
   * of the {@code COLLATE "C"} key columns, and Java's order of UTF-16 units puts a character above
   * U+FFFF before one from U+E000 to U+FFFF, where code points put it after (rb5: a renewal and a
   * completion of the same two leases deadlocked). H2 locks only in the order given here.
   */
  private static final Comparator<WorkKey> LOCK_ORDER =
      Comparator.comparing((WorkKey k) -> k.tenant().value(), JdbcDialect.CODE_POINTS)
          .thenComparing(WorkKey::kind, JdbcDialect.CODE_POINTS)
          .thenComparing(WorkKey::id, JdbcDialect.CODE_POINTS);

  private final Jdbc jdbc;
  private final Object tenantsLock = new Object();
  private List<String> tenants = List.of();
  private long tenantsReadAt = Long.MIN_VALUE;
  private String cursor = "";

  /** How often a claim scans from the start of the index whatever its mark (see claimFrom). */
  static final int FULL_SCAN_EVERY = 64;

  private final java.util.concurrent.ConcurrentHashMap<String, ScanMark> scanFrom =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Where a lane's next claim starts its scan, and how many claims the lane has made. */
  private static final class ScanMark {
    long due = Long.MIN_VALUE;
    long claims;
  }

  /**
   * After how many deleted items a PostgreSQL store vacuums its table itself. Finished work is
   * deleted at once, and the dead index entries it leaves at the head of the due-time index slow
   * every claim until vacuum removes them; PostgreSQL's autovacuum looks at a table only once a
   * minute by default (autovacuum_naptime, which cannot be set per table). Measured over a
   * 1,000,000-item drain: the claim rate fell to 0.44 of its start with autovacuum alone.
   */
  public static final long DEFAULT_VACUUM_AFTER = 50_000;

  /** Names the vacuum among the database's advisory locks, so one instance vacuums at a time. */
  private static final long VACUUM_LOCK = 0x5374_6577_6172_6432L;

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(JdbcWorkStore.class);

  private final long vacuumAfter;
  private final java.util.concurrent.atomic.AtomicLong deletesSinceVacuum =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean vacuuming =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean vacuumRefused;

  JdbcWorkStore(Jdbc jdbc, long vacuumAfter) {
    this.jdbc = jdbc;
    this.vacuumAfter = vacuumAfter;
  }

  /**
   * A store over the tables in {@code dataSource}'s database; vacuums as {@link
   * #DEFAULT_VACUUM_AFTER} says.
   */
  public static JdbcWorkStore of(DataSource dataSource) {
    return new JdbcWorkStore(new Jdbc(dataSource), DEFAULT_VACUUM_AFTER);
  }

  /**
   * A store that vacuums its table after {@code vacuumAfterDeletes} deleted items (PostgreSQL only;
   * 0 leaves it to autovacuum, for a database whose autovacuum_naptime is already short).
   */
  public static JdbcWorkStore of(DataSource dataSource, long vacuumAfterDeletes) {
    if (vacuumAfterDeletes < 0) {
      throw new InvalidWorkException(
          "vacuumAfterDeletes must not be negative, was " + vacuumAfterDeletes);
    }
    return new JdbcWorkStore(new Jdbc(dataSource), vacuumAfterDeletes);
  }

  /**
   * Vacuums the table on a background thread once enough items were deleted, under an advisory lock
   * so that one instance does it at a time. A database user that may not vacuum the table is told
   * once (WARN) and the store stops trying: claims still work, only slower as rows churn.
   */
  private void maybeVacuum(long deleted) {
    if (vacuumAfter == 0 || vacuumRefused || deleted == 0) {
      return;
    }
    if (deletesSinceVacuum.addAndGet(deleted) < vacuumAfter
        || jdbc.dialect() != JdbcDialect.POSTGRESQL
        || !vacuuming.compareAndSet(false, true)) {
      return;
    }
    deletesSinceVacuum.set(0);
    Thread t =
        new Thread(
            () -> {
              try {
                jdbc.withConnection(
                    "vacuuming " + TABLE,
                    c -> {
                      boolean locked =
                          Jdbc.queryOne(
                                  c,
                                  "SELECT pg_try_advisory_lock(?)",
                                  rs -> rs.getBoolean(1),
                                  VACUUM_LOCK)
                              .orElse(false);
                      if (locked) {
                        try (java.sql.Statement st = c.createStatement()) {
                          st.execute("VACUUM " + TABLE);
                        } finally {
                          Jdbc.queryOne(
                              c,
                              "SELECT pg_advisory_unlock(?)",
                              rs -> rs.getBoolean(1),
                              VACUUM_LOCK);
                        }
                      }
                      return null;
                    });
              } catch (RuntimeException e) {
                vacuumRefused = true;
                LOG.warn(
                    "could not vacuum {}; leaving it to autovacuum (claims slow down as finished"
                        + " work piles up between its runs)",
                    TABLE,
                    e);
              } finally {
                vacuuming.set(false);
              }
            },
            "steward-work-vacuum");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public boolean schedule(WorkItem item, IfExists ifExists) {
    check(item, "item");
    check(ifExists, "ifExists");
    return jdbc.inTransaction("scheduling " + item.key(), c -> write(c, item, ifExists));
  }

  @Override
  public int scheduleAll(Collection<WorkItem> items, IfExists ifExists) {
    check(items, "items");
    check(ifExists, "ifExists");
    List<WorkItem> batch = new ArrayList<>(items.size());
    for (WorkItem i : items) {
      batch.add(check(i, "item"));
    }
    if (batch.isEmpty()) {
      return 0;
    }
    return jdbc.inTransaction(
        "scheduling " + batch.size() + " work items",
        c -> {
          if (ifExists == IfExists.REPLACE) {
            // a key given twice: the later item wins, as one schedule after another would
            java.util.Map<WorkKey, WorkItem> last = new java.util.LinkedHashMap<>();
            batch.forEach(i -> last.put(i.key(), i));
            List<WorkItem> distinct = new ArrayList<>(last.values());
            deleteKeys(c, distinct);
            insertAll(c, distinct);
            return batch.size();
          }
          int n = 0;
          for (WorkItem i : batch) {
            if (write(c, i, IfExists.KEEP)) {
              n++;
            }
          }
          return n;
        });
  }

  private boolean write(Connection c, WorkItem item, IfExists ifExists) throws SQLException {
    return write(c, jdbc.dialect(), item, ifExists);
  }

  /**
   * Stores one item on the caller's connection, in the caller's transaction, as {@link #schedule}
   * would: for stores that write work together with their own rows (the event inbox).
   */
  static boolean write(Connection c, JdbcDialect dialect, WorkItem item, IfExists ifExists)
      throws SQLException {
    Object[] values = values(item);
    if (ifExists == IfExists.KEEP) {
      return dialect.insertIfAbsent(c, TABLE, KEY, ALL, values);
    }
    // an upsert that also clears the lease: a runner holding the old item is fenced out
    dialect.upsert(c, TABLE, KEY, ALL, values);
    return true;
  }

  private static Object[] values(WorkItem i) {
    return new Object[] {
      i.key().tenant().value(),
      i.key().kind(),
      i.key().id(),
      i.subject(),
      i.payload(),
      i.payloadVersion(),
      EpochNanos.of(i.dueAt(), "due time of " + i.key()),
      i.priority(),
      i.attempts(),
      stateCode(i.state()),
      i.lastError(),
      Jdbc.TypedNull.VARCHAR,
      Jdbc.TypedNull.BIGINT,
      Jdbc.TypedNull.BIGINT
    };
  }

  private static void deleteKeys(Connection c, List<WorkItem> items) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + TABLE + " WHERE " + KEY_MATCH)) {
      for (WorkItem i : items) {
        Jdbc.bind(ps, i.key().tenant().value(), i.key().kind(), i.key().id());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void insertAll(Connection c, List<WorkItem> items) throws SQLException {
    String sql =
        "INSERT INTO "
            + TABLE
            + " ("
            + String.join(", ", ALL)
            + ") VALUES ("
            + Jdbc.placeholders(ALL.length)
            + ")";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (WorkItem i : items) {
        Jdbc.bind(ps, values(i));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  // ---- claiming -------------------------------------------------------------------------------

  @Override
  public List<ClaimedWork> claim(ClaimRequest request) {
    check(request, "request");
    if (request.now().isBefore(EpochNanos.MIN)) {
      // rwork: clamped, it would be the first storable instant, at which an item may be due
      return List.of(); // before it, none is due yet
    }
    long now = EpochNanos.bound(request.now(), "now");
    long leaseNanos = nanos(request.lease());
    long token = ThreadLocalRandom.current().nextLong();
    List<String> turn = tenantsInTurn();
    String[] lastServed = new String[1];
    List<ClaimedWork> out =
        jdbc.inTransaction(
            "claiming due work",
            c -> {
              List<ClaimedWork> got = new ArrayList<>();
              String kinds = kindFilter(request);
              if (!turn.isEmpty()) {
                int share = Math.max(1, request.max() / turn.size());
                for (String tenant : turn) {
                  int room = Math.min(share, request.max() - got.size());
                  if (room <= 0) {
                    break;
                  }
                  lastServed[0] = tenant;
                  got.addAll(claimFrom(c, request, tenant, kinds, now, room, token, leaseNanos));
                }
              }
              if (got.size() < request.max()) {
                got.addAll(
                    claimFrom(
                        c,
                        request,
                        null,
                        kinds,
                        now,
                        request.max() - got.size(),
                        token,
                        leaseNanos));
              }
              return got;
            });
    if (lastServed[0] != null) {
      synchronized (tenantsLock) {
        cursor = lastServed[0]; // the turn moves on only past tenants that were served
      }
    }
    out.sort(BY_DUE);
    return out;
  }

  /**
   * Claims up to {@code max} of a tenant's due items (all tenants' when {@code tenant} is null),
   * starting the index scan at the due time this store last claimed there. A queue table's head
   * fills with index entries of deleted rows until vacuum removes them; a scan from the start walks
   * all of them on every claim and slows as they pile up (measured: 4.9 ms to 12.8 ms per claim of
   * 100 over a 1,000,000-item drain). Items due before the mark (a lapsed lease, an item scheduled
   * in the past) are found by a scan from the start whenever a claim comes back short, and at least
   * every {@value #FULL_SCAN_EVERY} claims.
   */
  private List<ClaimedWork> claimFrom(
      Connection c,
      ClaimRequest request,
      String tenant,
      String kinds,
      long now,
      int max,
      long token,
      long leaseNanos)
      throws SQLException {
    // a lane per tenant (or all tenants) and kind filter; a tenant's key cannot clash with the
    // all-tenants lane's, which has no tenant part
    String lane = (tenant == null ? "" : "t:" + tenant) + "|" + kinds + request.kinds();
    ScanMark mark = scanFrom.computeIfAbsent(lane, k -> new ScanMark());
    Long from;
    synchronized (mark) {
      // counted per lane: a store-wide count can fall on the same lanes every time
      mark.claims++;
      from = mark.claims % FULL_SCAN_EVERY == 0 || mark.due == Long.MIN_VALUE ? null : mark.due;
    }
    List<ClaimedWork> got =
        new ArrayList<>(claimRows(c, request, tenant, kinds, now, from, max, token, leaseNanos));
    if (got.size() < max && from != null) {
      got.addAll(
          claimRows(c, request, tenant, kinds, now, null, max - got.size(), token, leaseNanos));
    }
    long last = Long.MIN_VALUE; // a short claim drained the lane: next time look from the start
    if (got.size() >= max) {
      for (ClaimedWork w : got) {
        last = Math.max(last, EpochNanos.of(w.item().dueAt(), "due time"));
      }
    }
    synchronized (mark) {
      mark.due = last;
    }
    return got;
  }

  private List<ClaimedWork> claimRows(
      Connection c,
      ClaimRequest request,
      String tenant,
      String kinds,
      long now,
      Long from,
      int max,
      long token,
      long leaseNanos)
      throws SQLException {
    List<Object> p = new ArrayList<>();
    StringBuilder filter = new StringBuilder();
    if (tenant != null) {
      filter.append(" AND tenant_id = ?");
      p.add(tenant);
    }
    filter.append(kinds);
    p.addAll(request.kinds().stream().sorted().toList());
    if (from != null) {
      filter.append(" AND due_at >= ?");
      p.add(from);
    }
    p.add(now);
    return claimRows(
        c,
        filter.toString(),
        p.toArray(),
        "ORDER BY due_at, priority DESC, item_id",
        max,
        request.owner(),
        token,
        leaseNanos);
  }

  private static String kindFilter(ClaimRequest request) {
    return request.kinds().isEmpty()
        ? ""
        : " AND kind IN (" + Jdbc.placeholders(request.kinds().size()) + ")";
  }

  private List<ClaimedWork> claimRows(
      Connection c,
      String filter,
      Object[] params,
      String order,
      int max,
      String owner,
      long token,
      long leaseNanos)
      throws SQLException {
    String now = jdbc.dialect().nowNanos();
    if (jdbc.dialect() == JdbcDialect.POSTGRESQL) {
      return claimRowsInOneStatement(c, filter, params, order, max, owner, token, leaseNanos, now);
    }
    Object[] all = new Object[params.length + 2];
    System.arraycopy(params, 0, all, 0, params.length);
    all[params.length] = token;
    all[params.length + 1] = max;
    List<WorkItem> rows =
        Jdbc.query(
            c,
            "SELECT "
                + COLUMNS
                + " FROM "
                + TABLE
                + " WHERE state = 0"
                + filter
                + " AND due_at <= ?"
                + lapsedOrFree(now)
                + order
                + " LIMIT ? FOR UPDATE SKIP LOCKED",
            JdbcWorkStore::map,
            all);
    if (rows.isEmpty()) {
      return List.of();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + TABLE
                + " SET lease_owner = ?, lease_token = ?, lease_until = "
                + now
                + " + ? WHERE "
                + KEY_MATCH)) {
      for (WorkItem i : rows) {
        Jdbc.bind(
            ps, owner, token, leaseNanos, i.key().tenant().value(), i.key().kind(), i.key().id());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    List<ClaimedWork> claimed = new ArrayList<>(rows.size());
    for (WorkItem i : rows) {
      claimed.add(new ClaimedWork(i, new Lease(i.key(), owner, token)));
    }
    return claimed;
  }

  /**
   * The condition that a row is free to lease: never leased, or leased by another claim whose lease
   * has lapsed by the database's clock (bound: this claim's token). A claim runs several statements
   * (a fair share per tenant, then the fill), and PostgreSQL judges a lapse by each statement's
   * clock: a lease shorter than the claim itself lapses before the later statements run, which
   * would lease this claim's own rows again and hand one item out twice (rb4). Skipping rows that
   * carry this claim's token keeps them out, so each statement leases only rows no earlier one
   * took.
   */
  private static String lapsedOrFree(String now) {
    return " AND (lease_until IS NULL OR (lease_until <= " + now + " AND lease_token <> ?)) ";
  }

  /**
   * PostgreSQL: select, lock and lease in one statement (an UPDATE over a locking sub-select,
   * returning the rows), so a claim is one round trip; H2 has no UPDATE ... RETURNING.
   */
  private static List<ClaimedWork> claimRowsInOneStatement(
      Connection c,
      String filter,
      Object[] params,
      String order,
      int max,
      String owner,
      long token,
      long leaseNanos,
      String now)
      throws SQLException {
    Object[] all = new Object[params.length + 5];
    all[0] = owner;
    all[1] = token;
    all[2] = leaseNanos;
    System.arraycopy(params, 0, all, 3, params.length);
    all[params.length + 3] = token;
    all[params.length + 4] = max;
    List<WorkItem> rows =
        Jdbc.query(
            c,
            "UPDATE "
                + TABLE
                + " w SET lease_owner = ?, lease_token = ?, lease_until = "
                + now
                + " + ? FROM (SELECT tenant_id, kind, item_id FROM "
                + TABLE
                + " WHERE state = 0"
                + filter
                + " AND due_at <= ?"
                + lapsedOrFree(now)
                + order
                + " LIMIT ? FOR UPDATE SKIP LOCKED) c"
                + " WHERE w.tenant_id = c.tenant_id AND w.kind = c.kind AND w.item_id = c.item_id"
                + " RETURNING "
                + RETURNING_COLUMNS,
            JdbcWorkStore::map,
            all);
    List<ClaimedWork> claimed = new ArrayList<>(rows.size());
    for (WorkItem i : rows) {
      claimed.add(new ClaimedWork(i, new Lease(i.key(), owner, token)));
    }
    return claimed;
  }

  /** The next tenants in turn for a fair share, from the cached list of tenants with work. */
  private List<String> tenantsInTurn() {
    synchronized (tenantsLock) {
      // elapsed time only spaces out re-reads; it never judges a lease or a due time
      long t = System.nanoTime();
      if (tenantsReadAt == Long.MIN_VALUE || t - tenantsReadAt >= TENANT_REFRESH.toNanos()) {
        tenants = readTenants();
        tenantsReadAt = t;
      }
      if (tenants.size() <= 1) {
        return tenants;
      }
      List<String> turn = new ArrayList<>(Math.min(FAIR_TENANTS, tenants.size()));
      // the list is in the database's order; find the cursor by name, not by Java's ordering
      int at = tenants.indexOf(cursor);
      int start = at + 1;
      if (at < 0) {
        start = 0;
        while (start < tenants.size() && tenants.get(start).compareTo(cursor) <= 0) {
          start++;
        }
      }
      for (int i = 0; i < Math.min(FAIR_TENANTS, tenants.size()); i++) {
        turn.add(tenants.get((start + i) % tenants.size()));
      }
      return turn;
    }
  }

  /**
   * Tenants with READY work, read by an index skip scan: one probe per tenant, however many items
   * each has. At most a few thousand are kept; the fill pass serves any beyond them.
   */
  private List<String> readTenants() {
    return jdbc.withConnection(
        "listing tenants with due work",
        Jdbc.Repeat.SAFE,
        c -> {
          List<String> found = new ArrayList<>();
          String last = null;
          while (found.size() < 4096) {
            Optional<String> next =
                Jdbc.queryOne(
                    c,
                    last == null
                        ? "SELECT tenant_id FROM "
                            + TABLE
                            + " WHERE state = 0 ORDER BY tenant_id LIMIT 1"
                        : "SELECT tenant_id FROM "
                            + TABLE
                            + " WHERE state = 0 AND tenant_id > ? ORDER BY tenant_id LIMIT 1",
                    rs -> rs.getString(1),
                    last == null ? new Object[0] : new Object[] {last});
            if (next.isEmpty()) {
              break;
            }
            last = next.get();
            found.add(last);
          }
          return found;
        });
  }

  // ---- leases ---------------------------------------------------------------------------------

  /**
   * How many leases one renewing statement names: on PostgreSQL five arrays of this many elements,
   * on H2 a row-value IN list of five parameters a lease.
   */
  static final int RENEW_CHUNK = 500;

  /**
   * One set-based statement per {@value #RENEW_CHUNK} leases, all in one transaction, answering the
   * leases it extended: PostgreSQL locks the held rows with one {@code SELECT ... ORDER BY ... FOR
   * UPDATE} (the key order every multi-row write locks in) and extends them in the same statement,
   * {@code RETURNING} them; H2 answers them through its data change delta table ({@code FINAL
   * TABLE}). A lease is renewed if its row still holds its token and owner and has not lapsed.
   */
  @Override
  public List<Lease> renew(Collection<Lease> leases, Duration lease) {
    check(leases, "leases");
    Lease.checkDuration(lease);
    List<Lease> list = new ArrayList<>(leases);
    if (list.isEmpty()) {
      return List.of();
    }
    list.sort(Comparator.comparing(Lease::key, LOCK_ORDER));
    JdbcDialect dialect = jdbc.dialect();
    long leaseNanos = nanos(lease);
    java.util.Set<List<Object>> extended =
        jdbc.inTransaction(
            "renewing " + list.size() + " leases",
            c -> {
              java.util.Set<List<Object>> found = new java.util.HashSet<>();
              for (int from = 0; from < list.size(); from += RENEW_CHUNK) {
                List<Lease> chunk = list.subList(from, Math.min(list.size(), from + RENEW_CHUNK));
                Jdbc.query(
                    c,
                    renewSql(dialect, chunk.size()),
                    rs ->
                        found.add(
                            List.of(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getLong(4),
                                rs.getString(5))),
                    dialect == JdbcDialect.POSTGRESQL
                        ? renewArrays(c, chunk, leaseNanos)
                        : renewParams(chunk, leaseNanos));
              }
              return found;
            });
    List<Lease> renewed = new ArrayList<>();
    for (Lease l : list) {
      if (extended.contains(List.of(heldParams(l)))) {
        renewed.add(l);
      }
    }
    return renewed;
  }

  /**
   * The statement renewing {@code n} leases. On PostgreSQL it joins the work table to the leases
   * unnested from five arrays ({@link #renewArrays}), one text for any {@code n}: a row-value IN
   * list of {@code n} leases was planned as {@code n} OR-ed bitmap index scans, 9 ms for 100 leases
   * (90 us a lease, a tenth of a journey step's cost on the server), and each {@code n} was a new
   * statement to parse and plan. On H2 its parameters are the lease's length in nanoseconds, then
   * each lease's {@link #heldParams}. Either answers the key, token and owner of each lease it
   * extended.
   */
  private static String renewSql(JdbcDialect dialect, int n) {
    String now = dialect.nowNanos();
    if (dialect == JdbcDialect.POSTGRESQL) {
      return "WITH held AS (SELECT w.tenant_id, w.kind, w.item_id FROM "
          + TABLE
          + " w JOIN unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[])"
          + " AS h(tenant_id, kind, item_id, lease_token, lease_owner)"
          + " ON w.tenant_id = h.tenant_id AND w.kind = h.kind AND w.item_id = h.item_id"
          + " WHERE w.lease_token = h.lease_token AND w.lease_owner = h.lease_owner"
          + " AND w.lease_until > "
          + now
          + " ORDER BY w.tenant_id, w.kind, w.item_id FOR UPDATE OF w) UPDATE "
          + TABLE
          + " w SET lease_until = "
          + now
          + " + ? FROM held h WHERE w.tenant_id = h.tenant_id AND w.kind = h.kind"
          + " AND w.item_id = h.item_id"
          + " RETURNING w.tenant_id, w.kind, w.item_id, w.lease_token, w.lease_owner";
    }
    StringBuilder rows = new StringBuilder(n * 14);
    for (int i = 0; i < n; i++) {
      rows.append(i == 0 ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)");
    }
    return "SELECT tenant_id, kind, item_id, lease_token, lease_owner FROM FINAL TABLE (UPDATE "
        + TABLE
        + " SET lease_until = "
        + now
        + " + ? WHERE (tenant_id, kind, item_id, lease_token, lease_owner) IN ("
        + rows
        + ") AND lease_until > "
        + now
        + ")";
  }

  /**
   * PostgreSQL's parameters of {@link #renewSql}: the leases' five columns as arrays, the length.
   */
  private static Object[] renewArrays(Connection c, List<Lease> chunk, long leaseNanos)
      throws SQLException {
    List<Object[]> rows = new ArrayList<>(chunk.size());
    chunk.forEach(l -> rows.add(heldParams(l)));
    Object[] leases =
        Jdbc.columnArrays(c, rows, "varchar", "varchar", "varchar", "bigint", "varchar");
    Object[] params = Arrays.copyOf(leases, leases.length + 1);
    params[leases.length] = leaseNanos;
    return params;
  }

  /** H2's parameters of {@link #renewSql}: the length, then each lease's {@link #heldParams}. */
  private static Object[] renewParams(List<Lease> chunk, long leaseNanos) {
    Object[] params = new Object[chunk.size() * 5 + 1];
    params[0] = leaseNanos;
    int at = 1;
    for (Lease l : chunk) {
      Object[] p = heldParams(l);
      System.arraycopy(p, 0, params, at, p.length);
      at += p.length;
    }
    return params;
  }

  @Override
  public List<Completion> complete(List<Completion> completions) {
    check(completions, "completions");
    completions.forEach(c -> check(c, "completion"));
    if (completions.isEmpty()) {
      return List.of();
    }
    String now = jdbc.dialect().nowNanos();
    boolean[] applied = new boolean[completions.size()];
    // one batched statement per kind of completion, all in one transaction: a round trip each
    jdbc.inTransaction(
        "completing " + completions.size() + " work items",
        c -> {
          if (completions.stream().map(Object::getClass).distinct().count() > 1) {
            lockInKeyOrder(c, completions);
          }
          applyAll(c, completions, Completion.Done.class, applied, deleteSql(now), x -> held(x));
          applyAll(
              c,
              completions,
              Completion.Reschedule.class,
              applied,
              updateSql(now, "due_at = ?, payload = ?, attempts = 0, last_error = ''"),
              x -> {
                Completion.Reschedule r = (Completion.Reschedule) x;
                return prepend2(EpochNanos.of(r.dueAt(), "due time"), r.payload(), held(x));
              });
          applyAll(
              c,
              completions,
              Completion.Retry.class,
              applied,
              updateSql(now, "due_at = ?, attempts = attempts + 1, last_error = ?"),
              x -> {
                Completion.Retry r = (Completion.Retry) x;
                return prepend2(EpochNanos.of(r.dueAt(), "due time"), r.error(), held(x));
              });
          applyAll(
              c,
              completions,
              Completion.Dead.class,
              applied,
              updateSql(now, "state = 1, attempts = attempts + 1, last_error = ?"),
              x -> prepend(((Completion.Dead) x).error(), held(x)));
          return null;
        });
    List<Completion> out = new ArrayList<>();
    long deleted = 0;
    for (int i = 0; i < applied.length; i++) {
      if (applied[i]) {
        out.add(completions.get(i));
        deleted += completions.get(i) instanceof Completion.Done ? 1 : 0;
      }
    }
    maybeVacuum(deleted);
    return out;
  }

  /**
   * Locks the rows of completions of several types in {@link #LOCK_ORDER} before any is applied.
   * Each type is one batch, sorted only within itself, so a row of the first type would be locked
   * before an earlier one of the next type: against a renewal of the same leases, which locks in
   * key order, a deadlock (rb5). On PostgreSQL one statement over the keys unnested from arrays.
   */
  private void lockInKeyOrder(Connection c, List<Completion> completions) throws SQLException {
    List<Object[]> keys = new ArrayList<>(completions.size());
    completions.stream()
        .map(x -> x.lease().key())
        .sorted(LOCK_ORDER)
        .forEach(k -> keys.add(keyParams(k)));
    if (jdbc.dialect() == JdbcDialect.POSTGRESQL) {
      Jdbc.query(
          c,
          "SELECT 1 FROM "
              + TABLE
              + " w JOIN unnest(?::varchar[], ?::varchar[], ?::varchar[]) AS k(tenant_id, kind,"
              + " item_id) ON w.tenant_id = k.tenant_id AND w.kind = k.kind AND w.item_id ="
              + " k.item_id ORDER BY w.tenant_id, w.kind, w.item_id FOR UPDATE OF w",
          rs -> 1,
          Jdbc.columnArrays(c, keys, "varchar", "varchar", "varchar"));
      return;
    }
    for (Object[] key : keys) {
      Jdbc.query(c, "SELECT 1 FROM " + TABLE + " WHERE " + KEY_MATCH + " FOR UPDATE", rs -> 1, key);
    }
  }

  private static Object[] held(Completion c) {
    return heldParams(c.lease());
  }

  private static String deleteSql(String now) {
    return "DELETE FROM " + TABLE + " WHERE " + held(now);
  }

  private static String updateSql(String now, String set) {
    return "UPDATE "
        + TABLE
        + " SET "
        + set
        + ", lease_owner = NULL, lease_token = NULL, lease_until = NULL WHERE "
        + held(now);
  }

  /** Applies the completions of one type as one batch; marks which were applied. */
  private static void applyAll(
      Connection c,
      List<Completion> all,
      Class<? extends Completion> type,
      boolean[] applied,
      String sql,
      Params<Completion> params)
      throws SQLException {
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (type.isInstance(all.get(i))) {
        at.add(i);
      }
    }
    at.sort(Comparator.comparing((Integer i) -> all.get(i).lease().key(), LOCK_ORDER));
    if (at.isEmpty()) {
      return;
    }
    List<Completion> mine = new ArrayList<>(at.size());
    at.forEach(i -> mine.add(all.get(i)));
    int[] counts = batch(c, sql, mine, params);
    for (int k = 0; k < counts.length; k++) {
      applied[at.get(k)] = counts[k] > 0;
    }
  }

  @Override
  public int release(Collection<Lease> leases) {
    check(leases, "leases");
    List<Lease> list = new ArrayList<>(leases);
    if (list.isEmpty()) {
      return 0;
    }
    list.sort(Comparator.comparing(Lease::key, LOCK_ORDER));
    String now = jdbc.dialect().nowNanos();
    int[] counts =
        jdbc.inTransaction(
            "handing back " + list.size() + " claims",
            c ->
                batch(
                    c,
                    "UPDATE "
                        + TABLE
                        + " SET lease_owner = NULL, lease_token = NULL, lease_until = NULL WHERE "
                        + held(now),
                    list,
                    JdbcWorkStore::heldParams));
    int n = 0;
    for (int count : counts) {
      n += count > 0 ? 1 : 0;
    }
    return n;
  }

  /** The condition that a lease is still held: same token and owner, not lapsed by the DB clock. */
  private static String held(String now) {
    return KEY_MATCH + " AND lease_token = ? AND lease_owner = ? AND lease_until > " + now;
  }

  private static Object[] heldParams(Lease l) {
    return new Object[] {
      l.key().tenant().value(), l.key().kind(), l.key().id(), l.token(), l.owner()
    };
  }

  private interface Params<T> {
    Object[] of(T value);
  }

  private static <T> int[] batch(Connection c, String sql, List<T> values, Params<T> params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (T v : values) {
        Jdbc.bind(ps, params.of(v));
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        // a driver may answer SUCCESS_NO_INFO (-2) for a batched row; count it as one
        counts[i] = counts[i] == PreparedStatement.SUCCESS_NO_INFO ? 1 : counts[i];
      }
      return counts;
    }
  }

  // ---- operators and erasure ------------------------------------------------------------------

  @Override
  public boolean replaceIfUnchanged(Collection<WorkItem> expected, Collection<WorkItem> writes) {
    check(expected, "expected");
    check(writes, "writes");
    List<WorkItem> want = new ArrayList<>(expected.size());
    java.util.Set<WorkKey> seen = new java.util.HashSet<>();
    for (WorkItem i : expected) {
      check(i, "expected item");
      if (!seen.add(i.key())) {
        throw new InvalidWorkException("expected items name " + i.key() + " twice");
      }
      want.add(i);
    }
    List<WorkItem> out = new ArrayList<>(writes.size());
    for (WorkItem i : writes) {
      out.add(check(i, "item"));
    }
    // rows are locked in the one order every multi-row write uses, so two moves never deadlock
    want.sort(Comparator.comparing(WorkItem::key, LOCK_ORDER));
    String now = jdbc.dialect().nowNanos();
    return jdbc.inTransaction(
        "moving " + out.size() + " work items",
        c -> {
          for (WorkItem w : want) {
            // FOR UPDATE: a claim (SKIP LOCKED) passes the row by, another move waits and then
            // sees what this one wrote
            Optional<WorkItem> stored =
                Jdbc.queryOne(
                    c,
                    "SELECT "
                        + COLUMNS
                        + " FROM "
                        + TABLE
                        + " WHERE "
                        + KEY_MATCH
                        + " AND (lease_until IS NULL OR lease_until <= "
                        + now
                        + ") FOR UPDATE",
                    JdbcWorkStore::map,
                    keyParams(w.key()));
            if (stored.isEmpty() || !sameStored(stored.get(), w)) {
              return false;
            }
          }
          for (WorkItem i : out) {
            write(c, i, IfExists.REPLACE);
          }
          return true;
        });
  }

  /** Whether a stored item is still as it was read (attempts and errors aside). */
  private static boolean sameStored(WorkItem stored, WorkItem read) {
    return stored.state() == WorkState.READY
        && stored.dueAt().equals(read.dueAt())
        && stored.payload().equals(read.payload())
        && stored.payloadVersion() == read.payloadVersion()
        && stored.priority() == read.priority()
        && stored.subject().equals(read.subject());
  }

  @Override
  public boolean cancel(WorkKey key) {
    check(key, "key");
    return jdbc.withConnection(
            "cancelling " + key,
            c -> Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE " + KEY_MATCH, keyParams(key)))
        > 0;
  }

  @Override
  public int cancelSubject(TenantId tenant, String subject) {
    check(tenant, "tenant");
    check(subject, "subject");
    if (subject.isEmpty()) {
      return 0;
    }
    return jdbc.withConnection(
        "cancelling the work of a subject",
        c ->
            Jdbc.update(
                c,
                "DELETE FROM " + TABLE + " WHERE tenant_id = ? AND subject = ?",
                tenant.value(),
                subject));
  }

  @Override
  public int cancelTenant(TenantId tenant) {
    check(tenant, "tenant");
    return jdbc.withConnection(
        "cancelling the work of tenant " + tenant,
        c -> Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE tenant_id = ?", tenant.value()));
  }

  @Override
  public Optional<WorkItem> find(WorkKey key) {
    check(key, "key");
    return jdbc.withConnection(
        "finding " + key,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.queryOne(
                c,
                "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE " + KEY_MATCH,
                JdbcWorkStore::map,
                keyParams(key)));
  }

  @Override
  public List<WorkItem> findBySubject(TenantId tenant, String subject, String kind) {
    check(tenant, "tenant");
    check(subject, "subject");
    WorkKey.of(tenant, kind, "probe"); // checks the kind, with the same message as in memory
    if (subject.isEmpty()) {
      return List.of(); // items without a subject are about nothing: none is found by it
    }
    return jdbc.withConnection(
        "listing the work of a subject",
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.query(
                c,
                "SELECT "
                    + COLUMNS
                    + " FROM "
                    + TABLE
                    + " WHERE tenant_id = ? AND subject = ? AND kind = ?"
                    + " ORDER BY due_at, priority DESC, item_id",
                JdbcWorkStore::map,
                tenant.value(),
                subject,
                kind));
  }

  @Override
  public List<WorkItem> dead(int max) {
    if (max < 1) {
      throw new InvalidWorkException("max must be at least 1, was " + max);
    }
    return jdbc.withConnection(
        "listing dead work",
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.query(
                c,
                "SELECT "
                    + COLUMNS
                    + " FROM "
                    + TABLE
                    + " WHERE state = 1 ORDER BY due_at, item_id LIMIT ?",
                JdbcWorkStore::map,
                max));
  }

  @Override
  public boolean retryDead(WorkKey key, Instant at) {
    check(key, "key");
    check(at, "at");
    // the work stores' own refusal, as the in-memory store's (rb4), not the column's
    String beyond = StoreLimits.instantProblem(at);
    if (beyond != null) {
      throw new InvalidWorkException("at " + beyond);
    }
    long due = EpochNanos.of(at, "at");
    return jdbc.withConnection(
            "retrying " + key,
            c ->
                Jdbc.update(
                    c,
                    "UPDATE "
                        + TABLE
                        + " SET state = 0, attempts = 0, last_error = '', due_at = ?,"
                        + " lease_owner = NULL, lease_token = NULL, lease_until = NULL"
                        + " WHERE "
                        + KEY_MATCH
                        + " AND state = 1",
                    prepend(due, keyParams(key))))
        == 1;
  }

  @Override
  public long count(WorkState state) {
    check(state, "state");
    return jdbc.withConnection(
        "counting work",
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.queryOne(
                    c,
                    "SELECT COUNT(*) FROM " + TABLE + " WHERE state = ?",
                    rs -> rs.getLong(1),
                    stateCode(state))
                .orElse(0L));
  }

  // ---- mapping --------------------------------------------------------------------------------

  private static WorkItem map(ResultSet rs) throws SQLException {
    return new WorkItem(
        WorkKey.of(TenantId.of(rs.getString(1)), rs.getString(2), rs.getString(3)),
        rs.getString(4),
        rs.getString(5),
        rs.getInt(6),
        EpochNanos.toInstant(rs.getLong(7)),
        rs.getInt(8),
        rs.getInt(9),
        rs.getInt(10) == 1 ? WorkState.DEAD : WorkState.READY,
        rs.getString(11));
  }

  private static int stateCode(WorkState state) {
    return state == WorkState.DEAD ? 1 : 0;
  }

  private static Object[] keyParams(WorkKey key) {
    return new Object[] {key.tenant().value(), key.kind(), key.id()};
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private static Object[] prepend2(Object first, Object second, Object[] rest) {
    return prepend(first, prepend(second, rest));
  }

  private static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      throw new InvalidWorkException("lease " + d + " is too long");
    }
  }

  private static <T> T check(T value, String name) {
    if (value == null) {
      throw new InvalidWorkException(name + " must not be null");
    }
    return value;
  }
}
