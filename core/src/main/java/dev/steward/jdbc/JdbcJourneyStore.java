package dev.steward.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.internal.Sized;
import dev.steward.internal.json.StrictJson;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.EnrolResult;
import dev.steward.journey.Enrolment;
import dev.steward.journey.EnrolmentState;
import dev.steward.journey.HistoryEntry;
import dev.steward.journey.InvalidJourneyException;
import dev.steward.journey.JourneyStore;
import dev.steward.journey.MessageSignal;
import dev.steward.journey.ReEntry;
import dev.steward.journey.StepOutcome;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * A {@link JourneyStore} in database tables ({@code steward_journey_contact}, {@code
 * steward_journey_enrolment} and {@code steward_journey_history}, schema version 11; {@code
 * steward_journey_signal}, version 16), shared by the scheduler instances of several application
 * instances.
 *
 * <p>An enrolment locks its contact's profile row ({@code SELECT ... FOR UPDATE}), reads the
 * contact's enrolments, decides by {@link EnrolResult#refusal} and writes the enrolment and its
 * first history row, all in one transaction: two instances enrolling one contact at once queue up
 * on the row, so the re-entry rule and the limit of journeys at once hold across instances. A
 * change of an enrolment is an {@code UPDATE ... WHERE seq = ?} and its history row, in one
 * transaction: of two instances running the same step, one applies and the other learns it lost.
 */
public final class JdbcJourneyStore implements JourneyStore {
  private static final String CONTACTS = "steward_journey_contact";
  private static final String ENROLMENTS = "steward_journey_enrolment";
  private static final String HISTORY = "steward_journey_history";
  private static final String SIGNALS = "steward_journey_signal";
  private static final String[] SIGNAL_KEY = {"tenant_id", "enrolment_id", "message_id", "event"};
  private static final String[] SIGNAL_COLUMNS = {
    "tenant_id", "enrolment_id", "message_id", "event", "contact_id", "at"
  };
  private static final String[] CONTACT_KEY = {"tenant_id", "contact_id"};
  private static final String[] CONTACT_COLUMNS = {
    "tenant_id", "contact_id", "account_id", "email", "zone", "attributes"
  };
  private static final String ENROLMENT_COLUMNS =
      "tenant_id, enrolment_id, contact_id, journey_id, journey_version, step_id, seq, state,"
          + " due_at, entered_at, updated_at, last_message_id, exit_reason";
  private static final String HISTORY_COLUMNS =
      "tenant_id, enrolment_id, seq, step_id, at, outcome, detail";
  private static final String UNFINISHED = "state IN ('ACTIVE', 'WAITING')";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbc jdbc;

  JdbcJourneyStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A store over a data source whose schema {@link StewardSchema#bootstrap} has applied. */
  public static JdbcJourneyStore of(DataSource dataSource) {
    return new JdbcJourneyStore(new Jdbc(dataSource));
  }

  @Override
  public void putContact(ContactProfile p) {
    InvalidJourneyException.requireNonNull(p, "profile");
    String attributes = writeAttributes(p.attributes());
    jdbc.withConnection(
        "storing the journey profile of " + p.contact() + " of tenant " + p.tenant(),
        Jdbc.Repeat.SAFE,
        c -> {
          jdbc.dialect()
              .upsert(
                  c,
                  CONTACTS,
                  CONTACT_KEY,
                  CONTACT_COLUMNS,
                  p.tenant().value(),
                  p.contact().value(),
                  p.account().value(),
                  Jdbc.varchar(p.email().map(EmailAddress::value).orElse(null)),
                  Jdbc.varchar(p.zone().map(ZoneId::getId).orElse(null)),
                  attributes);
          return null;
        });
  }

  @Override
  public Optional<ContactProfile> contact(TenantId tenant, ContactId contact) {
    check(tenant, contact);
    return jdbc.withConnection(
        "reading the journey profile of " + contact + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> readContact(c, tenant, contact, false));
  }

  @Override
  public List<ContactProfile> contacts(Optional<ContactProfile> after, int max) {
    if (max < 1) {
      throw new InvalidJourneyException("a page holds at least 1, was " + max);
    }
    InvalidJourneyException.requireNonNull(after, "after");
    String select =
        "SELECT tenant_id, contact_id, account_id, email, zone, attributes FROM " + CONTACTS;
    String order = " ORDER BY tenant_id, contact_id LIMIT " + max;
    RowMapper<ContactProfile> row =
        rs ->
            new ContactProfile(
                TenantId.of(rs.getString("tenant_id")),
                ContactId.of(rs.getString("contact_id")),
                AccountId.of(rs.getString("account_id")),
                Optional.ofNullable(rs.getString("email")).map(EmailAddress::of),
                Optional.ofNullable(rs.getString("zone")).map(ZoneId::of),
                readAttributes(rs.getString("attributes")));
    return jdbc.withConnection(
        "reading a page of journey profiles",
        Jdbc.Repeat.SAFE,
        c ->
            after.isEmpty()
                ? Jdbc.query(c, select + order, row)
                : Jdbc.query(
                    c,
                    select + " WHERE tenant_id > ? OR (tenant_id = ? AND contact_id > ?)" + order,
                    row,
                    after.get().tenant().value(),
                    after.get().tenant().value(),
                    after.get().contact().value()));
  }

  private static Optional<ContactProfile> readContact(
      Connection c, TenantId tenant, ContactId contact, boolean lock) throws SQLException {
    return Jdbc.queryOne(
        c,
        "SELECT account_id, email, zone, attributes FROM "
            + CONTACTS
            + " WHERE tenant_id = ? AND contact_id = ?"
            + (lock ? " FOR UPDATE" : ""),
        rs ->
            new ContactProfile(
                tenant,
                contact,
                AccountId.of(rs.getString("account_id")),
                Optional.ofNullable(rs.getString("email")).map(EmailAddress::of),
                Optional.ofNullable(rs.getString("zone")).map(ZoneId::of),
                readAttributes(rs.getString("attributes"))),
        tenant.value(),
        contact.value());
  }

  @Override
  public boolean setAttribute(
      TenantId tenant, ContactId contact, String name, Optional<String> value) {
    check(tenant, contact);
    ContactProfile.checkAttribute(name, "attribute name");
    InvalidJourneyException.requireNonNull(value, "value");
    value.ifPresent(v -> ContactProfile.checkAttribute(v, "attribute '" + name + "'"));
    return jdbc.inTransaction(
        "setting attribute '" + name + "' of " + contact + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          Optional<ContactProfile> p = readContact(c, tenant, contact, true);
          if (p.isEmpty()) {
            return false;
          }
          ContactProfile changed =
              value.map(v -> p.get().with(name, v)).orElseGet(() -> p.get().without(name));
          Jdbc.update(
              c,
              "UPDATE " + CONTACTS + " SET attributes = ? WHERE tenant_id = ? AND contact_id = ?",
              writeAttributes(changed.attributes()),
              tenant.value(),
              contact.value());
          return true;
        });
  }

  @Override
  public EnrolResult enrol(Enrolment e, ReEntry reEntry, int maxActive) {
    EnrolResult.checkNew(e);
    InvalidJourneyException.requireNonNull(reEntry, "re-entry rule");
    return jdbc.inTransaction(
        "enrolling " + e.contact() + " of tenant " + e.tenant() + " in journey " + e.journey(),
        c -> {
          Optional<ContactProfile> profile = readContact(c, e.tenant(), e.contact(), true);
          if (profile.isEmpty()) {
            throw new InvalidJourneyException(
                "contact "
                    + e.contact()
                    + " of tenant "
                    + e.tenant()
                    + " has no profile; put one first");
          }
          // one statement for the enrolment of the same id and the contact's enrolments
          SameAndMine found = sameAndMine(c, e);
          if (found.same().isPresent()) {
            return new EnrolResult(
                EnrolResult.Status.ALREADY_ENROLLED, found.same(), "enrolment exists");
          }
          List<Enrolment> mine = found.mine();
          Optional<EnrolResult> refusal =
              EnrolResult.refusal(
                  e,
                  mine,
                  reEntry,
                  maxActive,
                  profile.get().zone().orElse(java.time.ZoneOffset.UTC));
          if (refusal.isPresent()) {
            return refusal.get();
          }
          Jdbc.update(
              c,
              "INSERT INTO "
                  + ENROLMENTS
                  + " ("
                  + ENROLMENT_COLUMNS
                  + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              row(e));
          insertHistory(c, e, EnrolResult.entered(e));
          return new EnrolResult(EnrolResult.Status.ENROLLED, Optional.of(e), "");
        });
  }

