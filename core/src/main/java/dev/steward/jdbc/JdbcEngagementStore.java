package dev.steward.jdbc;

import dev.steward.health.EngagementEvent;
import dev.steward.health.EngagementKind;
import dev.steward.health.EngagementStore;
import dev.steward.health.InvalidHealthInputException;
import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;

/**
 * An {@link EngagementStore} in a database table ({@code steward_engagement_event}, schema version
 * 9) keyed by tenant, account and event id, so that recording is idempotent across instances and a
 * window is a range scan of the (tenant, account, time) index. A batch is recorded in one
 * transaction, its rows inserted in key order so that two instances recording overlapping batches
 * wait for each other instead of deadlocking.
 */
public final class JdbcEngagementStore implements EngagementStore {
  private static final String TABLE = "steward_engagement_event";
  private static final String[] KEY = {"tenant_id", "account_id", "event_id"};
  private static final String[] COLUMNS = {
    "tenant_id", "account_id", "event_id", "kind", "occurred_at", "message_id", "reply_text"
  };
  private static final Comparator<EngagementEvent> KEY_ORDER =
      Comparator.comparing((EngagementEvent e) -> e.tenant().value())
          .thenComparing(e -> e.account().value())
          .thenComparing(EngagementEvent::eventId);

  private final Jdbc jdbc;

  JdbcEngagementStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A store over the tables in {@code dataSource}'s database. */
  public static JdbcEngagementStore of(DataSource dataSource) {
    return new JdbcEngagementStore(new Jdbc(dataSource));
  }

  /**
   * {@inheritDoc} Re-run whole after a transient error, even one that hid whether the commit
   * happened: recording is idempotent, so the events are then stored once, though the count may not
   * include those the lost commit stored.
   */
  @Override
  public int record(Collection<EngagementEvent> events) {
    InvalidHealthInputException.requireNonNull(events, "engagement events");
    List<EngagementEvent> sorted = new ArrayList<>(events.size());
    for (EngagementEvent e : events) {
      sorted.add(InvalidHealthInputException.requireNonNull(e, "engagement event"));
    }
    if (sorted.isEmpty()) {
      return 0;
    }
    sorted.sort(KEY_ORDER);
    return jdbc.inTransaction(
        "recording " + sorted.size() + " engagement events",
        Jdbc.Repeat.SAFE,
        c -> {
          int added = 0;
          for (EngagementEvent e : sorted) {
            boolean inserted =
                jdbc.dialect()
                    .insertIfAbsent(
                        c,
                        TABLE,
                        KEY,
                        COLUMNS,
                        e.tenant().value(),
                        e.account().value(),
                        e.eventId(),
                        e.kind().name(),
                        EpochNanos.of(e.at(), "engagement event " + e.eventId() + " at"),
                        Jdbc.varchar(e.messageId().orElse(null)),
                        Jdbc.varchar(e.text().orElse(null)));
            if (inserted) {
              added++;
            }
          }
          return added;
        });
  }

  @Override
  public List<EngagementEvent> events(
      TenantId tenant, AccountId account, Instant after, Instant upTo) {
    checkKey(tenant, account);
    InvalidHealthInputException.requireNonNull(after, "after");
    InvalidHealthInputException.requireNonNull(upTo, "upTo");
    if (!after.isBefore(upTo) || upTo.isBefore(EpochNanos.MIN)) {
      return List.of();
    }
    // after below the storable range: every stored event is after it, the earliest included
    boolean fromStart = after.isBefore(EpochNanos.MIN);
    long lo = EpochNanos.bound(after, "after");
    long hi = EpochNanos.bound(upTo, "upTo");
    return jdbc.withConnection(
        "reading the engagement of " + account + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.query(
                c,
                "SELECT "
                    + String.join(", ", COLUMNS)
                    + " FROM "
                    + TABLE
                    + " WHERE tenant_id = ? AND account_id = ? AND "
                    + (fromStart ? "occurred_at >= ?" : "occurred_at > ?")
                    + " AND occurred_at <= ? ORDER BY occurred_at, event_id",
                JdbcEngagementStore::map,
                tenant.value(),
                account.value(),
                lo,
                hi));
  }

  /**
   * One DELETE of a batch, oldest first through the occurred_at index; the outer condition is
   * checked again on each row as it is deleted.
   */
  @Override
  public int purgeBefore(Instant cutoff, int max) {
    InvalidHealthInputException.requireNonNull(cutoff, "cutoff");
    if (max < 0) {
      throw new InvalidHealthInputException("max must not be negative, got " + max);
    }
    if (max == 0 || !cutoff.isAfter(EpochNanos.MIN)) {
      return 0;
    }
    long bound = EpochNanos.bound(cutoff, "cutoff");
    return jdbc.withConnection(
        "purging engagement events before " + cutoff,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.update(
                c,
                "DELETE FROM "
                    + TABLE
                    + " WHERE (tenant_id, account_id, event_id) IN (SELECT tenant_id, account_id,"
                    + " event_id FROM "
                    + TABLE
                    + " WHERE occurred_at "
                    + EpochNanos.before(cutoff)
                    + " ? ORDER BY occurred_at LIMIT ?) AND occurred_at "
                    + EpochNanos.before(cutoff)
                    + " ?",
                bound,
                max,
                bound));
  }

  @Override
  public boolean erase(TenantId tenant, AccountId account) {
    checkKey(tenant, account);
    return jdbc.withConnection(
            "erasing the engagement of " + account + " of tenant " + tenant,
            c ->
                Jdbc.update(
                    c,
                    "DELETE FROM " + TABLE + " WHERE tenant_id = ? AND account_id = ?",
                    tenant.value(),
                    account.value()))
        > 0;
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    InvalidHealthInputException.requireNonNull(tenant, "tenant");
    return jdbc.withConnection(
        "erasing the engagement of tenant " + tenant,
        c -> Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE tenant_id = ?", tenant.value()));
  }

  private static void checkKey(TenantId tenant, AccountId account) {
    InvalidHealthInputException.requireNonNull(tenant, "tenant");
    InvalidHealthInputException.requireNonNull(account, "account");
  }

  private static EngagementEvent map(ResultSet rs) throws SQLException {
    return EngagementEvent.of(
        TenantId.of(rs.getString("tenant_id")),
        AccountId.of(rs.getString("account_id")),
        rs.getString("event_id"),
        EngagementKind.valueOf(rs.getString("kind")),
        EpochNanos.toInstant(rs.getLong("occurred_at")),
        rs.getString("message_id"),
        rs.getString("reply_text"));
  }
}
