package dev.steward.health;

import dev.steward.delivery.EmailEventListener;
import dev.steward.model.AccountId;
import dev.steward.model.EmailEvent;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregates email engagement per tenant and account into the email measures of {@link
 * BuiltInMeasures}: volume and frequency of mail that reached the account, unique open and click
 * rates, reply, unsubscribe and spam-report rates, and the mean sentiment of replies. Counts cover
 * {@code (asOf - window, asOf]}.
 *
 * <p>The engagement is kept in an {@link EngagementStore}: give instances one JDBC store and they
 * count each other's events, and a restart keeps them. Provider events come in as an {@link
 * EmailEventListener}; engagement from outside the provider (the CSM's own mail, and replies, which
 * providers do not report) through {@link #recordSent} and {@link #recordReply}, into the same
 * store. Events repeated by a redelivered batch are counted once (by event id), and opens and
 * clicks once per message, so the measures are the same whatever the order and however often a
 * batch is applied. The store keeps events until an {@link EngagementRetention} purges those no
 * window reads any more. Thread-safe.
 */
public final class EmailEngagementAggregator implements EmailEventListener {
  /** The default counting window: 30 days. */
  public static final Duration DEFAULT_WINDOW = Duration.ofDays(30);

  private static final Logger LOG = LoggerFactory.getLogger(EmailEngagementAggregator.class);
  private static final double DAYS_PER_WEEK = 7;
  private static final String SENT_PREFIX = "sent:";
  private static final String REPLY_PREFIX = "reply:";

  private final EngagementStore store;
  private final Duration window;
  private final Function<EmailEvent, Optional<TenantId>> tenantOf;
  private final Function<EmailEvent, Optional<AccountId>> accountOf;
  private final SentimentAnalyzer sentiment;

  private EmailEngagementAggregator(Builder b) {
    this.store = b.store;
    this.window = b.window;
    this.tenantOf = b.tenantOf;
    this.accountOf = b.accountOf;
    this.sentiment = b.sentiment;
  }

  /**
   * A builder over that store: 30-day window, tenant and account taken from the event, lexicon
   * sentiment.
   */
  public static Builder builder(EngagementStore store) {
    return new Builder(store);
  }

  /** The store the engagement is kept in. */
  public EngagementStore store() {
    return store;
  }

  /** The counting window. */
  public Duration window() {
    return window;
  }

  /** Records the provider's events that count for engagement, in one call to the store. */
  @Override
  public void onEvents(List<EmailEvent> events) {
    List<EngagementEvent> kept = new ArrayList<>(events.size());
    for (EmailEvent e : events) {
      EngagementKind kind = kindOf(e);
      if (kind == null) {
        continue;
      }
      Optional<TenantId> tenant = tenantOf.apply(e);
      Optional<AccountId> account = accountOf.apply(e);
      if (tenant.isEmpty() || account.isEmpty()) {
        LOG.debug(
            "email event {} names no tenant or no account; not counted for health", e.eventId());
        continue;
      }
      kept.add(
          EngagementEvent.of(
              tenant.get(),
              account.get(),
              e.eventId(),
              kind,
              e.occurredAt(),
              e.messageId().map(m -> m.value()).orElse(null),
              null));
    }
    if (!kept.isEmpty()) {
      store.record(kept);
    }
  }

  /**
   * Records mail that reached the account from outside the provider (a CSM's own mail): it counts
   * in the volume and frequency and as a message others' opens and clicks may name. A send id seen
   * before is ignored.
   *
   * @param messageId the message, if replies or clicks will name it; may be null
   */
  public void recordSent(
      TenantId tenant, AccountId account, String sendId, Instant at, String messageId) {
    store.record(
        EngagementEvent.of(
            tenant,
            account,
            outsideId(SENT_PREFIX, sendId, "send id"),
            EngagementKind.SENT,
            at,
            messageId,
            null));
  }

  /**
   * Records a reply from the account (providers do not report replies); its text, if any, feeds the
   * sentiment measure. A reply id seen before is ignored.
   */
  public void recordReply(
      TenantId tenant, AccountId account, String replyId, Instant at, String text) {
    store.record(
        EngagementEvent.of(
            tenant,
            account,
            outsideId(REPLY_PREFIX, replyId, "reply id"),
            EngagementKind.REPLIED,
            at,
            null,
            text));
  }

  /** The account's email measures as of {@code asOf}, keyed by the built-in measure ids. */
  public Map<String, Observation> observations(TenantId tenant, AccountId account, Instant asOf) {
    InvalidHealthInputException.requireNonNull(asOf, "asOf");
    Counts c = count(store.events(tenant, account, asOf.minus(window), asOf));
    Map<String, Observation> out = new LinkedHashMap<>();
    out.put(BuiltInMeasures.EMAIL_VOLUME.id(), new Observation(c.sent, asOf));
    double weeks = window.toSeconds() / (DAYS_PER_WEEK * 86_400);
    out.put(BuiltInMeasures.EMAIL_FREQUENCY.id(), new Observation(c.sent / weeks, asOf));
    if (c.sent > 0) {
      double d = c.sent;
      out.put(
          BuiltInMeasures.EMAIL_OPEN_RATE.id(),
          new Observation(Math.min(1, c.opened.size() / d), asOf));
      out.put(
          BuiltInMeasures.EMAIL_CLICK_RATE.id(),
          new Observation(Math.min(1, c.clicked.size() / d), asOf));
      out.put(
          BuiltInMeasures.EMAIL_REPLY_RATE.id(), new Observation(Math.min(1, c.replies / d), asOf));
      out.put(
          BuiltInMeasures.EMAIL_UNSUBSCRIBE_RATE.id(),
          new Observation(Math.min(1, c.unsubscribes / d), asOf));
      out.put(
          BuiltInMeasures.EMAIL_SPAM_RATE.id(),
          new Observation(Math.min(1, c.spamReports / d), asOf));
    }
    if (!c.texts.isEmpty()) {
      out.put(BuiltInMeasures.SENTIMENT.id(), new Observation(sentiment.mean(c.texts), asOf));
    }
    return out;
  }

  /** Adds the account's email measures as of {@code asOf} to the inputs being built. */
  public HealthInputs.Builder addTo(
      HealthInputs.Builder inputs, TenantId tenant, AccountId account, Instant asOf) {
    observations(tenant, account, asOf).forEach(inputs::put);
    return inputs;
  }

  /** Forgets everything about an account (erasure). */
  public void forget(TenantId tenant, AccountId account) {
    store.erase(tenant, account);
  }

  /** Forgets everything about every account of a tenant; the number of events removed. */
  public int forgetTenant(TenantId tenant) {
    return store.eraseTenant(tenant);
  }

  private static String outsideId(String prefix, String id, String what) {
    InvalidHealthInputException.requireNonNull(id, what);
    if (id.isBlank() || id.length() > EngagementEvent.MAX_EVENT_ID_LENGTH - prefix.length()) {
      throw new InvalidHealthInputException(
          what
              + " must be 1 to "
              + (EngagementEvent.MAX_EVENT_ID_LENGTH - prefix.length())
              + " characters and not blank, got "
              + id.length());
    }
    // a prefix of its own, so that an outside id never meets a provider's event id
    return prefix + id;
  }

  private static EngagementKind kindOf(EmailEvent e) {
    switch (e.type()) {
      case DELIVERED:
        return EngagementKind.SENT;
      case OPEN:
        return EngagementKind.OPENED;
      case CLICK:
        return EngagementKind.CLICKED;
      case UNSUBSCRIBE:
      case GROUP_UNSUBSCRIBE:
        return EngagementKind.UNSUBSCRIBED;
      case SPAM_REPORT:
        return EngagementKind.SPAM_REPORTED;
      default:
        return null;
    }
  }

  private static Counts count(List<EngagementEvent> events) {
    Counts c = new Counts();
    for (EngagementEvent e : events) {
      // an open or click without a message counts as a message of its own
      String message = e.messageId().map(m -> "m:" + m).orElse("e:" + e.eventId());
      switch (e.kind()) {
        case SENT -> c.sent++;
        case OPENED -> c.opened.add(message);
        case CLICKED -> c.clicked.add(message);
        case UNSUBSCRIBED -> c.unsubscribes++;
        case SPAM_REPORTED -> c.spamReports++;
        case REPLIED -> {
          c.replies++;
          if (e.text().isPresent() && !e.text().get().isBlank()) {
            c.texts.add(e.text().get());
          }
        }
      }
    }
    return c;
  }

  private static final class Counts {
    int sent;
    final Set<String> opened = new HashSet<>();
    final Set<String> clicked = new HashSet<>();
    int replies;
    int unsubscribes;
    int spamReports;
    final List<String> texts = new ArrayList<>();
  }

  /** Builds an {@link EmailEngagementAggregator}. */
  public static final class Builder {
    private final EngagementStore store;
    private Duration window = DEFAULT_WINDOW;
    private Function<EmailEvent, Optional<TenantId>> tenantOf = EmailEvent::tenant;
    private Function<EmailEvent, Optional<AccountId>> accountOf = EmailEvent::account;
    private SentimentAnalyzer sentiment = SentimentAnalyzer.lexicon();

    private Builder(EngagementStore store) {
      this.store = InvalidHealthInputException.requireNonNull(store, "engagement store");
    }

    /** The counting window; default 30 days. */
    public Builder window(Duration window) {
      if (window == null || window.isZero() || window.isNegative()) {
        throw new IllegalArgumentException("window must be positive, got " + window);
      }
      this.window = window;
      return this;
    }

    /** How to find an event's tenant, when events do not carry it; default its tenant. */
    public Builder tenantOf(Function<EmailEvent, Optional<TenantId>> tenantOf) {
      this.tenantOf = Objects.requireNonNull(tenantOf, "tenantOf");
      return this;
    }

    /** How to find an event's account, when events carry only the contact; default its account. */
    public Builder accountOf(Function<EmailEvent, Optional<AccountId>> accountOf) {
      this.accountOf = Objects.requireNonNull(accountOf, "accountOf");
      return this;
    }

    /** The sentiment analyser for reply texts; default {@link SentimentAnalyzer#lexicon()}. */
    public Builder sentiment(SentimentAnalyzer sentiment) {
      this.sentiment = Objects.requireNonNull(sentiment, "sentiment");
      return this;
    }

    public EmailEngagementAggregator build() {
      return new EmailEngagementAggregator(this);
    }
  }
}
