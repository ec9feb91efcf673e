package dev.steward.jdbc;

import dev.steward.delivery.DeliveryLedger;
import dev.steward.delivery.DeliveryRecord;
import dev.steward.delivery.DeliveryStatus;
import dev.steward.delivery.OutcomeMark;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * A {@link DeliveryLedger} in a database table ({@code steward_delivery_ledger}). An intent is an
 * insert-if-absent on the idempotency key, else a conditional update from RETRYING of the same
 * message: the database's unique key and row lock make either atomic across instances. A unique
 * index on the message id refuses a second record for one message, across instances too.
 */
public final class JdbcDeliveryLedger implements DeliveryLedger {
  private static final String TABLE = "steward_delivery";

  private static final String COLUMNS =
      "tenant_id, idempotency_key, message_id, account_id, contact_id, status,"
          + " provider_message_id, created_at, updated_at";

  /** {@link #COLUMNS} one by one, for the insert. */
  private static final String[] COLUMN_NAMES = COLUMNS.split(",\\s*");

  /** The longest provider message id kept (SendGrid's are about 22 characters). */
  static final int MAX_PROVIDER_ID = 1000;

  /**
   * The sweep for open outcomes; the (status, updated_at) index serves it, so a frequent sweep
   * reads the few open rows rather than every settled one.
   */
  static final String UNSETTLED_SQL = unsettledSql("<");

  /** {@link #UNSETTLED_SQL} with {@code before} as the operator of "updated before". */
  static String unsettledSql(String before) {
    return "SELECT "
        + COLUMNS
        + " FROM "
        + TABLE
        + " WHERE status IN (?, ?) AND updated_at "
        + before
        + " ? ORDER BY updated_at, tenant_id, idempotency_key LIMIT ?";
  }

  /**
   * The purge of settled records: the (status, updated_at) index finds them; the outer conditions
   * are checked again on each row as it is deleted, so a record that moved on meanwhile (FAILED to
   * SENT, with a new time) is kept.
   */
  static final String PURGE_SQL = purgeSql("<");

  /** {@link #PURGE_SQL} with {@code before} as the operator of "updated before". */
  static String purgeSql(String before) {
    return "DELETE FROM "
        + TABLE
        + " WHERE message_id IN (SELECT message_id FROM "
        + TABLE
        + " WHERE status IN (?, ?) AND updated_at "
        + before
        + " ? ORDER BY updated_at LIMIT ?) AND status IN (?, ?) AND updated_at "
        + before
        + " ?";
  }

  /** The most rows one set-based statement reads or writes, well within every driver's limits. */
  static final int CHUNK = 500;

  private final Jdbc jdbc;

