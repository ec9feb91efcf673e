package dev.steward.jdbc;

import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CalendarStore;
import dev.steward.calendar.CalendarStore.Checks;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link CalendarStore} in a database table ({@code steward_calendar_entry}), indexed by account
 * and time and by contact and time for the range queries the frequency gate makes.
 */
public final class JdbcCalendarStore implements CalendarStore {
  private static final String TABLE = "steward_calendar_entry";
  private static final String[] KEY = {"entry_id"};
  private static final String[] COLUMNS = {
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
        "storing calendar entry " + entry.id(),
        c -> {
          jdbc.dialect()
              .upsert(
                  c,
                  TABLE,
                  KEY,
                  COLUMNS,
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
  public Optional<CalendarEntry> find(String id) {
    Checks.id(id);
    return jdbc.withConnection(
        "finding calendar entry " + id,
        c -> Jdbc.queryOne(c, SELECT + " WHERE entry_id = ?", JdbcCalendarStore::map, id));
  }

  @Override
  public List<CalendarEntry> forAccount(AccountId account, Instant from, Instant to) {
    Checks.notNull(account, "account");
    Checks.range(from, to);
    return range("account_id", account.value(), from, to);
  }

  @Override
  public List<CalendarEntry> forContact(ContactId contact, Instant from, Instant to) {
    Checks.notNull(contact, "contact");
    Checks.range(from, to);
    return range("contact_id", contact.value(), from, to);
  }

  @Override
  public int eraseContact(ContactId contact) {
    Checks.notNull(contact, "contact");
    return jdbc.withConnection(
        "erasing the calendar of " + contact,
        c -> Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE contact_id = ?", contact.value()));
  }

  private List<CalendarEntry> range(String column, String value, Instant from, Instant to) {
    long lo = EpochNanos.bound(from, "from");
    long hi = EpochNanos.bound(to, "to");
    if (lo >= hi) {
      return List.of();
    }
    return jdbc.withConnection(
        "reading the calendar of " + value,
        c ->
            Jdbc.query(
                c,
                SELECT
                    + " WHERE "
                    + column
                    + " = ? AND occurs_at >= ? AND occurs_at < ? ORDER BY occurs_at, entry_id",
                JdbcCalendarStore::map,
                value,
                lo,
                hi));
  }

  private static CalendarEntry map(ResultSet rs) throws SQLException {
    String contact = rs.getString("contact_id");
    String kind = rs.getString("kind");
    String channel = rs.getString("channel");
    return new CalendarEntry(
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
