package dev.steward.sendgrid.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.steward.sendgrid.admin.ApiFailureKind;
import dev.steward.sendgrid.admin.SendGridApiException;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.FieldError;
import dev.steward.sendgrid.mail.RetryPolicy;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synchronous JSON calls to SendGrid's v3 account API with the parent key, on OkHttp, with the
 * transport's retry rules: a 429 waits for {@code X-RateLimit-Reset} when it is near enough; a 5xx
 * and a failure after the request was written are retried only for an {@linkplain
 * ApiRequest#idempotent() idempotent} request (a create answered ambiguously is AMBIGUOUS, never
 * resent); a failure before the request was written is always retried. OkHttp's own silent retry is
 * off. Each request carries its own {@code on-behalf-of} header: nothing is shared between calls
 * but the connection pool.
 */
public final class ApiClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiClient.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The largest answer body read. */
  public static final long MAX_BODY = 16L * 1024 * 1024;

  private final HttpUrl base;
  private final String authorization;
  private final RetryPolicy retry;
  private final Clock clock;
  private final Sleeper sleeper;
  private final OkHttpClient client;

  /** Timeouts of one client. */
  public record Timeouts(Duration connect, Duration write, Duration read, Duration call) {}

  /** A client of {@code base} (scheme, host and port) with {@code parentKey}. */
  public ApiClient(
      HttpUrl base,
      ApiKey parentKey,
      RetryPolicy retry,
      Clock clock,
      Sleeper sleeper,
      Timeouts timeouts) {
    this.base = Objects.requireNonNull(base, "base");
    this.authorization = Secrets.authorization(parentKey);
    this.retry = Objects.requireNonNull(retry, "retry");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.client =
        new OkHttpClient.Builder()
            .connectionPool(new ConnectionPool(4, 30, TimeUnit.SECONDS))
            .connectTimeout(timeouts.connect())
            .writeTimeout(timeouts.write())
            .readTimeout(timeouts.read())
            .callTimeout(timeouts.call())
            .retryOnConnectionFailure(false)
            .followRedirects(false)
            .followSslRedirects(false)
            .eventListenerFactory(HttpClients.listenerFactory())
            .build();
  }

  /** The base URL, for {@code toString()}s. */
  public HttpUrl base() {
    return base;
  }

  /**
   * Makes the call; SendGrid's JSON answer ({@link MissingNode} for an empty one).
   *
   * @throws SendGridApiException when it failed, after the allowed tries
   */
  public JsonNode call(ApiRequest request) {
    int attempts = 0;
    while (true) {
      attempts++;
      Outcome o = once(request, attempts);
      if (o.answer != null) {
        return o.answer;
      }
      SendGridApiException failure = o.failure;
      Duration wait = o.delay;
      if (wait == null || attempts >= retry.maxAttempts()) {
        throw attempts > 1 && wait != null
            ? new SendGridApiException(
                failure.kind(),
                failure.getMessage() + " after " + attempts + " tries",
                failure.httpStatus().orElse(0),
                failure.fieldErrors(),
                failure.retryAfter().orElse(null),
                failure.getCause())
            : failure;
      }
      log.debug(
          "SendGrid {}: {}; try {} in {} ms",
          request.describe(),
          failure.getMessage(),
          attempts + 1,
          wait.toMillis());
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SendGridApiException(
            ApiFailureKind.NETWORK,
            request.describe() + ": interrupted while waiting to try again",
            0,
            List.of(),
            null,
            e);
      }
    }
  }

  /**
   * As {@link #call}, empty when SendGrid answers 404: the resource, or its relation to another, is
   * not there. Every other failure is thrown as {@link #call} throws it.
   */
  public Optional<JsonNode> callIfFound(ApiRequest request) {
    try {
      return Optional.of(call(request));
    } catch (SendGridApiException e) {
      if (e.kind() == ApiFailureKind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Makes the call with one request, never retried here: for due work whose own retry looks again
   * at what is wanted, so no try waits inside the call while a newer change is applied.
   *
   * @throws SendGridApiException when it failed ({@link SendGridApiException#retryAfter()} from a
   *     429's reset)
   */
  public JsonNode callOnce(ApiRequest request) {
    Outcome o = once(request, 1);
    if (o.answer != null) {
      return o.answer;
    }
    throw o.failure;
  }

  /** An answer, or a failure with the wait before the next try (null: do not try again). */
  private record Outcome(JsonNode answer, SendGridApiException failure, Duration delay) {}

  private Outcome once(ApiRequest r, int attempts) {
    RequestWritten written = new RequestWritten();
    Request.Builder b =
        new Request.Builder()
            .url(url(r))
            .header("Authorization", authorization)
            .header("Accept", "application/json")
            .header("User-Agent", HttpClients.USER_AGENT)
            .tag(RequestWritten.class, written);
    r.onBehalfOf().ifPresent(s -> b.header("on-behalf-of", s));
    RequestBody body =
        r.body()
            .map(
                j ->
                    RequestBody.create(
                        j.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        HttpClients.JSON))
            .orElse(null);
    if (body == null && java.util.Set.of("POST", "PUT", "PATCH").contains(r.method())) {
      // a POST that only acts (validate a domain): OkHttp requires a body, SendGrid takes none
      body = RequestBody.create(new byte[0], null);
    }
    b.method(r.method(), body);
    Duration backoff = retry.backoff(attempts, ThreadLocalRandom.current().nextDouble());
    try (Response response = client.newCall(b.build()).execute()) {
      int code = response.code();
      log.debug("SendGrid answered {} to {} (try {})", code, r.describe(), attempts);
      if (code >= 200 && code < 300) {
        return new Outcome(parse(r, response), null, null);
      }
      if (code == 429) {
        return rateLimited(r, response.header("X-RateLimit-Reset"), backoff);
      }
      String errorBody = ErrorBodies.errorBody(response);
      List<FieldError> errors = ErrorBodies.fieldErrors(errorBody);
      if (code >= 500) {
        return new Outcome(
            null,
            fail(ApiFailureKind.SERVER_ERROR, r, "SendGrid answered " + code, code, errors, null),
            r.idempotent() ? backoff : null);
      }
      ApiFailureKind kind =
          switch (code) {
            case 400 -> ApiFailureKind.BAD_REQUEST;
            case 401 -> ApiFailureKind.AUTHENTICATION;
            case 403 -> ApiFailureKind.FORBIDDEN;
            case 404 -> ApiFailureKind.NOT_FOUND;
            default -> ApiFailureKind.UNEXPECTED_ANSWER;
          };
      String why = "SendGrid answered " + code + (errors.isEmpty() ? "" : ": " + errors);
      return new Outcome(null, fail(kind, r, why, code, errors, null), null);
    } catch (IOException e) {
      String what =
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      if (!written.started()) {
        return new Outcome(
            null,
            fail(
                ApiFailureKind.NETWORK,
                r,
                "failed before the request was written (" + what + ")",
                0,
                List.of(),
                e),
            backoff);
      }
      if (r.idempotent()) {
        return new Outcome(
            null,
            fail(
                ApiFailureKind.NETWORK,
                r,
                "no answer after the request was written (" + what + ")",
                0,
                List.of(),
                e),
            backoff);
      }
      return new Outcome(
          null,
          fail(
              ApiFailureKind.AMBIGUOUS,
              r,
              "no answer after the request was written ("
                  + what
                  + "); SendGrid may have acted on it, not resent",
              0,
              List.of(),
              e),
          null);
    }
  }

  private Outcome rateLimited(ApiRequest r, String header, Duration backoff) {
    Instant now = clock.instant();
    Optional<Instant> reset = ErrorBodies.rateLimitReset(header, now);
    Duration wait = reset.map(t -> Duration.between(now, t)).orElse(backoff);
    if (wait.isNegative()) {
      wait = Duration.ZERO;
    }
    SendGridApiException e =
        fail(
            ApiFailureKind.RATE_LIMITED,
            r,
            "SendGrid answered 429" + reset.map(t -> "; the limit resets at " + t).orElse(""),
            429,
            List.of(),
            null,
            reset.orElse(null));
    return new Outcome(null, e, wait.compareTo(retry.maxRateLimitWait()) > 0 ? null : wait);
  }

  private static JsonNode parse(ApiRequest r, Response response) throws IOException {
    ResponseBody body = response.body();
    if (body == null) {
      return MissingNode.getInstance();
    }
    // read at most one byte beyond the limit, whatever the answer claims its length is
    ResponseBody bounded = response.peekBody(MAX_BODY + 1);
    if (bounded.contentLength() > MAX_BODY) {
      throw new SendGridApiException(
          ApiFailureKind.UNEXPECTED_ANSWER,
          r.describe() + ": the answer is larger than " + MAX_BODY + " bytes",
          0,
          List.of(),
          null,
          null);
    }
    String text = bounded.string();
    if (text.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new SendGridApiException(
          ApiFailureKind.UNEXPECTED_ANSWER,
          r.describe() + ": SendGrid's answer is not JSON",
          0,
          List.of(),
          null,
          null);
    }
  }

  private HttpUrl url(ApiRequest r) {
    HttpUrl.Builder u = base.newBuilder();
    for (String s : r.segments()) {
      u.addPathSegment(s);
    }
    for (Map.Entry<String, String> q : r.query().entrySet()) {
      u.addQueryParameter(q.getKey(), q.getValue());
    }
    return u.build();
  }

  private static SendGridApiException fail(
      ApiFailureKind kind,
      ApiRequest r,
      String why,
      int code,
      List<FieldError> errors,
      Throwable cause) {
    return fail(kind, r, why, code, errors, cause, null);
  }

  private static SendGridApiException fail(
      ApiFailureKind kind,
      ApiRequest r,
      String why,
      int code,
      List<FieldError> errors,
      Throwable cause,
      Instant retryAfter) {
    return new SendGridApiException(
        kind, r.describe() + ": " + why, code, errors, retryAfter, cause);
  }

  /** Closes idle connections. */
  @Override
  public void close() {
    client.connectionPool().evictAll();
    client.dispatcher().executorService().shutdown();
  }
}
