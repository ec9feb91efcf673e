package dev.steward.onboarding;

import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import java.util.Optional;

/**
 * What the {@link TenantGate} asks about a message's sender: the From address the transport will
 * put on it (core's {@link Message} does not carry one; the ISV's transport set-up chooses it), and
 * whether that address's domain is authenticated for the tenant at the provider (SPF and DKIM in
 * place, as {@link SenderAuthentication} validated them), or the address is a verified single
 * sender. Implemented by the application or the provider adapter; answers are asked on every
 * message, so cache them.
 */
public interface SenderIdentities {

  /** The From address {@code message} will be sent with; empty if none can be named. */
  Optional<EmailAddress> from(Message message);

  /** True if {@code domain} (lower case) is authenticated for {@code tenant}. */
  boolean domainAuthenticated(TenantId tenant, String domain);

  /**
   * True if {@code address} is a verified single sender of {@code tenant} (the fallback for low
   * volume and tests); the default knows none.
   */
  default boolean singleSenderVerified(TenantId tenant, EmailAddress address) {
    return false;
  }
}