  @Override
  public Optional<Enrolment> find(TenantId tenant, String enrolmentId) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(enrolmentId, "enrolment id");
    return jdbc.withConnection(
        "reading enrolment " + enrolmentId + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> findIn(c, tenant, enrolmentId));
  }

  /** The most keys in one IN list: within every driver's parameter limit. */
  static final int IN_CHUNK = 500;

  @Override
  public Map<String, Enrolment> findAll(TenantId tenant, Collection<String> enrolmentIds) {
    checkKeys(tenant, enrolmentIds, "enrolment ids");
    List<String> ids = List.copyOf(new LinkedHashSet<>(enrolmentIds));
    if (ids.isEmpty()) {
      return new HashMap<>();
    }
    return jdbc.withConnection(
        "reading " + ids.size() + " enrolments of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          // a fresh answer per attempt: a repeat after a lost connection keeps nothing it read
          Map<String, Enrolment> out = new HashMap<>(Sized.capacity(ids.size()));
          for (Enrolment e :
              Jdbc.queryIn(
                  c,
                  "SELECT "
                      + ENROLMENT_COLUMNS
                      + " FROM "
                      + ENROLMENTS
                      + " WHERE tenant_id = ?"
                      + " AND enrolment_id",
                  "",
                  tenant.value(),
                  ids,
                  IN_CHUNK,
                  JdbcJourneyStore::enrolment)) {
            out.put(e.id(), e);
          }
          return out;
        });
  }

  @Override
  public Map<ContactId, ContactProfile> contacts(TenantId tenant, Collection<ContactId> contacts) {
    checkKeys(tenant, contacts, "contacts");
    Map<String, ContactId> byValue = new LinkedHashMap<>();
    contacts.forEach(x -> byValue.put(x.value(), x));
    List<String> ids = List.copyOf(byValue.keySet());
    if (ids.isEmpty()) {
      return new HashMap<>();
    }
    return jdbc.withConnection(
        "reading " + ids.size() + " journey profiles of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          Map<ContactId, ContactProfile> out = new HashMap<>(Sized.capacity(ids.size()));
          for (ContactProfile p :
              Jdbc.queryIn(
                  c,
                  "SELECT contact_id, account_id, email, zone, attributes FROM "
                      + CONTACTS
                      + " WHERE tenant_id = ? AND contact_id",
                  "",
                  tenant.value(),
                  ids,
                  IN_CHUNK,
                  rs ->
                      new ContactProfile(
                          tenant,
                          byValue.get(rs.getString("contact_id")),
                          AccountId.of(rs.getString("account_id")),
                          Optional.ofNullable(rs.getString("email")).map(EmailAddress::of),
                          Optional.ofNullable(rs.getString("zone")).map(ZoneId::of),
                          readAttributes(rs.getString("attributes"))))) {
            out.put(p.contact(), p);
          }
          return out;
        });
  }

  /** As every journey store checks the keys of a read of many: no null tenant, list or key. */
  private static void checkKeys(TenantId tenant, Collection<?> keys, String what) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(keys, what);
    for (Object k : keys) {
      if (k == null) {
        throw new InvalidJourneyException(what + " must not hold null");
      }
    }
  }

  @Override
  public List<Enrolment> enrolments(TenantId tenant, ContactId contact) {
    check(tenant, contact);
    return jdbc.withConnection(
        "reading the enrolments of " + contact + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> enrolmentsIn(c, tenant, contact));
  }

  /**
   * On PostgreSQL, {@code writes} in one {@link UnitOfWork} over this store's data source: the JDBC
   * stores on it that they call commit once. On H2, as they come.
   */
  @Override
  public <T> T together(java.util.function.Supplier<T> writes) {
    if (jdbc.dialect() != JdbcDialect.POSTGRESQL) {
      return writes.get();
    }
    return UnitOfWork.run(jdbc.dataSource(), writes);
  }

  /**
   * True when the unit of work open on this thread over this store's data source applied {@code
   * e}'s change ({@link #advance} or {@link #advanceAll}): its compare-and-set UPDATE holds the
   * row's lock until the unit ends.
   */
  @Override
  public boolean holdsInUnit(Enrolment e) {
    if (e == null) {
      return false;
    }
    return UnitOfWork.joining(jdbc.dataSource())
        .flatMap(u -> u.attached(held, Held.class))
        .map(h -> h.rows.contains(heldKey(e)))
        .orElse(false);
  }

  /** The owner of the {@link Held} rows in a unit. */
  private final Object held = new Object();

  /** The enrolments (tenant, id and seq) this store changed in one unit of work; writes nothing. */
  private static final class Held implements UnitOfWork.BeforeCommit {
    final java.util.Set<List<Object>> rows = new java.util.HashSet<>();

    @Override
    public void beforeCommit(Connection connection) {
      // the rows' locks are the unit's own; nothing to write
    }
  }

  private static List<Object> heldKey(Enrolment e) {
    return List.of(e.tenant().value(), e.id(), e.seq());
  }

  /** Notes changes applied in the unit open on this thread, if any ({@link #holdsInUnit}). */
  private void holding(List<Enrolment> applied) {
    if (applied.isEmpty()) {
      return;
    }
    UnitOfWork.joining(jdbc.dataSource())
        .ifPresent(
            u -> {
              Held h = u.attach(held, Held.class, Held::new);
              for (Enrolment e : applied) {
                h.rows.add(heldKey(e));
              }
            });
  }

  @Override
  public boolean advance(Enrolment next, HistoryEntry entry) {
    EnrolResult.checkAdvance(next, entry);
    boolean applied = advanceOne(next, entry);
    if (applied) {
      holding(List.of(next));
    }
    return applied;
  }

  private boolean advanceOne(Enrolment next, HistoryEntry entry) {
    return jdbc.inTransaction(
        "advancing enrolment " + next.id() + " of tenant " + next.tenant(),
        c -> {
          int changed =
              Jdbc.update(
                  c,
                  "UPDATE "
                      + ENROLMENTS
                      + " SET journey_version = ?, step_id = ?, seq = ?, state = ?, due_at = ?,"
                      + " updated_at = ?, last_message_id = ?, exit_reason = ?"
                      + " WHERE tenant_id = ? AND enrolment_id = ? AND seq = ? AND "
                      + UNFINISHED,
                  next.version(), // a migration moves an enrolment to another version
                  next.step(),
                  next.seq(),
                  next.state().name(),
                  EpochNanos.of(next.dueAt(), "due time"),
                  EpochNanos.of(next.updatedAt(), "update time"),
                  Jdbc.varchar(next.lastMessage().map(MessageId::value).orElse(null)),
                  Jdbc.varchar(next.exitReason().orElse(null)),
                  next.tenant().value(),
                  next.id(),
                  next.seq() - 1);
          if (changed == 0) {
            return false;
          }
          insertHistory(c, next, entry);
          if (next.state().finished()) { // no wait will ask any more
            Jdbc.update(
                c,
                "DELETE FROM " + SIGNALS + " WHERE tenant_id = ? AND enrolment_id = ?",
                next.tenant().value(),
                next.id());
          } else if (entry.outcome().ofSend()) {
            // waits ask about the last message only: a loop keeps one message's signals, not all
            Jdbc.update(
                c,
                "DELETE FROM "
                    + SIGNALS
                    + " WHERE tenant_id = ? AND enrolment_id = ? AND message_id <> ?",
                next.tenant().value(),
                next.id(),
                Jdbc.varchar(next.lastMessage().map(MessageId::value).orElse("")));
          }
          return true;
        });
  }

  /** At most this many changes in one statement of {@link #advanceAll}. */
  static final int ADVANCE_CHUNK = 500;

  /**
   * Applies the changes set-based, in one transaction (or the unit of work open on this thread):
   * per chunk of {@value #ADVANCE_CHUNK}, one compare-and-set UPDATE for all (on PostgreSQL an
   * {@code UPDATE ... FROM (VALUES ...) RETURNING} the rows it changed; on H2 the per-row UPDATEs
   * in one JDBC batch, whose counts tell which changed), one multi-row INSERT of the history
   * entries of those applied, and at most one DELETE of the signals they forget.
   */
  @Override
  public List<Boolean> advanceAll(List<Advance> changes) {
    checkAdvances(changes);
    if (changes.isEmpty()) {
      return List.of();
    }
    List<Boolean> out = advanceAllOnce(changes);
    List<Enrolment> applied = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) {
      if (Boolean.TRUE.equals(out.get(i))) {
        applied.add(changes.get(i).next());
      }
    }
    holding(applied);
    return out;
  }

  private List<Boolean> advanceAllOnce(List<Advance> changes) {
    return jdbc.inTransaction(
        "advancing " + changes.size() + " enrolments",
        c -> {
          boolean[] applied = new boolean[changes.size()];
          boolean postgres = jdbc.dialect() == JdbcDialect.POSTGRESQL;
          for (int from = 0; from < changes.size(); from += ADVANCE_CHUNK) {
            List<Advance> chunk =
                changes.subList(from, Math.min(changes.size(), from + ADVANCE_CHUNK));
            boolean[] done = postgres ? updateAllPostgres(c, chunk) : updateAllBatched(c, chunk);
            List<Advance> advanced = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
              applied[from + i] = done[i];
              if (done[i]) {
                advanced.add(chunk.get(i));
              }
            }
            insertHistories(c, advanced);
            forgetSignals(c, advanced);
          }
          List<Boolean> out = new ArrayList<>(applied.length);
          for (boolean b : applied) {
            out.add(b);
          }
          return out;
        });
  }

  private static final String ADVANCE_SET =
      " SET journey_version = ?, step_id = ?, seq = ?, state = ?, due_at = ?,"
          + " updated_at = ?, last_message_id = ?, exit_reason = ?";

  private static Object[] advanceValues(Enrolment next) {
    return new Object[] {
      next.tenant().value(),
      next.id(),
      next.seq() - 1,
      next.version(),
      next.step(),
      next.seq(),
      next.state().name(),
      EpochNanos.of(next.dueAt(), "due time"),
      EpochNanos.of(next.updatedAt(), "update time"),
      Jdbc.varchar(next.lastMessage().map(MessageId::value).orElse(null)),
      Jdbc.varchar(next.exitReason().orElse(null))
    };
  }

  /** One UPDATE ... FROM (VALUES ...) RETURNING for the chunk: which rows it changed. */
  private static boolean[] updateAllPostgres(Connection c, List<Advance> chunk)
      throws SQLException {
    String row =
        "(CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS INTEGER), CAST(? AS INTEGER),"
            + " CAST(? AS VARCHAR), CAST(? AS INTEGER), CAST(? AS VARCHAR), CAST(? AS BIGINT),"
            + " CAST(? AS BIGINT), CAST(? AS VARCHAR), CAST(? AS VARCHAR))";
    StringBuilder values = new StringBuilder();
    List<Object> params = new ArrayList<>(chunk.size() * 11);
    Map<List<String>, Integer> at = new HashMap<>();
    for (int i = 0; i < chunk.size(); i++) {
      Enrolment n = chunk.get(i).next();
      values.append(i == 0 ? "" : ", ").append(row);
      params.addAll(java.util.Arrays.asList(advanceValues(n)));
      at.put(List.of(n.tenant().value(), n.id()), i);
    }
    List<List<String>> changed =
        Jdbc.query(
            c,
            "UPDATE "
                + ENROLMENTS
                + " e SET journey_version = v.journey_version, step_id = v.step_id, seq = v.seq,"
                + " state = v.state, due_at = v.due_at, updated_at = v.updated_at,"
                + " last_message_id = v.last_message_id, exit_reason = v.exit_reason FROM (VALUES "
                + values
                + ") v(tenant_id, enrolment_id, prev_seq, journey_version, step_id, seq, state,"
                + " due_at, updated_at, last_message_id, exit_reason)"
                + " WHERE e.tenant_id = v.tenant_id AND e.enrolment_id = v.enrolment_id"
                + " AND e.seq = v.prev_seq AND e.state IN ('ACTIVE', 'WAITING')"
                + " RETURNING e.tenant_id, e.enrolment_id",
            rs -> List.of(rs.getString(1), rs.getString(2)),
            params.toArray());
    boolean[] done = new boolean[chunk.size()];
    for (List<String> k : changed) {
      Integer i = at.get(k);
      if (i != null) {
        done[i] = true;
      }
    }
    return done;
  }

  /** The chunk's compare-and-set UPDATEs in one JDBC batch (H2): which rows each changed. */
  private static boolean[] updateAllBatched(Connection c, List<Advance> chunk) throws SQLException {
    boolean[] done = new boolean[chunk.size()];
    try (java.sql.PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + ENROLMENTS
                + ADVANCE_SET
                + " WHERE tenant_id = ? AND enrolment_id = ? AND seq = ? AND "
                + UNFINISHED)) {
      for (Advance a : chunk) {
        Object[] v = advanceValues(a.next());
        Jdbc.bind(ps, v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[0], v[1], v[2]);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        // one row per key at most; a driver without counts is not H2's
        done[i] = counts[i] > 0 || counts[i] == java.sql.Statement.SUCCESS_NO_INFO;
      }
    }
    return done;
  }

  /** One multi-row INSERT of the history entries of the changes applied. */
  private static void insertHistories(Connection c, List<Advance> advanced) throws SQLException {
    if (advanced.isEmpty()) {
      return;
    }
    List<Object> params = new ArrayList<>(advanced.size() * 7);
    for (Advance a : advanced) {
      HistoryEntry h = a.entry();
      params.add(a.next().tenant().value());
      params.add(a.next().id());
      params.add(h.seq());
      params.add(h.step());
      params.add(EpochNanos.of(h.at(), "history time"));
      params.add(h.outcome().name());
      params.add(h.detail());
    }
    Jdbc.update(
        c,
        "INSERT INTO "
            + HISTORY
            + " ("
            + HISTORY_COLUMNS
            + ") VALUES "
            + JdbcDialect.rowsOfPlaceholders(7, advanced.size()),
        params.toArray());
  }

  /**
   * One DELETE of the signals the applied changes forget, as {@link #advance} does one by one: all
   * of a finished enrolment's, and those of a sending one's other messages than its last.
   */
  private static void forgetSignals(Connection c, List<Advance> advanced) throws SQLException {
    StringBuilder where = new StringBuilder();
    List<Object> params = new ArrayList<>();
    for (Advance a : advanced) {
      Enrolment n = a.next();
      if (n.state().finished()) {
        where
            .append(where.length() == 0 ? "" : " OR ")
            .append("(tenant_id = ? AND enrolment_id = ?)");
        params.add(n.tenant().value());
        params.add(n.id());
      } else if (a.entry().outcome().ofSend()) {
        where
            .append(where.length() == 0 ? "" : " OR ")
            .append("(tenant_id = ? AND enrolment_id = ? AND message_id <> ?)");
        params.add(n.tenant().value());
        params.add(n.id());
        params.add(Jdbc.varchar(n.lastMessage().map(MessageId::value).orElse("")));
      }
    }
    if (params.isEmpty()) {
      return;
    }
    Jdbc.update(c, "DELETE FROM " + SIGNALS + " WHERE " + where, params.toArray());
  }

  /** As every journey store checks the changes of {@code advanceAll}. */
  private static void checkAdvances(List<Advance> changes) {
    InvalidJourneyException.requireNonNull(changes, "changes");
    java.util.Set<List<String>> seen = new java.util.HashSet<>();
    for (Advance a : changes) {
      if (a == null) {
        throw new InvalidJourneyException("changes must not hold null");
      }
      if (!seen.add(List.of(a.next().tenant().value(), a.next().id()))) {
        throw new InvalidJourneyException(
            "changes hold enrolment "
                + a.next().id()
                + " of tenant "
                + a.next().tenant()
                + " twice; one call advances an enrolment once");
      }
    }
  }

  @Override
  public List<HistoryEntry> history(TenantId tenant, String enrolmentId) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(enrolmentId, "enrolment id");
    return jdbc.withConnection(
        "reading the history of enrolment " + enrolmentId + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.query(
                c,
                "SELECT seq, step_id, at, outcome, detail FROM "
                    + HISTORY
                    + " WHERE tenant_id = ? AND enrolment_id = ? ORDER BY seq",
                rs ->
                    new HistoryEntry(
                        rs.getInt("seq"),
                        rs.getString("step_id"),
                        EpochNanos.toInstant(rs.getLong("at")),
                        StepOutcome.valueOf(rs.getString("outcome")),
                        rs.getString("detail")),
                tenant.value(),
                enrolmentId));
  }

  @Override
  public List<Enrolment> dueBefore(Instant before, Optional<Enrolment> after, int max) {
    InvalidJourneyException.requireNonNull(before, "before");
    InvalidJourneyException.requireNonNull(after, "after");
    if (max < 1) {
      throw new InvalidJourneyException("max must be at least 1, was " + max);
    }
    String select = "SELECT " + ENROLMENT_COLUMNS + " FROM " + ENROLMENTS + " WHERE " + UNFINISHED;
    // keyset on the partial index (due_at, enrolment_id); the tenant only breaks a tie of both
    String order = " ORDER BY due_at, enrolment_id, tenant_id LIMIT ?";
    return jdbc.withConnection(
        "reading overdue enrolments",
        Jdbc.Repeat.SAFE,
        c -> {
          if (after.isEmpty()) {
            return Jdbc.query(
                c,
                select + " AND due_at " + EpochNanos.before(before) + " ?" + order,
                JdbcJourneyStore::enrolment,
                EpochNanos.bound(before, "before"),
                max);
          }
          Enrolment a = after.get();
          long at = EpochNanos.bound(a.dueAt(), "due time of the enrolment to page after");
          return Jdbc.query(
              c,
              select
                  + " AND due_at "
                  + EpochNanos.before(before)
                  + " ? AND (due_at > ? OR (due_at = ? AND (enrolment_id > ?"
                  + " OR (enrolment_id = ? AND tenant_id > ?))))"
                  + order,
              JdbcJourneyStore::enrolment,
              EpochNanos.bound(before, "before"),
              at,
              at,
              a.id(),
              a.id(),
              a.tenant().value(),
              max);
        });
  }

  @Override
  public boolean recordSignal(MessageSignal signal) {
    InvalidJourneyException.requireNonNull(signal, "signal");
    String tenant = signal.tenant().value();
    return jdbc.inTransaction(
        "remembering the "
            + signal.event()
            + " of message "
            + signal.message()
            + " of enrolment "
            + signal.enrolmentId()
            + " of tenant "
            + signal.tenant(),
        Jdbc.Repeat.SAFE,
        c -> {
          // the enrolment's lock: an erasure deletes the row, then the contact's signals, so it
          // either waits for this insert and deletes it too, or finds the row gone
          Optional<String> contact =
              Jdbc.queryOne(
                  c,
                  "SELECT contact_id FROM "
                      + ENROLMENTS
                      + " WHERE tenant_id = ? AND enrolment_id = ? AND "
                      + UNFINISHED
                      + " FOR UPDATE",
                  rs -> rs.getString(1),
                  tenant,
                  signal.enrolmentId());
          if (contact.isEmpty()) {
            return false;
          }
          return jdbc.dialect()
              .insertIfAbsent(
                  c,
                  SIGNALS,
                  SIGNAL_KEY,
                  SIGNAL_COLUMNS,
                  tenant,
                  signal.enrolmentId(),
                  signal.message().value(),
                  signal.event(),
                  contact.get(),
                  EpochNanos.of(signal.at(), "time of the signal"));
        });
  }

  @Override
  public List<MessageSignal> signals(TenantId tenant, String enrolmentId, MessageId message) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(enrolmentId, "enrolment id");
    InvalidJourneyException.requireNonNull(message, "message");
    return jdbc.withConnection(
        "reading the signals of message " + message + " of enrolment " + enrolmentId,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.query(
                c,
                "SELECT event, at FROM "
                    + SIGNALS
                    + " WHERE tenant_id = ? AND enrolment_id = ? AND message_id = ?"
                    + " ORDER BY at, event",
                rs ->
                    new MessageSignal(
                        tenant,
                        enrolmentId,
                        message,
                        rs.getString("event"),
                        EpochNanos.toInstant(rs.getLong("at"))),
                tenant.value(),
                enrolmentId,
                message.value()));
  }

  @Override
  public int eraseContact(TenantId tenant, ContactId contact) {
    check(tenant, contact);
    return jdbc.inTransaction(
        "erasing the journeys of " + contact + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          Jdbc.update(
              c,
              "DELETE FROM "
                  + HISTORY
                  + " WHERE tenant_id = ? AND enrolment_id IN (SELECT enrolment_id FROM "
                  + ENROLMENTS
                  + " WHERE tenant_id = ? AND contact_id = ?)",
              tenant.value(),
              tenant.value(),
              contact.value());
          int n =
              Jdbc.update(
                  c,
                  "DELETE FROM " + ENROLMENTS + " WHERE tenant_id = ? AND contact_id = ?",
                  tenant.value(),
                  contact.value());
          // after the enrolments: a signal written under an enrolment's lock is committed by now
          Jdbc.update(
              c,
              "DELETE FROM " + SIGNALS + " WHERE tenant_id = ? AND contact_id = ?",
              tenant.value(),
              contact.value());
          Jdbc.update(
              c,
              "DELETE FROM " + CONTACTS + " WHERE tenant_id = ? AND contact_id = ?",
              tenant.value(),
              contact.value());
          return n;
        });
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    return jdbc.inTransaction(
        "erasing the journeys of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          Jdbc.update(c, "DELETE FROM " + HISTORY + " WHERE tenant_id = ?", tenant.value());
          int n =
              Jdbc.update(c, "DELETE FROM " + ENROLMENTS + " WHERE tenant_id = ?", tenant.value());
          Jdbc.update(c, "DELETE FROM " + SIGNALS + " WHERE tenant_id = ?", tenant.value());
          Jdbc.update(c, "DELETE FROM " + CONTACTS + " WHERE tenant_id = ?", tenant.value());
          return n;
        });
  }

  // ---------------------------------------------------------------- rows

  private static Optional<Enrolment> findIn(Connection c, TenantId tenant, String id)
      throws SQLException {
    return Jdbc.queryOne(
        c,
        "SELECT "
            + ENROLMENT_COLUMNS
            + " FROM "
            + ENROLMENTS
            + " WHERE tenant_id = ? AND enrolment_id = ?",
        JdbcJourneyStore::enrolment,
        tenant.value(),
        id);
  }

  /** The enrolment of a new one's id, if any, and its contact's enrolments. */
  private record SameAndMine(Optional<Enrolment> same, List<Enrolment> mine) {}

  /**
   * What an enrolment needs to know before it is written, in one statement: the enrolment of the
   * same id (a repeated request) and the contact's enrolments in the order they entered (the
   * re-entry rule and the concurrency limit), as {@link #findIn} and {@link #enrolmentsIn} read
   * them. Each branch of the UNION takes its own index.
   */
  private static SameAndMine sameAndMine(Connection c, Enrolment e) throws SQLException {
    List<Object[]> rows =
        Jdbc.query(
            c,
            "SELECT 0 AS which, "
                + ENROLMENT_COLUMNS
                + " FROM "
                + ENROLMENTS
                + " WHERE tenant_id = ? AND enrolment_id = ?"
                + " UNION ALL SELECT 1 AS which, "
                + ENROLMENT_COLUMNS
                + " FROM "
                + ENROLMENTS
                + " WHERE tenant_id = ? AND contact_id = ?"
                + " ORDER BY which, entered_at, enrolment_id",
            rs -> new Object[] {rs.getInt("which"), enrolment(rs)},
            e.tenant().value(),
            e.id(),
            e.tenant().value(),
            e.contact().value());
    Optional<Enrolment> same = Optional.empty();
    List<Enrolment> mine = new java.util.ArrayList<>();
    for (Object[] r : rows) {
      if ((Integer) r[0] == 0) {
        same = Optional.of((Enrolment) r[1]);
      } else {
        mine.add((Enrolment) r[1]);
      }
    }
    return new SameAndMine(same, mine);
  }

  private static List<Enrolment> enrolmentsIn(Connection c, TenantId tenant, ContactId contact)
      throws SQLException {
    return Jdbc.query(
        c,
        "SELECT "
            + ENROLMENT_COLUMNS
            + " FROM "
            + ENROLMENTS
            + " WHERE tenant_id = ? AND contact_id = ? ORDER BY entered_at, enrolment_id",
        JdbcJourneyStore::enrolment,
        tenant.value(),
        contact.value());
  }

  private static Object[] row(Enrolment e) {
    return new Object[] {
      e.tenant().value(),
      e.id(),
      e.contact().value(),
      e.journey(),
      e.version(),
      e.step(),
      e.seq(),
      e.state().name(),
      EpochNanos.of(e.dueAt(), "due time"),
      EpochNanos.of(e.enteredAt(), "entry time"),
      EpochNanos.of(e.updatedAt(), "update time"),
      Jdbc.varchar(e.lastMessage().map(MessageId::value).orElse(null)),
      Jdbc.varchar(e.exitReason().orElse(null))
    };
  }

  private static Enrolment enrolment(ResultSet rs) throws SQLException {
    return new Enrolment(
        TenantId.of(rs.getString("tenant_id")),
        rs.getString("enrolment_id"),
        ContactId.of(rs.getString("contact_id")),
        rs.getString("journey_id"),
        rs.getInt("journey_version"),
        rs.getString("step_id"),
        rs.getInt("seq"),
        EnrolmentState.valueOf(rs.getString("state")),
        EpochNanos.toInstant(rs.getLong("due_at")),
        EpochNanos.toInstant(rs.getLong("entered_at")),
        EpochNanos.toInstant(rs.getLong("updated_at")),
        Optional.ofNullable(rs.getString("last_message_id")).map(MessageId::of),
        Optional.ofNullable(rs.getString("exit_reason")));
  }

  private static void insertHistory(Connection c, Enrolment e, HistoryEntry h) throws SQLException {
    Jdbc.update(
        c,
        "INSERT INTO " + HISTORY + " (" + HISTORY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
        e.tenant().value(),
        e.id(),
        h.seq(),
        h.step(),
        EpochNanos.of(h.at(), "history time"),
        h.outcome().name(),
        h.detail());
  }

  private static String writeAttributes(Map<String, String> attributes) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(attributes));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write attributes", e);
    }
  }

  private static Map<String, String> readAttributes(String json) {
    JsonNode n = StrictJson.read(json, "journey attributes", JdbcStoreException::new);
    Map<String, String> out = new TreeMap<>();
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      out.put(name, n.get(name).asText());
    }
    return out;
  }

  private static void check(TenantId tenant, ContactId contact) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(contact, "contact");
  }
}
