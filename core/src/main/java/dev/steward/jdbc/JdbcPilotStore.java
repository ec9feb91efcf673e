package dev.steward.jdbc;

import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.onboarding.DailyReservation;
import dev.steward.onboarding.PilotState;
import dev.steward.onboarding.PilotStore;
import dev.steward.onboarding.internal.StoreChecks;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * A {@link PilotStore} in database tables: {@code steward_pilot} (one row per tenant, its state as
 * a JSON document), {@code steward_pilot_day} (the count of each tenant's UTC day) and {@code
 * steward_pilot_send} (the messages counted). A reservation creates the day's row if absent, locks
 * it with {@code SELECT ... FOR UPDATE}, and counts the message only under the limit, in one
 * transaction: instances sharing one PostgreSQL count one after the other and never past the limit.
 * A state update locks the tenant's row the same way.
 */
public final class JdbcPilotStore implements PilotStore {
  private static final String STATE = "steward_pilot";
  private static final String DAY = "steward_pilot_day";
  private static final String SEND = "steward_pilot_send";
  private static final String RESERVATION = "steward_pilot_reservation";

  private final Jdbc jdbc;

  JdbcPilotStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A store over the tables in {@code dataSource}'s database (schema version 19 or later). */
  public static JdbcPilotStore of(DataSource dataSource) {
    return new JdbcPilotStore(new Jdbc(StoreChecks.notNull("dataSource", dataSource)));
  }

  @Override
  public Optional<PilotState> find(TenantId tenant) {
    StoreChecks.notNull("tenant", tenant);
    return jdbc.withConnection(
        "reading the pilot state of " + tenant,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.queryOne(
                c,
                "SELECT document FROM " + STATE + " WHERE tenant_id = ? AND document IS NOT NULL",
                rs -> PilotJson.read(tenant, rs.getString(1)),
                tenant.value()));
  }

  @Override
  public PilotState update(TenantId tenant, Instant now, UnaryOperator<PilotState> change) {
    StoreChecks.notNull("tenant", tenant);
    StoreChecks.notNull("now", now);
    StoreChecks.notNull("change", change);
    return jdbc.inTransaction(
        "updating the pilot state of " + tenant,
        c -> {
          PilotState current = lockOrCreate(c, tenant, now);
          PilotState next = StoreChecks.pilotChange(tenant, change.apply(current));
          Jdbc.update(
              c,
              "UPDATE " + STATE + " SET stage = ?, document = ? WHERE tenant_id = ?",
              next.stage(),
              PilotJson.write(next),
              tenant.value());
          return next;
        });
  }

