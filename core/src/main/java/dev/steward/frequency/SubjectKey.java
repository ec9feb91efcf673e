package dev.steward.frequency;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;

/**
 * Whose send log a cap counts: one contact's ({@code "c:<id>"}) or one account's ({@code
 * "a:<id>"}), always within one tenant: the same contact id under two tenants is two keys and two
 * logs.
 *
 * <p>A key is held as its tenant, its kind and the bare id, not as a concatenated string: the
 * limiter makes a key for every decision, and hashing the id's and the tenant's strings (whose
 * hashes the strings cache) costs nothing, while a concatenated string would be built and hashed
 * anew each time. Two keys with the same tenant and {@link #value()} are equal however they were
 * made.
 */
public final class SubjectKey implements Comparable<SubjectKey> {
  private static final int MAX_LENGTH = 256;

  /**
   * 'c' or 'a' for the two prefixed forms, 0 for any other value (then {@link #id} is all of it).
   */
  private final char kind;

  private final TenantId tenant;

  private final String id;

  /**
   * The id's string hash, taken from the {@link ContactId} or {@link AccountId} (which keep it), so
   * a key made for a decision never reads the id string: when the ledger holds that very string,
   * the lookup compares references and the string stays out of the cache.
   */
  private final int idHash;

  /** The concatenated form, built on first use; a benign race, as for String's own hash. */
  private String value;

  /** A key of {@code tenant} from its full value, e.g. {@code "c:ada"}; 1 to 256 characters. */
  public static SubjectKey of(TenantId tenant, String value) {
    return new SubjectKey(tenant(tenant), value);
  }

  private SubjectKey(TenantId tenant, String value) {
    if (value == null) {
      throw new InvalidLimiterArgumentException("subject key must not be null");
    }
    this.tenant = tenant;
    if (value.isEmpty() || value.length() > MAX_LENGTH) {
      throw tooLong(value);
    }
    char k = value.length() >= 2 && value.charAt(1) == ':' ? value.charAt(0) : 0;
    if (k == 'c' || k == 'a') {
      this.kind = k;
      this.id = value.substring(2);
    } else {
      this.kind = 0;
      this.id = value;
    }
    this.idHash = id.hashCode();
    this.value = value;
  }

  /**
   * A key from a contact's or an account's id: those are at most 200 characters, so the prefixed
   * form always fits the 256 of the store's column and needs no check here.
   */
  private SubjectKey(TenantId tenant, char kind, String id, int idHash) {
    this.tenant = tenant;
    this.kind = kind;
    this.id = id;
    this.idHash = idHash;
  }

  private static InvalidLimiterArgumentException tooLong(String value) {
    return new InvalidLimiterArgumentException(
        "subject key must have 1 to "
            + MAX_LENGTH
            + " characters (the store's column), has "
            + value.length()
            + ": '"
            + value.substring(0, Math.min(40, value.length()))
            + (value.length() > 40 ? "...'" : "'"));
  }

  private static TenantId tenant(TenantId tenant) {
    if (tenant == null) {
      throw new InvalidLimiterArgumentException("tenant must not be null");
    }
    return tenant;
  }

  /** The key of one contact's log within {@code tenant}. */
  public static SubjectKey contact(TenantId tenant, ContactId contact) {
    tenant(tenant);
    if (contact == null) {
      throw new InvalidLimiterArgumentException("contact must not be null");
    }
    return new SubjectKey(tenant, 'c', contact.value(), contact.hashCode());
  }

  /** The key of one account's log within {@code tenant}. */
  public static SubjectKey account(TenantId tenant, AccountId account) {
    tenant(tenant);
    if (account == null) {
      throw new InvalidLimiterArgumentException("account must not be null");
    }
    return new SubjectKey(tenant, 'a', account.value(), account.hashCode());
  }

  /** The tenant whose log this is. */
  public TenantId tenant() {
    return tenant;
  }

  /**
   * The key within its tenant as one string, {@code "c:<contact id>"} or {@code "a:<account id>"}
   * (the tenant is apart: see {@link #tenant()}).
   */
  public String value() {
    String v = value;
    if (v == null) {
      v = kind + ":" + id;
      value = v;
    }
    return v;
  }

  /** True for a contact's key; then {@link #id()} is the contact's id. */
  boolean isContact() {
    return kind == 'c';
  }

  /** The id after the kind's prefix, or the whole value for a key of neither kind. */
  String id() {
    return id;
  }

  /** True when {@code o} is of the same tenant (the same object first, as it usually is). */
  boolean sameTenant(SubjectKey o) {
    return tenant == o.tenant || tenant.value().equals(o.tenant.value());
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof SubjectKey k && kind == k.kind && id.equals(k.id) && sameTenant(k));
  }

  /**
   * From the id's hash (kept when the key was made) and the tenant's own (cached) string hash and
   * the kind, so a fresh key for a known id hashes for free.
   */
  @Override
  public int hashCode() {
    return (31 * idHash + kind) * 31 + tenant.value().hashCode();
  }

  /** By tenant, then by {@link #value()}: the order in which stores lock logs. */
  @Override
  public int compareTo(SubjectKey o) {
    int t = sameTenant(o) ? 0 : tenant.value().compareTo(o.tenant.value());
    return t != 0 ? t : value().compareTo(o.value());
  }

  /** {@code "<tenant>/<value>"}, e.g. {@code "acme/c:ada"}. */
  @Override
  public String toString() {
    return tenant.value() + "/" + value();
  }
}
