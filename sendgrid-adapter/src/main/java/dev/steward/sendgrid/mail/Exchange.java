package dev.steward.sendgrid.mail;

import dev.steward.delivery.SendResult;
import dev.steward.model.Message;
import dev.steward.sendgrid.internal.ErrorBodies;
import dev.steward.sendgrid.internal.HttpClients;
import dev.steward.sendgrid.internal.RequestWritten;
import dev.steward.sendgrid.internal.Secrets;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One send of {@link SendGridTransport}: its tries, their outcome, and the in-flight permit it
 * holds until it ends (given back exactly once, whatever the ending).
 */
final class Exchange implements Callback {
  private static final Logger log = LoggerFactory.getLogger(SendGridTransport.class);

  /** What every exchange of one transport shares. */
  record Context(
      OkHttpClient client,
      Clock clock,
      RetryPolicy retry,
      Delayer delayer,
      InFlightPermits permits,
      BooleanSupplier closed) {}

  private final Context ctx;
  private final Message first;
  private final int recipients;
  private final byte[] body;
  private final HttpUrl url;
  private final String authorization;
  private final CompletableFuture<SendResult> result;
  private final AtomicBoolean done = new AtomicBoolean();
  private int attempts;
  private RequestWritten current;

  Exchange(
      Context ctx,
      Message first,
      int recipients,
      byte[] body,
      HttpUrl url,
      TenantCredential credential,
      CompletableFuture<SendResult> result) {
    this.ctx = ctx;
    this.first = first;
    this.recipients = recipients;
    this.body = body;
    this.url = url;
    this.authorization = Secrets.authorization(credential.apiKey());
    this.result = result;
  }

  /** The next try, on OkHttp's call threads (retries, and sends that do not wait). */
  void attempt() {
    if (ctx.closed().getAsBoolean() && attempts > 0) {
      fail(FailureKind.NETWORK, 0, "the transport closed before the next try", List.of(), null);
      return;
    }
    Request request = nextRequest();
    try {
      ctx.client().newCall(request).enqueue(this);
    } catch (RuntimeException e) {
      fail(FailureKind.NETWORK, 0, "the request could not be queued", List.of(), e);
    }
  }

  /**
   * The first try on the calling thread, for a caller that waits for the outcome anyway: no
   * hand-off to a call thread and back. Its outcome goes through {@link #onResponse} and {@link
   * #onFailure} as an asynchronous try's does, so retries, limits and outcomes are the same; a
   * retry runs on the transport's timer as always. An interrupted thread would fail the write (Okio
   * checks the flag), so it sends asynchronously instead.
   */
  void attemptHere() {
    if (Thread.currentThread().isInterrupted()) {
      attempt();
      return;
    }
    Call call = ctx.client().newCall(nextRequest());
    Response response;
    try {
      response = call.execute();
    } catch (IOException e) {
      onFailure(call, e);
      return;
    } catch (RuntimeException e) {
      // as OkHttp reports a call thread's unexpected failure to an asynchronous callback
      onFailure(call, new IOException("canceled due to " + e, e));
      return;
    }
    onResponse(call, response);
  }

  private Request nextRequest() {
    attempts++;
    RequestWritten a = new RequestWritten();
    current = a;
    return new Request.Builder()
        .url(url)
        .header("Authorization", authorization)
        .header("Accept", "application/json")
        .header("User-Agent", HttpClients.USER_AGENT)
        .post(RequestBody.create(body, HttpClients.JSON))
        .tag(RequestWritten.class, a)
        .build();
  }

  @Override
  public void onFailure(Call call, IOException e) {
    String what =
        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    if (current.started()) {
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
        retryOrFail(FailureKind.SERVER_ERROR, code, "SendGrid answered " + code, null, null, null);
      } else {
        rejected(code, ErrorBodies.errorBody(response));
      }
    } catch (RuntimeException e) {
      fail(FailureKind.AMBIGUOUS, 0, "the answer could not be handled; not resent", List.of(), e);
    }
  }

  private void rateLimited(String resetHeader) {
    Instant now = ctx.clock().instant();
    Instant reset = ErrorBodies.rateLimitReset(resetHeader, now).orElse(null);
    if (resetHeader != null && reset == null) {
      log.debug("SendGrid sent an unreadable X-RateLimit-Reset; backing off instead");
    }
    Duration wait = reset == null ? null : Duration.between(now, reset);
    if (wait != null && wait.isNegative()) {
      wait = Duration.ZERO;
    }
    if (wait != null && wait.compareTo(ctx.retry().maxRateLimitWait()) > 0) {
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
    List<FieldError> errors = ErrorBodies.fieldErrors(errorBody);
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
    RetryPolicy retry = ctx.retry();
    Duration backoff = retry.backoff(attempts, ThreadLocalRandom.current().nextDouble());
    Duration delay = wait != null ? wait : backoff;
    if (attempts >= retry.maxAttempts()) {
      Instant next = reset != null ? reset : ctx.clock().instant().plus(backoff);
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
      ctx.delayer().schedule(delay, this::attempt);
    } catch (RejectedExecutionException e) {
      fail(
          kind,
          code,
          why + "; the transport closed before the next try",
          List.of(),
          cause,
          ctx.clock().instant().plus(delay));
    }
  }

  private void succeed(String providerId) {
    if (done.compareAndSet(false, true)) {
      ctx.permits().release(first.tenant());
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
            ? ctx.clock().instant().plus(ctx.retry().initialBackoff())
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
      ctx.permits().release(first.tenant());
      String subject =
          recipients == 1 ? "message " + first.id() : recipients + " messages from " + first.id();
      result.completeExceptionally(
          new MailSendException(
              kind, subject + ": " + why, code, retryAfter, errors, attempts, cause));
    }
  }
}