  JdbcDeliveryLedger(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A ledger over the tables in {@code dataSource}'s database, retrying by the default policy. */
  public static JdbcDeliveryLedger of(DataSource dataSource) {
    return of(dataSource, JdbcRetryPolicy.ofDefaults());
  }

  /** A ledger over the tables in {@code dataSource}'s database, retrying by {@code retry}. */
  public static JdbcDeliveryLedger of(DataSource dataSource, JdbcRetryPolicy retry) {
    return new JdbcDeliveryLedger(new Jdbc(dataSource, retry));
  }

  /**
   * Durable before it returns, also when a {@link UnitOfWork} is open on this thread (a listener
   * that dispatches from inside a journey step's unit, or a dispatch listener inside the ledger's
   * own): the intent is then written and committed alone, outside the unit, so that a unit rolled
   * back after the send cannot take the intent with it and have the message sent again when its
   * writes run again (rb2). Only a key or message id that already has a record as the unit sees it
   * (which the unit may hold locked) is decided inside the unit, where it cannot wait for itself.
   */
  @Override
  public boolean recordIntent(Message message, Instant at) {
    Check.notNull(message, "message");
    long when = EpochNanos.of(at, "at");
    if (UnitOfWork.joining(jdbc.dataSource()).isPresent() && !recorded(message)) {
      return UnitOfWork.outside(() -> writeIntent(message, when));
    }
    return writeIntent(message, when);
  }

  /** Whether the key or the id of {@code message} has a record, as this thread's unit sees it. */
  private boolean recorded(Message message) {
    return jdbc.withConnection(
        "looking up the record of message " + message.id(),
        Jdbc.Repeat.SAFE,
        c ->
            !Jdbc.query(
                    c,
                    "SELECT 1 FROM "
                        + TABLE
                        + " WHERE (tenant_id = ? AND idempotency_key = ?) OR message_id = ?",
                    rs -> 1,
                    message.tenant().value(),
                    message.idempotencyKey(),
                    message.id().value())
                .isEmpty());
  }

  private boolean writeIntent(Message message, long when) {
    String tenant = message.tenant().value();
    String key = message.idempotencyKey();
    String id = message.id().value();
    // Not SAFE to repeat after a lost connection: had the insert been applied, the repeat would
    // find the row and answer false, and the dispatcher would call its own message a DUPLICATE.
    // After a deadlock or time-out it is: the insert is if-absent and the update conditional.
    return jdbc.withConnection(
        "recording the intent to send " + id,
        c -> {
          boolean inserted;
          try {
            inserted =
                jdbc.dialect()
                    .insertIfAbsent(
                        c,
                        TABLE,
                        new String[] {"tenant_id", "idempotency_key"},
                        COLUMN_NAMES,
                        tenant,
                        key,
                        id,
                        message.account().value(),
                        message.contact().value(),
                        DeliveryStatus.SENDING.name(),
                        Jdbc.TypedNull.VARCHAR,
                        when,
                        when);
          } catch (SQLException e) {
            if (!JdbcDialect.UNIQUE_VIOLATION.equals(e.getSQLState())) {
              throw e;
            }
            // the message id has a record under another key (unique since schema version 4):
            // refused, and the update below finds no RETRYING row of this key and message
            inserted = false;
          }
          if (inserted) {
            return true;
          }
          // the row lock serialises this with any concurrent retry: one of them sees RETRYING
          return Jdbc.update(
                  c,
                  "UPDATE "
                      + TABLE
                      + " SET status = ?, provider_message_id = NULL, updated_at = ?"
                      + " WHERE tenant_id = ? AND idempotency_key = ? AND status = ?"
                      + " AND message_id = ?",
                  DeliveryStatus.SENDING.name(),
                  when,
                  tenant,
                  key,
                  DeliveryStatus.RETRYING.name(),
                  id)
              == 1;
        });
  }

  @Override
  public boolean markOutcome(
      TenantId tenant,
      String idempotencyKey,
      DeliveryStatus status,
      String providerMessageId,
      Instant at) {
    Check.notNull(tenant, "tenant");
    Check.id(idempotencyKey, "idempotencyKey");
    Check.notNull(status, "status");
    Check.optionalText(providerMessageId, "providerMessageId", MAX_PROVIDER_ID);
    long when = EpochNanos.of(at, "at");
    Set<DeliveryStatus> from = DeliveryStatus.movingTo(status);
    if (from.isEmpty() || heldByNoMessage(idempotencyKey)) {
      return false;
    }
    List<Object> params = new ArrayList<>();
    params.add(status.name());
    params.add(Jdbc.varchar(providerMessageId));
    params.add(when);
    params.add(tenant.value());
    params.add(idempotencyKey);
    from.forEach(s -> params.add(s.name()));
    // One conditional statement, not a read and a write: the row lock orders it after any
    // concurrent mark, which it then re-checks, so a late UNKNOWN can never overwrite a SENT. Not
    // SAFE to repeat after a lost connection: a repeat of an applied move is refused and would
    // answer false for a move that happened.
    return jdbc.withConnection(
            "marking the outcome of " + idempotencyKey,
            c ->
                Jdbc.update(
                    c,
                    "UPDATE "
                        + TABLE
                        + " SET status = ?, provider_message_id = ?, updated_at = ?"
                        + " WHERE tenant_id = ? AND idempotency_key = ? AND status IN ("
                        + Jdbc.placeholders(from.size())
                        + ")",
                    params.toArray()))
        > 0;
  }

  @Override
  public Optional<DeliveryRecord> find(TenantId tenant, String idempotencyKey) {
    Check.notNull(tenant, "tenant");
    Check.notNull(idempotencyKey, "idempotencyKey");
    if (heldByNoMessage(idempotencyKey)) {
      return Optional.empty();
    }
    return findWhere(
        "tenant_id = ? AND idempotency_key = ?",
        "idempotency key " + idempotencyKey,
        tenant.value(),
        idempotencyKey);
  }

  /**
   * {@link #findAll} on PostgreSQL, the keys as an array then the tenant: each key is looked up by
   * itself ({@code LIMIT 1} keeps the lateral subquery from being flattened into a join), an
   * equality on the whole primary key, which PostgreSQL plans through it whatever the statistics.
   * An {@code IN} list of keys, once the driver server-prepares it and PostgreSQL takes a generic
   * plan, read the table through another index while it had an empty table's statistics (532 buffer
   * hits for 16 keys in the journey drain, pg5); a join to the unnested keys scans the tenant.
   */
  static final String FIND_ALL_SQL =
      "SELECT d.* FROM unnest(?::varchar[]) AS k(idempotency_key) CROSS JOIN LATERAL (SELECT "
          + COLUMNS
          + " FROM "
          + TABLE
          + " WHERE tenant_id = ? AND idempotency_key = k.idempotency_key LIMIT 1) d";

  /**
   * True for a key no {@link Message} may hold, so no record has: PostgreSQL would refuse a NUL in
   * it and read half a surrogate pair as '?', finding the record of another key.
   */
  private static boolean heldByNoMessage(String key) {
    return StoreLimits.textProblem(key, StoreLimits.MAX_ID_LENGTH) != null;
  }

  /** One SELECT per tenant: on PostgreSQL over all the keys, on H2 per {@value #CHUNK} keys. */
  @Override
  public Map<String, DeliveryRecord> findAll(TenantId tenant, Collection<String> idempotencyKeys) {
    Check.notNull(tenant, "tenant");
    Check.notNull(idempotencyKeys, "idempotencyKeys");
    List<String> keys = new ArrayList<>(new LinkedHashSet<>(idempotencyKeys));
    for (String k : keys) {
      Check.notNull(k, "idempotencyKey");
    }
    keys.removeIf(JdbcDeliveryLedger::heldByNoMessage);
    Map<String, DeliveryRecord> found = new LinkedHashMap<>();
    if (keys.isEmpty()) {
      return found;
    }
    List<DeliveryRecord> rows =
        jdbc.withConnection(
            "finding the delivery records of " + keys.size() + " idempotency keys",
            Jdbc.Repeat.SAFE,
            c ->
                jdbc.dialect() == JdbcDialect.POSTGRESQL
                    ? Jdbc.query(
                        c,
                        FIND_ALL_SQL,
                        JdbcDeliveryLedger::map,
                        c.createArrayOf("varchar", keys.toArray()),
                        tenant.value())
                    : Jdbc.queryIn(
                        c,
                        "SELECT "
                            + COLUMNS
                            + " FROM "
                            + TABLE
                            + " WHERE tenant_id = ? AND idempotency_key",
                        "",
                        tenant.value(),
                        keys,
                        CHUNK,
                        JdbcDeliveryLedger::map));
    Map<String, DeliveryRecord> byKey = new HashMap<>();
    for (DeliveryRecord r : rows) {
      byKey.put(r.idempotencyKey(), r);
    }
    for (String k : keys) {
      DeliveryRecord r = byKey.get(k);
      if (r != null) {
        found.put(k, r);
      }
    }
    return found;
  }

  /**
   * One multi-row INSERT per {@value #CHUNK} messages, all in one transaction, committed (durable)
   * before it returns. PostgreSQL skips the rows whose key or message id is taken ({@code ON
   * CONFLICT DO NOTHING}) and returns the ids it inserted; H2 inserts all or, on a unique
   * violation, nothing. A message not inserted so (its key taken, perhaps by its own RETRYING
   * record, or a repeat of an earlier key or id in the list) then gets {@link #recordIntent} alone,
   * which decides it exactly: the plain batch of new messages costs one statement per chunk.
   */
  @Override
  public Set<MessageId> recordIntents(List<Message> messages, Instant at) {
    Check.notNull(messages, "messages");
    long when = EpochNanos.of(at, "at");
    for (Message m : messages) {
      Check.notNull(m, "message");
    }
    if (UnitOfWork.joining(jdbc.dataSource()).isPresent()) {
      // rb2: inside a unit each intent is made durable alone, as recordIntent makes it there
      Set<MessageId> written = new LinkedHashSet<>();
      for (Message m : messages) {
        if (!written.contains(m.id()) && recordIntent(m, at)) {
          written.add(m.id());
        }
      }
      return written;
    }
    // the first message of each key and id goes in the set-based insert; repeats after it
    List<Message> first = new ArrayList<>(messages.size());
    Set<Message> isFirst = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Set<List<String>> keys = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (Message m : messages) {
      boolean newKey = keys.add(List.of(m.tenant().value(), m.idempotencyKey()));
      boolean newId = ids.add(m.id().value());
      if (newKey && newId) {
        first.add(m);
        isFirst.add(m);
      }
    }
    // in key order: two batches inserting overlapping keys wait for each other in one order
    first.sort(
        java.util.Comparator.comparing((Message m) -> m.tenant().value())
            .thenComparing(Message::idempotencyKey));
    // every chunk in one transaction: a failure leaves none of them written, so the caller's
    // clean-up (giving back reservations) never leaves an intent it did not know of
    Set<MessageId> inserted =
        first.isEmpty()
            ? Set.of()
            : jdbc.inTransaction(
                "recording the intents to send " + first.size() + " messages",
                c -> {
                  Set<MessageId> done = new HashSet<>();
                  for (int from = 0; from < first.size(); from += CHUNK) {
                    done.addAll(
                        insertAll(
                            c, first.subList(from, Math.min(first.size(), from + CHUNK)), when));
                  }
                  return done;
                });
    Set<MessageId> written = new LinkedHashSet<>();
    for (Message m : messages) {
      if (isFirst.contains(m) && inserted.contains(m.id())) {
        written.add(m.id());
      } else if (!written.contains(m.id()) && recordIntent(m, at)) {
        written.add(m.id());
      }
    }
    return written;
  }

  /**
   * One multi-row INSERT of the intents of messages with distinct keys and ids, on the caller's
   * transaction; those inserted. On H2 a unique violation undoes the statement alone (the
   * transaction stays usable) and none of the chunk counts as inserted.
   */
  private Set<MessageId> insertAll(java.sql.Connection c, List<Message> chunk, long when)
      throws SQLException {
    StringBuilder sql = new StringBuilder("INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES ");
    Object[] params = new Object[chunk.size() * COLUMN_NAMES.length];
    int p = 0;
    for (int i = 0; i < chunk.size(); i++) {
      Message m = chunk.get(i);
      sql.append(i == 0 ? "(" : ", (").append(Jdbc.placeholders(COLUMN_NAMES.length)).append(')');
      params[p++] = m.tenant().value();
      params[p++] = m.idempotencyKey();
      params[p++] = m.id().value();
      params[p++] = m.account().value();
      params[p++] = m.contact().value();
      params[p++] = DeliveryStatus.SENDING.name();
      params[p++] = Jdbc.TypedNull.VARCHAR;
      params[p++] = when;
      params[p++] = when;
    }
    Set<MessageId> ids = new HashSet<>();
    if (jdbc.dialect() == JdbcDialect.POSTGRESQL) {
      sql.append(" ON CONFLICT DO NOTHING RETURNING message_id");
      Jdbc.query(c, sql.toString(), rs -> ids.add(MessageId.of(rs.getString(1))), params);
      return ids;
    }
    try {
      Jdbc.update(c, sql.toString(), params);
    } catch (SQLException e) {
      if (!JdbcDialect.UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
      // one row's key or id is taken: the statement wrote nothing; each goes alone after
      return ids;
    }
    for (Message m : chunk) {
      ids.add(m.id());
    }
    return ids;
  }

  /**
   * One UPDATE per tenant, outcome and {@value #CHUNK} records, each conditional on the record's
   * status as {@link #markOutcome}'s is; PostgreSQL answers the keys moved with {@code RETURNING},
   * H2 through its data change delta table ({@code FINAL TABLE}). A list that names a key twice is
   * marked one by one, in order.
   */
  @Override
  public List<OutcomeMark> markOutcomes(List<OutcomeMark> marks) {
    Check.notNull(marks, "marks");
    Set<List<String>> seen = new HashSet<>();
    boolean repeats = false;
    for (OutcomeMark m : marks) {
      Check.notNull(m, "mark");
      Check.id(m.idempotencyKey(), "idempotencyKey");
      Check.optionalText(m.providerMessageId().orElse(null), "providerMessageId", MAX_PROVIDER_ID);
      EpochNanos.of(m.at(), "at");
      repeats |= !seen.add(List.of(m.tenant().value(), m.idempotencyKey()));
    }
    if (repeats) {
      return DeliveryLedger.super.markOutcomes(marks);
    }
    Map<List<Object>, List<OutcomeMark>> groups = new LinkedHashMap<>();
    for (OutcomeMark m : marks) {
      if (!DeliveryStatus.movingTo(m.status()).isEmpty() && !heldByNoMessage(m.idempotencyKey())) {
        groups.computeIfAbsent(List.of(m.tenant(), m.status()), g -> new ArrayList<>()).add(m);
      }
    }
    Set<List<String>> moved = new HashSet<>();
    for (List<OutcomeMark> group : groups.values()) {
      for (int from = 0; from < group.size(); from += CHUNK) {
        List<OutcomeMark> chunk = group.subList(from, Math.min(group.size(), from + CHUNK));
        for (String key : markChunk(chunk)) {
          moved.add(List.of(chunk.get(0).tenant().value(), key));
        }
      }
    }
    List<OutcomeMark> out = new ArrayList<>();
    for (OutcomeMark m : marks) {
      if (moved.contains(List.of(m.tenant().value(), m.idempotencyKey()))) {
        out.add(m);
      }
    }
    return out;
  }

  /** One conditional UPDATE of marks of one tenant and outcome; the keys it moved. */
  private List<String> markChunk(List<OutcomeMark> chunk) {
    OutcomeMark head = chunk.get(0);
    Set<DeliveryStatus> from = DeliveryStatus.movingTo(head.status());
    StringBuilder provider = new StringBuilder("CASE idempotency_key");
    StringBuilder updated = new StringBuilder("CASE idempotency_key");
    List<Object> params = new ArrayList<>();
    params.add(head.status().name());
    for (OutcomeMark m : chunk) {
      provider.append(" WHEN ? THEN CAST(? AS VARCHAR(" + MAX_PROVIDER_ID + "))");
      params.add(m.idempotencyKey());
      params.add(Jdbc.varchar(m.providerMessageId().orElse(null)));
    }
    for (OutcomeMark m : chunk) {
      updated.append(" WHEN ? THEN CAST(? AS BIGINT)");
      params.add(m.idempotencyKey());
      params.add(EpochNanos.of(m.at(), "at"));
    }
    provider.append(" END");
    updated.append(" END");
    params.add(head.tenant().value());
    for (OutcomeMark m : chunk) {
      params.add(m.idempotencyKey());
    }
    from.forEach(s -> params.add(s.name()));
    String update =
        "UPDATE "
            + TABLE
            + " SET status = ?, provider_message_id = "
            + provider
            + ", updated_at = "
            + updated
            + " WHERE tenant_id = ? AND idempotency_key IN ("
            + Jdbc.placeholders(chunk.size())
            + ") AND status IN ("
            + Jdbc.placeholders(from.size())
            + ")";
    String sql =
        jdbc.dialect() == JdbcDialect.POSTGRESQL
            ? update + " RETURNING idempotency_key"
            : "SELECT idempotency_key FROM FINAL TABLE (" + update + ")";
    // Not SAFE to repeat after a lost connection, as markOutcome: a repeat answers false
    return jdbc.withConnection(
        "marking the outcomes of " + chunk.size() + " sends",
        c -> Jdbc.query(c, sql, rs -> rs.getString(1), params.toArray()));
  }

  /** In one {@link UnitOfWork} over this ledger's data source. */
  @Override
  public <T> T together(Supplier<T> work) {
    Objects.requireNonNull(work, "work");
    return UnitOfWork.run(jdbc.dataSource(), work);
  }

  @Override
  public Optional<DeliveryRecord> findByMessage(MessageId messageId) {
    Check.notNull(messageId, "messageId");
    return findWhere("message_id = ?", "message id " + messageId, messageId.value());
  }

  @Override
  public List<DeliveryRecord> unsettled(Instant olderThan, int max) {
    Check.notNull(olderThan, "olderThan");
    if (max <= 0) {
      return List.of();
    }
    long before = EpochNanos.bound(olderThan, "olderThan");
    return jdbc.withConnection(
        "listing unsettled delivery records",
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.query(
                c,
                unsettledSql(EpochNanos.before(olderThan)),
                JdbcDeliveryLedger::map,
                DeliveryStatus.SENDING.name(),
                DeliveryStatus.UNKNOWN.name(),
                before,
                max));
  }

  @Override
  public List<DeliveryRecord> withStatus(DeliveryStatus status, Instant olderThan, int max) {
    Check.notNull(status, "status");
    Check.notNull(olderThan, "olderThan");
    if (max <= 0) {
      return List.of();
    }
    long before = EpochNanos.bound(olderThan, "olderThan");
    return jdbc.withConnection(
        "listing delivery records in status " + status,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.query(
                c,
                "SELECT "
                    + COLUMNS
                    + " FROM "
                    + TABLE
                    + " WHERE status = ? AND updated_at "
                    + EpochNanos.before(olderThan)
                    + " ? ORDER BY updated_at, tenant_id, idempotency_key LIMIT ?",
                JdbcDeliveryLedger::map,
                status.name(),
                before,
                max));
  }

  @Override
  public List<DeliveryRecord> forAccount(
      TenantId tenant, AccountId account, Instant from, Instant to, int max) {
    Check.notNull(tenant, "tenant");
    Check.notNull(account, "account");
    Check.notNull(from, "from");
    Check.notNull(to, "to");
    if (max <= 0) {
      return List.of();
    }
    long lower = EpochNanos.bound(from, "from");
    long upper = EpochNanos.bound(to, "to");
    // a bound beyond the storable range is clamped onto the last storable instant, which a record
    // may hold: then the exclusive 'to' includes it, and a 'from' after it excludes it
    String below = EpochNanos.before(to);
    String atOrAfter = EpochNanos.atOrAfter(from);
    return jdbc.withConnection(
        "listing the delivery records of account " + account,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.query(
                c,
                "SELECT "
                    + COLUMNS
                    + " FROM "
                    + TABLE
                    + " WHERE tenant_id = ? AND account_id = ? AND created_at "
                    + atOrAfter
                    + " ? AND created_at "
                    + below
                    + " ? ORDER BY created_at, idempotency_key LIMIT ?",
                JdbcDeliveryLedger::map,
                tenant.value(),
                account.value(),
                lower,
                upper,
                max));
  }

  @Override
  public int purgeSettledBefore(Instant cutoff, int max) {
    Check.notNull(cutoff, "cutoff");
    if (max <= 0) {
      return 0;
    }
    long before = EpochNanos.bound(cutoff, "cutoff");
    String sent = DeliveryStatus.SENT.name();
    String failed = DeliveryStatus.FAILED.name();
    // one statement: SAFE to repeat, since a repeat deletes only what is still settled and old
    return jdbc.withConnection(
        "purging delivery records settled before " + cutoff,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.update(
                c,
                purgeSql(EpochNanos.before(cutoff)),
                sent,
                failed,
                before,
                max,
                sent,
                failed,
                before));
  }

  @Override
  public int eraseContact(TenantId tenant, ContactId contact) {
    Check.notNull(tenant, "tenant");
    Check.notNull(contact, "contact");
    return jdbc.withConnection(
        "erasing the delivery records of contact " + contact,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.update(
                c,
                "DELETE FROM " + TABLE + " WHERE tenant_id = ? AND contact_id = ?",
                tenant.value(),
                contact.value()));
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    Check.notNull(tenant, "tenant");
    return jdbc.withConnection(
        "erasing the delivery records of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE tenant_id = ?", tenant.value()));
  }

  private static DeliveryRecord map(ResultSet rs) throws SQLException {
    return new DeliveryRecord(
        TenantId.of(rs.getString("tenant_id")),
        rs.getString("idempotency_key"),
        MessageId.of(rs.getString("message_id")),
        AccountId.of(rs.getString("account_id")),
        ContactId.of(rs.getString("contact_id")),
        DeliveryStatus.valueOf(rs.getString("status")),
        Optional.ofNullable(rs.getString("provider_message_id")),
        EpochNanos.toInstant(rs.getLong("created_at")),
        EpochNanos.toInstant(rs.getLong("updated_at")));
  }

  private Optional<DeliveryRecord> findWhere(String where, String what, Object... params) {
    return jdbc.withConnection(
        "finding the delivery record with " + what,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.queryOne(
                c,
                "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE " + where,
                JdbcDeliveryLedger::map,
                params));
  }
}
