package dev.steward.jdbc;

import dev.steward.journey.ContactEvent;
import dev.steward.journey.InvalidJourneyException;
import dev.steward.journey.SegmentMembership;
import dev.steward.journey.TriggerStore;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link TriggerStore} in database tables ({@code steward_journey_segment} and {@code
 * steward_journey_contact_event}, schema version 21), shared by the journey triggers of several
 * application instances. A membership changes by an {@code UPDATE ... WHERE in_segment = ? AND
 * generation = ?} (or an insert that does nothing if the row exists): of two instances deciding the
 * same entry, one applies and the other learns it lost. An event is an insert that does nothing if
 * its id is kept already.
 */
public final class JdbcTriggerStore implements TriggerStore {
  private static final String SEGMENTS = "steward_journey_segment";
  private static final String EVENTS = "steward_journey_contact_event";
  private static final String[] SEGMENT_KEY = {"tenant_id", "contact_id", "journey_id"};
  private static final String[] SEGMENT_COLUMNS = {
    "tenant_id", "contact_id", "journey_id", "in_segment", "generation", "updated_at"
  };
  private static final String[] EVENT_KEY = {"tenant_id", "event_id"};
  private static final String[] EVENT_COLUMNS = {
    "tenant_id", "event_id", "contact_id", "name", "at"
  };
  private static final String SEGMENT_SELECT =
      "SELECT tenant_id, contact_id, journey_id, in_segment, generation, updated_at FROM "
          + SEGMENTS;

  private final Jdbc jdbc;

  JdbcTriggerStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A store over a data source whose schema {@link StewardSchema#bootstrap} has applied. */
  public static JdbcTriggerStore of(DataSource dataSource) {
    return new JdbcTriggerStore(new Jdbc(dataSource));
  }

  @Override
  public Optional<SegmentMembership> membership(
      TenantId tenant, ContactId contact, String journey) {
    check(tenant, contact);
    InvalidJourneyException.requireNonNull(journey, "journey");
    return jdbc.withConnection(
        "reading a segment membership of a contact of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.queryOne(
                c,
                SEGMENT_SELECT + " WHERE tenant_id = ? AND contact_id = ? AND journey_id = ?",
                JdbcTriggerStore::membership,
                tenant.value(),
                contact.value(),
                journey));
  }

  @Override
  public boolean replaceMembership(Optional<SegmentMembership> expected, SegmentMembership next) {
    InvalidJourneyException.requireNonNull(next, "membership");
    InvalidJourneyException.requireNonNull(expected, "expected membership");
    if (expected.isPresent()
        && !(expected.get().tenant().equals(next.tenant())
            && expected.get().contact().equals(next.contact())
            && expected.get().journey().equals(next.journey()))) {
      throw new InvalidJourneyException(
          "the expected membership names another contact or journey than " + next);
    }
    long at = EpochNanos.of(next.updatedAt(), "update time of a segment membership");
    String what = "changing a segment membership of a contact of tenant " + next.tenant();
    if (expected.isEmpty()) {
      return jdbc.withConnection(
          what,
          Jdbc.Repeat.ONLY_IF_UNDONE,
          c ->
              jdbc.dialect()
                  .insertIfAbsent(
                      c,
                      SEGMENTS,
                      SEGMENT_KEY,
                      SEGMENT_COLUMNS,
                      next.tenant().value(),
                      next.contact().value(),
                      next.journey(),
                      next.member(),
                      next.generation(),
                      at));
    }
    return jdbc.withConnection(
            what,
            Jdbc.Repeat.ONLY_IF_UNDONE,
            c ->
                Jdbc.update(
                    c,
                    "UPDATE "
                        + SEGMENTS
                        + " SET in_segment = ?, generation = ?, updated_at = ?"
                        + " WHERE tenant_id = ? AND contact_id = ? AND journey_id = ?"
                        + " AND in_segment = ? AND generation = ?",
                    next.member(),
                    next.generation(),
                    at,
                    next.tenant().value(),
                    next.contact().value(),
                    next.journey(),
                    expected.get().member(),
                    expected.get().generation()))
        == 1;
  }

  @Override
  public List<SegmentMembership> memberships(Optional<SegmentMembership> after, int max) {
    if (max < 1) {
      throw new InvalidJourneyException("a page holds at least 1, was " + max);
    }
    InvalidJourneyException.requireNonNull(after, "after");
    String order = " ORDER BY tenant_id, contact_id, journey_id LIMIT " + max;
    return jdbc.withConnection(
        "reading a page of segment memberships",
        Jdbc.Repeat.SAFE,
        c -> {
          if (after.isEmpty()) {
            return Jdbc.query(c, SEGMENT_SELECT + order, JdbcTriggerStore::membership);
          }
          SegmentMembership a = after.get();
          return Jdbc.query(
              c,
              SEGMENT_SELECT
                  + " WHERE tenant_id > ? OR (tenant_id = ? AND (contact_id > ?"
                  + " OR (contact_id = ? AND journey_id > ?)))"
                  + order,
              JdbcTriggerStore::membership,
              a.tenant().value(),
              a.tenant().value(),
              a.contact().value(),
              a.contact().value(),
              a.journey());
        });
  }

