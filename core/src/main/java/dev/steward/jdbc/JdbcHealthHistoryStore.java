package dev.steward.jdbc;

import dev.steward.health.HealthHistoryStore;
import dev.steward.health.HealthRecord;
import dev.steward.health.InvalidHealthInputException;
import dev.steward.health.ScoreStatus;
import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A {@link HealthHistoryStore} in a database table ({@code steward_health_record}, schema versions
 * 2 and 9) keyed by tenant, account and time, so every query is a range scan of one account's rows.
 * Each row keeps the scorecard id and version that produced it; an insufficient score has a NULL
 * score.
 */
public final class JdbcHealthHistoryStore implements HealthHistoryStore {
  private static final String TABLE = "steward_health_record";
  private static final String[] KEY = {"tenant_id", "account_id", "as_of"};
  private static final String[] COLUMNS = {
    "tenant_id",
    "account_id",
    "as_of",
    "status",
    "score",
    "coverage",
    "scorecard_id",
    "scorecard_version",
    "overridden"
  };
  private static final String SELECT = "SELECT " + String.join(", ", COLUMNS) + " FROM " + TABLE;

  private final Jdbc jdbc;

  JdbcHealthHistoryStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A store over the tables in {@code dataSource}'s database. */
  public static JdbcHealthHistoryStore of(DataSource dataSource) {
    return new JdbcHealthHistoryStore(new Jdbc(dataSource));
  }

  @Override
  public void append(HealthRecord record) {
    InvalidHealthInputException.requireNonNull(record, "health record");
    String tenant = Check.id(record.tenant().value(), "health record tenant");
    String account = Check.id(record.account().value(), "health record account");
    long asOf = EpochNanos.of(record.asOf(), "health record asOf");
    Check.id(record.scorecardId(), "health record scorecardId");
    if (!Double.isFinite(record.coverage())) {
      throw new InvalidStoreInputException(
          "health record coverage must be a finite number, got " + record.coverage());
    }
    Object score = record.isScored() ? (Object) record.value() : Jdbc.TypedNull.DOUBLE;
    jdbc.withConnection(
        "storing the health record of " + account + " of tenant " + tenant + " at " + record.asOf(),
        c -> {
          jdbc.dialect()
              .upsert(
                  c,
                  TABLE,
                  KEY,
                  COLUMNS,
                  tenant,
                  account,
                  asOf,
                  record.status().name(),
                  score,
                  record.coverage(),
                  record.scorecardId(),
                  record.scorecardVersion(),
                  record.overridden());
          return null;
        });
  }

  @Override
  public List<HealthRecord> history(TenantId tenant, AccountId account, Instant from, Instant to) {
    checkKey(tenant, account);
    InvalidHealthInputException.requireNonNull(from, "from");
    InvalidHealthInputException.requireNonNull(to, "to");
    long lo = EpochNanos.bound(from, "from");
    long hi = EpochNanos.bound(to, "to");
    if (!from.isBefore(to)) {
      return List.of();
    }
    // a bound after the storable range is clamped onto its last instant, where a record may be
    String sql =
        SELECT
            + " WHERE tenant_id = ? AND account_id = ? AND as_of "
            + EpochNanos.atOrAfter(from)
            + " ? AND as_of "
            + EpochNanos.before(to)
            + " ? ORDER BY as_of";
    return jdbc.withConnection(
        "reading the health history of " + account,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.query(
                c, sql, JdbcHealthHistoryStore::map, tenant.value(), account.value(), lo, hi));
  }

  @Override
  public List<HealthRecord> recent(TenantId tenant, AccountId account, int n) {
    checkKey(tenant, account);
    if (n < 0) {
      throw new InvalidHealthInputException("n must not be negative, got " + n);
    }
    if (n == 0) {
      return List.of();
    }
    List<HealthRecord> newestFirst =
        jdbc.withConnection(
            "reading the recent health of " + account,
            Jdbc.Repeat.SAFE,
            c ->
                Jdbc.query(
                    c,
                    SELECT
                        + " WHERE tenant_id = ? AND account_id = ?"
                        + " ORDER BY as_of DESC FETCH FIRST ? ROWS ONLY",
                    JdbcHealthHistoryStore::map,
                    tenant.value(),
                    account.value(),
                    n));
    List<HealthRecord> out = new ArrayList<>(newestFirst);
    Collections.reverse(out);
    return List.copyOf(out);
  }

  @Override
  public Optional<HealthRecord> atOrBefore(TenantId tenant, AccountId account, Instant at) {
    checkKey(tenant, account);
    InvalidHealthInputException.requireNonNull(at, "at");
    if (at.isBefore(EpochNanos.MIN)) {
      return Optional.empty();
    }
    long bound = EpochNanos.bound(at, "at");
    return jdbc.withConnection(
        "reading the health of " + account + " at " + at,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.queryOne(
                c,
                SELECT
                    + " WHERE tenant_id = ? AND account_id = ? AND as_of <= ? ORDER BY as_of DESC"
                    + " FETCH FIRST 1 ROWS ONLY",
                JdbcHealthHistoryStore::map,
                tenant.value(),
                account.value(),
                bound));
  }

  @Override
  public Set<AccountId> accounts(TenantId tenant) {
    InvalidHealthInputException.requireNonNull(tenant, "tenant");
    List<AccountId> all =
        jdbc.withConnection(
            "listing the accounts with health records of tenant " + tenant,
            Jdbc.Repeat.SAFE,
            c ->
                Jdbc.query(
                    c,
                    "SELECT DISTINCT account_id FROM " + TABLE + " WHERE tenant_id = ?",
                    rs -> AccountId.of(rs.getString(1)),
                    tenant.value()));
    return Collections.unmodifiableSet(new LinkedHashSet<>(all));
  }

  @Override
  public boolean erase(TenantId tenant, AccountId account) {
    checkKey(tenant, account);
    return jdbc.withConnection(
            "erasing the health history of " + account + " of tenant " + tenant,
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
        "erasing the health history of tenant " + tenant,
        c -> Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE tenant_id = ?", tenant.value()));
  }

  private static void checkKey(TenantId tenant, AccountId account) {
    InvalidHealthInputException.requireNonNull(tenant, "tenant");
    InvalidHealthInputException.requireNonNull(account, "account");
  }

  private static HealthRecord map(ResultSet rs) throws SQLException {
    double score = rs.getDouble("score");
    if (rs.wasNull()) {
      score = Double.NaN;
    }
    return new HealthRecord(
        TenantId.of(rs.getString("tenant_id")),
        AccountId.of(rs.getString("account_id")),
        EpochNanos.toInstant(rs.getLong("as_of")),
        ScoreStatus.valueOf(rs.getString("status")),
        score,
        rs.getDouble("coverage"),
        rs.getString("scorecard_id"),
        rs.getInt("scorecard_version"),
        rs.getBoolean("overridden"));
  }
}
