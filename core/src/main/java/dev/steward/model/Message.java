package dev.steward.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One communication to one contact: who it goes to, what kind it is, who sends it and what it
 * carries. Immutable; build one with {@link #builder()}.
 *
 * <p><b>Personalisation values</b> are limited to what every store keeps exactly (a deferred
 * message must come back equal, each value of the same Java type): {@code null}, {@link String},
 * {@link Boolean}, {@link Integer}, {@link Long}, {@link Short}, {@link Byte}, {@link Double},
 * {@link Float} (NaN and infinities included), {@link java.math.BigInteger}, {@link
 * java.math.BigDecimal} (scale kept), and {@link List}s and {@link Map}s with non-null {@link
 * String} keys holding these, nested at most {@link #MAX_PERSONALISATION_DEPTH} deep. Anything else
 * (a {@code LocalDate}, a {@code UUID}, an enum, a {@code Character}, ...) is refused when the
 * message is built with an {@link InvalidModelException} naming the key and the type: format it as
 * a string first. Lists and maps are copied, so changing the caller's collections later changes
 * nothing.
 *
 * @param id unique identity; SendGrid events carry it back in {@code custom_args}
 * @param idempotencyKey the caller's key: dispatching two messages with one key sends at most one
 * @param recipientZone the recipient's time zone, in which calendar windows and quiet hours are
 *     read; empty when unknown, and then the cap policy's default zone is read (a policy without
 *     one refuses such a message rather than read it in UTC)
 * @param category a lower-case category such as {@code product-updates}, used by consent and caps
 * @param personalisation template data, deeply copied and unmodifiable; see below for its values
 * @param createdAt when the caller created the message
 * @param sendBy the latest instant the message may go out (a renewal reminder after the renewal
 *     date is noise): a deferral that would place it later, or a deferred message coming due after
 *     it, drops it as SUPPRESSED with a {@code send-by} reason instead; empty for none. Not before
 *     {@code createdAt}.
 */
public record Message(
    MessageId id,
    String idempotencyKey,
    TenantId tenant,
    AccountId account,
    ContactId contact,
    EmailAddress to,
    Optional<ZoneId> recipientZone,
    MessageKind kind,
    String category,
    Channel channel,
    Priority priority,
    Source source,
    String templateId,
    Map<String, Object> personalisation,
    Instant createdAt,
    Optional<Instant> sendBy) {

  /** How deep lists and maps may nest in personalisation. */
  public static final int MAX_PERSONALISATION_DEPTH = 32;

  public Message {
    Objects.requireNonNull(id, "id");
    if (idempotencyKey != id.value()) {
      // the default key is the id's own text, which MessageId checked by the same rule
      idempotencyKey = Ids.check("idempotency key", idempotencyKey);
    }
    require(tenant, "tenant");
    require(account, "account");
    require(contact, "contact");
    require(recipientZone, "recipientZone");
    recipientZone = SharedZones.shared(recipientZone);
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
    personalisation = personalisation == null ? Map.of() : copyMap(personalisation, null, 0);
    require(createdAt, "createdAt");
    require(sendBy, "sendBy");
    if (sendBy.isPresent() && sendBy.get().isBefore(createdAt)) {
      throw new InvalidModelException(
          "message "
              + id
              + " has sendBy "
              + sendBy.get()
              + ", before its createdAt "
              + createdAt
              + ": it could never be sent");
    }
  }

  /**
   * A builder; id, idempotency key, channel and priority have defaults, and the recipient zone is
   * empty unless set.
   */
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
    b.recipientZone = recipientZone.orElse(null);
    b.kind = kind;
    b.category = category;
    b.channel = channel;
    b.priority = priority;
    b.source = source;
    b.templateId = templateId;
    b.personalisation = personalisation;
    b.createdAt = createdAt;
    b.sendBy = sendBy.orElse(null);
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

  /** One personalisation value, checked, with lists and maps copied (see {@link #copyMap}). */
  private static Object personalisationValue(Object v, String path, int depth) {
    if (v == null
        || v instanceof String
        || v instanceof Boolean
        || v instanceof Integer
        || v instanceof Long
        || v instanceof Short
        || v instanceof Byte
        || v instanceof Double
        || v instanceof Float
        || v instanceof BigInteger
        || v instanceof BigDecimal) {
      // cpu14: the message (and its path) built only for a string that fails
      if (v instanceof String text && StoreLimits.unpairedSurrogateAt(text) >= 0) {
        checkUnicode(text, "personalisation '" + path + "'");
      }
      // exact classes: a subclass of BigInteger or BigDecimal would come back as the base class
      if ((v instanceof BigInteger && v.getClass() != BigInteger.class)
          || (v instanceof BigDecimal && v.getClass() != BigDecimal.class)) {
        throw unsupported(v, path);
      }
      return v;
    }
    if (!(v instanceof List) && !(v instanceof Map)) {
      throw unsupported(v, path);
    }
    // the bound also stops a list or map that contains itself
    if (depth >= MAX_PERSONALISATION_DEPTH) {
      throw new InvalidModelException(
          "personalisation '"
              + path
              + "': lists and maps are nested more than "
              + MAX_PERSONALISATION_DEPTH
              + " deep");
    }
    if (v instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      int i = 0;
      for (Object item : list) {
        copy.add(personalisationValue(item, path + "[" + i++ + "]", depth + 1));
      }
      return Collections.unmodifiableList(copy);
    }
    return copyMap((Map<?, ?>) v, path, depth + 1);
  }

  /**
   * A deep, unmodifiable copy of personalisation data ({@code path} null at the top), refusing what
   * a store could not give back exactly: checking here rather than in the store means a message is
   * refused before anyone relies on it, not lost when it is deferred.
   */
  private static Map<String, Object> copyMap(Map<?, ?> map, String path, int depth) {
    // sized for its entries, so that it is not grown while it is filled
    Map<String, Object> copy = new LinkedHashMap<>(map.size() < 12 ? 16 : map.size() * 4 / 3 + 1);
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new InvalidModelException(
            (path == null
                    ? "personalisation has the key "
                    : "personalisation '" + path + "' has the key ")
                + e.getKey()
                + (e.getKey() == null ? "" : " of type " + e.getKey().getClass().getName())
                + "; keys must be strings");
      }
      if (StoreLimits.unpairedSurrogateAt(key) >= 0) {
        checkUnicode(
            key, path == null ? "personalisation key" : "personalisation '" + path + "' has a key");
      }
      copy.put(
          key, personalisationValue(e.getValue(), path == null ? key : path + "." + key, depth));
    }
    return Collections.unmodifiableMap(copy);
  }

  /** An unpaired surrogate has no UTF-8 form, so a store would change it or fail to read it. */
  private static void checkUnicode(String text, String what) {
    int i = StoreLimits.unpairedSurrogateAt(text);
    if (i >= 0) {
      throw new InvalidModelException(
          what
              + " is not well-formed Unicode: an unpaired surrogate at index "
              + i
              + " (U+"
              + Integer.toHexString(text.charAt(i)).toUpperCase(Locale.ROOT)
              + ")");
    }
  }

  private static InvalidModelException unsupported(Object v, String path) {
    return new InvalidModelException(
        "personalisation '"
            + path
            + "' holds a "
            + v.getClass().getName()
            + "; allowed are null, String, Boolean, Integer, Long, Short, Byte, Double, Float,"
            + " BigInteger, BigDecimal, and lists and maps with string keys of these");
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
    private ZoneId recipientZone;
    private MessageKind kind;
    private String category;
    private Channel channel = Channel.EMAIL;
    private Priority priority = Priority.NORMAL;
    private Source source;
    private String templateId;
    private Map<String, Object> personalisation = Map.of();
    private Instant createdAt;
    private Instant sendBy;

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

    /** The recipient's zone; null (the default) for none: the policy's default zone applies. */
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

    /**
     * The latest instant the message may go out; null (the default) for none. A deferral past it
     * drops the message (see {@link Message#sendBy}); it must not be before {@code createdAt}.
     */
    public Builder sendBy(Instant sendBy) {
      this.sendBy = sendBy;
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
          Optional.ofNullable(recipientZone),
          kind,
          category,
          channel,
          priority,
          source,
          templateId,
          personalisation,
          createdAt,
          Optional.ofNullable(sendBy));
    }
  }
}
