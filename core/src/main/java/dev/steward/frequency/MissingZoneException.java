package dev.steward.frequency;

import dev.steward.model.MessageId;
import dev.steward.model.TenantId;

/**
 * A message names no recipient zone and its tenant's policy gives no zone to read it in, while a
 * rule of that policy reads local time (quiet hours, a send window, a calendar window, a contact's
 * chosen frequency). Thrown before anything is written: a missing zone is never read as UTC. Give
 * the message a zone ({@code Message.builder().recipientZone(...)}) or the policy a default zone
 * ({@link CapPolicy.Builder#defaultZone}).
 */
public final class MissingZoneException extends InvalidLimiterArgumentException {
  private static final long serialVersionUID = 1L;

  private final MessageId messageId;
  private final TenantId tenant;

  /** The message {@code messageId} of {@code tenant} has no zone to be read in. */
  public MissingZoneException(MessageId messageId, TenantId tenant) {
    super(
        "message "
            + messageId
            + " of tenant "
            + tenant
            + " has no recipientZone and the tenant's cap policy has no zone or defaultZone;"
            + " a rule reads local time, so give the message a zone or the policy a defaultZone");
    this.messageId = messageId;
    this.tenant = tenant;
  }

  /** The message refused. */
  public MessageId messageId() {
    return messageId;
  }

  /** The message's tenant. */
  public TenantId tenant() {
    return tenant;
  }
}
