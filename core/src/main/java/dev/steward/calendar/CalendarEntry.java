package dev.steward.calendar;

import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;

/**
 * One line of the communication calendar: a communication scheduled or sent to an account (and
 * usually one contact at it), or a complaint that later communications must keep away from.
 *
 * @param tenant the tenant the account belongs to: the same account or contact id under two tenants
 *     is two different subjects
 * @param id unique id within the tenant (a message id for messages; any id for campaigns and
 *     complaints)
 * @param contact the contact, or null for an account-wide communication (a webinar, a campaign)
 * @param team the sending team ("marketing", "csm", ...)
 * @param kind the message kind; null for complaints
 * @param category the category; for complaints the category complained about, or null
 * @param campaign the campaign this belongs to, or null
 * @param at when it is scheduled for, was sent, or (complaints) happened
 */
public record CalendarEntry(
    TenantId tenant,
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

  /**
   * Checks every field against what every {@link CalendarStore} can hold ({@link StoreLimits}), so
   * an entry built is an entry any store accepts.
   */
  public CalendarEntry {
    String idProblem = StoreLimits.textProblem(id, StoreLimits.MAX_ID_LENGTH);
    if (idProblem != null) {
      throw new InvalidCalendarException("calendar entry id " + idProblem);
    }
    required(id, tenant, "tenant");
    required(id, type, "type");
    required(id, status, "status");
    required(id, account, "account");
    String atProblem = StoreLimits.instantProblem(at);
    if (atProblem != null) {
      throw new InvalidCalendarException("calendar entry '" + id + "' at " + atProblem);
    }
    name(id, team, "team");
    name(id, campaign, "campaign");
    if (type == Type.COMMUNICATION) {
      required(id, team, "team");
      required(id, kind, "kind");
      required(id, channel, "channel");
      category = Message.category(category);
    } else if (category != null) {
      category = Message.category(category);
    }
  }

  private static void required(String id, Object value, String field) {
    if (value == null) {
      throw new InvalidCalendarException(
          "calendar entry '" + id + "' " + field + " must not be null");
    }
  }

  /** A name that may be absent (null) but, when present, must fit every store. */
  private static void name(String id, String value, String field) {
    if (value != null) {
      String problem = StoreLimits.textProblem(value, StoreLimits.MAX_NAME_LENGTH);
      if (problem != null) {
        throw new InvalidCalendarException("calendar entry '" + id + "' " + field + " " + problem);
      }
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
