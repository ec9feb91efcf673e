package dev.steward.sendgrid.admin;

import dev.steward.model.TenantId;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
   * be a valid subuser username is no subuser: the tenant has none.
   */
  static TenantSubusers prefixed(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.isEmpty()) {
      Names.subuser(prefix);
    }
    return tenant -> {
      Objects.requireNonNull(tenant, "tenant");
      String name = prefix + tenant.value();
      try {
        return Optional.of(Names.subuser(name));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    };
  }

  /** The subusers of a fixed map, each name checked now; other tenants have none. */
  static TenantSubusers of(Map<TenantId, String> subusers) {
    Objects.requireNonNull(subusers, "subusers");
    Map<TenantId, String> copy = new HashMap<>();
    subusers.forEach((t, s) -> copy.put(Objects.requireNonNull(t, "tenant"), Names.subuser(s)));
    Map<TenantId, String> fixed = Map.copyOf(copy);
    return tenant -> Optional.ofNullable(fixed.get(Objects.requireNonNull(tenant, "tenant")));
  }
}
