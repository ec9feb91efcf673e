package dev.steward.sendgrid.mail;

import dev.steward.delivery.MailTransport;
import dev.steward.delivery.SendResult;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import dev.steward.sendgrid.internal.HttpClients;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's {@link MailTransport} over SendGrid's {@code POST /v3/mail/send}, on OkHttp's asynchronous
 * calls; {@link #send} and {@link #sendBatch}, whose caller waits anyway, make their first try on
 * the calling thread (retries run on the transport's timer and OkHttp's call threads). Build one
 * with {@link #builder}, share it, {@link #close()} it at shutdown.
 *
 * <p><b>The request.</b> One personalization per message, whose {@code custom_args} carry Steward's
 * message, tenant, account and contact ids (and the journey step, for a journey's message) under
 * the keys {@link dev.steward.sendgrid.webhook.SendGridEvents} reads back; the message's category
 * first among the categories; the ASM group mapped to that category; the dynamic template id and
 * data; for promotional and other non-account mail with an unsubscribe URL, RFC 8058's {@code
 * List-Unsubscribe} and {@code List-Unsubscribe-Post} headers; the IP pool and send time of the
 * {@link MailContent}; sandbox mode on request. SendGrid's documented limits are checked first
 * ({@link MailLimit}).
 *
 * <p><b>Outcomes.</b> 202 is ACCEPTED with the {@code X-Message-Id}. 400 (with SendGrid's field
 * errors), 401, 403 and 413 are REJECTED. 429 waits for {@code X-RateLimit-Reset} when it is within
 * {@link RetryPolicy#maxRateLimitWait()}; 5xx and failures before the request was written are
 * retried with back-off and jitter; when the tries run out the answer is RETRYABLE with the time of
 * the next allowed try. A failure after the request was written (a time-out, a dropped connection)
 * is UNKNOWN and never resent: the {@code processed} event carrying the message id settles it.
 * OkHttp's own silent retry is off, so nothing resends behind our back.
 *
 * <p><b>Bounds.</b> At most {@code maxInFlight} sends overall and {@code maxInFlightPerTenant} per
 * tenant are open at once (a send waiting to retry counts). A send beyond either is answered at
 * once as RETRYABLE ({@link FailureKind#BUSY}), nothing sent: the caller already holds the message
 * durably and retries it with back-off, so a queue here would only hide the pressure, hold memory
 * without bound, and let one tenant's burst delay the others.
 *
 * <p>The API key is written to the {@code Authorization} header and nowhere else: not to log lines,
 * exception messages, results or {@code toString()}.
 */
public final class SendGridTransport implements MailTransport, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SendGridTransport.class);

  /** Time to open a connection, by default. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Time for each write of the request, by default. */
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);

  /** Time for each read of the answer, by default. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(20);

  /** Time for one whole request (connect, write, read), by default. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

  /** Idle connections kept per transport, by default. */
  public static final int DEFAULT_MAX_IDLE_CONNECTIONS = 32;

  /**
   * How long an idle connection is kept, by default: short, since a request written to a connection
   * the server has just closed would be ambiguous (UNKNOWN).
   */
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);

  /** Sends open at once, overall, by default. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;

  /** Sends open at once for one tenant, by default. */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_TENANT = 64;

  /** The Mail Send path. */
  public static final String MAIL_SEND_PATH = "/v3/mail/send";

  private final Clock clock;
  private final SendGridCredentials credentials;
  private final Function<Message, MailContent> content;
  private final Map<String, AsmGroup> asmGroups;
  private final boolean sandbox;
  private final Map<Region, HttpUrl> endpoints;
  private final RetryPolicy retry;
  private final InFlightPermits permits;
  private final OkHttpClient client;
  private final ScheduledExecutorService scheduler;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Retries waiting on the scheduler; whoever removes one (the timer or close()) runs it. */
  private final Set<Runnable> waiting = ConcurrentHashMap.newKeySet();

  private final Exchange.Context exchanges;

  private SendGridTransport(Builder b) {
    this.clock = b.clock;
    this.credentials = b.credentials;
    this.content = b.content;
    this.asmGroups = Map.copyOf(b.asmGroups);
    this.sandbox = b.sandbox;
    Map<Region, HttpUrl> urls = new EnumMap<>(Region.class);
    for (Region r : Region.values()) {
      URI base = b.endpoints.getOrDefault(r, r.baseUrl());
      urls.put(r, HttpUrl.get(base.toString()).resolve(MAIL_SEND_PATH));
    }
    this.endpoints = urls;
    this.retry = b.retry;
    this.permits = new InFlightPermits(b.maxInFlight, b.maxInFlightPerTenant);
    int maxInFlight = b.maxInFlight;
    ExecutorService calls =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            HttpClients.daemon("steward-sendgrid-call"));
    okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher(calls);
    dispatcher.setMaxRequests(maxInFlight);
    dispatcher.setMaxRequestsPerHost(maxInFlight);
    this.client =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(
                new ConnectionPool(
                    b.maxIdleConnections, b.keepAlive.toMillis(), TimeUnit.MILLISECONDS))
            .connectTimeout(b.connectTimeout)
            .writeTimeout(b.writeTimeout)
            .readTimeout(b.readTimeout)
            .callTimeout(b.callTimeout)
            .retryOnConnectionFailure(false)
            .eventListenerFactory(HttpClients.listenerFactory())
            .followRedirects(false)
            .followSslRedirects(false)
            .build();
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(1, HttpClients.daemon("steward-sendgrid-retry"));
    s.setRemoveOnCancelPolicy(true);
    this.scheduler = s;
    Delayer delayer = b.delayer != null ? b.delayer : this::scheduleRetry;
    this.exchanges = new Exchange.Context(client, clock, retry, delayer, permits, closed::get);
  }

  /**
   * A builder.
   *
   * @param clock the clock for rate-limit resets, {@code send_at} checks and retry times
   * @param credentials each tenant's key and region
   * @param content what each message's mail carries beyond the message (sender, subject or template
   *     data, IP pool, unsubscribe URL)
   */
  public static Builder builder(
      Clock clock, SendGridCredentials credentials, Function<Message, MailContent> content) {
    return new Builder(clock, credentials, content);
  }

  /** Sends one message and waits for the outcome; never throws for a failed send. */
  @Override
  public SendResult send(Message message) {
    return sendHere(List.of(message));
  }

  /** Sends one message; the stage completes with the outcome and never fails for a failed send. */
  @Override
  public CompletionStage<SendResult> sendAsync(Message message) {
    return deliverBatch(List.of(message)).handle(SendGridTransport::toResult);
  }

  /**
   * Sends several messages as one mail (one personalization each; same tenant, kind, category,
   * sender, template and body) in one request, and waits for the outcome, which holds for all.
   */
  public SendResult sendBatch(List<Message> messages) {
    return sendHere(messages);
  }

  /** The first try on the calling thread, which waits for the outcome anyway (retries as ever). */
  private SendResult sendHere(List<Message> messages) {
    CompletableFuture<SendResult> result = new CompletableFuture<>();
    try {
      start(List.copyOf(messages), result, true);
    } catch (MailSendException e) {
      result.completeExceptionally(e);
    }
    return result.handle(SendGridTransport::toResult).join();
  }

  /**
   * Sends one message; the future completes with an ACCEPTED result, or fails with a {@link
   * MailSendException} whose {@link MailSendException#kind()} says why.
   */
  public CompletableFuture<SendResult> deliver(Message message) {
    return deliverBatch(List.of(message));
  }

  /** As {@link #deliver}, for several messages sent as one mail (see {@link #sendBatch}). */
  public CompletableFuture<SendResult> deliverBatch(List<Message> messages) {
    CompletableFuture<SendResult> result = new CompletableFuture<>();
    try {
      start(List.copyOf(messages), result, false);
    } catch (MailSendException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  /** How many sends are open now (a send waiting to retry counts). */
  public int inFlight() {
    return permits.open();
  }

  /**
   * Stops: new sends are answered RETRYABLE, sends waiting to retry end RETRYABLE at once, idle
   * connections close. Requests already on the wire finish.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // a ScheduledThreadPoolExecutor's task run after shutdownNow() cancels itself instead of
    // running, so the waiting sends are run from our own set: each sees the transport closed and
    // ends RETRYABLE, giving its permit back
    scheduler.shutdownNow();
    for (Runnable task : List.copyOf(waiting)) {
      task.run(); // runs the send's next try only if the timer has not (it claims itself)
    }
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  /** The default {@link Delayer}: the transport's timer, with the task kept for close(). */
  private void scheduleRetry(Duration delay, Runnable task) {
    Runnable once =
        new Runnable() {
          @Override
          public void run() {
            if (waiting.remove(this)) {
              task.run();
            }
          }
        };
    waiting.add(once);
    try {
      scheduler.schedule(once, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      waiting.remove(once);
      throw e;
    }
    if (closed.get()) {
      once.run(); // close() may have drained the set before this task was added
    }
  }

  @Override
  public String toString() {
    return "SendGridTransport[global="
        + endpoints.get(Region.GLOBAL).host()
        + ", eu="
        + endpoints.get(Region.EU).host()
        + ", maxInFlight="
        + permits.overall()
        + ", perTenant="
        + permits.perTenant()
        + ", sandbox="
        + sandbox
        + "]";
  }

  private static SendResult toResult(SendResult ok, Throwable error) {
    if (error == null) {
      return ok;
    }
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof MailSendException e) {
      return e.toSendResult();
    }
    return SendResult.unknown("transport failed: " + cause.getClass().getSimpleName());
  }

  private void start(
      List<Message> messages, CompletableFuture<SendResult> result, boolean onThisThread) {
    if (messages.isEmpty()) {
      throw new InvalidMailException("no message to send");
    }
    Instant now = clock.instant();
    if (closed.get()) {
      throw failure(FailureKind.BUSY, "the transport is closed", now.plus(retry.initialBackoff()));
    }
    List<MailContent> contents = new ArrayList<>(messages.size());
    for (Message m : messages) {
      contents.add(contentOf(m));
    }
    byte[] body = MailBody.write(messages, contents, asmGroups, sandbox, now);
    TenantId tenant = messages.get(0).tenant();
    TenantCredential credential = credentialOf(tenant, now);
    if (!permits.acquire(tenant)) {
      throw failure(
          FailureKind.BUSY,
          "too many sends in flight (at most "
              + permits.overall()
              + " overall, "
              + permits.perTenant()
              + " per tenant); nothing was sent",
          now.plus(retry.initialBackoff()));
    }
    Exchange exchange =
        new Exchange(
            exchanges,
            messages.get(0),
            messages.size(),
            body,
            endpoints.get(credential.region()),
            credential,
            result);
    if (onThisThread) {
      exchange.attemptHere();
    } else {
      exchange.attempt();
    }
  }

  private MailContent contentOf(Message m) {
    MailContent c;
    try {
      c = content.apply(m);
    } catch (MailSendException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InvalidMailException(
          "the content function failed for message "
              + m.id()
              + ": "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage());
    }
    if (c == null) {
      throw new InvalidMailException("the content function gave no content for message " + m.id());
    }
    return c;
  }

  private TenantCredential credentialOf(TenantId tenant, Instant now) {
    Optional<TenantCredential> found;
    try {
      found = credentials.forTenant(tenant);
    } catch (RuntimeException e) {
      // the SPI's own message might quote a secret: name the class only
      throw new MailSendException(
          FailureKind.CREDENTIALS_UNAVAILABLE,
          "the credentials lookup for tenant "
              + tenant
              + " failed with "
              + e.getClass().getName()
              + "; nothing was sent",
          0,
          now.plus(retry.initialBackoff()),
          List.of(),
          0,
          null);
    }
    if (found == null || found.isEmpty()) {
      throw failure(FailureKind.NO_CREDENTIALS, "tenant " + tenant + " has no SendGrid key", null);
    }
    return found.get();
  }

  private static MailSendException failure(FailureKind kind, String message, Instant retryAfter) {
    return new MailSendException(kind, message, 0, retryAfter, List.of(), 0, null);
  }

  /** Builds a {@link SendGridTransport}; each setter checks its value. */
  public static final class Builder {
    private final Clock clock;
    private final SendGridCredentials credentials;
    private final Function<Message, MailContent> content;
    private final Map<String, AsmGroup> asmGroups = new HashMap<>();
    private final Map<Region, URI> endpoints = new EnumMap<>(Region.class);
    private boolean sandbox;
    private RetryPolicy retry = RetryPolicy.ofDefaults();
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private int maxIdleConnections = DEFAULT_MAX_IDLE_CONNECTIONS;
    private Duration keepAlive = DEFAULT_KEEP_ALIVE;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private int maxInFlightPerTenant = DEFAULT_MAX_IN_FLIGHT_PER_TENANT;
    private Delayer delayer;

    private Builder(
        Clock clock, SendGridCredentials credentials, Function<Message, MailContent> content) {
      this.clock = Objects.requireNonNull(clock, "clock");
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      this.content = Objects.requireNonNull(content, "content");
    }

    /** The unsubscribe group for a category's mail (the category is normalised as core does). */
    public Builder asmGroup(String category, AsmGroup group) {
      String c = Message.category(category);
      Objects.requireNonNull(group, "group");
      if (asmGroups.containsKey(c)) {
        throw new IllegalArgumentException("category '" + c + "' already has an ASM group");
      }
      asmGroups.put(c, group);
      return this;
    }

    /** Sandbox mode: SendGrid validates each request and sends nothing. Off by default. */
    public Builder sandboxMode(boolean on) {
      this.sandbox = on;
      return this;
    }

    /** Another base URL for a region (a proxy, or a test server); {@code http} or {@code https}. */
    public Builder endpoint(Region region, URI baseUrl) {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(baseUrl, "baseUrl");
      if (HttpUrl.parse(baseUrl.toString()) == null
          || baseUrl.getRawPath() != null && baseUrl.getRawPath().length() > 1) {
        throw new IllegalArgumentException(
            "endpoint for "
                + region
                + " must be an absolute http(s) URL without a path, not "
                + baseUrl);
      }
      endpoints.put(region, baseUrl);
      return this;
    }

    /** The retry policy; {@link RetryPolicy#ofDefaults()} by default. */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retry = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Time to open a connection; {@link #DEFAULT_CONNECT_TIMEOUT} by default. */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive("connectTimeout", d);
      return this;
    }

    /** Time for each write; {@link #DEFAULT_WRITE_TIMEOUT} by default. */
    public Builder writeTimeout(Duration d) {
      this.writeTimeout = positive("writeTimeout", d);
      return this;
    }

    /** Time for each read; {@link #DEFAULT_READ_TIMEOUT} by default. */
    public Builder readTimeout(Duration d) {
      this.readTimeout = positive("readTimeout", d);
      return this;
    }

    /** Time for a whole request; {@link #DEFAULT_CALL_TIMEOUT} by default. */
    public Builder callTimeout(Duration d) {
      this.callTimeout = positive("callTimeout", d);
      return this;
    }

    /** The connection pool: idle connections kept and for how long. */
    public Builder connectionPool(int maxIdle, Duration keepAlive) {
      if (maxIdle < 0) {
        throw new IllegalArgumentException("maxIdle must not be negative, not " + maxIdle);
      }
      this.maxIdleConnections = maxIdle;
      this.keepAlive = positive("keepAlive", keepAlive);
      return this;
    }

    /** Sends open at once, overall and per tenant (the second at most the first). */
    public Builder maxInFlight(int overall, int perTenant) {
      if (overall < 1) {
        throw new IllegalArgumentException("maxInFlight must be at least 1, not " + overall);
      }
      if (perTenant < 1 || perTenant > overall) {
        throw new IllegalArgumentException(
            "maxInFlight per tenant must be 1 to " + overall + ", not " + perTenant);
      }
      this.maxInFlight = overall;
      this.maxInFlightPerTenant = perTenant;
      return this;
    }

    /** Tests: runs retries through this instead of the transport's timer. */
    Builder delayer(Delayer d) {
      this.delayer = Objects.requireNonNull(d, "delayer");
      return this;
    }

    /** Builds the transport; it owns an HTTP client and a daemon timer until {@code close()}. */
    public SendGridTransport build() {
      return new SendGridTransport(this);
    }

    private static Duration positive(String what, Duration d) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, not " + d);
      }
      return d;
    }
  }
}
