package dev.steward.sendgrid.webhook;

import dev.steward.delivery.InvalidEventBatchException;
import dev.steward.model.EmailEvent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Event Webhook as one call from any HTTP server: verifies a request, parses it, hands the
 * events to the consumer (typically {@code steward::accept}, which stores them durably) and says
 * which status to answer. SendGrid retries a request answered with anything but 2xx for 24 hours,
 * so a refusal that a retry cannot cure (a bad signature, a malformed body) is a 4xx, and a failure
 * a retry may cure (the database is down) a 5xx.
 *
 * <pre>{@code
 * EventWebhookEndpoint endpoint =
 *     EventWebhookEndpoint.builder(EventWebhookVerifier.of(key, clock), steward::accept).build();
 * EventWebhookEndpoint.Answer answer = endpoint.handle(headers, body);
 * response.setStatus(answer.status());
 * }</pre>
 */
public final class EventWebhookEndpoint {
  private static final Logger log = LoggerFactory.getLogger(EventWebhookEndpoint.class);

  /**
   * The largest body accepted by default. SendGrid posts batches of events as they come (up to a
   * few thousand, about 1 KB each); anything this large is not a webhook post.
   */
  public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

  /**
   * What to answer.
   *
   * @param status the HTTP status
   * @param reason why, for the response body and the caller's log; names no address or key
   * @param events how many events were handed on (0 unless 2xx)
   */
  public record Answer(int status, String reason, int events) {
    /** True for a 2xx answer: the events are stored. */
    public boolean accepted() {
      return status / 100 == 2;
    }
  }

  private final EventWebhookVerifier verifier;
  private final SendGridEvents parser;
  private final Consumer<List<EmailEvent>> consumer;
  private final int maxBodyBytes;

  private EventWebhookEndpoint(Builder b) {
    this.verifier = b.verifier;
    this.parser = b.parser;
    this.consumer = b.consumer;
    this.maxBodyBytes = b.maxBodyBytes;
  }

  /** A builder: requests are verified by {@code verifier}, events go to {@code consumer}. */
  public static Builder builder(
      EventWebhookVerifier verifier, Consumer<List<EmailEvent>> consumer) {
    return new Builder(verifier, consumer);
  }

  /**
   * Handles one request: its headers (names in any case) and the exact bytes of its body. Never
   * throws for a bad request: every outcome is an {@link Answer}.
   */
  public Answer handle(Map<String, String> headers, byte[] body) {
    if (body == null) {
      return new Answer(400, "the request has no body", 0);
    }
    if (body.length > maxBodyBytes) {
      log.warn("webhook request of {} bytes refused: more than {}", body.length, maxBodyBytes);
      return new Answer(413, "the body has more than " + maxBodyBytes + " bytes", 0);
    }
    Verification v = verifier.verify(headers == null ? Map.of() : headers, body);
    if (!v.isValid()) {
      log.warn("webhook request refused: {}", v.description());
      return new Answer(v == Verification.BAD_SIGNATURE ? 403 : 401, v.description(), 0);
    }
    List<EmailEvent> events;
    try {
      events = parser.parse(body);
    } catch (MalformedEventsException e) {
      log.warn("webhook request refused: {}", e.getMessage());
      return new Answer(400, e.getMessage(), 0);
    }
    try {
      consumer.accept(events);
    } catch (InvalidEventBatchException e) {
      // the batch can never be stored as it is: a retry would fail the same way
      log.warn("webhook events refused by the store: {}", e.getMessage());
      return new Answer(400, e.getMessage(), 0);
    } catch (RuntimeException e) {
      // the events were not stored: SendGrid must send them again
      log.warn("webhook events could not be stored; SendGrid will retry", e);
      return new Answer(503, "the events could not be stored; retry", 0);
    }
    return new Answer(200, "accepted", events.size());
  }

  /** Builds an {@link EventWebhookEndpoint}. */
  public static final class Builder {
    private final EventWebhookVerifier verifier;
    private final Consumer<List<EmailEvent>> consumer;
    private SendGridEvents parser = SendGridEvents.of();
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;

    private Builder(EventWebhookVerifier verifier, Consumer<List<EmailEvent>> consumer) {
      this.verifier = Objects.requireNonNull(verifier, "verifier");
      this.consumer = Objects.requireNonNull(consumer, "consumer");
    }

    /** The parser (default: a new one), to read its counters. */
    public Builder parser(SendGridEvents parser) {
      this.parser = Objects.requireNonNull(parser, "parser");
      return this;
    }

    /** The largest body accepted (default {@link #DEFAULT_MAX_BODY_BYTES}). */
    public Builder maxBodyBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 1, was " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /** The endpoint. */
    public EventWebhookEndpoint build() {
      return new EventWebhookEndpoint(this);
    }
  }
}