  @Override
  public boolean recordEvent(ContactEvent event) {
    InvalidJourneyException.requireNonNull(event, "event");
    long at = EpochNanos.of(event.at(), "time of event " + event.id());
    return jdbc.withConnection(
        "keeping an event of a contact of tenant " + event.tenant(),
        Jdbc.Repeat.ONLY_IF_UNDONE,
        c ->
            jdbc.dialect()
                .insertIfAbsent(
                    c,
                    EVENTS,
                    EVENT_KEY,
                    EVENT_COLUMNS,
                    event.tenant().value(),
                    event.id(),
                    event.contact().value(),
                    event.name(),
                    at));
  }

  @Override
  public int countEvents(
      TenantId tenant, ContactId contact, String name, Instant from, Instant until) {
    check(tenant, contact);
    String n = ContactEvent.checkName(name);
    InvalidJourneyException.requireNonNull(from, "from");
    InvalidJourneyException.requireNonNull(until, "until");
    if (until.isBefore(EpochNanos.MIN)) {
      return 0; // clamped, it would be the first storable instant, and count an event there
    }
    // from below the storable range: every stored event is after it, the earliest included
    boolean fromStart = from.isBefore(EpochNanos.MIN);
    long f = EpochNanos.bound(from, "from");
    long u = EpochNanos.bound(until, "until");
    return jdbc.withConnection(
        "counting events of a contact of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.queryOne(
                    c,
                    "SELECT COUNT(*) AS n FROM "
                        + EVENTS
                        + " WHERE tenant_id = ? AND contact_id = ? AND name = ?"
                        + (fromStart ? " AND at >= ?" : " AND at > ?")
                        + " AND at <= ?",
                    rs -> rs.getInt("n"),
                    tenant.value(),
                    contact.value(),
                    n,
                    f,
                    u)
                .orElse(0));
  }

  @Override
  public int purgeEventsBefore(Instant before, int max) {
    long b = EpochNanos.bound(InvalidJourneyException.requireNonNull(before, "before"), "before");
    if (max < 1) {
      throw new InvalidJourneyException("a purge removes at least 1, was " + max);
    }
    return jdbc.inTransaction(
        "purging old contact events",
        c -> {
          List<Object[]> keys =
              Jdbc.query(
                  c,
                  "SELECT tenant_id, event_id FROM "
                      + EVENTS
                      + " WHERE at "
                      + EpochNanos.before(before)
                      + " ? LIMIT "
                      + max,
                  rs -> new Object[] {rs.getString("tenant_id"), rs.getString("event_id")},
                  b);
          if (keys.isEmpty()) {
            return 0;
          }
          List<Object[]> rows = new ArrayList<>();
          for (Object[] k : keys) {
            rows.add(new Object[] {k[0], k[1], b});
          }
          // what this transaction deleted: another instance's purge may have taken some meanwhile
          return Jdbc.batch(
              c,
              "DELETE FROM "
                  + EVENTS
                  + " WHERE tenant_id = ? AND event_id = ? AND at "
                  + EpochNanos.before(before)
                  + " ?",
              rows);
        });
  }

  @Override
  public int eraseContact(TenantId tenant, ContactId contact) {
    check(tenant, contact);
    return jdbc.inTransaction(
        "forgetting the trigger state of a contact of tenant " + tenant,
        c ->
            Jdbc.update(
                    c,
                    "DELETE FROM " + SEGMENTS + " WHERE tenant_id = ? AND contact_id = ?",
                    tenant.value(),
                    contact.value())
                + Jdbc.update(
                    c,
                    "DELETE FROM " + EVENTS + " WHERE tenant_id = ? AND contact_id = ?",
                    tenant.value(),
                    contact.value()));
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    return jdbc.inTransaction(
        "forgetting the trigger state of tenant " + tenant,
        c ->
            Jdbc.update(c, "DELETE FROM " + SEGMENTS + " WHERE tenant_id = ?", tenant.value())
                + Jdbc.update(c, "DELETE FROM " + EVENTS + " WHERE tenant_id = ?", tenant.value()));
  }

  private static void check(TenantId tenant, ContactId contact) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(contact, "contact");
  }

  private static SegmentMembership membership(ResultSet rs) throws SQLException {
    return new SegmentMembership(
        TenantId.of(rs.getString("tenant_id")),
        ContactId.of(rs.getString("contact_id")),
        rs.getString("journey_id"),
        rs.getBoolean("in_segment"),
        rs.getInt("generation"),
        EpochNanos.toInstant(rs.getLong("updated_at")));
  }
}
