package dev.steward.delivery;

import dev.steward.model.Message;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send pipeline: runs a message through its ordered {@link Gate}s, then the {@link
 * MailTransport}. A deferred message is kept in the {@link DeferredQueue} and dispatched again by
 * {@link #dispatchDue(int)} at its time; nothing is dropped silently. An intent is written to the
 * {@link DeliveryLedger} before the transport is called, so one idempotency key is sent at most
 * once.
 *
 * <p>Thread-safe; several dispatchers (in one process or several) may share the same stores.
 */
public final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** How long a claim on a due message lasts before another instance may take it. */
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);

  /** The first wait after a retryable transport failure that named no retry time. */
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(30);

  /**
   * The shortest deferral: a gate that defers to a time not after now (a stale reset time) would
   * otherwise have the message claimed again at once, forever.
   */
  public static final Duration MIN_DEFERRAL = Duration.ofSeconds(1);

  /** How many times a message may be deferred for transport failures before it is FAILED. */
  public static final int DEFAULT_MAX_TRANSPORT_ATTEMPTS = 8;

  private static final String TRANSPORT = "transport";
  private static final String LEDGER = "ledger";

  private final List<Gate> gates;
  private final MailTransport transport;
  private final DeferredQueue queue;
  private final DeliveryLedger ledger;
  private final List<DispatchListener> listeners;
  private final Clock clock;
  private final String instanceId;
  private final Duration lease;
  private final Duration retryDelay;
  private final int maxTransportAttempts;

  private Dispatcher(Builder b) {
    this.gates = List.copyOf(b.gates);
    this.transport = b.transport;
    this.queue = b.queue;
    this.ledger = b.ledger;
    this.listeners = List.copyOf(b.listeners);
    this.clock = b.clock;
    this.instanceId = b.instanceId;
    this.lease = b.lease;
    this.retryDelay = b.retryDelay;
    this.maxTransportAttempts = b.maxTransportAttempts;
  }

  /** A builder; the deferred queue and the ledger default to in-memory stores. */
  public static Builder builder(MailTransport transport, Clock clock) {
    return new Builder(transport, clock);
  }

  /** Runs one new message through the pipeline now. */
  public DispatchResult dispatch(Message message) {
    Objects.requireNonNull(message, "message");
    return process(message, null);
  }

  /**
   * Claims up to {@code max} deferred messages that are due and dispatches each again; returns
   * their results. A message that fails with an exception stays claimed until its lease ends, then
   * is retried by this or another instance.
   */
  public List<DispatchResult> dispatchDue(int max) {
    if (max <= 0) {
      throw new IllegalArgumentException("max must be positive, was " + max);
    }
    List<DeferredMessage> due = queue.claimDue(clock.instant(), max, instanceId, lease);
    List<DispatchResult> results = new ArrayList<>(due.size());
    for (DeferredMessage d : due) {
      try {
        DispatchResult r = process(d.message(), d);
        if (r.status() != DispatchStatus.DEFERRED) {
          queue.complete(d.message().id());
        }
        results.add(r);
      } catch (RuntimeException e) {
        log.error(
            "dispatch of deferred message {} failed; it is retried after its lease",
            d.message().id(),
            e);
      }
    }
    return results;
  }

  /** The queue of deferred messages this dispatcher uses. */
  public DeferredQueue deferredQueue() {
    return queue;
  }

  /** The gates, in order: the reconciler confirms late sends to them. */
  List<Gate> gates() {
    return gates;
  }

  /** The ledger of send intents this dispatcher uses. */
  public DeliveryLedger ledger() {
    return ledger;
  }

  /**
   * Runs a message through gates and transport. {@code from} is its queue entry when it comes from
   * the deferred queue, else null.
   */
  private DispatchResult process(Message message, DeferredMessage from) {
    Instant now = clock.instant();
    var prior = ledger.find(message.idempotencyKey());
    if (prior.isPresent()) {
      DispatchResult settled = settledEarlier(message, prior.get(), now);
      if (settled != null) {
        return finish(settled);
      }
    }

    List<Reason> reasons = new ArrayList<>();
    List<Gate> passed = new ArrayList<>(gates.size());
    try {
      for (Gate gate : gates) {
        Decision d = gate.evaluate(message, now);
        notifyGate(message, gate.name(), d);
        reasons.addAll(d.reasons());
        if (!d.isAllowed()) {
          release(passed, message, now);
          passed.clear();
          if (d.outcome() == Outcome.SUPPRESS) {
            Decision combined = new Decision(d.outcome(), d.notBefore(), reasons);
            return finish(new DispatchResult(message, DispatchStatus.SUPPRESSED, combined, null));
          }
          Instant due = notBefore(gate, d, now);
          Decision combined = new Decision(d.outcome(), due, reasons);
          int attempts = from == null ? 1 : from.attempts() + 1;
          int failures = from == null ? 0 : from.transportFailures();
          DeferredMessage next = new DeferredMessage(message, due, attempts, summary(d), failures);
          if (!keep(next, from)) {
            return finish(cancelledMeanwhile(message, reasons, null));
          }
          return finish(new DispatchResult(message, DispatchStatus.DEFERRED, combined, null));
        }
        passed.add(gate);
      }
      if (!ledger.recordIntent(message, now)) {
        release(passed, message, now);
        passed.clear();
        reasons.add(
            Reason.of(
                LEDGER,
                "idempotency-key",
                Outcome.SUPPRESS,
                "another dispatch holds idempotency key " + message.idempotencyKey()));
        return finish(
            new DispatchResult(
                message, DispatchStatus.DUPLICATE, Decision.suppress(reasons), null));
      }
    } catch (RuntimeException e) {
      // a gate or the ledger failed: what earlier gates reserved must not stay taken
      release(passed, message, now);
      throw e;
    }

    SendResult sent = send(message);
    String key = message.idempotencyKey();
    Instant after = clock.instant();
    switch (sent.status()) {
      case ACCEPTED:
        ledger.markOutcome(key, DeliveryStatus.SENT, sent.providerMessageId(), after);
        return finish(
            new DispatchResult(message, DispatchStatus.SENT, Decision.allow(reasons), sent));
      case RETRYABLE:
        {
          // Record the refusal and keep the message first; only then give the reservations back,
          // so a failing release can cost at most an over-count, never the message.
          DispatchResult later = retryLater(message, from, reasons, sent, after);
          releaseAfterSettling(passed, message, now);
          return later;
        }
      case REJECTED:
        ledger.markOutcome(key, DeliveryStatus.FAILED, null, after);
        releaseAfterSettling(passed, message, now);
        reasons.add(Reason.of(TRANSPORT, "rejected", Outcome.SUPPRESS, sent.detail()));
        log.warn("message {} rejected by the transport: {}", message.id(), sent.detail());
        return finish(
            new DispatchResult(message, DispatchStatus.FAILED, Decision.suppress(reasons), sent));
      case UNKNOWN:
      default:
        // The request may have left: keep the reservation and never resend blindly; the provider's
        // events (carrying our message id) settle it.
        ledger.markOutcome(key, DeliveryStatus.UNKNOWN, null, after);
        reasons.add(Reason.of(TRANSPORT, "unknown", Outcome.SUPPRESS, sent.detail()));
        log.warn("outcome of message {} unknown: {}", message.id(), sent.detail());
        return finish(
            new DispatchResult(message, DispatchStatus.UNKNOWN, Decision.suppress(reasons), sent));
    }
  }

  /**
   * What to answer when the ledger already knows the idempotency key, or null to go on (a retry of
   * this very message).
   */
  private DispatchResult settledEarlier(Message message, DeliveryRecord record, Instant now) {
    boolean same = record.messageId().equals(message.id());
    if (same && record.status().mayRetry()) {
      return null;
    }
    if (same && record.status() == DeliveryStatus.SENDING) {
      // An earlier attempt of this message wrote its intent and stopped before it could record the
      // outcome (a crash, a failed write): it may have been sent. Say so; never resend blindly.
      ledger.markOutcome(message.idempotencyKey(), DeliveryStatus.UNKNOWN, null, now);
      log.warn("an earlier attempt of message {} stopped mid-send; outcome unknown", message.id());
      Reason why =
          Reason.of(
              LEDGER,
              "interrupted-attempt",
              Outcome.SUPPRESS,
              "an earlier attempt stopped after its intent was written; it may have been sent");
      return new DispatchResult(message, DispatchStatus.UNKNOWN, Decision.suppress(why), null);
    }
    if (same && record.status() == DeliveryStatus.UNKNOWN) {
      Reason why =
          Reason.of(
              LEDGER,
              "unknown-outcome",
              Outcome.SUPPRESS,
              "the outcome of an earlier attempt is not known yet; provider events settle it");
      return new DispatchResult(message, DispatchStatus.UNKNOWN, Decision.suppress(why), null);
    }
    Reason why =
        Reason.of(
            LEDGER,
            "idempotency-key",
            Outcome.SUPPRESS,
            "idempotency key already used by message "
                + record.messageId()
                + " ("
                + record.status()
                + ")");
    return new DispatchResult(message, DispatchStatus.DUPLICATE, Decision.suppress(why), null);
  }

  /**
   * Keeps a deferred message: a new one is added; one that came from the queue is rescheduled only
   * if it is still there (it may have been cancelled while this instance held it). False if gone.
   */
  private boolean keep(DeferredMessage next, DeferredMessage from) {
    if (from == null) {
      queue.defer(next);
      return true;
    }
    return queue.reschedule(next);
  }

  private DispatchResult cancelledMeanwhile(
      Message message, List<Reason> reasons, SendResult sent) {
    reasons.add(
        Reason.of(
            "queue",
            "cancelled",
            Outcome.SUPPRESS,
            "the message was cancelled (erasure or opt-out) while it was being dispatched"));
    log.info("message {} was cancelled while being dispatched; not kept", message.id());
    return new DispatchResult(message, DispatchStatus.SUPPRESSED, Decision.suppress(reasons), sent);
  }

  private DispatchResult retryLater(
      Message message, DeferredMessage from, List<Reason> reasons, SendResult sent, Instant now) {
    String key = message.idempotencyKey();
    int failures = (from == null ? 0 : from.transportFailures()) + 1;
    int attempts = (from == null ? 0 : from.attempts()) + 1;
    if (failures >= maxTransportAttempts) {
      ledger.markOutcome(key, DeliveryStatus.FAILED, null, now);
      reasons.add(
          Reason.of(
              TRANSPORT,
              "attempts-exhausted",
              Outcome.SUPPRESS,
              "gave up after " + failures + " transport attempts: " + sent.detail()));
      log.warn("message {} failed after {} attempts: {}", message.id(), failures, sent.detail());
      return finish(
          new DispatchResult(message, DispatchStatus.FAILED, Decision.suppress(reasons), sent));
    }
    ledger.markOutcome(key, DeliveryStatus.RETRYING, null, now);
    // Exponential back-off from the base delay, unless the provider named a later time.
    Duration backoff = retryDelay.multipliedBy(1L << Math.min(failures - 1, 10));
    Instant due = now.plus(backoff);
    if (sent.retryAfter() != null && sent.retryAfter().isAfter(due)) {
      due = sent.retryAfter();
    }
    DeferredMessage next =
        new DeferredMessage(message, due, attempts, "transport: " + sent.detail(), failures);
    if (!keep(next, from)) {
      return finish(cancelledMeanwhile(message, reasons, sent));
    }
    reasons.add(new Reason(TRANSPORT, "retryable", Outcome.DEFER, sent.detail(), null, due));
    return finish(
        new DispatchResult(message, DispatchStatus.DEFERRED, Decision.defer(due, reasons), sent));
  }

  private SendResult send(Message message) {
    try {
      SendResult r = transport.send(message);
      return r != null ? r : SendResult.unknown("transport returned no result");
    } catch (RuntimeException e) {
      log.warn("transport threw for message {}; outcome treated as unknown", message.id(), e);
      return SendResult.unknown("transport threw " + e.getClass().getSimpleName());
    }
  }

  private static void release(List<Gate> passed, Message message, Instant decidedAt) {
    for (int i = passed.size() - 1; i >= 0; i--) {
      passed.get(i).release(message, decidedAt);
    }
  }

  /**
   * Gives reservations back once the outcome is recorded. A failure here leaves a slot counted that
   * was not used (the safe direction for a cap); it must not undo the recorded outcome.
   */
  private static void releaseAfterSettling(List<Gate> passed, Message message, Instant decidedAt) {
    try {
      release(passed, message, decidedAt);
    } catch (RuntimeException e) {
      log.warn(
          "giving back the reservations of message {} failed; its slots stay counted",
          message.id(),
          e);
    }
  }

  /** A deferral's time, never sooner than {@link #MIN_DEFERRAL} from now. */
  private static Instant notBefore(Gate gate, Decision d, Instant now) {
    Instant earliest = now.plus(MIN_DEFERRAL);
    Instant asked = d.notBefore();
    if (asked == null || asked.isBefore(earliest)) {
      log.warn(
          "gate {} deferred to {}, not at least {} after now ({}); waiting {}",
          gate.name(),
          asked,
          MIN_DEFERRAL,
          now,
          MIN_DEFERRAL);
      return earliest;
    }
    return asked;
  }

  private static String summary(Decision d) {
    StringBuilder sb = new StringBuilder();
    for (Reason r : d.reasons()) {
      if (r.effect() != Outcome.ALLOW) {
        if (sb.length() > 0) {
          sb.append("; ");
        }
        sb.append(r.gate()).append('/').append(r.rule()).append(": ").append(r.detail());
      }
    }
    return sb.toString();
  }

  private void notifyGate(Message message, String gate, Decision d) {
    for (DispatchListener l : listeners) {
      try {
        l.onGateDecision(message, gate, d);
      } catch (RuntimeException e) {
        log.warn("dispatch listener {} threw", l, e);
      }
    }
  }

  private DispatchResult finish(DispatchResult result) {
    log.debug("dispatched {}", result);
    for (DispatchListener l : listeners) {
      try {
        l.onResult(result);
      } catch (RuntimeException e) {
        log.warn("dispatch listener {} threw", l, e);
      }
    }
    return result;
  }

  /** Builds a {@link Dispatcher}. */
  public static final class Builder {
    private final MailTransport transport;
    private final Clock clock;
    private final List<Gate> gates = new ArrayList<>();
    private final List<DispatchListener> listeners = new ArrayList<>();
    private DeferredQueue queue;
    private DeliveryLedger ledger;
    private String instanceId;
    private Duration lease = DEFAULT_LEASE;
    private Duration retryDelay = DEFAULT_RETRY_DELAY;
    private int maxTransportAttempts = DEFAULT_MAX_TRANSPORT_ATTEMPTS;

    private Builder(MailTransport transport, Clock clock) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds a gate; gates run in the order they are added. */
    public Builder gate(Gate gate) {
      Objects.requireNonNull(gate, "gate");
      for (Gate g : gates) {
        if (g.name().equals(gate.name())) {
          throw new IllegalArgumentException(
              "a gate named '" + gate.name() + "' was already added");
        }
      }
      gates.add(gate);
      return this;
    }

    public Builder deferredQueue(DeferredQueue queue) {
      this.queue = Objects.requireNonNull(queue, "queue");
      return this;
    }

    public Builder ledger(DeliveryLedger ledger) {
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      return this;
    }

    public Builder listener(DispatchListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The name this instance claims deferred messages under; defaults to a random id. */
    public Builder instanceId(String instanceId) {
      if (instanceId == null || instanceId.isBlank()) {
        throw new IllegalArgumentException("instanceId must not be blank");
      }
      this.instanceId = instanceId;
      return this;
    }

    /** How long a claim on a due message lasts; default {@link #DEFAULT_LEASE}. */
    public Builder lease(Duration lease) {
      if (lease == null || lease.isNegative() || lease.isZero()) {
        throw new IllegalArgumentException("lease must be positive, was " + lease);
      }
      this.lease = lease;
      return this;
    }

    /** The first wait after a retryable transport failure; default {@link #DEFAULT_RETRY_DELAY}. */
    public Builder retryDelay(Duration delay) {
      if (delay == null || delay.isNegative() || delay.isZero()) {
        throw new IllegalArgumentException("retryDelay must be positive, was " + delay);
      }
      this.retryDelay = delay;
      return this;
    }

    /** Transport attempts before FAILED; default {@link #DEFAULT_MAX_TRANSPORT_ATTEMPTS}. */
    public Builder maxTransportAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException(
            "maxTransportAttempts must be at least 1, was " + attempts);
      }
      this.maxTransportAttempts = attempts;
      return this;
    }

    public Dispatcher build() {
      if (queue == null) {
        queue = new InMemoryDeferredQueue();
      }
      if (ledger == null) {
        ledger = new InMemoryDeliveryLedger();
      }
      if (instanceId == null) {
        instanceId = "dispatcher-" + UUID.randomUUID();
      }
      return new Dispatcher(this);
    }
  }
}
