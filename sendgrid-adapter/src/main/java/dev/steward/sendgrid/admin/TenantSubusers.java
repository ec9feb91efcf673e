package dev.steward.sendgrid.admin;

import dev.steward.model.TenantId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which SendGrid subuser a tenant sends as: the account API acts for a tenant with the parent key
 * and {@code on-behalf-of: <subuser>}. Implement it over the application's own tenant records, or
 * take {@link #prefixed} (the subuser is named after the tenant) or {@link #of} (a fixed map).
 */
@FunctionalInterface
public interface TenantSubusers {

  /** The tenant's subuser, or empty when it has none. */
  Optional<String> subuserOf(TenantId tenant);

  /**
   * Subusers named {@code prefix + tenant id} (such as {@code tenant-acme}). A name that would not
   * be a valid subuser username is no subuser: the tenant has none. A tenant id with an upper-case
   * letter is refused with a {@link SubuserConflictException}: SendGrid does not tell usernames
   * apart by case, so tenants {@code Acme} and {@code acme} would share one subuser.
   */
  static TenantSubusers prefixed(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.isEmpty()) {
      Names.subuser(prefix);
    }
    return tenant -> {
      Objects.requireNonNull(tenant, "tenant");
      String name = prefix + tenant.value();
      if (!tenant.value().equals(tenant.value().toLowerCase(Locale.ROOT))) {
        throw new SubuserConflictException(
            "tenant '"
                + tenant
                + "' would be subuser '"
                + name
                + "', which SendGrid does not tell from '"
                + prefix
                + tenant.value().toLowerCase(Locale.ROOT)
                + "'; give such tenants their subusers with TenantSubusers.of or your own mapping");
      }
      try {
        return Optional.of(Names.subuser(name));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    };
  }

  /**
   * The subusers of a fixed map, each name checked now; other tenants have none.
   *
   * @throws SubuserConflictException if two tenants have one username, or usernames that differ
   *     only in letter case
   */
  static TenantSubusers of(Map<TenantId, String> subusers) {
    Objects.requireNonNull(subusers, "subusers");
    Map<TenantId, String> copy = new HashMap<>();
    Map<String, TenantId> byFolded = new TreeMap<>();
    new TreeMap<>(subusers)
        .forEach(
            (t, s) -> {
              String name = Names.subuser(s);
              TenantId other = byFolded.putIfAbsent(name.toLowerCase(Locale.ROOT), t);
              if (other != null) {
                String shared = copy.get(other);
                throw new SubuserConflictException(
                    "tenants '"
                        + other
                        + "' and '"
                        + t
                        + "' would share a SendGrid subuser: "
                        + (shared.equals(name)
                            ? "both are '" + name + "'"
                            : "'" + shared + "' and '" + name + "' differ only in case"));
              }
              copy.put(Objects.requireNonNull(t, "tenant"), name);
            });
    Map<TenantId, String> fixed = Map.copyOf(copy);
    return tenant -> Optional.ofNullable(fixed.get(Objects.requireNonNull(tenant, "tenant")));
  }
}
