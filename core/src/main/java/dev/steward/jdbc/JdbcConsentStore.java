package dev.steward.jdbc;

import dev.steward.consent.ConsentChange;
import dev.steward.consent.ConsentChangeFeed;
import dev.steward.consent.ConsentStore;
import dev.steward.consent.ContactConsent;
import dev.steward.consent.InvalidConsentException;
import dev.steward.model.ContactId;
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
 * A {@link ConsentStore} in a database table ({@code steward_consent}), one row per tenant and
 * contact holding a JSON document. An update inserts the contact's row if absent (so there is a row
 * to lock), locks it with {@code SELECT ... FOR UPDATE}, applies the change and writes the result,
 * all in one transaction: concurrent updates of one contact, from any instance, run one after the
 * other.
 *
 * <p>Its {@link ConsentChangeFeed}: the last step of every update takes the next number from the
 * one-row counter {@code steward_consent_change} and writes it to the row's {@code change_seq}. The
 * counter row stays locked until the update commits, so numbers are committed in the order they
 * were given and a reader never sees a number while a smaller one is still to come (updates of
 * different contacts wait for each other only for that last step).
 */
public final class JdbcConsentStore implements ConsentStore, ConsentChangeFeed {
  private static final String TABLE = "steward_consent";
  private static final String COUNTER = "steward_consent_change";

  private final Jdbc jdbc;

  JdbcConsentStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A store over the tables in {@code dataSource}'s database. */
  public static JdbcConsentStore of(DataSource dataSource) {
    return new JdbcConsentStore(new Jdbc(dataSource));
  }

  @Override
  public Optional<ContactConsent> find(TenantId tenant, ContactId contact) {
    check(tenant, contact);
    return jdbc.withConnection(
        "finding the consent of " + tenant + "/" + contact,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.queryOne(
                c,
                "SELECT document FROM "
                    + TABLE
                    + " WHERE tenant_id = ? AND contact_id = ? AND document IS NOT NULL",
                rs -> ConsentJson.read(tenant, rs.getString(1)),
                tenant.value(),
                contact.value()));
  }

  /** One SELECT per {@value JdbcDeliveryLedger#CHUNK} contacts. */
  @Override
  public Map<ContactId, ContactConsent> findAll(TenantId tenant, Collection<ContactId> contacts) {
    if (contacts == null) {
      throw new InvalidConsentException("contacts must not be null");
    }
    List<ContactId> all = new ArrayList<>(new LinkedHashSet<>(contacts));
    for (ContactId c : all) {
      check(tenant, c);
    }
    if (tenant == null) {
      throw new InvalidConsentException("tenant must not be null");
    }
    Map<String, ContactId> byValue = new HashMap<>();
    for (ContactId c : all) {
      byValue.put(c.value(), c);
    }
    Map<ContactId, ContactConsent> read =
        jdbc.withConnection(
            "finding the consents of " + all.size() + " contacts of " + tenant,
            Jdbc.Repeat.SAFE,
            c -> {
              Map<ContactId, ContactConsent> rows = new HashMap<>();
              for (Map.Entry<ContactId, ContactConsent> e :
                  Jdbc.queryIn(
                      c,
                      "SELECT contact_id, document FROM "
                          + TABLE
                          + " WHERE tenant_id = ? AND contact_id",
                      " AND document IS NOT NULL",
                      tenant.value(),
                      List.copyOf(byValue.keySet()),
                      JdbcDeliveryLedger.CHUNK,
                      rs ->
                          Map.entry(
                              byValue.get(rs.getString(1)),
                              ConsentJson.read(tenant, rs.getString(2))))) {
                rows.put(e.getKey(), e.getValue());
              }
              return rows;
            });
    Map<ContactId, ContactConsent> found = new LinkedHashMap<>();
    for (ContactId c : all) {
      ContactConsent consent = read.get(c);
      if (consent != null) {
        found.put(c, consent);
      }
    }
    return found;
  }

