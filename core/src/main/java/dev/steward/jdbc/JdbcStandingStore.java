package dev.steward.jdbc;

import dev.steward.governance.InvalidGovernanceException;
import dev.steward.governance.Standing;
import dev.steward.governance.StandingStore;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * A {@link StandingStore} in a database table ({@code steward_governance_standing}), one row per
 * tenant holding its standing as a JSON document beside its level. An update inserts the tenant's
 * row if absent, locks it with {@code SELECT ... FOR UPDATE}, applies the change and writes the
 * result in one transaction: two instances evaluating one tenant decide one after the other.
 */
public final class JdbcStandingStore implements StandingStore {
  private static final String TABLE = "steward_governance_standing";

  private final Jdbc jdbc;

  JdbcStandingStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A store over the tables in {@code dataSource}'s database. */
  public static JdbcStandingStore of(DataSource dataSource) {
    return new JdbcStandingStore(new Jdbc(dataSource));
  }

  @Override
  public Optional<Standing> find(TenantId tenant) {
    if (tenant == null) {
      throw new InvalidGovernanceException("tenant must not be null");
    }
    return jdbc.withConnection(
        "reading the governance standing of " + tenant,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.queryOne(
                c,
                "SELECT document FROM " + TABLE + " WHERE tenant_id = ? AND document IS NOT NULL",
                rs -> StandingJson.read(tenant, rs.getString(1)),
                tenant.value()));
  }

  @Override
  public Standing update(TenantId tenant, Instant now, UnaryOperator<Standing> change) {
    if (tenant == null || now == null || change == null) {
      throw new InvalidGovernanceException("tenant, now and change must not be null");
    }
    return jdbc.inTransaction(
        "updating the governance standing of " + tenant,
        c -> {
          Standing current = lockOrCreate(c, tenant, now);
          Standing next = change.apply(current);
          if (next == null) {
            throw new InvalidGovernanceException(
                "the standing change for " + tenant + " returned null");
          }
          if (!next.tenant().equals(tenant)) {
            throw new InvalidGovernanceException(
                "the standing change for " + tenant + " returned the standing of " + next.tenant());
          }
          Jdbc.update(
              c,
              "UPDATE " + TABLE + " SET level = ?, document = ? WHERE tenant_id = ?",
              next.level().name(),
              StandingJson.write(next),
              tenant.value());
          return next;
        });
  }

  private Standing lockOrCreate(Connection c, TenantId tenant, Instant now) throws SQLException {
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<Standing> locked =
          Jdbc.queryOne(
              c,
              "SELECT document FROM " + TABLE + " WHERE tenant_id = ? FOR UPDATE",
              rs -> {
                String doc = rs.getString(1);
                return doc == null ? Standing.initial(tenant, now) : StandingJson.read(tenant, doc);
              },
              tenant.value());
      if (locked.isPresent()) {
        return locked.get();
      }
      jdbc.dialect()
          .insertIfAbsent(
              c,
              TABLE,
              new String[] {"tenant_id"},
              new String[] {"tenant_id", "level", "document"},
              tenant.value(),
              Jdbc.TypedNull.VARCHAR,
              Jdbc.TypedNull.VARCHAR);
    }
    throw new JdbcStoreException("could not lock the governance standing row of " + tenant);
  }

  @Override
  public boolean eraseTenant(TenantId tenant) {
    if (tenant == null) {
      throw new InvalidGovernanceException("tenant must not be null");
    }
    return jdbc.withConnection(
            "erasing the governance standing of " + tenant,
            Jdbc.Repeat.SAFE,
            c ->
                Jdbc.update(
                    c,
                    "DELETE FROM " + TABLE + " WHERE tenant_id = ? AND document IS NOT NULL",
                    tenant.value()))
        > 0;
  }
}
