package dev.steward.governance;

import java.util.Locale;

/**
 * A reputation metric of a tenant's (or pool's) mail: a rate of one {@link Counter} over another.
 * Each has a default warn and act threshold, the sources of which are given below: the default
 * {@link Ladder} warns at the one and takes the metric's strongest step ({@link
 * #defaultActLevel()}) at the other, with the rungs between placed in {@link Ladder#ofDefaults()}.
 *
 * <p>Rates are fractions (0.001 is 0.1%). A rate is compared with its threshold as {@code value >=
 * threshold}: Gmail's "never reach 0.30%" means a spam rate of 0.30% already acts.
 */
public enum GovernanceMetric {
  /**
   * Hard bounces over sent mail. Warn at {@value #HARD_BOUNCE_WARN} (the 2% that mailbox providers
   * and ESPs, SendGrid and Mailchimp among them, name as the most a clean list bounces); act
   * (suspend) at {@value #HARD_BOUNCE_ACT}: Amazon SES pauses an account at 10% bounces (and
   * reviews it at 5%, where the default ladder quarantines).
   */
  HARD_BOUNCE_RATE(
      "hard-bounce-rate",
      Counter.HARD_BOUNCE,
      false,
      GovernanceMetric.HARD_BOUNCE_WARN,
      GovernanceMetric.HARD_BOUNCE_ACT,
      Level.SUSPEND),
  /**
   * Blocks over sent mail: receivers refusing the sender, a reputation signal rather than a bad
   * address. Warn at {@value #BLOCK_WARN}, act (quarantine) at {@value #BLOCK_ACT}: our judgement,
   * as no provider publishes a limit; set a little above the bounce thresholds because blocks come
   * in bursts from one receiver and often clear by themselves.
   */
  BLOCK_RATE(
      "block-rate",
      Counter.BLOCKED,
      false,
      GovernanceMetric.BLOCK_WARN,
      GovernanceMetric.BLOCK_ACT,
      Level.QUARANTINE),
  /**
   * Drops for invalid addresses over sent mail: a sign of purchased, scraped or typed-in lists.
   * Warn at {@value #INVALID_WARN}, act (quarantine) at {@value #INVALID_ACT}: list-hygiene
   * guidance (validated lists stay under 1% invalid; 5% means an unvalidated or bought list).
   */
  INVALID_RATE(
      "invalid-rate",
      Counter.INVALID,
      false,
      GovernanceMetric.INVALID_WARN,
      GovernanceMetric.INVALID_ACT,
      Level.QUARANTINE),
  /**
   * Spam reports over delivered mail. Warn at {@value #SPAM_WARN} (Gmail's sender guidelines: keep
   * the rate reported in Postmaster Tools below 0.10%; Amazon SES reviews at 0.1%); act (suspend)
   * at {@value #SPAM_ACT} (Gmail: never reach 0.30%; SES pauses at 0.5%, Gmail's is the stricter).
   */
  SPAM_RATE(
      "spam-rate",
      Counter.SPAM_REPORT,
      true,
      GovernanceMetric.SPAM_WARN,
      GovernanceMetric.SPAM_ACT,
      Level.SUSPEND),
  /**
   * Unsubscribes over delivered mail. Warn at {@value #UNSUBSCRIBE_WARN}, act (restrict) at {@value
   * #UNSUBSCRIBE_ACT}: industry averages lie near 0.1% to 0.3% per campaign; above 0.5% mail is
   * unwanted by many, above 1% the list or the content is wrong.
   */
  UNSUBSCRIBE_RATE(
      "unsubscribe-rate",
      Counter.UNSUBSCRIBE,
      true,
      GovernanceMetric.UNSUBSCRIBE_WARN,
      GovernanceMetric.UNSUBSCRIBE_ACT,
      Level.RESTRICT),
  /**
   * Deferrals over sent mail: receivers throttling the sender. Warn at {@value #DEFERRAL_WARN}, act
   * (restrict) at {@value #DEFERRAL_ACT}: our judgement; a few percent is normal greylisting, a
   * fifth of all mail deferred means receivers are slowing the sender down.
   */
  DEFERRAL_RATE(
      "deferral-rate",
      Counter.DEFERRED,
      false,
      GovernanceMetric.DEFERRAL_WARN,
      GovernanceMetric.DEFERRAL_ACT,
      Level.RESTRICT),
  /**
   * The share of sent mail that went to addresses mailed for the inactivity period (180 days by
   * default) without an open or click. Warn at {@value #INACTIVE_WARN}, act (quarantine) at {@value
   * #INACTIVE_ACT}: mailbox providers filter by engagement (Gmail and Yahoo's 2024 bulk-sender
   * guidance), and sunset policies stop mail to addresses inactive for 180 days; a list a quarter
   * inactive needs a sunset, one half inactive is being mailed regardless of interest.
   */
  INACTIVE_SHARE(
      "inactive-share",
      Counter.SENT_TO_INACTIVE,
      false,
      GovernanceMetric.INACTIVE_WARN,
      GovernanceMetric.INACTIVE_ACT,
      Level.QUARANTINE);

