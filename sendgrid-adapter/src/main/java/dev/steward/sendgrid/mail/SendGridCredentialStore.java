package dev.steward.sendgrid.mail;

import dev.steward.model.TenantId;

/**
 * SPI: where each tenant's sending key is kept, written when the key is issued ({@code
 * ApiKeys.issueSendingKey}) and read by the transport as its {@link SendGridCredentials}. An ISV
 * backs it with its own secret store; {@link #inMemory()} serves a single process and tests.
 * Implementations must keep the key out of logs and {@code toString()}.
 */
public interface SendGridCredentialStore extends SendGridCredentials {

  /** Keeps {@code credential} as the tenant's, replacing any earlier one. */
  void put(TenantId tenant, TenantCredential credential);

  /** Forgets the tenant's credential; true if there was one. */
  boolean remove(TenantId tenant);

  /** A store in this process's memory: lost at exit. */
  static SendGridCredentialStore inMemory() {
    return new InMemoryCredentialStore();
  }
}
