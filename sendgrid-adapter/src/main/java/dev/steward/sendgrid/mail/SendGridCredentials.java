package dev.steward.sendgrid.mail;

import dev.steward.model.TenantId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * SPI: the key and region each tenant sends with. An ISV keeps one subuser per tenant and one
 * subuser-scoped key per subuser (Mail Send refuses the parent key with {@code on-behalf-of}), in
 * its own secret store; a customer-success team with one account uses {@link #single}.
 *
 * <p>Called once per send, on the sending thread: an implementation that reads a secret store
 * should cache. Empty means the tenant has no key, and its mail is refused (not retried). An
 * exception counts as a passing failure: the send is answered RETRYABLE, nothing having been sent.
 */
@FunctionalInterface
public interface SendGridCredentials {

  /** The tenant's key and region, or empty when it has none. */
  Optional<TenantCredential> forTenant(TenantId tenant);

  /** One key for every tenant. */
  static SendGridCredentials single(TenantCredential credential) {
    Objects.requireNonNull(credential, "credential");
    Optional<TenantCredential> answer = Optional.of(credential);
    return tenant -> answer;
  }

  /** A fixed key per tenant; tenants not in the map have none. The map is copied. */
  static SendGridCredentials perTenant(Map<TenantId, TenantCredential> credentials) {
    Map<TenantId, TenantCredential> copy = Map.copyOf(credentials);
    return tenant -> Optional.ofNullable(copy.get(tenant));
  }
}
