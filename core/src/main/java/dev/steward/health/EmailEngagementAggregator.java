package dev.steward.health;

import dev.steward.delivery.EmailEventListener;
import dev.steward.model.AccountId;
import dev.steward.model.EmailEvent;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregates ingested email events per tenant and account into the email measures of {@link
 * BuiltInMeasures}: volume and frequency of mail delivered, unique open and click rates, reply,
 * unsubscribe and spam-report rates, and the mean sentiment of replies. Counts cover {@code (asOf -
 * window, asOf]}.
 *
 * <p>Events repeated by a redelivered batch are counted once (by event id), and opens and clicks
 * once per message. Entries older than the retention (two windows before the account's newest
 * entry) are dropped, and so are events that arrive already older than it, so memory stays bounded
 * by the mail of two windows and the measures are the same whatever the order and however often a
 * batch is applied. Thread-safe.
 */
public final class EmailEngagementAggregator implements EmailEventListener {
  /** The default counting window: 30 days. */
  public static final Duration DEFAULT_WINDOW = Duration.ofDays(30);

  private static final Logger LOG = LoggerFactory.getLogger(EmailEngagementAggregator.class);
  private static final double DAYS_PER_WEEK = 7;

  private final Duration window;
  private final Function<EmailEvent, Optional<TenantId>> tenantOf;
  private final Function<EmailEvent, Optional<AccountId>> accountOf;
  private final SentimentAnalyzer sentiment;
  private final ConcurrentMap<TenantAccount, AccountLog> logs = new ConcurrentHashMap<>();

  private EmailEngagementAggregator(Builder b) {
    this.window = b.window;
    this.tenantOf = b.tenantOf;
    this.accountOf = b.accountOf;
    this.sentiment = b.sentiment;
  }

  /** A builder: 30-day window, tenant and account taken from the event, lexicon sentiment. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void onEvents(List<EmailEvent> events) {
    for (EmailEvent e : events) {
      Optional<TenantId> tenant = tenantOf.apply(e);
      Optional<AccountId> account = accountOf.apply(e);
      if (tenant.isEmpty() || account.isEmpty()) {
        LOG.debug(
            "email event {} names no tenant or no account; not counted for health", e.eventId());
        continue;
      }
      Kind kind = Kind.of(e);
      if (kind == null) {
        continue;
      }
      String messageKey = e.message().map(m -> "m:" + m.value()).orElse("e:" + e.eventId());
      log(tenant.get(), account.get())
          .add(e.eventId(), new Entry(kind, e.occurredAt(), messageKey, null));
    }
  }

  /**
   * Records a reply from the account (replies do not arrive as provider events); its text, if any,
   * feeds the sentiment measure. A reply id seen before is ignored.
   */
  public void recordReply(
      TenantId tenant, AccountId account, String replyId, Instant at, String text) {
    log(tenant, account)
        .add("reply:" + replyId, new Entry(Kind.REPLY, at, "reply:" + replyId, text));
  }

