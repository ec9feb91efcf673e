package dev.steward.model;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One communication to one contact: who it goes to, what kind it is, who sends it and what it
 * carries. Immutable; build one with {@link #builder()}.
 *
 * @param id unique identity; SendGrid events carry it back in {@code custom_args}
 * @param idempotencyKey the caller's key: dispatching two messages with one key sends at most one
 * @param recipientZone the recipient's time zone: calendar windows and quiet hours are read in it
 * @param category a lower-case category such as {@code product-updates}, used by consent and caps
 * @param personalisation template data; values are strings, numbers, booleans or nested maps/lists
 * @param createdAt when the caller created the message
 */
public record Message(
    MessageId id,
    String idempotencyKey,
    TenantId tenant,
    AccountId account,
    ContactId contact,
    EmailAddress to,
    ZoneId recipientZone,
    MessageKind kind,
    String category,
    Channel channel,
    Priority priority,
    Source source,
    String templateId,
    Map<String, Object> personalisation,
    Instant createdAt) {

  public Message {
    Objects.requireNonNull(id, "id");
    idempotencyKey = Ids.check("idempotency key", idempotencyKey);
    require(tenant, "tenant");
    require(account, "account");
    require(contact, "contact");
    require(recipientZone, "recipientZone");
    require(kind, "kind");
    category = category(category);
    require(channel, "channel");
    require(priority, "priority");
    require(source, "source");
    if (channel == Channel.EMAIL && to == null) {
      throw new InvalidModelException("message " + id + " is an EMAIL but has no 'to' address");
    }
    if (templateId != null) {
      Ids.check("template id", templateId);
    }
    personalisation =
        personalisation == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(personalisation));
    require(createdAt, "createdAt");
  }

  /** A builder; id, idempotency key, zone, channel and priority have defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this message's values, for a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.idempotencyKey = idempotencyKey;
    b.tenant = tenant;
    b.account = account;
    b.contact = contact;
    b.to = to;
    b.recipientZone = recipientZone;
    b.kind = kind;
    b.category = category;
    b.channel = channel;
    b.priority = priority;
    b.source = source;
    b.templateId = templateId;
    b.personalisation = personalisation;
    b.createdAt = createdAt;
    return b;
  }

  /** Normalises and checks a category name: lower case, letters, digits, '-', '_', '.' and '/'. */
  public static String category(String category) {
    String c = Ids.check("category", category).strip().toLowerCase(Locale.ROOT);
    for (int i = 0; i < c.length(); i++) {
      char ch = c.charAt(i);
      boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || "-_./".indexOf(ch) >= 0;
      if (!ok) {
        throw new InvalidModelException(
            "category '" + category + "' has the character '" + ch + "'; use a-z, 0-9, - _ . /");
      }
    }
    return c;
  }

  private static void require(Object value, String field) {
    if (value == null) {
      throw new InvalidModelException("message field '" + field + "' must not be null");
    }
  }

  /** Builds a {@link Message}; every setter returns the builder. */
  public static final class Builder {
    private MessageId id;
    private String idempotencyKey;
    private TenantId tenant;
    private AccountId account;
    private ContactId contact;
    private EmailAddress to;
    private ZoneId recipientZone = ZoneOffset.UTC;
    private MessageKind kind;
    private String category;
    private Channel channel = Channel.EMAIL;
    private Priority priority = Priority.NORMAL;
    private Source source;
    private String templateId;
    private Map<String, Object> personalisation = Map.of();
    private Instant createdAt;

    private Builder() {}

    public Builder id(MessageId id) {
      this.id = id;
      return this;
    }

    public Builder idempotencyKey(String key) {
      this.idempotencyKey = key;
      return this;
    }

    public Builder tenant(TenantId tenant) {
      this.tenant = tenant;
      return this;
    }

    public Builder account(AccountId account) {
      this.account = account;
      return this;
    }

    public Builder contact(ContactId contact) {
      this.contact = contact;
      return this;
    }

    public Builder to(EmailAddress to) {
      this.to = to;
      return this;
    }

    public Builder to(String to) {
      this.to = EmailAddress.of(to);
      return this;
    }

    public Builder recipientZone(ZoneId zone) {
      this.recipientZone = zone;
      return this;
    }

    public Builder kind(MessageKind kind) {
      this.kind = kind;
      return this;
    }

    public Builder category(String category) {
      this.category = category;
      return this;
    }

    public Builder channel(Channel channel) {
      this.channel = channel;
      return this;
    }

    public Builder priority(Priority priority) {
      this.priority = priority;
      return this;
    }

    public Builder source(Source source) {
      this.source = source;
      return this;
    }

    public Builder templateId(String templateId) {
      this.templateId = templateId;
      return this;
    }

    public Builder personalisation(Map<String, Object> data) {
      this.personalisation = data;
      return this;
    }

    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    /** Builds the message; a missing id becomes random and a missing idempotency key the id. */
    public Message build() {
      MessageId mid = id != null ? id : MessageId.random();
      String key = idempotencyKey != null ? idempotencyKey : mid.value();
      return new Message(
          mid,
          key,
          tenant,
          account,
          contact,
          to,
          recipientZone,
          kind,
          category,
          channel,
          priority,
          source,
          templateId,
          personalisation,
          createdAt);
    }
  }
}
