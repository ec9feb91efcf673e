package dev.steward.jdbc;

import dev.steward.health.HealthBandStateStore;
import dev.steward.health.InvalidHealthInputException;
import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * A {@link HealthBandStateStore} in a database table ({@code steward_health_band_state}, schema
 * versions 2 and 9), so that health monitors in several instances confirm band changes together.
 * Rows are keyed by tenant, a monitor name and the account: monitors with different bands use
 * different names.
 *
 * <p>An update runs in one transaction: it locks the account's row with {@code SELECT ... FOR
 * UPDATE} (inserting an unplaced row first if there is none), applies the change and writes it
 * back, so concurrent evaluations of one account queue up instead of losing counts. Each
 * transaction locks one row only and cannot deadlock with another.
 */
public final class JdbcHealthBandStateStore implements HealthBandStateStore {
  private static final String TABLE = "steward_health_band_state";
  private static final String[] KEY = {"tenant_id", "monitor", "account_id"};
  private static final String[] COLUMNS = {
    "tenant_id", "monitor", "account_id", "band", "candidate", "consecutive"
  };
  private static final String WHERE = " WHERE tenant_id = ? AND monitor = ? AND account_id = ?";
  private static final String SELECT = "SELECT band, candidate, consecutive FROM " + TABLE + WHERE;

  /** The monitor name {@link #of(DataSource)} uses. */
  public static final String DEFAULT_MONITOR = "default";

  private final Jdbc jdbc;
  private final String monitor;

  JdbcHealthBandStateStore(Jdbc jdbc, String monitor) {
    this.jdbc = jdbc;
    this.monitor = Check.id(monitor, "monitor name");
  }

  /** A store for the monitor named {@value #DEFAULT_MONITOR}. */
  public static JdbcHealthBandStateStore of(DataSource dataSource) {
    return of(dataSource, DEFAULT_MONITOR);
  }

  /** A store for the named monitor: instances that share a monitor's state use the same name. */
  public static JdbcHealthBandStateStore of(DataSource dataSource, String monitor) {
    return new JdbcHealthBandStateStore(new Jdbc(dataSource), monitor);
  }

  @Override
  public Optional<BandState> get(TenantId tenant, AccountId account) {
    checkKey(tenant, account);
    return jdbc.withConnection(
            "reading the health band of " + account + " of tenant " + tenant,
            Jdbc.Repeat.SAFE,
            c ->
                Jdbc.queryOne(
                    c,
                    SELECT,
                    JdbcHealthBandStateStore::map,
                    tenant.value(),
                    monitor,
                    account.value()))
        .map(Row::state);
  }

  @Override
  public BandUpdate update(TenantId tenant, AccountId account, UnaryOperator<BandState> change) {
    checkKey(tenant, account);
    InvalidHealthInputException.requireNonNull(change, "change");
    return jdbc.inTransaction(
        "updating the health band of " + account + " of tenant " + tenant,
        c -> {
          Optional<Row> row = lock(c, tenant, account);
          if (row.isEmpty()) {
            // waits for a concurrent insert of the same row, then the lock below waits for its end
            jdbc.dialect()
                .insertIfAbsent(
                    c,
                    TABLE,
                    KEY,
                    COLUMNS,
                    tenant.value(),
                    monitor,
                    account.value(),
                    Jdbc.TypedNull.VARCHAR,
                    Jdbc.TypedNull.VARCHAR,
                    0);
            row = lock(c, tenant, account);
          }
          BandState current = row.orElseThrow().state();
          BandState next = change.apply(current);
          InvalidHealthInputException.requireNonNull(next, "new band state");
          Check.text(next.band(), "band", Check.MAX_ID);
          Check.optionalText(next.candidate(), "candidate band", Check.MAX_ID);
          Jdbc.update(
              c,
              "UPDATE " + TABLE + " SET band = ?, candidate = ?, consecutive = ?" + WHERE,
              next.band(),
              Jdbc.varchar(next.candidate()),
              next.consecutive(),
              tenant.value(),
              monitor,
              account.value());
          return new BandUpdate(current, next);
        });
  }

  @Override
  public boolean remove(TenantId tenant, AccountId account) {
    checkKey(tenant, account);
    return jdbc.withConnection(
            "forgetting the health band of " + account + " of tenant " + tenant,
            c ->
                Jdbc.update(
                    c, "DELETE FROM " + TABLE + WHERE, tenant.value(), monitor, account.value()))
        > 0;
  }

  /**
   * Forgets the tenant's band states of every monitor sharing the table, not only this store's: an
   * erased tenant leaves nothing behind.
   */
  @Override
  public int eraseTenant(TenantId tenant) {
    InvalidHealthInputException.requireNonNull(tenant, "tenant");
    return jdbc.withConnection(
        "forgetting the health bands of tenant " + tenant,
        c -> Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE tenant_id = ?", tenant.value()));
  }

  private static void checkKey(TenantId tenant, AccountId account) {
    InvalidHealthInputException.requireNonNull(tenant, "tenant");
    InvalidHealthInputException.requireNonNull(account, "account");
  }

  /**
   * A row; its state is null while the row is the unplaced stand-in an update inserts to have
   * something to lock (never committed as such: the same transaction writes the band).
   */
  private record Row(BandState state) {}

  /** The account's row, locked until the transaction ends; empty if there is none. */
  private Optional<Row> lock(Connection c, TenantId tenant, AccountId account) throws SQLException {
    return Jdbc.queryOne(
        c,
        SELECT + " FOR UPDATE",
        JdbcHealthBandStateStore::map,
        tenant.value(),
        monitor,
        account.value());
  }

  private static Row map(ResultSet rs) throws SQLException {
    String band = rs.getString("band");
    return new Row(
        band == null
            ? null
            : new BandState(band, rs.getString("candidate"), rs.getInt("consecutive")));
  }
}