  @Override
  public ContactConsent update(
      TenantId tenant, ContactId contact, UnaryOperator<ContactConsent> change) {
    check(tenant, contact);
    if (change == null) {
      throw new InvalidConsentException("change must not be null");
    }
    return jdbc.inTransaction(
        "updating the consent of " + tenant + "/" + contact,
        c -> {
          ContactConsent current = lockOrCreate(c, tenant, contact);
          ContactConsent next = change.apply(current);
          if (next == null) {
            throw new InvalidConsentException(
                "the consent change for " + tenant + "/" + contact + " returned null");
          }
          if (!next.contact().equals(contact) || !next.tenant().equals(tenant)) {
            throw new InvalidConsentException(
                "the consent change for "
                    + tenant
                    + "/"
                    + contact
                    + " returned consent of "
                    + next.tenant()
                    + "/"
                    + next.contact());
          }
          String document = ConsentJson.write(next);
          long sequence = nextSequence(c);
          Jdbc.update(
              c,
              "UPDATE "
                  + TABLE
                  + " SET document = ?, change_seq = ? WHERE tenant_id = ? AND contact_id = ?",
              document,
              sequence,
              tenant.value(),
              contact.value());
          return next;
        });
  }

  /**
   * Locks the contact's row, first inserting a placeholder (document NULL) if there is none; the
   * placeholder goes with the transaction if the change fails. Retries if a concurrent erase
   * deletes the row between the insert and the lock.
   */
  private ContactConsent lockOrCreate(Connection c, TenantId tenant, ContactId contact)
      throws SQLException {
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<ContactConsent> locked =
          Jdbc.queryOne(
              c,
              "SELECT document FROM "
                  + TABLE
                  + " WHERE tenant_id = ? AND contact_id = ? FOR UPDATE",
              rs -> {
                String doc = rs.getString(1);
                return doc == null
                    ? ContactConsent.empty(tenant, contact)
                    : ConsentJson.read(tenant, doc);
              },
              tenant.value(),
              contact.value());
      if (locked.isPresent()) {
        return locked.get();
      }
      jdbc.dialect()
          .insertIfAbsent(
              c,
              TABLE,
              new String[] {"tenant_id", "contact_id"},
              new String[] {"tenant_id", "contact_id", "document"},
              tenant.value(),
              contact.value(),
              Jdbc.TypedNull.VARCHAR);
    }
    throw new JdbcStoreException("could not lock the consent row of " + tenant + "/" + contact);
  }

  /**
   * The next change number, the counter row locked until the transaction ends; a counter row that
   * is missing (deleted by hand) is made again above every number stored.
   */
  private long nextSequence(Connection c) throws SQLException {
    for (int attempt = 0; attempt < 3; attempt++) {
      if (Jdbc.update(c, "UPDATE " + COUNTER + " SET last_seq = last_seq + 1 WHERE id = 1") == 1) {
        return Jdbc.queryOne(
                c, "SELECT last_seq FROM " + COUNTER + " WHERE id = 1", rs -> rs.getLong(1))
            .orElseThrow();
      }
      long highest =
          Jdbc.queryOne(c, "SELECT COALESCE(MAX(change_seq), 0) FROM " + TABLE, rs -> rs.getLong(1))
              .orElse(0L);
      jdbc.dialect()
          .insertIfAbsent(
              c, COUNTER, new String[] {"id"}, new String[] {"id", "last_seq"}, 1, highest);
    }
    throw new JdbcStoreException("could not take a consent change number");
  }

  @Override
  public List<ConsentChange> changesAfter(long sequence, int max) {
    ConsentChangeFeed.checkArguments(sequence, max);
    return jdbc.withConnection(
        "reading consent changes after " + sequence,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.query(
                c,
                "SELECT change_seq, tenant_id, contact_id FROM "
                    + TABLE
                    + " WHERE change_seq > ? ORDER BY change_seq LIMIT ?",
                rs ->
                    new ConsentChange(
                        rs.getLong(1), TenantId.of(rs.getString(2)), ContactId.of(rs.getString(3))),
                sequence,
                max));
  }

  @Override
  public boolean erase(TenantId tenant, ContactId contact) {
    check(tenant, contact);
    return jdbc.withConnection(
            "erasing the consent of " + tenant + "/" + contact,
            c ->
                Jdbc.update(
                    c,
                    "DELETE FROM " + TABLE + " WHERE tenant_id = ? AND contact_id = ?",
                    tenant.value(),
                    contact.value()))
        > 0;
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    if (tenant == null) {
      throw new InvalidConsentException("tenant must not be null");
    }
    return jdbc.withConnection(
        "erasing the consent of tenant " + tenant,
        c -> Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE tenant_id = ?", tenant.value()));
  }

  /** The same refusals as the in-memory store, so both keep one contract. */
  private static void check(TenantId tenant, ContactId contact) {
    if (tenant == null) {
      throw new InvalidConsentException("tenant must not be null");
    }
    if (contact == null) {
      throw new InvalidConsentException("contact must not be null");
    }
  }
}
