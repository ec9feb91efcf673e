package dev.steward.jdbc;

import dev.steward.delivery.DeferredMessage;
import dev.steward.delivery.DeferredQueue;
import dev.steward.model.ContactId;
import dev.steward.model.MessageId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link DeferredQueue} in a database table ({@code steward_deferred_message}), shared by any
 * number of application instances. {@link #claimDue} selects due rows with {@code FOR UPDATE SKIP
 * LOCKED} and writes a lease (owner and end) in the same transaction: two instances never claim one
 * message at once, and a message whose owner crashed is claimed again once its lease is over. The
 * message is kept as a JSON document; the schema comes from {@link StewardSchema#bootstrap}.
 */
public final class JdbcDeferredQueue implements DeferredQueue {
  private static final String TABLE = "steward_deferred_message";
  private static final String COLUMNS = "message_id, due_at, attempts, reason, message";
  private static final String[] KEY = {"message_id"};
  private static final String[] ALL = {
    "message_id",
    "contact_id",
    "due_at",
    "attempts",
    "reason",
    "message",
    "lease_owner",
    "lease_until"
  };

  private final Jdbc jdbc;

  private JdbcDeferredQueue(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  /** A queue over the tables in {@code dataSource}'s database. */
  public static JdbcDeferredQueue create(DataSource dataSource) {
    return new JdbcDeferredQueue(dataSource);
  }

  @Override
  public void defer(DeferredMessage deferred) {
    Check.notNull(deferred, "deferred message");
    String json = MessageJson.write(deferred.message());
    long due = EpochNanos.of(deferred.dueAt(), "dueAt");
    jdbc.withConnection(
        "deferring message " + deferred.message().id(),
        c -> {
          jdbc.dialect()
              .upsert(
                  c,
                  TABLE,
                  KEY,
                  ALL,
                  deferred.message().id().value(),
                  deferred.message().contact().value(),
                  due,
                  deferred.attempts(),
                  deferred.reason(),
                  json,
                  Jdbc.TypedNull.VARCHAR,
                  Jdbc.TypedNull.BIGINT);
          return null;
        });
  }

  @Override
  public List<DeferredMessage> claimDue(Instant now, int max, String owner, Duration lease) {
    Check.notNull(now, "now");
    Check.id(owner, "owner");
    Check.notNull(lease, "lease");
    if (lease.isNegative() || lease.isZero()) {
      throw new InvalidStoreInputException("lease must be positive, was " + lease);
    }
    if (max <= 0) {
      return List.of();
    }
    long at = EpochNanos.bound(now, "now");
    long until = EpochNanos.bound(now.plus(lease), "now + lease");
    return jdbc.inTransaction(
        "claiming due messages",
        c -> {
          // rows another transaction is claiming are skipped, not waited for
          List<DeferredMessage> claimed =
              Jdbc.query(
                  c,
                  "SELECT "
                      + COLUMNS
                      + " FROM "
                      + TABLE
                      + " WHERE due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)"
                      + " ORDER BY due_at, message_id LIMIT ? FOR UPDATE SKIP LOCKED",
                  JdbcDeferredQueue::map,
                  at,
                  at,
                  max);
          for (DeferredMessage d : claimed) {
            Jdbc.update(
                c,
                "UPDATE " + TABLE + " SET lease_owner = ?, lease_until = ? WHERE message_id = ?",
                owner,
                until,
                d.message().id().value());
          }
          return claimed;
        });
  }

  @Override
  public boolean complete(MessageId id) {
    Check.notNull(id, "message id");
    return jdbc.withConnection(
            "completing message " + id,
            c -> Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE message_id = ?", id.value()))
        > 0;
  }

  @Override
  public int cancelContact(ContactId contact) {
    Check.notNull(contact, "contact");
    return jdbc.withConnection(
        "cancelling the messages to " + contact,
        c -> Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE contact_id = ?", contact.value()));
  }

  @Override
  public Optional<DeferredMessage> find(MessageId id) {
    Check.notNull(id, "message id");
    return jdbc.withConnection(
        "finding message " + id,
        c ->
            Jdbc.queryOne(
                c,
                "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE message_id = ?",
                JdbcDeferredQueue::map,
                id.value()));
  }

  @Override
  public List<DeferredMessage> pendingFor(ContactId contact) {
    Check.notNull(contact, "contact");
    return jdbc.withConnection(
        "listing the messages to " + contact,
        c ->
            Jdbc.query(
                c,
                "SELECT "
                    + COLUMNS
                    + " FROM "
                    + TABLE
                    + " WHERE contact_id = ? ORDER BY due_at, message_id",
                JdbcDeferredQueue::map,
                contact.value()));
  }

  @Override
  public int size() {
    return jdbc.withConnection(
        "counting deferred messages",
        c -> Jdbc.queryOne(c, "SELECT COUNT(*) FROM " + TABLE, rs -> rs.getInt(1)).orElse(0));
  }

  private static DeferredMessage map(ResultSet rs) throws SQLException {
    return new DeferredMessage(
        MessageJson.read(rs.getString("message")),
        EpochNanos.toInstant(rs.getLong("due_at")),
        rs.getInt("attempts"),
        rs.getString("reason"));
  }
}
