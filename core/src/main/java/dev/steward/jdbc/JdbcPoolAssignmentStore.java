package dev.steward.jdbc;

import dev.steward.governance.GovernanceMetric;
import dev.steward.governance.Level;
import dev.steward.ippool.InvalidIpPoolException;
import dev.steward.ippool.MoveReason;
import dev.steward.ippool.PoolAssignment;
import dev.steward.ippool.PoolAssignmentStore;
import dev.steward.ippool.PoolChange;
import dev.steward.ippool.PoolName;
import dev.steward.ippool.Stream;
import dev.steward.ippool.Tier;
import dev.steward.model.TenantId;
import dev.steward.onboarding.OnboardingState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import javax.sql.DataSource;

/**
 * A {@link PoolAssignmentStore} in two tables: {@code steward_ippool_assignment} (one row per
 * tenant and stream, with a version) and {@code steward_ippool_change} (the audit, keyed by tenant,
 * stream and version). {@link #apply} writes both in one transaction, guarded by the version: an
 * insert-if-absent for a first assignment, {@code UPDATE ... WHERE version = ?} for a move, so of
 * two instances applying one move exactly one writes it.
 */
public final class JdbcPoolAssignmentStore implements PoolAssignmentStore {
  private static final String ASSIGNMENT = "steward_ippool_assignment";
  private static final String CHANGE = "steward_ippool_change";
  private static final String CHANGE_COLUMNS =
      "tenant_id, stream, version, from_pool, to_pool, tier, plan_id, changed_at, reason_cause,"
          + " reason_metric, reason_value, reason_threshold, reason_level, reason_onboarding,"
          + " explanation";

  /** Streams in their enum's order, as the in-memory store sorts them. */
  private static final String STREAM_ORDER =
      "CASE stream WHEN '" + Stream.TRANSACTIONAL.name() + "' THEN 0 ELSE 1 END";

  private static final String ERASURE = "steward_ippool_erasure";

  /** The erased_at of a tombstone not dated yet ({@link #eraseTenant(TenantId)}). */
  private static final long UNDATED = Long.MAX_VALUE;

  private final Jdbc jdbc;

  JdbcPoolAssignmentStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A store over the tables in {@code dataSource}'s database (schema version 18 or later). */
  public static JdbcPoolAssignmentStore of(DataSource dataSource) {
    return new JdbcPoolAssignmentStore(new Jdbc(dataSource));
  }

  private static PoolAssignment assignment(ResultSet rs) throws SQLException {
    return new PoolAssignment(
        TenantId.of(rs.getString("tenant_id")),
        Stream.valueOf(rs.getString("stream")),
        PoolName.of(rs.getString("pool")),
        Tier.valueOf(rs.getString("tier")),
        rs.getLong("version"),
        EpochNanos.toInstant(rs.getLong("since")));
  }

  @Override
  public Optional<PoolAssignment> find(TenantId tenant, Stream stream) {
    require(tenant, "tenant");
    require(stream, "stream");
    return jdbc.withConnection(
        "reading the pool assignment of " + tenant,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.queryOne(
                c,
                "SELECT tenant_id, stream, pool, tier, version, since FROM "
                    + ASSIGNMENT
                    + " WHERE tenant_id = ? AND stream = ?",
                JdbcPoolAssignmentStore::assignment,
                tenant.value(),
                stream.name()));
  }

  @Override
  public List<PoolAssignment> assignments(TenantId tenant) {
    require(tenant, "tenant");
    List<PoolAssignment> out =
        new ArrayList<>(
            jdbc.withConnection(
                "reading the pool assignments of " + tenant,
                Jdbc.Repeat.SAFE,
                c ->
                    Jdbc.query(
                        c,
                        "SELECT tenant_id, stream, pool, tier, version, since FROM "
                            + ASSIGNMENT
                            + " WHERE tenant_id = ?",
                        JdbcPoolAssignmentStore::assignment,
                        tenant.value())));
    out.sort((a, b) -> a.stream().compareTo(b.stream()));
    return Collections.unmodifiableList(out);
  }

