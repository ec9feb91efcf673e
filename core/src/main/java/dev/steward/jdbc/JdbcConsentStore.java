package dev.steward.jdbc;

import dev.steward.consent.ConsentStore;
import dev.steward.consent.ContactConsent;
import dev.steward.model.ContactId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * A {@link ConsentStore} in a database table ({@code steward_consent}), one row per contact holding
 * a JSON document. An update inserts the contact's row if absent (so there is a row to lock), locks
 * it with {@code SELECT ... FOR UPDATE}, applies the change and writes the result, all in one
 * transaction: concurrent updates of one contact, from any instance, run one after the other.
 */
public final class JdbcConsentStore implements ConsentStore {
  private static final String TABLE = "steward_consent";

  private final Jdbc jdbc;

  private JdbcConsentStore(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  /** A store over the tables in {@code dataSource}'s database. */
  public static JdbcConsentStore create(DataSource dataSource) {
    return new JdbcConsentStore(dataSource);
  }

  @Override
  public Optional<ContactConsent> find(ContactId contact) {
    Check.notNull(contact, "contact");
    return jdbc.withConnection(
        "finding the consent of " + contact,
        c ->
            Jdbc.queryOne(
                c,
                "SELECT document FROM " + TABLE + " WHERE contact_id = ? AND document IS NOT NULL",
                rs -> ConsentJson.read(rs.getString(1)),
                contact.value()));
  }

  @Override
  public ContactConsent update(ContactId contact, UnaryOperator<ContactConsent> change) {
    Check.notNull(contact, "contact");
    Check.notNull(change, "change");
    return jdbc.inTransaction(
        "updating the consent of " + contact,
        c -> {
          ContactConsent current = lockOrCreate(c, contact);
          ContactConsent next = change.apply(current);
          if (next == null) {
            throw new InvalidStoreInputException(
                "the consent change for " + contact + " returned null");
          }
          if (!next.contact().equals(contact)) {
            throw new InvalidStoreInputException(
                "the consent change for " + contact + " returned consent of " + next.contact());
          }
          Jdbc.update(
              c,
              "UPDATE " + TABLE + " SET document = ? WHERE contact_id = ?",
              ConsentJson.write(next),
              contact.value());
          return next;
        });
  }

  /**
   * Locks the contact's row, first inserting a placeholder (document NULL) if there is none; the
   * placeholder goes with the transaction if the change fails. Retries if a concurrent erase
   * deletes the row between the insert and the lock.
   */
  private ContactConsent lockOrCreate(Connection c, ContactId contact) throws SQLException {
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<ContactConsent> locked =
          Jdbc.queryOne(
              c,
              "SELECT document FROM " + TABLE + " WHERE contact_id = ? FOR UPDATE",
              rs -> {
                String doc = rs.getString(1);
                return doc == null ? ContactConsent.empty(contact) : ConsentJson.read(doc);
              },
              contact.value());
      if (locked.isPresent()) {
        return locked.get();
      }
      jdbc.dialect()
          .insertIfAbsent(
              c,
              TABLE,
              new String[] {"contact_id"},
              new String[] {"contact_id", "document"},
              contact.value(),
              Jdbc.TypedNull.VARCHAR);
    }
    throw new JdbcStoreException("could not lock the consent row of " + contact);
  }

  @Override
  public boolean erase(ContactId contact) {
    Check.notNull(contact, "contact");
    return jdbc.withConnection(
            "erasing the consent of " + contact,
            c -> Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE contact_id = ?", contact.value()))
        > 0;
  }
}
