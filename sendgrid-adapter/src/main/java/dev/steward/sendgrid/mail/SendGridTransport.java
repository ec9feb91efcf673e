package dev.steward.sendgrid.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.delivery.MailTransport;
import dev.steward.delivery.SendResult;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import java.io.IOException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's {@link MailTransport} over SendGrid's {@code POST /v3/mail/send}, on OkHttp's asynchronous
 * calls. Build one with {@link #builder}, share it, {@link #close()} it at shutdown.
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

  /** The longest error body read from SendGrid. */
  static final int MAX_ERROR_BODY = 64 * 1024;

  private static final MediaType JSON = MediaType.get("application/json");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String USER_AGENT = "steward-sendgrid";

  private final Clock clock;
  private final SendGridCredentials credentials;
  private final Function<Message, MailContent> content;
  private final Map<String, AsmGroup> asmGroups;
  private final boolean sandbox;
  private final Map<Region, HttpUrl> endpoints;
  private final RetryPolicy retry;
  private final int maxInFlight;
  private final int maxInFlightPerTenant;
  private final OkHttpClient client;
  private final ScheduledExecutorService scheduler;
  private final Delayer delayer;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ConcurrentHashMap<TenantId, Integer> perTenant = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

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
    this.maxInFlight = b.maxInFlight;
    this.maxInFlightPerTenant = b.maxInFlightPerTenant;
    ExecutorService calls =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemon("steward-sendgrid-call"));
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
            .eventListenerFactory(
                call -> {
                  Attempt a = call.request().tag(Attempt.class);
                  return a != null ? a : EventListener.NONE;
                })
            .followRedirects(false)
            .followSslRedirects(false)
            .build();
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(1, daemon("steward-sendgrid-retry"));
    s.setRemoveOnCancelPolicy(true);
    this.scheduler = s;
    this.delayer =
        b.delayer != null
            ? b.delayer
            : (delay, task) -> scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
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
    return sendAsync(message).toCompletableFuture().join();
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
    return deliverBatch(messages).handle(SendGridTransport::toResult).join();
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
      start(List.copyOf(messages), result);
    } catch (MailSendException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  /** How many sends are open now (a send waiting to retry counts). */
  public int inFlight() {
    return inFlight.get();
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
    for (Runnable pending : scheduler.shutdownNow()) {
      pending.run();
    }
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Override
  public String toString() {
    return "SendGridTransport[global="
        + endpoints.get(Region.GLOBAL).host()
        + ", eu="
        + endpoints.get(Region.EU).host()
        + ", maxInFlight="
        + maxInFlight
        + ", perTenant="
        + maxInFlightPerTenant
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

  private void start(List<Message> messages, CompletableFuture<SendResult> result) {
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
    if (!acquire(tenant)) {
      throw failure(
          FailureKind.BUSY,
          "too many sends in flight (at most "
              + maxInFlight
              + " overall, "
              + maxInFlightPerTenant
              + " per tenant); nothing was sent",
          now.plus(retry.initialBackoff()));
    }
    new Exchange(messages.get(0), messages.size(), body, credential, result).attempt();
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

  private boolean acquire(TenantId tenant) {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return false;
    }
    boolean[] taken = {false};
    perTenant.compute(
        tenant,
        (t, n) -> {
          int open = n == null ? 0 : n;
          if (open >= maxInFlightPerTenant) {
            return n;
          }
          taken[0] = true;
          return open + 1;
        });
    if (!taken[0]) {
      inFlight.decrementAndGet();
    }
    return taken[0];
  }

  private void release(TenantId tenant) {
    perTenant.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
    inFlight.decrementAndGet();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * One request of a send, as OkHttp's event listener: it notes when the request began to be
   * written, after which a failure is ambiguous.
   */
  private static final class Attempt extends EventListener {
    volatile boolean started;

    @Override
    public void requestHeadersStart(Call call) {
      started = true;
    }
  }

  /** One send: its tries, their outcome, and the permits it holds until it ends. */
  private final class Exchange implements Callback {
    private final Message first;
    private final int recipients;
    private final byte[] body;
    private final HttpUrl url;
    private final String authorization;
    private final CompletableFuture<SendResult> result;
    private final AtomicBoolean done = new AtomicBoolean();
    private int attempts;
    private Attempt current;

    Exchange(
        Message first,
        int recipients,
        byte[] body,
        TenantCredential credential,
        CompletableFuture<SendResult> result) {
      this.first = first;
      this.recipients = recipients;
      this.body = body;
      this.url = endpoints.get(credential.region());
      this.authorization = "Bearer " + credential.apiKey().reveal();
      this.result = result;
    }

    void attempt() {
      if (closed.get() && attempts > 0) {
        fail(FailureKind.NETWORK, 0, "the transport closed before the next try", List.of(), null);
        return;
      }
      attempts++;
      Attempt a = new Attempt();
      current = a;
      Request request =
          new Request.Builder()
              .url(url)
              .header("Authorization", authorization)
              .header("Accept", "application/json")
              .header("User-Agent", USER_AGENT)
              .post(RequestBody.create(body, JSON))
              .tag(Attempt.class, a)
              .build();
      try {
        client.newCall(request).enqueue(this);
      } catch (RuntimeException e) {
        fail(FailureKind.NETWORK, 0, "the request could not be queued", List.of(), e);
      }
    }

    @Override
    public void onFailure(Call call, IOException e) {
      String what =
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      if (current.started) {
        log.warn(
            "SendGrid send of message {} (tenant {}) failed after the request was written ({});"
                + " UNKNOWN, not resent: the processed event will settle it",
            first.id(),
            first.tenant(),
            what);
        fail(
            FailureKind.AMBIGUOUS,
            0,
            "no answer after the request was written (" + what + "); not resent",
            List.of(),
            e);
        return;
      }
      retryOrFail(
          FailureKind.NETWORK,
          0,
          "failed before the request was written (" + what + ")",
          null,
          null,
          e);
    }

    @Override
    public void onResponse(Call call, Response response) {
      try (response) {
        int code = response.code();
        log.debug(
            "SendGrid answered {} to message {} (tenant {}, try {})",
            code,
            first.id(),
            first.tenant(),
            attempts);
        if (code >= 200 && code < 300) {
          succeed(response.header("X-Message-Id"));
        } else if (code == 429) {
          rateLimited(response.header("X-RateLimit-Reset"));
        } else if (code >= 500) {
          retryOrFail(
              FailureKind.SERVER_ERROR, code, "SendGrid answered " + code, null, null, null);
        } else {
          rejected(code, errorBody(response));
        }
      } catch (RuntimeException e) {
        fail(FailureKind.AMBIGUOUS, 0, "the answer could not be handled; not resent", List.of(), e);
      }
    }

    private void rateLimited(String resetHeader) {
      Instant now = clock.instant();
      Instant reset = null;
      if (resetHeader != null) {
        try {
          reset = Instant.ofEpochSecond(Long.parseLong(resetHeader.trim()));
        } catch (NumberFormatException | java.time.DateTimeException e) {
          log.debug("SendGrid sent an unreadable X-RateLimit-Reset; backing off instead");
        }
      }
      Duration wait = reset == null ? null : Duration.between(now, reset);
      if (wait != null && wait.isNegative()) {
        wait = Duration.ZERO;
      }
      if (wait != null && wait.compareTo(retry.maxRateLimitWait()) > 0) {
        fail(
            FailureKind.RATE_LIMITED,
            429,
            "SendGrid's rate limit resets at " + reset + ", beyond the wait allowed in one send",
            List.of(),
            null,
            reset);
        return;
      }
      retryOrFail(FailureKind.RATE_LIMITED, 429, "SendGrid answered 429", wait, reset, null);
    }

    private void rejected(int code, String errorBody) {
      List<FieldError> errors = fieldErrors(errorBody);
      FailureKind kind;
      String why;
      switch (code) {
        case 400 -> {
          kind = FailureKind.BAD_REQUEST;
          why = "SendGrid refused the request (400)";
        }
        case 401 -> {
          kind = FailureKind.AUTHENTICATION;
          why = "SendGrid refused the tenant's API key (401)";
        }
        case 403 -> {
          kind = FailureKind.FORBIDDEN;
          why =
              "SendGrid forbade the send (403): the key lacks mail.send or the from address is"
                  + " not a verified sender identity";
        }
        case 413 -> {
          kind = FailureKind.PAYLOAD_TOO_LARGE;
          why = "SendGrid found the request too large (413)";
        }
        default -> {
          kind = FailureKind.UNEXPECTED_STATUS;
          why = "SendGrid answered " + code;
        }
      }
      if (!errors.isEmpty()) {
        why += ": " + errors;
      }
      fail(kind, code, why, errors, null);
    }

    private void retryOrFail(
        FailureKind kind, int code, String why, Duration wait, Instant reset, Throwable cause) {
      Duration backoff = retry.backoff(attempts, ThreadLocalRandom.current().nextDouble());
      Duration delay = wait != null ? wait : backoff;
      if (attempts >= retry.maxAttempts()) {
        Instant next = reset != null ? reset : clock.instant().plus(backoff);
        fail(kind, code, why + " after " + attempts + " tries", List.of(), cause, next);
        return;
      }
      log.debug(
          "SendGrid send of message {} (tenant {}): {}; try {} in {} ms",
          first.id(),
          first.tenant(),
          why,
          attempts + 1,
          delay.toMillis());
      try {
        delayer.schedule(delay, this::attempt);
      } catch (RejectedExecutionException e) {
        fail(
            kind,
            code,
            why + "; the transport closed before the next try",
            List.of(),
            cause,
            clock.instant().plus(delay));
      }
    }

    private void succeed(String providerId) {
      if (done.compareAndSet(false, true)) {
        release(first.tenant());
        result.complete(SendResult.accepted(providerId));
      }
    }

    private void fail(
        FailureKind kind, int code, String why, List<FieldError> errors, Throwable cause) {
      fail(
          kind,
          code,
          why,
          errors,
          cause,
          kind.outcome() == SendResult.Status.RETRYABLE
              ? clock.instant().plus(retry.initialBackoff())
              : null);
    }

    private void fail(
        FailureKind kind,
        int code,
        String why,
        List<FieldError> errors,
        Throwable cause,
        Instant retryAfter) {
      if (done.compareAndSet(false, true)) {
        release(first.tenant());
        String subject =
            recipients == 1 ? "message " + first.id() : recipients + " messages from " + first.id();
        result.completeExceptionally(
            new MailSendException(
                kind, subject + ": " + why, code, retryAfter, errors, attempts, cause));
      }
    }
  }

  private static String errorBody(Response response) {
    try {
      return response.peekBody(MAX_ERROR_BODY).string();
    } catch (IOException e) {
      return "";
    }
  }

  /** SendGrid's {@code {"errors":[{"message","field","help"}]}}; empty when unreadable. */
  static List<FieldError> fieldErrors(String body) {
    if (body == null || body.isBlank()) {
      return List.of();
    }
    try {
      JsonNode errors = MAPPER.readTree(body).path("errors");
      List<FieldError> out = new ArrayList<>();
      for (JsonNode e : errors) {
        String message = e.path("message").asText("");
        if (message.isEmpty()) {
          continue;
        }
        out.add(
            new FieldError(
                cut(message),
                Optional.of(e.path("field"))
                    .filter(JsonNode::isTextual)
                    .map(JsonNode::asText)
                    .map(SendGridTransport::cut),
                Optional.of(e.path("help"))
                    .filter(JsonNode::isTextual)
                    .map(JsonNode::asText)
                    .map(SendGridTransport::cut)));
        if (out.size() == 50) {
          break;
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  private static String cut(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500) + "...";
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
