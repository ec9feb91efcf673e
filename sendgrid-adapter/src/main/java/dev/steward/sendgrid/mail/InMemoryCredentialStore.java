package dev.steward.sendgrid.mail;

import dev.steward.model.TenantId;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link SendGridCredentialStore#inMemory()}: a concurrent map; its toString names no key. */
final class InMemoryCredentialStore implements SendGridCredentialStore {
  private final ConcurrentHashMap<TenantId, TenantCredential> byTenant = new ConcurrentHashMap<>();

  @Override
  public Optional<TenantCredential> forTenant(TenantId tenant) {
    return Optional.ofNullable(byTenant.get(Objects.requireNonNull(tenant, "tenant")));
  }

  @Override
  public void put(TenantId tenant, TenantCredential credential) {
    byTenant.put(
        Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(credential, "credential"));
  }

  @Override
  public boolean remove(TenantId tenant) {
    return byTenant.remove(Objects.requireNonNull(tenant, "tenant")) != null;
  }

  @Override
  public String toString() {
    return "InMemoryCredentialStore[" + byTenant.size() + " tenants]";
  }
}