  /** Default warn threshold of {@link #HARD_BOUNCE_RATE}: 2%. */
  public static final double HARD_BOUNCE_WARN = 0.02;

  /** Default act threshold of {@link #HARD_BOUNCE_RATE}: 10% (Amazon SES pause). */
  public static final double HARD_BOUNCE_ACT = 0.10;

  /** Default warn threshold of {@link #BLOCK_RATE}: 3%. */
  public static final double BLOCK_WARN = 0.03;

  /** Default act threshold of {@link #BLOCK_RATE}: 15%. */
  public static final double BLOCK_ACT = 0.15;

  /** Default warn threshold of {@link #INVALID_RATE}: 1%. */
  public static final double INVALID_WARN = 0.01;

  /** Default act threshold of {@link #INVALID_RATE}: 5%. */
  public static final double INVALID_ACT = 0.05;

  /** Default warn threshold of {@link #SPAM_RATE}: 0.10% (Gmail). */
  public static final double SPAM_WARN = 0.001;

  /** Default act threshold of {@link #SPAM_RATE}: 0.30% (Gmail's never). */
  public static final double SPAM_ACT = 0.003;

  /** Default warn threshold of {@link #UNSUBSCRIBE_RATE}: 0.5%. */
  public static final double UNSUBSCRIBE_WARN = 0.005;

  /** Default act threshold of {@link #UNSUBSCRIBE_RATE}: 1%. */
  public static final double UNSUBSCRIBE_ACT = 0.01;

  /** Default warn threshold of {@link #DEFERRAL_RATE}: 10%. */
  public static final double DEFERRAL_WARN = 0.10;

  /** Default act threshold of {@link #DEFERRAL_RATE}: 20%. */
  public static final double DEFERRAL_ACT = 0.20;

  /** Default warn threshold of {@link #INACTIVE_SHARE}: 25%. */
  public static final double INACTIVE_WARN = 0.25;

  /** Default act threshold of {@link #INACTIVE_SHARE}: 50%. */
  public static final double INACTIVE_ACT = 0.50;

  private final String jsonName;
  private final Counter numerator;
  private final boolean overDelivered;
  private final double warn;
  private final double act;
  private final Level actLevel;

  GovernanceMetric(
      String jsonName,
      Counter numerator,
      boolean overDelivered,
      double warn,
      double act,
      Level actLevel) {
    this.jsonName = jsonName;
    this.numerator = numerator;
    this.overDelivered = overDelivered;
    this.warn = warn;
    this.act = act;
    this.actLevel = actLevel;
  }

  /** The name in JSON and explanations, such as {@code spam-rate}. */
  public String jsonName() {
    return jsonName;
  }

  /** The counter counted. */
  public Counter numerator() {
    return numerator;
  }

  /** True if the rate is over delivered mail (spam reports, unsubscribes), false if over sent. */
  public boolean overDelivered() {
    return overDelivered;
  }

  /** The default warn threshold. */
  public double defaultWarn() {
    return warn;
  }

  /** The default act threshold: where the default ladder takes its strongest step for it. */
  public double defaultAct() {
    return act;
  }

  /** The rung the default ladder puts at the act threshold. */
  public Level defaultActLevel() {
    return actLevel;
  }

  /** The numerator's count in {@code counts}. */
  public long numeratorOf(MetricCounts counts) {
    return counts.get(numerator);
  }

  /** The denominator's count in {@code counts}: delivered or sent mail. */
  public long denominatorOf(MetricCounts counts) {
    return overDelivered ? counts.delivered() : counts.sent();
  }

  /** The rate in {@code counts}; 0 when the denominator is 0. */
  public double valueOf(MetricCounts counts) {
    long d = denominatorOf(counts);
    return d == 0 ? 0 : (double) numeratorOf(counts) / d;
  }

  /** The metric of a JSON name ({@code spam-rate}), naming the unknown one. */
  public static GovernanceMetric parse(String name) {
    if (name != null) {
      String n = name.strip().toLowerCase(Locale.ROOT);
      for (GovernanceMetric m : values()) {
        if (m.jsonName.equals(n)) {
          return m;
        }
      }
    }
    StringBuilder known = new StringBuilder();
    for (GovernanceMetric m : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(m.jsonName);
    }
    throw new InvalidLadderException("unknown metric '" + name + "'; known metrics are " + known);
  }
}
