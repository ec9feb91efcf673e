package dev.steward.jdbc;

import dev.steward.model.TenantId;
import dev.steward.onboarding.OnboardingRecord;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStore;
import dev.steward.onboarding.internal.StoreChecks;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * An {@link OnboardingStore} in a database table ({@code steward_onboarding}), one row per tenant:
 * its state, its version and a JSON document with the rest of the record. A replacement is one
 * {@code UPDATE ... WHERE tenant_id = ? AND version = ?}: the database applies it only over the
 * version the change was computed from, so of two instances racing on one tenant one writes and the
 * other finds no row to update.
 *
 * <p>Erasing a tenant keeps its row as a tombstone: state {@value #ERASED}, an empty document, its
 * last version; everything else of the record is gone. The tenant's next enrolment takes the row
 * over one version on, so versions of a tenant never repeat and an update computed from the erased
 * record matches no row (no schema change: the state column holds the mark).
 */
public final class JdbcOnboardingStore implements OnboardingStore {
  private static final String TABLE = "steward_onboarding";
  private static final String ERASED = "ERASED";

  private final Jdbc jdbc;

  JdbcOnboardingStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A store over the tables in {@code dataSource}'s database. */
  public static JdbcOnboardingStore of(DataSource dataSource) {
    return new JdbcOnboardingStore(new Jdbc(dataSource));
  }

  @Override
  public Optional<OnboardingRecord> find(TenantId tenant) {
    StoreChecks.notNull("tenant", tenant);
    return jdbc.withConnection(
        "finding the onboarding record of " + tenant,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.queryOne(
                c,
                "SELECT version, document FROM " + TABLE + " WHERE tenant_id = ? AND state <> ?",
                rs -> OnboardingJson.read(tenant, rs.getLong(1), rs.getString(2)),
                tenant.value(),
                ERASED));
  }

  @Override
  public boolean insert(OnboardingRecord record) {
    StoreChecks.insert(record);
    String doc = OnboardingJson.write(record);
    long at = EpochNanos.of(lastChange(record), "changedAt");
    return jdbc.withConnection(
        "enrolling " + record.tenant() + " in onboarding",
        c ->
            revive(c, record, at, doc)
                || jdbc.dialect()
                    .insertIfAbsent(
                        c,
                        TABLE,
                        new String[] {"tenant_id"},
                        new String[] {"tenant_id", "state", "version", "changed_at", "document"},
                        record.tenant().value(),
                        record.state().name(),
                        record.version(),
                        at,
                        doc)
                // the row found was erased meanwhile: it is a tombstone now
                || revive(c, record, at, doc));
  }

  /** Takes over the tenant's tombstone one version on; false if it has none. */
  private static boolean revive(java.sql.Connection c, OnboardingRecord record, long at, String doc)
      throws java.sql.SQLException {
    return Jdbc.update(
            c,
            "UPDATE "
                + TABLE
                + " SET state = ?, version = version + 1, changed_at = ?, document = ?"
                + " WHERE tenant_id = ? AND state = ?",
            record.state().name(),
            at,
            doc,
            record.tenant().value(),
            ERASED)
        == 1;
  }

  @Override
  public boolean replace(long expectedVersion, OnboardingRecord next) {
    StoreChecks.replace(expectedVersion, next);
    String doc = OnboardingJson.write(next);
    long at = EpochNanos.of(lastChange(next), "changedAt");
    return jdbc.withConnection(
            "changing the onboarding record of " + next.tenant(),
            c ->
                Jdbc.update(
                    c,
                    "UPDATE "
                        + TABLE
                        + " SET state = ?, version = ?, changed_at = ?, document = ?"
                        + " WHERE tenant_id = ? AND version = ? AND state <> ?",
                    next.state().name(),
                    next.version(),
                    at,
                    doc,
                    next.tenant().value(),
                    expectedVersion,
                    ERASED))
        == 1;
  }

  @Override
  public List<TenantId> list(OnboardingState state, Optional<TenantId> after, int limit) {
    StoreChecks.list(state, after, limit);
    return jdbc.withConnection(
        "listing the tenants in onboarding state " + state,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.query(
                c,
                "SELECT tenant_id FROM "
                    + TABLE
                    + " WHERE state = ? AND tenant_id > ? ORDER BY tenant_id LIMIT "
                    + limit,
                rs -> TenantId.of(rs.getString(1)),
                state.name(),
                after.map(TenantId::value).orElse("")));
  }

  @Override
  public boolean erased(TenantId tenant) {
    StoreChecks.notNull("tenant", tenant);
    return jdbc.withConnection(
            "finding whether the onboarding record of " + tenant + " was erased",
            Jdbc.Repeat.SAFE,
            c ->
                Jdbc.queryOne(
                    c,
                    "SELECT 1 FROM " + TABLE + " WHERE tenant_id = ? AND state = ?",
                    rs -> Boolean.TRUE,
                    tenant.value(),
                    ERASED))
        .isPresent();
  }

  @Override
  public boolean eraseTenant(TenantId tenant) {
    StoreChecks.notNull("tenant", tenant);
    return jdbc.withConnection(
            "erasing the onboarding record of " + tenant,
            c ->
                Jdbc.update(
                    c,
                    "UPDATE "
                        + TABLE
                        + " SET state = ?, document = '' WHERE tenant_id = ? AND state <> ?",
                    ERASED,
                    tenant.value(),
                    ERASED))
        > 0;
  }

  private static Instant lastChange(OnboardingRecord r) {
    Instant last = r.enrolledAt();
    for (Instant at : r.enteredAt().values()) {
      last = at.isAfter(last) ? at : last;
    }
    if (!r.verdicts().isEmpty()) {
      Instant v = r.verdicts().get(r.verdicts().size() - 1).at();
      last = v.isAfter(last) ? v : last;
    }
    return last;
  }
}
