package dev.steward.health;

import dev.steward.model.AccountId;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * One engagement event of a tenant's account, as an {@link EngagementStore} keeps it: a provider's
 * event, or engagement recorded from outside the provider (the CSM's own mail and its replies).
 * Every store accepts and refuses the same events: the checks here are the schema's limits.
 *
 * @param eventId unique within the account: the provider's event id, or the caller's id for
 *     engagement recorded from outside; recording an id again changes nothing
 * @param messageId the message opened or clicked, which makes opens and clicks unique per message;
 *     null when unknown (the event then counts as its own message)
 * @param text a reply's text for the sentiment measure; null for every other kind, and allowed null
 *     for a reply
 */
public record EngagementEvent(
    TenantId tenant,
    AccountId account,
    String eventId,
    EngagementKind kind,
    Instant at,
    Optional<String> messageId,
    Optional<String> text) {

  /** The longest event id: a provider's id, or an outside id with its prefix. */
  public static final int MAX_EVENT_ID_LENGTH = 256;

  public EngagementEvent {
    InvalidHealthInputException.requireNonNull(tenant, "engagement event tenant");
    InvalidHealthInputException.requireNonNull(account, "engagement event account");
    check(StoreLimits.textProblem(eventId, MAX_EVENT_ID_LENGTH), "engagement event id");
    InvalidHealthInputException.requireNonNull(kind, "engagement event kind");
    check(StoreLimits.instantProblem(at), "engagement event " + eventId + " at");
    InvalidHealthInputException.requireNonNull(messageId, "engagement event messageId");
    InvalidHealthInputException.requireNonNull(text, "engagement event text");
    if (messageId.isPresent()) {
      check(
          StoreLimits.textProblem(messageId.get(), StoreLimits.MAX_ID_LENGTH),
          "engagement event " + eventId + " messageId");
    }
    if (text.isPresent()) {
      if (kind != EngagementKind.REPLIED) {
        throw new InvalidHealthInputException(
            "engagement event " + eventId + ": only a reply carries text, not a " + kind);
      }
      int half = StoreLimits.unpairedSurrogateAt(text.get());
      if (half >= 0) {
        throw new InvalidHealthInputException(
            "engagement event "
                + eventId
                + " text has half a surrogate pair at index "
                + half
                + "; no store keeps it exactly");
      }
    }
  }

  /** An event with no message and no text. */
  public static EngagementEvent of(
      TenantId tenant, AccountId account, String eventId, EngagementKind kind, Instant at) {
    return of(tenant, account, eventId, kind, at, null, null);
  }

  /** An event from values of which the message id and the reply's text may be null. */
  public static EngagementEvent of(
      TenantId tenant,
      AccountId account,
      String eventId,
      EngagementKind kind,
      Instant at,
      String messageId,
      String text) {
    return new EngagementEvent(
        tenant,
        account,
        eventId,
        kind,
        at,
        Optional.ofNullable(messageId),
        Optional.ofNullable(text));
  }

  private static void check(String problem, String argument) {
    if (problem != null) {
      throw new InvalidHealthInputException(argument + " " + problem);
    }
  }
}
