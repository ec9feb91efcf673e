package dev.steward.calendar;

import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.InvalidModelException;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * One line of the communication calendar: a communication scheduled or sent to an account (and
 * usually one contact at it), or a complaint that later communications must keep away from.
 *
 * @param tenant the tenant the account belongs to: the same account or contact id under two tenants
 *     is two different subjects
 * @param id unique id within the tenant (a message id for messages; any id for campaigns and
 *     complaints)
 * @param contact the contact, or empty for an account-wide communication (a webinar, a campaign)
 * @param team the sending team ("marketing", "csm", ...); present for communications
 * @param kind the message kind; present for communications, empty for complaints
 * @param category the category; for complaints the category complained about, or empty
 * @param channel the channel; present for communications
 * @param campaign the campaign this belongs to, or empty
 * @param at when it is scheduled for, was sent, or (complaints) happened
 */
public record CalendarEntry(
    TenantId tenant,
    String id,
    Type type,
    Status status,
    AccountId account,
    Optional<ContactId> contact,
    Optional<String> team,
    Optional<MessageKind> kind,
    Optional<String> category,
    Optional<Channel> channel,
    Optional<String> campaign,
    Instant at) {

  /**
   * Checks every field against what every {@link CalendarStore} can hold ({@link StoreLimits}), so
   * an entry built is an entry any store accepts. A null {@code Optional} is taken as empty; {@link
   * #of} takes nullable values instead.
   */
  public CalendarEntry {
    contact = orEmpty(contact);
    team = orEmpty(team);
    kind = orEmpty(kind);
    category = orEmpty(category);
    channel = orEmpty(channel);
    campaign = orEmpty(campaign);
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
    name(id, team.orElse(null), "team");
    name(id, campaign.orElse(null), "campaign");
    if (type == Type.COMMUNICATION) {
      required(id, team.orElse(null), "team");
      required(id, kind.orElse(null), "kind");
      required(id, channel.orElse(null), "channel");
      // a communication's category is required: Message.category rejects null
      category = category(id, category);
    } else if (category.isPresent()) {
      category = category(id, category);
    }
  }

  /**
   * Strings lately found valid by identity (memsend): a team, campaign or category is the same few
   * instances entry after entry (a journey step's, a message's source), and a string checked once
   * stays valid. A slot holds one string; a race or a collision costs only a check.
   */
  private static final class Checked {
    private static final int SLOTS = 64;
    private final String[] slots = new String[SLOTS];

    boolean has(String s) {
      return slots[System.identityHashCode(s) & (SLOTS - 1)] == s;
    }

    void add(String s) {
      slots[System.identityHashCode(s) & (SLOTS - 1)] = s;
    }
  }

  /** Team and campaign names that fit every store. */
  private static final Checked NAMES = new Checked();

  /**
   * Categories that are valid and normalised already ({@link Message#category} gives them back).
   */
  private static final Checked CATEGORIES = new Checked();

  /**
   * The category normalised ({@link Message#category}, which refuses null), in an Optional; a bad
   * one is refused as the entry's other fields are, naming the entry.
   */
  private static Optional<String> category(String id, Optional<String> category) {
    String given = category.orElse(null);
    if (given != null && CATEGORIES.has(given)) {
      return category;
    }
    String c;
    try {
      c = Message.category(given);
    } catch (InvalidModelException e) {
      throw new InvalidCalendarException("calendar entry '" + id + "' " + e.getMessage(), e);
    }
    if (c == given) {
      CATEGORIES.add(c);
    }
    return normalised(c, category);
  }

  /**
   * An entry from values that may be null where they are absent ({@code contact}, {@code team},
   * {@code kind}, {@code category}, {@code channel}, {@code campaign}): the form a JDBC row or a
   * caller has at hand. Validated as the canonical constructor validates.
   */
  public static CalendarEntry of(
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
    return new CalendarEntry(
        tenant,
        id,
        type,
        status,
        account,
        Optional.ofNullable(contact),
        Optional.ofNullable(team),
        Optional.ofNullable(kind),
        Optional.ofNullable(category),
        Optional.ofNullable(channel),
        Optional.ofNullable(campaign),
        at);
  }

  /** This entry with another status and time, its other values as they are. */
  CalendarEntry with(Status status, Instant at) {
    return new CalendarEntry(
        tenant, id, type, status, account, contact, team, kind, category, channel, campaign, at);
  }

  /**
   * The normalised category, in {@code given} when it holds that very string already (a category
   * already normalised comes back as the same instance): no Optional made again per entry.
   */
  private static Optional<String> normalised(String category, Optional<String> given) {
    return given.isPresent() && given.get() == category ? given : Optional.of(category);
  }

  private static <T> Optional<T> orEmpty(Optional<T> value) {
    return value == null ? Optional.empty() : value;
  }

  private static void required(String id, Object value, String field) {
    if (value == null) {
      throw new InvalidCalendarException(
          "calendar entry '" + id + "' " + field + " must not be null");
    }
  }

  /** A name that may be absent (null) but, when present, must fit every store. */
  private static void name(String id, String value, String field) {
    if (value != null && !NAMES.has(value)) {
      String problem = StoreLimits.textProblem(value, StoreLimits.MAX_NAME_LENGTH);
      if (problem != null) {
        throw new InvalidCalendarException("calendar entry '" + id + "' " + field + " " + problem);
      }
      NAMES.add(value);
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
