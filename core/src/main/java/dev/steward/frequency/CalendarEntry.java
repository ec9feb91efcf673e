package dev.steward.frequency;

import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of the communication calendar: a communication scheduled or sent to an account (and
 * usually one contact at it), or a complaint that later communications must keep away from.
 *
 * @param id unique id (a message id for messages; any id for campaigns and complaints)
 * @param contact the contact, or null for an account-wide communication (a webinar, a campaign)
 * @param team the sending team ("marketing", "csm", ...)
 * @param kind the message kind; null for complaints
 * @param category the category; for complaints the category complained about, or null
 * @param campaign the campaign this belongs to, or null
 * @param at when it is scheduled for, was sent, or (complaints) happened
 */
public record CalendarEntry(
    String id,
    Type type,
    Status status,
    AccountId account,
    ContactId contact,
    String team,
    MessageKind kind,
    String category,
    Channel channel,
    String campaign,
    Instant at) {

  public CalendarEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(at, "at");
    if (type == Type.COMMUNICATION) {
      Objects.requireNonNull(team, "team");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(channel, "channel");
      category = Message.category(category);
    } else if (category != null) {
      category = Message.category(category);
    }
  }

  /** What a calendar entry is. */
  public enum Type {
    COMMUNICATION,
    COMPLAINT
  }

  /** Where a communication stands; complaints are always {@link #SENT} (it happened). */
  public enum Status {
    SCHEDULED,
    SENT,
    CANCELLED
  }
}
