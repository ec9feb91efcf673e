package dev.steward.jdbc;

import dev.steward.consent.AddressSuppressions;
import dev.steward.consent.InvalidConsentException;
import dev.steward.consent.SuppressionStore;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * A {@link SuppressionStore} in a database table ({@code steward_suppression}), one row per tenant
 * and address holding a JSON document, beside a {@code suppressed} flag that pages read. An update
 * inserts the address's row if absent (so there is a row to lock), locks it with {@code SELECT ...
 * FOR UPDATE}, applies the change and writes the result, all in one transaction: concurrent changes
 * of one address, from any instance, run one after the other.
 */
public final class JdbcSuppressionStore implements SuppressionStore {
  private static final String TABLE = "steward_suppression";

  private final Jdbc jdbc;

  JdbcSuppressionStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A store over the tables in {@code dataSource}'s database. */
  public static JdbcSuppressionStore of(DataSource dataSource) {
    return new JdbcSuppressionStore(new Jdbc(dataSource));
  }

  @Override
  public Optional<AddressSuppressions> find(TenantId tenant, EmailAddress address) {
    check(tenant, address);
    return jdbc.withConnection(
        "finding the suppressions of " + tenant + "/" + address.masked(),
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.queryOne(
                c,
                "SELECT document FROM "
                    + TABLE
                    + " WHERE tenant_id = ? AND address = ? AND document IS NOT NULL",
                rs -> SuppressionJson.read(tenant, address, rs.getString(1)),
                tenant.value(),
                address.value()));
  }

  /** One SELECT per {@value JdbcDeliveryLedger#CHUNK} addresses. */
  @Override
  public Map<EmailAddress, AddressSuppressions> findAll(
      TenantId tenant, Collection<EmailAddress> addresses) {
    if (addresses == null) {
      throw new InvalidConsentException("addresses must not be null");
    }
    List<EmailAddress> all = new ArrayList<>(new LinkedHashSet<>(addresses));
    for (EmailAddress a : all) {
      check(tenant, a);
    }
    if (tenant == null) {
      throw new InvalidConsentException("tenant must not be null");
    }
    Map<String, EmailAddress> byValue = new HashMap<>();
    for (EmailAddress a : all) {
      byValue.put(a.value(), a);
    }
    Map<EmailAddress, AddressSuppressions> read =
        jdbc.withConnection(
            "finding the suppressions of " + all.size() + " addresses of " + tenant,
            Jdbc.Repeat.SAFE,
            c -> {
              Map<EmailAddress, AddressSuppressions> rows = new HashMap<>();
              for (Map.Entry<EmailAddress, AddressSuppressions> e :
                  Jdbc.queryIn(
                      c,
                      "SELECT address, document FROM " + TABLE + " WHERE tenant_id = ? AND address",
                      " AND document IS NOT NULL",
                      tenant.value(),
                      List.copyOf(byValue.keySet()),
                      JdbcDeliveryLedger.CHUNK,
                      rs -> {
                        EmailAddress a = byValue.get(rs.getString(1));
                        return Map.entry(a, SuppressionJson.read(tenant, a, rs.getString(2)));
                      })) {
                rows.put(e.getKey(), e.getValue());
              }
              return rows;
            });
    Map<EmailAddress, AddressSuppressions> found = new LinkedHashMap<>();
    for (EmailAddress a : all) {
      AddressSuppressions entry = read.get(a);
      if (entry != null) {
        found.put(a, entry);
      }
    }
    return found;
  }

