package dev.steward.sendgrid.admin;

import dev.steward.sendgrid.internal.ApiClient;
import dev.steward.sendgrid.internal.Sleeper;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.Region;
import dev.steward.sendgrid.mail.RetryPolicy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.HttpUrl;

/**
 * SendGrid's account API with the parent account's key: build one with {@link #builder}, take the
 * endpoint groups from it, share it, {@link #close()} it at shutdown. Calls are synchronous (they
 * run on Steward's due-work threads or at onboarding) and use the transport's retry rules: a 429
 * waits for its reset when near enough, a 5xx or a failure after the request was written is retried
 * only for a call that is safe to repeat, so a create is never sent twice blindly. A call for a
 * tenant sets {@code on-behalf-of: <subuser>} on that request alone.
 *
 * <p>The key goes to the {@code Authorization} header and nowhere else.
 */
public final class SendGridAdmin implements AutoCloseable {
  /** Time to open a connection, by default. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Time for each read or write, by default. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  /** Time for one whole request, by default. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);

  private final ApiClient api;
  private final Clock clock;
  private final LongAdder malformedLinks = new LongAdder();
  private final EventWebhooks eventWebhooks;

  private SendGridAdmin(Builder b) {
    this.clock = b.clock;
    this.api =
        new ApiClient(
            HttpUrl.get(b.baseUrl.toString()),
            b.parentKey,
            b.retry,
            b.clock,
            b.sleeper,
            new ApiClient.Timeouts(b.connectTimeout, b.readTimeout, b.readTimeout, b.callTimeout));
    // one for the admin's life, so that the verifier it keeps for the last key is reused
    this.eventWebhooks = new EventWebhooks(api, clock);
  }

  /**
   * A builder.
   *
   * @param clock the clock for rate-limit resets
   * @param parentKey the parent account's key (scopes for webhooks, subusers, API keys and
   *     suppressions)
   */
  public static Builder builder(Clock clock, ApiKey parentKey) {
    return new Builder(clock, parentKey);
  }

  /** The Event Webhook's settings. */
  public EventWebhooks eventWebhooks() {
    return eventWebhooks;
  }

  /** Subusers: one per tenant. */
  public Subusers subusers() {
    return new Subusers(api);
  }

  /** API keys: each tenant's sending key. */
  public ApiKeys apiKeys() {
    return new ApiKeys(api);
  }

  /** The suppression lists and unsubscribe groups. */
  public SuppressionLists suppressionLists() {
    return new SuppressionLists(api);
  }

  /** Domain authentication (sender domains); see {@link SendGridSenderAuthentication}. */
  public DomainAuthentications domainAuthentications() {
    return new DomainAuthentications(api);
  }

  /** Link branding; see {@link SendGridLinkBranding} for core's SPI on it. */
  public LinkBrandings linkBrandings() {
    return new LinkBrandings(api, malformedLinks);
  }

  /** Single-sender verification (onboarding's low-volume fallback). */
  public VerifiedSenders verifiedSenders() {
    return new VerifiedSenders(api);
  }

  /**
   * IP addresses, IP pools, warm-up and subusers' IPs; see {@link SendGridIpPoolAdmin} for core's
   * SPI on them.
   */
  public IpPools ipPools() {
    return new IpPools(api);
  }

  /**
   * Reverse DNS of the account's IPs; see {@link SendGridIpPoolAdmin#setUpReverseDns} for it under
   * the pool admin.
   */
  public ReverseDnsRecords reverseDns() {
    return new ReverseDnsRecords(api);
  }

  /** Statistics: global, per category and per subuser. */
  public Stats stats() {
    return new Stats(api);
  }

  /** Closes idle connections. */
  @Override
  public void close() {
    api.close();
  }

  @Override
  public String toString() {
    return "SendGridAdmin[" + api.base().host() + "]";
  }

  /** Builds a {@link SendGridAdmin}; each setter checks its value. */
  public static final class Builder {
    private final Clock clock;
    private final ApiKey parentKey;
    private URI baseUrl = Region.GLOBAL.baseUrl();
    private RetryPolicy retry = RetryPolicy.ofDefaults();
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private Sleeper sleeper = Sleeper.THREAD;

    private Builder(Clock clock, ApiKey parentKey) {
      this.clock = Objects.requireNonNull(clock, "clock");
      this.parentKey = Objects.requireNonNull(parentKey, "parentKey");
    }

    /** The parent account's region; {@link Region#GLOBAL} by default. */
    public Builder region(Region region) {
      this.baseUrl = Objects.requireNonNull(region, "region").baseUrl();
      return this;
    }

    /** Another base URL (a proxy, or a test server): absolute http(s), no path. */
    public Builder endpoint(URI url) {
      Objects.requireNonNull(url, "url");
      if (HttpUrl.parse(url.toString()) == null
          || url.getRawPath() != null && url.getRawPath().length() > 1) {
        throw new IllegalArgumentException(
            "endpoint must be an absolute http(s) URL without a path, not " + url);
      }
      this.baseUrl = url;
      return this;
    }

    /** The retry policy, the transport's; {@link RetryPolicy#ofDefaults()} by default. */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retry = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Timeouts: to connect, for each read or write, and for a whole request. */
    public Builder timeouts(Duration connect, Duration readWrite, Duration call) {
      this.connectTimeout = positive("connect", connect);
      this.readTimeout = positive("readWrite", readWrite);
      this.callTimeout = positive("call", call);
      return this;
    }

    /** Tests: waits between tries through this. */
    Builder sleeper(Sleeper s) {
      this.sleeper = Objects.requireNonNull(s, "sleeper");
      return this;
    }

    /** Builds it; it owns an HTTP client until {@code close()}. */
    public SendGridAdmin build() {
      return new SendGridAdmin(this);
    }

    private static Duration positive(String what, Duration d) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " timeout must be positive, not " + d);
      }
      return d;
    }
  }
}
