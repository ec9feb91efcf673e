package dev.steward.testing;

import dev.steward.delivery.LedgerReconciler;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import java.time.Instant;
import java.util.Map;

/** Test fixtures for provider events about a message. */
public final class Events {
  private Events() {}

  /** The provider's "processed" event for {@code m}, carrying its own message id sg-123. */
  public static EmailEvent processed(String eventId, Message m, Instant at) {
    return EmailEvent.of(
        eventId,
        EmailEventType.PROCESSED,
        at,
        m.to(),
        m.id(),
        m.tenant(),
        m.account(),
        m.contact(),
        m.category(),
        Map.of(LedgerReconciler.PROVIDER_MESSAGE_ID, "sg-123"));
  }
}