  @Override
  public int countIn(PoolName pool) {
    require(pool, "pool");
    return jdbc.withConnection(
        "counting the streams in pool " + pool,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.queryOne(
                    c,
                    "SELECT COUNT(*) FROM " + ASSIGNMENT + " WHERE pool = ?",
                    rs -> rs.getInt(1),
                    pool.value())
                .orElse(0));
  }

  @Override
  public boolean apply(PoolChange change) {
    require(change, "change");
    long since = EpochNanos.of(change.at(), "change at");
    MoveReason r = change.reason();
    return jdbc.inTransaction(
        "applying a pool move of " + change.tenant(),
        c -> {
          boolean won;
          if (change.version() == 1) {
            won =
                jdbc.dialect()
                    .insertIfAbsent(
                        c,
                        ASSIGNMENT,
                        new String[] {"tenant_id", "stream"},
                        new String[] {"tenant_id", "stream", "pool", "tier", "version", "since"},
                        change.tenant().value(),
                        change.stream().name(),
                        change.to().value(),
                        change.tier().name(),
                        1L,
                        since);
          } else {
            won =
                Jdbc.update(
                        c,
                        "UPDATE "
                            + ASSIGNMENT
                            + " SET pool = ?, tier = ?, version = ?, since = ?"
                            + " WHERE tenant_id = ? AND stream = ? AND version = ?",
                        change.to().value(),
                        change.tier().name(),
                        change.version(),
                        since,
                        change.tenant().value(),
                        change.stream().name(),
                        change.version() - 1)
                    == 1;
          }
          if (!won) {
            return false;
          }
          Jdbc.update(
              c,
              "INSERT INTO "
                  + CHANGE
                  + " ("
                  + CHANGE_COLUMNS
                  + ") VALUES ("
                  + Jdbc.placeholders(15)
                  + ")",
              change.tenant().value(),
              change.stream().name(),
              change.version(),
              Jdbc.varchar(change.from().map(PoolName::value).orElse(null)),
              change.to().value(),
              change.tier().name(),
              change.planId(),
              since,
              r.cause().name(),
              Jdbc.varchar(r.metric().map(GovernanceMetric::jsonName).orElse(null)),
              r.value().isPresent() ? (Object) r.value().getAsDouble() : Jdbc.TypedNull.DOUBLE,
              r.threshold().isPresent()
                  ? (Object) r.threshold().getAsDouble()
                  : Jdbc.TypedNull.DOUBLE,
              Jdbc.varchar(r.level().map(Level::name).orElse(null)),
              Jdbc.varchar(r.onboarding().map(OnboardingState::name).orElse(null)),
              r.explanation());
          return true;
        });
  }

  private static OptionalDouble optionalDouble(ResultSet rs, String column) throws SQLException {
    double d = rs.getDouble(column);
    return rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(d);
  }

  private static PoolChange change(ResultSet rs) throws SQLException {
    String metric = rs.getString("reason_metric");
    String level = rs.getString("reason_level");
    String onboarding = rs.getString("reason_onboarding");
    String from = rs.getString("from_pool");
    MoveReason reason =
        new MoveReason(
            MoveReason.Cause.valueOf(rs.getString("reason_cause")),
            metric == null ? Optional.empty() : Optional.of(GovernanceMetric.parse(metric)),
            optionalDouble(rs, "reason_value"),
            optionalDouble(rs, "reason_threshold"),
            level == null ? Optional.empty() : Optional.of(Level.valueOf(level)),
            onboarding == null
                ? Optional.empty()
                : Optional.of(OnboardingState.valueOf(onboarding)),
            rs.getString("explanation"));
    return new PoolChange(
        TenantId.of(rs.getString("tenant_id")),
        Stream.valueOf(rs.getString("stream")),
        rs.getLong("version"),
        from == null ? Optional.empty() : Optional.of(PoolName.of(from)),
        PoolName.of(rs.getString("to_pool")),
        Tier.valueOf(rs.getString("tier")),
        reason,
        rs.getString("plan_id"),
        EpochNanos.toInstant(rs.getLong("changed_at")));
  }