  @Override
  public AddressSuppressions update(
      TenantId tenant, EmailAddress address, UnaryOperator<AddressSuppressions> change) {
    check(tenant, address);
    if (change == null) {
      throw new InvalidConsentException("change must not be null");
    }
    return jdbc.inTransaction(
        "updating the suppressions of " + tenant + "/" + address.masked(),
        c -> {
          AddressSuppressions current = lockOrCreate(c, tenant, address);
          AddressSuppressions next = change.apply(current);
          if (next == null) {
            throw new InvalidConsentException(
                "the suppression change for " + tenant + "/" + address.masked() + " returned null");
          }
          if (!next.tenant().equals(tenant) || !next.address().equals(address)) {
            throw new InvalidConsentException(
                "the suppression change for "
                    + tenant
                    + "/"
                    + address.masked()
                    + " returned the entry of "
                    + next.tenant()
                    + "/"
                    + next.address().masked());
          }
          Jdbc.update(
              c,
              "UPDATE "
                  + TABLE
                  + " SET suppressed = ?, document = ? WHERE tenant_id = ? AND address = ?",
              next.isSuppressed(),
              SuppressionJson.write(next),
              tenant.value(),
              address.value());
          return next;
        });
  }

  /**
   * Locks the address's row, first inserting a placeholder (document NULL) if there is none; the
   * placeholder goes with the transaction if the change fails. Retries if a concurrent erase
   * deletes the row between the insert and the lock.
   */
  private AddressSuppressions lockOrCreate(Connection c, TenantId tenant, EmailAddress address)
      throws SQLException {
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<AddressSuppressions> locked =
          Jdbc.queryOne(
              c,
              "SELECT document FROM " + TABLE + " WHERE tenant_id = ? AND address = ? FOR UPDATE",
              rs -> {
                String doc = rs.getString(1);
                return doc == null
                    ? AddressSuppressions.empty(tenant, address)
                    : SuppressionJson.read(tenant, address, doc);
              },
              tenant.value(),
              address.value());
      if (locked.isPresent()) {
        return locked.get();
      }
      jdbc.dialect()
          .insertIfAbsent(
              c,
              TABLE,
              new String[] {"tenant_id", "address"},
              new String[] {"tenant_id", "address", "suppressed", "document"},
              tenant.value(),
              address.value(),
              false,
              Jdbc.TypedNull.VARCHAR);
    }
    throw new JdbcStoreException(
        "could not lock the suppression row of " + tenant + "/" + address.masked());
  }

  @Override
  public List<AddressSuppressions> list(TenantId tenant, Optional<EmailAddress> after, int limit) {
    if (tenant == null) {
      throw new InvalidConsentException("tenant must not be null");
    }
    if (after == null) {
      throw new InvalidConsentException("after must not be null");
    }
    if (limit < 1 || limit > MAX_PAGE) {
      throw new InvalidConsentException("limit must be 1 to " + MAX_PAGE + ", was " + limit);
    }
    return jdbc.withConnection(
        "listing the suppressions of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.query(
                c,
                "SELECT address, document FROM "
                    + TABLE
                    + " WHERE tenant_id = ? AND address > ? AND suppressed"
                    + " AND document IS NOT NULL ORDER BY address LIMIT "
                    + limit,
                rs ->
                    SuppressionJson.read(tenant, EmailAddress.of(rs.getString(1)), rs.getString(2)),
                tenant.value(),
                after.map(EmailAddress::value).orElse("")));
  }

  @Override
  public boolean erase(TenantId tenant, EmailAddress address) {
    check(tenant, address);
    return jdbc.withConnection(
            "erasing the suppressions of " + tenant + "/" + address.masked(),
            c ->
                Jdbc.update(
                    c,
                    "DELETE FROM " + TABLE + " WHERE tenant_id = ? AND address = ?",
                    tenant.value(),
                    address.value()))
        > 0;
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    if (tenant == null) {
      throw new InvalidConsentException("tenant must not be null");
    }
    return jdbc.withConnection(
        "erasing the suppressions of tenant " + tenant,
        c -> Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE tenant_id = ?", tenant.value()));
  }

  /** The same refusals as the in-memory store, so both keep one contract. */
  private static void check(TenantId tenant, EmailAddress address) {
    if (tenant == null) {
      throw new InvalidConsentException("tenant must not be null");
    }
    if (address == null) {
      throw new InvalidConsentException("address must not be null");
    }
  }
}