  /** The account's email measures as of {@code asOf}, keyed by the built-in measure ids. */
  public Map<String, Observation> observations(TenantId tenant, AccountId account, Instant asOf) {
    Map<String, Observation> out = new LinkedHashMap<>();
    AccountLog log = logs.get(TenantAccount.of(tenant, account));
    Counts c = log == null ? new Counts() : log.count(asOf.minus(window), asOf);
    out.put(BuiltInMeasures.EMAIL_VOLUME.id(), new Observation(c.delivered, asOf));
    double weeks = window.toSeconds() / (DAYS_PER_WEEK * 86_400);
    out.put(BuiltInMeasures.EMAIL_FREQUENCY.id(), new Observation(c.delivered / weeks, asOf));
    if (c.delivered > 0) {
      double d = c.delivered;
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
    logs.remove(TenantAccount.of(tenant, account));
  }

  private AccountLog log(TenantId tenant, AccountId account) {
    return logs.computeIfAbsent(
        TenantAccount.of(tenant, account), a -> new AccountLog(window.multipliedBy(2)));
  }

  private enum Kind {
    DELIVERED,
    OPEN,
    CLICK,
    UNSUBSCRIBE,
    SPAM_REPORT,
    REPLY;

    static Kind of(EmailEvent e) {
      switch (e.type()) {
        case DELIVERED:
          return DELIVERED;
        case OPEN:
          return OPEN;
        case CLICK:
          return CLICK;
        case UNSUBSCRIBE:
        case GROUP_UNSUBSCRIBE:
          return UNSUBSCRIBE;
        case SPAM_REPORT:
          return SPAM_REPORT;
        default:
          return null;
      }
    }
  }

  private record Entry(Kind kind, Instant at, String messageKey, String text) {}

  private static final class Counts {
    int delivered;
    final Set<String> opened = new HashSet<>();
    final Set<String> clicked = new HashSet<>();
    int replies;
    int unsubscribes;
    int spamReports;
    final List<String> texts = new ArrayList<>();
  }

  private static final class AccountLog {
    private final Duration retention;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private Instant newest = Instant.MIN;

    AccountLog(Duration retention) {
      this.retention = retention;
    }

    synchronized void add(String id, Entry entry) {
      if (!newest.equals(Instant.MIN) && entry.at().isBefore(newest.minus(retention))) {
        // already beyond the retention: kept, it would count again after the pruning dropped it,
        // so a replayed batch would change the measures; dropped, the result is the same in any
        // order and however often an event arrives
        return;
      }
      if (entries.putIfAbsent(id, entry) != null) {
        return;
      }
      if (entry.at().isAfter(newest)) {
        newest = entry.at();
        Instant cutoff = newest.minus(retention);
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
          if (it.next().at().isBefore(cutoff)) {
            it.remove();
          }
        }
      }
    }

    synchronized Counts count(Instant from, Instant to) {
      Counts c = new Counts();
      for (Entry e : entries.values()) {
        if (!e.at().isAfter(from) || e.at().isAfter(to)) {
          continue;
        }
        switch (e.kind()) {
          case DELIVERED -> c.delivered++;
          case OPEN -> c.opened.add(e.messageKey());
          case CLICK -> c.clicked.add(e.messageKey());
          case UNSUBSCRIBE -> c.unsubscribes++;
          case SPAM_REPORT -> c.spamReports++;
          case REPLY -> {
            c.replies++;
            if (e.text() != null && !e.text().isBlank()) {
              c.texts.add(e.text());
            }
          }
        }
      }
      return c;
    }
  }

  /** Builds an {@link EmailEngagementAggregator}. */
  public static final class Builder {
    private Duration window = DEFAULT_WINDOW;
    private Function<EmailEvent, Optional<TenantId>> tenantOf =
        e -> Optional.ofNullable(e.tenant());
    private Function<EmailEvent, Optional<AccountId>> accountOf =
        e -> Optional.ofNullable(e.account());
    private SentimentAnalyzer sentiment = SentimentAnalyzer.lexicon();

    private Builder() {}

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
      this.tenantOf = java.util.Objects.requireNonNull(tenantOf, "tenantOf");
      return this;
    }

    /** How to find an event's account, when events carry only the contact; default its account. */
    public Builder accountOf(Function<EmailEvent, Optional<AccountId>> accountOf) {
      this.accountOf = java.util.Objects.requireNonNull(accountOf, "accountOf");
      return this;
    }

    /** The sentiment analyser for reply texts; default {@link SentimentAnalyzer#lexicon()}. */
    public Builder sentiment(SentimentAnalyzer sentiment) {
      this.sentiment = java.util.Objects.requireNonNull(sentiment, "sentiment");
      return this;
    }

    public EmailEngagementAggregator build() {
      return new EmailEngagementAggregator(this);
    }
  }
}