  @Override
  public List<PoolChange> changes(TenantId tenant, int limit) {
    require(tenant, "tenant");
    if (limit < 1 || limit > MAX_CHANGES) {
      throw new InvalidIpPoolException("limit must be 1 to " + MAX_CHANGES + ", was " + limit);
    }
    List<PoolChange> newestFirst =
        jdbc.withConnection(
            "reading the pool changes of " + tenant,
            Jdbc.Repeat.SAFE,
            c ->
                Jdbc.query(
                    c,
                    "SELECT "
                        + CHANGE_COLUMNS
                        + " FROM "
                        + CHANGE
                        + " WHERE tenant_id = ? ORDER BY changed_at DESC, "
                        + STREAM_ORDER
                        + " DESC, version DESC LIMIT "
                        + limit,
                    JdbcPoolAssignmentStore::change,
                    tenant.value()));
    List<PoolChange> out = new ArrayList<>(newestFirst);
    Collections.reverse(out);
    return Collections.unmodifiableList(out);
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    require(tenant, "tenant");
    return erase(tenant, UNDATED);
  }

  @Override
  public Optional<Instant> erasedAt(TenantId tenant, Instant now) {
    require(tenant, "tenant");
    long at = EpochNanos.of(require(now, "now"), "now");
    return jdbc.inTransaction(
        "reading the pool erasure of " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          // the first look dates an undated tombstone; every later one reads that date
          Jdbc.update(
              c,
              "UPDATE " + ERASURE + " SET erased_at = ? WHERE tenant_id = ? AND erased_at = ?",
              at,
              tenant.value(),
              UNDATED);
          return Jdbc.queryOne(
              c,
              "SELECT erased_at FROM " + ERASURE + " WHERE tenant_id = ?",
              rs -> EpochNanos.toInstant(rs.getLong(1)),
              tenant.value());
        });
  }

  @Override
  public int eraseTenant(TenantId tenant, Instant erasedAt) {
    require(tenant, "tenant");
    return erase(tenant, EpochNanos.of(require(erasedAt, "erasedAt"), "erasedAt"));
  }

  @Override
  public int purgeErasuresBefore(Instant cutoff, Instant now, int max) {
    require(cutoff, "cutoff");
    require(now, "now");
    if (max < 1) {
      throw new InvalidIpPoolException("max must be at least 1, was " + max);
    }
    long before = EpochNanos.bound(cutoff, "cutoff");
    long dated = EpochNanos.of(now, "now");
    return jdbc.withConnection(
        "purging pool erasure tombstones",
        Jdbc.Repeat.SAFE,
        c -> {
          // undated tombstones are dated now, as the first look at them would (repeatable)
          Jdbc.update(
              c, "UPDATE " + ERASURE + " SET erased_at = ? WHERE erased_at = ?", dated, UNDATED);
          return Jdbc.update(
              c,
              "DELETE FROM "
                  + ERASURE
                  + " WHERE tenant_id IN (SELECT tenant_id FROM "
                  + ERASURE
                  + " WHERE erased_at "
                  + EpochNanos.before(cutoff)
                  + " ? LIMIT "
                  + max
                  + ")",
              before);
        });
  }

  /** Erases the tenant's rows and keeps the later of its tombstone's date and {@code at}. */
  private int erase(TenantId tenant, long at) {
    return jdbc.inTransaction(
        "erasing the pool assignments of " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          if (!jdbc.dialect()
              .insertIfAbsent(
                  c,
                  ERASURE,
                  new String[] {"tenant_id"},
                  new String[] {"tenant_id", "erased_at"},
                  tenant.value(),
                  at)) {
            Jdbc.update(
                c,
                "UPDATE " + ERASURE + " SET erased_at = ? WHERE tenant_id = ? AND erased_at < ?",
                at,
                tenant.value(),
                at);
          }
          Jdbc.update(c, "DELETE FROM " + CHANGE + " WHERE tenant_id = ?", tenant.value());
          return Jdbc.update(
              c, "DELETE FROM " + ASSIGNMENT + " WHERE tenant_id = ?", tenant.value());
        });
  }

  private static <T> T require(T value, String what) {
    if (value == null) {
      throw new InvalidIpPoolException(what + " must not be null");
    }
    return value;
  }
}
