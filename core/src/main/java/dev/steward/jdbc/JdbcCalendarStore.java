package dev.steward.jdbc;

import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CalendarStore;
import dev.steward.calendar.CalendarStore.Checks;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link CalendarStore} in a database table ({@code steward_calendar_entry}, schema version 8),
 * keyed by tenant and entry id, and indexed by tenant, account and time and by tenant, contact and
 * time for the range queries the conflict rules make.
 */
public final class JdbcCalendarStore implements CalendarStore {
  private static final String TABLE = "steward_calendar_entry";
  private static final String LOCKS = "steward_calendar_lock";
  private static final String[] KEY = {"tenant_id", "entry_id"};
  private static final String[] COLUMNS = {
    "tenant_id",
    "entry_id",
    "entry_type",
    "status",
    "account_id",
    "contact_id",
    "team",
    "kind",
    "category",
    "channel",
    "campaign",
    "occurs_at"
  };
  private static final String SELECT = "SELECT " + String.join(", ", COLUMNS) + " FROM " + TABLE;

  private final Jdbc jdbc;

  private JdbcCalendarStore(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  /** A store over the tables in {@code dataSource}'s database. */
  public static JdbcCalendarStore create(DataSource dataSource) {
    return new JdbcCalendarStore(dataSource);
  }

  @Override
  public void put(CalendarEntry entry) {
    // the entry's own constructor made every field storable; the checks are shared with memory
    Checks.notNull(entry, "entry");
    long at = EpochNanos.of(entry.at(), "calendar entry at");
    jdbc.withConnection(
        "storing calendar entry " + entry.id() + " of tenant " + entry.tenant(),
        c -> {
          jdbc.dialect()
              .upsert(
                  c,
                  TABLE,
                  KEY,
                  COLUMNS,
                  entry.tenant().value(),
                  entry.id(),
                  entry.type().name(),
                  entry.status().name(),
                  entry.account().value(),
                  Jdbc.varchar(entry.contact() == null ? null : entry.contact().value()),
                  Jdbc.varchar(entry.team()),
                  Jdbc.varchar(entry.kind() == null ? null : entry.kind().name()),
                  Jdbc.varchar(entry.category()),
                  Jdbc.varchar(entry.channel() == null ? null : entry.channel().name()),
                  Jdbc.varchar(entry.campaign()),
                  at);
          return null;
        });
  }

  @Override
  public Optional<CalendarEntry> find(TenantId tenant, String id) {
    Checks.notNull(tenant, "tenant");
    Checks.id(id);
    return jdbc.withConnection(
        "finding calendar entry " + id + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> find(c, tenant, id));
  }

  @Override
  public List<CalendarEntry> forAccount(
      TenantId tenant, AccountId account, Instant from, Instant to) {
    Checks.notNull(tenant, "tenant");
    Checks.notNull(account, "account");
    Checks.range(from, to);
    return jdbc.withConnection(
        "reading the calendar of account " + account + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> range(c, tenant, "account_id", account.value(), from, to));
  }

  @Override
  public List<CalendarEntry> forContact(
      TenantId tenant, ContactId contact, Instant from, Instant to) {
    Checks.notNull(tenant, "tenant");
    Checks.notNull(contact, "contact");
    Checks.range(from, to);
    return jdbc.withConnection(
        "reading the calendar of contact " + contact + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> range(c, tenant, "contact_id", contact.value(), from, to));
  }

  @Override
  public int eraseContact(TenantId tenant, ContactId contact) {
    Checks.notNull(tenant, "tenant");
    Checks.notNull(contact, "contact");
    // one transaction, so that a retry after a lost connection repeats both deletes, which is safe
    return jdbc.inTransaction(
        "erasing the calendar of contact " + contact + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          int n =
              Jdbc.update(
                  c,
                  "DELETE FROM " + TABLE + " WHERE tenant_id = ? AND contact_id = ?",
                  tenant.value(),
                  contact.value());
          Jdbc.update(
              c,
              "DELETE FROM " + LOCKS + " WHERE tenant_id = ? AND scope = ?",
              tenant.value(),
              contactScope(contact));
          return n;
        });
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    Checks.notNull(tenant, "tenant");
    return jdbc.inTransaction(
        "erasing the calendar of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          int n = Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE tenant_id = ?", tenant.value());
          Jdbc.update(c, "DELETE FROM " + LOCKS + " WHERE tenant_id = ?", tenant.value());
          return n;
        });
  }

  /** The lock scope of an account: prefixed, so an account and a contact never share one. */
  static String accountScope(AccountId account) {
    return "a:" + account.value();
  }

  /** The lock scope of a contact. */
  static String contactScope(ContactId contact) {
    return "c:" + contact.value();
  }

  private static Optional<CalendarEntry> find(Connection c, TenantId tenant, String id)
      throws SQLException {
    return Jdbc.queryOne(
        c,
        SELECT + " WHERE tenant_id = ? AND entry_id = ?",
        JdbcCalendarStore::map,
        tenant.value(),
        id);
  }

  private static List<CalendarEntry> range(
      Connection c, TenantId tenant, String column, String value, Instant from, Instant to)
      throws SQLException {
    long lo = EpochNanos.bound(from, "from");
    long hi = EpochNanos.bound(to, "to");
    if (lo >= hi) {
      return List.of();
    }
    return Jdbc.query(
        c,
        SELECT
            + " WHERE tenant_id = ? AND "
            + column
            + " = ? AND occurs_at >= ? AND occurs_at < ? ORDER BY occurs_at, entry_id",
        JdbcCalendarStore::map,
        tenant.value(),
        value,
        lo,
        hi);
  }

  private static CalendarEntry map(ResultSet rs) throws SQLException {
    String contact = rs.getString("contact_id");
    String kind = rs.getString("kind");
    String channel = rs.getString("channel");
    return new CalendarEntry(
        TenantId.of(rs.getString("tenant_id")),
        rs.getString("entry_id"),
        CalendarEntry.Type.valueOf(rs.getString("entry_type")),
        CalendarEntry.Status.valueOf(rs.getString("status")),
        AccountId.of(rs.getString("account_id")),
        contact == null ? null : ContactId.of(contact),
        rs.getString("team"),
        kind == null ? null : MessageKind.valueOf(kind),
        rs.getString("category"),
        channel == null ? null : Channel.valueOf(channel),
        rs.getString("campaign"),
        EpochNanos.toInstant(rs.getLong("occurs_at")));
  }
}
