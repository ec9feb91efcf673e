package dev.steward.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ready-made measure definitions for the data customer-success platforms score: product usage,
 * support, voice of the customer, billing, marketing and email. Each has a sensible mapping, freshness
 * limit and (for event counts) half-life; change them with {@link Measure#withWeight} and friends.
 * The matching input values come from {@link VoiceOfCustomer}, {@link Trend}, {@link
 * EmailEngagementAggregator}, {@link SentimentAnalyzer} and {@link DecayedCounter}.
 */
public final class BuiltInMeasures {
  private static final Duration DAY = Duration.ofDays(1);

  /** Logins, as a decayed count (half-life 14 days). */
  public static final Measure LOGINS =
      new Measure("logins", 1, Mapping.logarithmic(0, 100), days(7), days(14), "logins, decayed");

  /** Days with activity in the last 14 (0..14). */
  public static final Measure ACTIVE_DAYS_14 =
      new Measure("active_days_14", 1, Mapping.linear(1, 10), days(2), null, "active days of the last 14");

  /** Daily over monthly active users, 0..1. */
  public static final Measure DAU_MAU =
      new Measure("dau_mau", 1, Mapping.linear(0.05, 0.5), days(2), null, "DAU / MAU");

  /** Licence activation: seats used over seats bought, 0..1. */
  public static final Measure LICENCE_ACTIVATION =
      new Measure(
          "licence_activation", 1, Mapping.linear(0.3, 0.9), days(7), null, "seats used / bought");

  /** Support tickets opened, decayed (half-life 30 days); more is worse. */
  public static final Measure TICKETS_OPENED =
      new Measure(
          "tickets_opened", 1, Mapping.logarithmic(20, 0), days(30), days(30), "tickets opened, decayed");

  /** Share of tickets opened in the window that were closed, 0..1. */
  public static final Measure TICKETS_CLOSED_RATIO =
      new Measure(
          "tickets_closed_ratio", 1, Mapping.linear(0.5, 1), days(30), null, "tickets closed / opened");

  /** Tickets escalated in the window; more is worse. */
  public static final Measure TICKETS_ESCALATED =
      new Measure(
          "tickets_escalated", 1, Mapping.tiers(100, 1, 60, 3, 20, 5, 0), days(30), null,
          "tickets escalated in the window");

  /** Relative change of tickets opened against the previous window (see {@link Trend}); rising is worse. */
  public static final Measure TICKET_TREND =
      new Measure("ticket_trend", 1, Mapping.linear(1, -0.5), days(30), null, "ticket trend");

  /** Net Promoter Score, -100..100 (see {@link VoiceOfCustomer#nps}). */
  public static final Measure NPS =
      new Measure("nps", 1, Mapping.linear(-50, 50), days(180), null, "net promoter score");

  /** CSAT, share of 4s and 5s on a 1–5 scale, 0..1 (see {@link VoiceOfCustomer#csat}). */
  public static final Measure CSAT =
      new Measure("csat", 1, Mapping.linear(0.6, 0.95), days(90), null, "customer satisfaction");

  /** Relative change of spend against the previous period; falling is worse. */
  public static final Measure SPEND_TREND =
      new Measure("spend_trend", 1, Mapping.linear(-0.3, 0.1), days(45), null, "spend trend");

  /** Marketing page views, decayed (half-life 30 days). */
  public static final Measure PAGE_VIEWS =
      new Measure("page_views", 1, Mapping.logarithmic(0, 100), days(30), days(30), "page views");

  /** Marketing events attended, decayed (half-life 90 days). */
  public static final Measure EVENTS_ATTENDED =
      new Measure("events_attended", 1, Mapping.logarithmic(0, 5), days(90), days(90), "events attended");

  /** Content downloads, decayed (half-life 30 days). */
  public static final Measure DOWNLOADS =
      new Measure("downloads", 1, Mapping.logarithmic(0, 10), days(30), days(30), "downloads");

  /** Mail delivered to the account in the aggregation window. */
  public static final Measure EMAIL_VOLUME =
      new Measure("email_volume", 0.5, Mapping.logarithmic(0, 20), days(7), null, "emails delivered");

  /** Mail delivered per week on average over the window; both silence and flooding score low. */
  public static final Measure EMAIL_FREQUENCY =
      new Measure(
          "email_frequency", 0.5, Mapping.tiers(0, 0.25, 60, 1, 100, 7, 60, 14, 20), days(7), null,
          "emails per week");

  /**
   * Unique opens over delivered. Weighted low by default: privacy proxies (Apple Mail Privacy
   * Protection) open mail on the user's behalf and inflate it.
   */
  public static final Measure EMAIL_OPEN_RATE =
      new Measure("email_open_rate", 0.25, Mapping.linear(0.05, 0.4), days(7), null, "open rate");

  /** Unique clicks over delivered. */
  public static final Measure EMAIL_CLICK_RATE =
      new Measure("email_click_rate", 1, Mapping.linear(0, 0.08), days(7), null, "click rate");

  /** Replies over delivered. */
  public static final Measure EMAIL_REPLY_RATE =
      new Measure("email_reply_rate", 1, Mapping.linear(0, 0.05), days(7), null, "reply rate");

  /** Unsubscribes over delivered; more is worse. */
  public static final Measure EMAIL_UNSUBSCRIBE_RATE =
      new Measure(
          "email_unsubscribe_rate", 1, Mapping.linear(0.02, 0), days(7), null, "unsubscribe rate");

  /** Spam reports over delivered; more is worse (0.3% is already bad). */
  public static final Measure EMAIL_SPAM_RATE =
      new Measure("email_spam_rate", 1, Mapping.linear(0.003, 0), days(7), null, "spam report rate");

  /** Mean sentiment of the account's recent messages, -1..1 (see {@link SentimentAnalyzer}). */
  public static final Measure SENTIMENT =
      new Measure("sentiment", 1, Mapping.linear(-0.5, 0.5), days(30), null, "sentiment");

  private static final Map<String, Measure> ALL = index();

  private BuiltInMeasures() {}

  /** The built-in measure of that id. */
  public static Optional<Measure> find(String id) {
    return Optional.ofNullable(ALL.get(id));
  }

  /** Every built-in measure id, in catalogue order. */
  public static List<String> names() {
    return Collections.unmodifiableList(new ArrayList<>(ALL.keySet()));
  }

  private static Map<String, Measure> index() {
    Map<String, Measure> m = new LinkedHashMap<>();
    for (Measure x :
        List.of(
            LOGINS, ACTIVE_DAYS_14, DAU_MAU, LICENCE_ACTIVATION, TICKETS_OPENED,
            TICKETS_CLOSED_RATIO, TICKETS_ESCALATED, TICKET_TREND, NPS, CSAT, SPEND_TREND,
            PAGE_VIEWS, EVENTS_ATTENDED, DOWNLOADS, EMAIL_VOLUME, EMAIL_FREQUENCY,
            EMAIL_OPEN_RATE, EMAIL_CLICK_RATE, EMAIL_REPLY_RATE, EMAIL_UNSUBSCRIBE_RATE,
            EMAIL_SPAM_RATE, SENTIMENT)) {
      m.put(x.id(), x);
    }
    return Collections.unmodifiableMap(m);
  }

  private static Duration days(int n) {
    return DAY.multipliedBy(n);
  }
}
