package dev.steward.sendgrid.mail;

import java.util.Objects;

/**
 * The key one tenant sends with (a subuser-scoped key with the {@code mail.send} scope: Mail Send
 * does not accept {@code on-behalf-of}) and the region of its account. Its {@code toString()} is
 * redacted, as the key's is.
 *
 * @param apiKey the key
 * @param region the account's region, which picks the base URL
 */
public record TenantCredential(ApiKey apiKey, Region region) {
  /** Checks that both parts are there. */
  public TenantCredential {
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(region, "region");
  }

  /** A key on the global API. */
  public static TenantCredential of(ApiKey apiKey) {
    return new TenantCredential(apiKey, Region.GLOBAL);
  }
}