  private PilotState lockOrCreate(Connection c, TenantId tenant, Instant now) throws SQLException {
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<PilotState> locked =
          Jdbc.queryOne(
              c,
              "SELECT document FROM " + STATE + " WHERE tenant_id = ? FOR UPDATE",
              rs -> {
                String doc = rs.getString(1);
                return doc == null ? PilotState.initial(tenant, now) : PilotJson.read(tenant, doc);
              },
              tenant.value());
      if (locked.isPresent()) {
        return locked.get();
      }
      jdbc.dialect()
          .insertIfAbsent(
              c,
              STATE,
              new String[] {"tenant_id"},
              new String[] {"tenant_id", "stage", "document"},
              tenant.value(),
              0,
              Jdbc.TypedNull.VARCHAR);
    }
    throw new JdbcStoreException("could not lock the pilot state row of " + tenant);
  }

  @Override
  public DailyReservation reserve(TenantId tenant, LocalDate day, MessageId message, long limit) {
    StoreChecks.reserve(tenant, day, message, limit);
    // chosen once per call, before the first run: a run repeated after a lost commit finds the
    // first run's row and adds nothing
    String token = UUID.randomUUID().toString();
    return jdbc.inTransaction(
        "reserving a pilot send of " + tenant + " on " + day,
        Jdbc.Repeat.SAFE,
        c -> {
          long used = lockDay(c, tenant, day);
          Optional<Long> earlier = reservedBefore(c, tenant, day, token);
          if (earlier.isPresent()) {
            return new DailyReservation(true, earlier.get());
          }
          if (counted(c, tenant, day, message)) {
            // one more dispatch holds it
            Jdbc.update(
                c,
                "UPDATE "
                    + SEND
                    + " SET holds = holds + 1 WHERE tenant_id = ? AND epoch_day = ?"
                    + " AND message_id = ?",
                tenant.value(),
                day.toEpochDay(),
                message.value());
            remember(c, tenant, day, token, message, used - 1);
            return new DailyReservation(true, used - 1);
          }
          if (used >= limit) {
            return new DailyReservation(false, used);
          }
          count(c, tenant, day, message, used);
          remember(c, tenant, day, token, message, used);
          return new DailyReservation(true, used);
        });
  }

  /** What the run of this call that committed answered, if one did. */
  private static Optional<Long> reservedBefore(
      Connection c, TenantId tenant, LocalDate day, String token) throws SQLException {
    return Jdbc.queryOne(
        c,
        "SELECT used FROM " + RESERVATION + " WHERE tenant_id = ? AND epoch_day = ? AND token = ?",
        rs -> rs.getLong(1),
        tenant.value(),
        day.toEpochDay(),
        token);
  }

  private static void remember(
      Connection c, TenantId tenant, LocalDate day, String token, MessageId message, long used)
      throws SQLException {
    Jdbc.update(
        c,
        "INSERT INTO "
            + RESERVATION
            + " (tenant_id, epoch_day, token, message_id, used) VALUES (?, ?, ?, ?, ?)",
        tenant.value(),
        day.toEpochDay(),
        token,
        message.value(),
        used);
  }

  @Override
  public boolean release(TenantId tenant, LocalDate day, MessageId message) {
    StoreChecks.day(tenant, day, message);
    return jdbc.inTransaction(
        "releasing a pilot send of " + tenant + " on " + day,
        c -> {
          Optional<Long> used =
              Jdbc.queryOne(
                  c,
                  "SELECT used FROM " + DAY + " WHERE tenant_id = ? AND epoch_day = ? FOR UPDATE",
                  rs -> rs.getLong(1),
                  tenant.value(),
                  day.toEpochDay());
          if (used.isEmpty()) {
            return false;
          }
          int held =
              Jdbc.update(
                  c,
                  "UPDATE "
                      + SEND
                      + " SET holds = holds - 1 WHERE tenant_id = ? AND epoch_day = ?"
                      + " AND message_id = ? AND holds > 1",
                  tenant.value(),
                  day.toEpochDay(),
                  message.value());
          if (held > 0) {
            return false; // another dispatch still holds it: it stays counted
          }
          int removed =
              Jdbc.update(
                  c,
                  "DELETE FROM "
                      + SEND
                      + " WHERE tenant_id = ? AND epoch_day = ? AND message_id = ?",
                  tenant.value(),
                  day.toEpochDay(),
                  message.value());
          if (removed == 0) {
            return false;
          }
          Jdbc.update(
              c,
              "UPDATE " + DAY + " SET used = ? WHERE tenant_id = ? AND epoch_day = ?",
              Math.max(0, used.get() - 1),
              tenant.value(),
              day.toEpochDay());
          return true;
        });
  }

  @Override
  public boolean confirm(TenantId tenant, LocalDate day, MessageId message) {
    StoreChecks.day(tenant, day, message);
    return jdbc.inTransaction(
        "confirming a pilot send of " + tenant + " on " + day,
        Jdbc.Repeat.SAFE,
        c -> {
          long used = lockDay(c, tenant, day);
          if (counted(c, tenant, day, message)) {
            return false;
          }
          count(c, tenant, day, message, used);
          return true;
        });
  }

  @Override
  public long count(TenantId tenant, LocalDate day) {
    StoreChecks.notNull("tenant", tenant);
    StoreChecks.notNull("day", day);
    return jdbc.withConnection(
        "counting the pilot sends of " + tenant + " on " + day,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.queryOne(
                    c,
                    "SELECT used FROM " + DAY + " WHERE tenant_id = ? AND epoch_day = ?",
                    rs -> rs.getLong(1),
                    tenant.value(),
                    day.toEpochDay())
                .orElse(0L));
  }

  @Override
  public int purgeBefore(TenantId tenant, LocalDate day) {
    StoreChecks.notNull("tenant", tenant);
    StoreChecks.notNull("day", day);
    return jdbc.inTransaction(
        "purging the old pilot days of " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          Jdbc.update(
              c,
              "DELETE FROM " + RESERVATION + " WHERE tenant_id = ? AND epoch_day < ?",
              tenant.value(),
              day.toEpochDay());
          Jdbc.update(
              c,
              "DELETE FROM " + SEND + " WHERE tenant_id = ? AND epoch_day < ?",
              tenant.value(),
              day.toEpochDay());
          return Jdbc.update(
              c,
              "DELETE FROM " + DAY + " WHERE tenant_id = ? AND epoch_day < ?",
              tenant.value(),
              day.toEpochDay());
        });
  }

  @Override
  public boolean eraseTenant(TenantId tenant) {
    StoreChecks.notNull("tenant", tenant);
    return jdbc.inTransaction(
            "erasing the pilot of " + tenant,
            Jdbc.Repeat.SAFE,
            c ->
                Jdbc.update(
                        c, "DELETE FROM " + RESERVATION + " WHERE tenant_id = ?", tenant.value())
                    + Jdbc.update(c, "DELETE FROM " + SEND + " WHERE tenant_id = ?", tenant.value())
                    + Jdbc.update(c, "DELETE FROM " + DAY + " WHERE tenant_id = ?", tenant.value())
                    + Jdbc.update(
                        c,
                        "DELETE FROM " + STATE + " WHERE tenant_id = ? AND document IS NOT NULL",
                        tenant.value()))
        > 0;
  }

  /** The day's count, its row created if absent and locked until the transaction ends. */
  private long lockDay(Connection c, TenantId tenant, LocalDate day) throws SQLException {
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<Long> used =
          Jdbc.queryOne(
              c,
              "SELECT used FROM " + DAY + " WHERE tenant_id = ? AND epoch_day = ? FOR UPDATE",
              rs -> rs.getLong(1),
              tenant.value(),
              day.toEpochDay());
      if (used.isPresent()) {
        return used.get();
      }
      jdbc.dialect()
          .insertIfAbsent(
              c,
              DAY,
              new String[] {"tenant_id", "epoch_day"},
              new String[] {"tenant_id", "epoch_day", "used"},
              tenant.value(),
              day.toEpochDay(),
              0L);
    }
    throw new JdbcStoreException("could not lock the pilot day row of " + tenant + " on " + day);
  }

  private static boolean counted(Connection c, TenantId tenant, LocalDate day, MessageId message)
      throws SQLException {
    return Jdbc.queryOne(
            c,
            "SELECT 1 FROM " + SEND + " WHERE tenant_id = ? AND epoch_day = ? AND message_id = ?",
            rs -> 1,
            tenant.value(),
            day.toEpochDay(),
            message.value())
        .isPresent();
  }

  private static void count(
      Connection c, TenantId tenant, LocalDate day, MessageId message, long used)
      throws SQLException {
    Jdbc.update(
        c,
        "INSERT INTO " + SEND + " (tenant_id, epoch_day, message_id, holds) VALUES (?, ?, ?, 1)",
        tenant.value(),
        day.toEpochDay(),
        message.value());
    Jdbc.update(
        c,
        "UPDATE " + DAY + " SET used = ? WHERE tenant_id = ? AND epoch_day = ?",
        used + 1,
        tenant.value(),
        day.toEpochDay());
  }
}
