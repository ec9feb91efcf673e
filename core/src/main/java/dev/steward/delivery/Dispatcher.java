package dev.steward.delivery;

import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.KindSettings;
import dev.steward.schedule.Next;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.RetryPolicy;
import dev.steward.schedule.WorkContext;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send pipeline: runs a message through its ordered {@link Gate}s, then the {@link
 * MailTransport}. A deferred message becomes due work in the {@link WorkStore} and is dispatched
 * again at its time by a {@link WorkRunner} the dispatcher is {@link #registerWith registered
 * with}; nothing is dropped silently. An intent is written to the {@link DeliveryLedger} before the
 * transport is called, so one idempotency key is sent at most once; a send whose outcome is unknown
 * waits, as the same work item, for provider events to settle it, and is kept DEAD for operators if
 * none does within {@link Builder#settleWithin}.
 *
 * <p>One dispatch runs five named steps: the ledger check, the gates, the intent, the send and the
 * settling of its outcome. The ledger is always written before the work item changes, so a crash or
 * a failing store between any two writes leaves a state the next run resolves: a refused send is
 * RETRYING before its retry is scheduled, an accepted one SENT before its item is done.
 *
 * <p>Thread-safe; several dispatchers (in one process or several) may share the same stores.
 */
public final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** The kind of the work items that hold deferred messages. */
  public static final String DEFERRED_KIND = DeferredWork.KIND;

  /** The kind of the recurring sweep of sends stuck mid-send (see {@link #sweepStuckSends}). */
  public static final String STUCK_SENDS_KIND = "steward.sweep.stuck-sends";

  /** How long a send may stay SENDING before the sweep takes its process for dead. */
  public static final Duration STUCK_AFTER = Duration.ofHours(1);

  /** The first wait after a retryable transport failure that named no retry time. */
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(30);

  /** How many times a message may be deferred for transport failures before it is FAILED. */
  public static final int DEFAULT_MAX_TRANSPORT_ATTEMPTS = 8;

  /**
   * The shortest deferral: a gate that defers to a time not after now (a stale reset time) would
   * otherwise have the message claimed again at once, forever.
   */
  public static final Duration MIN_DEFERRAL = Duration.ofSeconds(1);

  /** How often an unknown outcome is looked at again while provider events may still settle it. */
  public static final Duration DEFAULT_SETTLE_CHECK = Duration.ofMinutes(15);

  /**
   * How long an unknown outcome may stay unsettled before it is kept DEAD for operators; SendGrid
   * retries its event webhook for 24 hours, so a processed event can arrive that late.
   */
  public static final Duration DEFAULT_SETTLE_WITHIN = Duration.ofHours(48);

  /**
   * How far ahead a higher-priority message may take the slot a lower-priority deferred message
   * waits for (see {@link Builder#lookAhead}).
   */
  public static final Duration DEFAULT_LOOK_AHEAD = Duration.ofDays(7);

  /** The longest look-ahead: the frequency limiter looks no further for a slot by default. */
  public static final Duration MAX_LOOK_AHEAD = Duration.ofDays(400);

  /**
   * How many messages of a batch have their intents written ahead of their sends unless the builder
   * says otherwise: the most a crash mid-batch leaves with an unknown outcome.
   */
  public static final int DEFAULT_INTENTS_AHEAD = 16;

  /**
   * The gate name of the reason a message is dropped for its {@link Message#sendBy}: rule {@value
   * #SEND_BY_RULE}, effect SUPPRESS, status {@link DispatchStatus#SUPPRESSED}.
   */
  public static final String SEND_BY = "send-by";

  /** The rule of the reason a message is dropped for its send-by at its first dispatch. */
  public static final String SEND_BY_RULE = "expired";

  /**
   * The rule of the reason a message is dropped for its send-by after it was deferred: deferred
   * again, moved back by a higher-priority message, or come due after it.
   */
  public static final String SEND_BY_DEFERRED_RULE = "expired-while-deferred";

  private static final String TRANSPORT = "transport";
  private static final String LEDGER = "ledger";

  private final List<Gate> gates;
  private final MailTransport transport;
  private final WorkStore work;
  private final DeliveryLedger ledger;
  private final List<DispatchListener> listeners;
  private final Clock clock;
  private final Duration retryDelay;
  private final int maxTransportAttempts;
  private final Duration settleCheck;
  private final Duration settleWithin;
  private final LookAhead lookAhead;
  private final int intentsAhead;

  private Dispatcher(Builder b) {
    this.gates = List.copyOf(b.gates);
    this.transport = b.transport;
    this.work = b.work;
    this.ledger = b.ledger;
    this.listeners = List.copyOf(b.listeners);
    this.clock = b.clock;
    this.retryDelay = b.retryDelay;
    this.maxTransportAttempts = b.maxTransportAttempts;
    this.settleCheck = b.settleCheck;
    this.settleWithin = b.settleWithin;
    this.lookAhead = b.lookAhead.isZero() ? null : new LookAhead(b.work, b.lookAhead);
    this.intentsAhead = b.intentsAhead;
  }

  /** A builder; the work store and the ledger default to in-memory stores. */
  public static Builder builder(MailTransport transport, Clock clock) {
    return new Builder(transport, clock);
  }

  /** Runs one new message through the pipeline now; a deferral is stored as due work. */
  public DispatchResult dispatch(Message message) {
    Objects.requireNonNull(message, "message");
    return conclude(process(message, null));
  }

  /** What a new dispatch leaves as work: a deferral or a wait for settling; its result. */
  private DispatchResult conclude(Step step) {
    if (step instanceof Deferred d && !d.written()) {
      // the ledger (for a retry) is written; now the work item, which replaces any older one
      work.schedule(new DeferredWork(d.next(), null, d.slot()).item(), IfExists.REPLACE);
    } else if (step instanceof Unsettled u) {
      work.schedule(waitForSettling(u.result().message(), u.since()).item(), IfExists.REPLACE);
    }
    return step.result();
  }

  /**
   * Runs several new messages through the pipeline, as {@link #dispatch} would run each in list
   * order, and answers their results in that order; the outcome of each message is the one {@code
   * dispatch} would give it. Set-based: the messages go through the steps together, each step one
   * call for all of them ({@link DeliveryLedger#findAll}, {@link Gate#evaluateAll}, {@link
   * DeliveryLedger#recordIntents}, then the sends, then {@link DeliveryLedger#markOutcomes} and the
   * listeners in one {@link DeliveryLedger#together}), so a store that reads and writes many rows
   * in one round trip makes a batch cost a handful of round trips rather than a handful per
   * message.
   *
   * <p>Messages that share a contact, an idempotency key, a message id or a gate's {@linkplain
   * Gate#sharedState shared state} (an account, when a cap counts per account) depend on each other
   * (a reservation, a ledger record): the later of two such goes through the steps in a later
   * round, after the earlier is settled, so that it sees exactly what a sequential dispatch would.
   * A batch of messages to distinct contacts is one round. A message whose key has a ledger record
   * already is dispatched alone, as {@code dispatch} does; a gate's refusal, a duplicate intent and
   * a transport answer other than ACCEPTED are handled message by message as {@code dispatch}
   * handles them.
   *
   * <p>The messages every gate allowed go on in groups of {@link Builder#intentsAhead} (default
   * {@value #DEFAULT_INTENTS_AHEAD}): a group's intents in one write, durable before its sends,
   * then its sends, then its outcomes. A process that dies mid-batch so leaves at most one group's
   * messages with an unknown outcome, never resent blindly, where a single dispatch leaves one.
   *
   * <p>Failures. If a gate or the ledger throws before the intents are written, what the gates
   * reserved for the round's messages is given back and the exception propagates (messages of
   * earlier rounds, and refusals already decided, keep their results). Once the intents are
   * written, a failure is one message's, as for a single dispatch: an outcome that cannot be
   * recorded (the set of them failing, then that one alone) leaves that intent SENDING, for a later
   * run to find and wait for the provider's events, while the others are recorded and the failure
   * is thrown at the end; an Error from the transport leaves the message in flight SENDING, records
   * the outcomes of those sent before it and lets the intents of those after it yield (RETRYING),
   * so a rerun sends them; no message is ever sent twice. Within one round a gate whose state is
   * shared by contacts (a tenant's daily warm-up limit) sees the reservations of every message
   * allowed before the sends; a send then refused gives its reservation back after the others were
   * decided, so the batch can only be stricter than sequential dispatches there, never looser. The
   * accepted sends' outcomes and their listeners run in one {@link DeliveryLedger#together}: a
   * database ledger whose unit fails runs them again, so a listener may then hear a result twice
   * (the journey's listeners are idempotent).
   */
  public List<DispatchResult> dispatchAll(List<Message> messages) {
    Objects.requireNonNull(messages, "messages");
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i) == null) {
        throw new IllegalArgumentException("messages[" + i + "] is null");
      }
    }
    DispatchResult[] results = new DispatchResult[messages.size()];
    for (List<Integer> round : rounds(messages)) {
      runRound(messages, round, results);
    }
    return List.of(results);
  }

  /**
   * The messages in rounds: a message goes one round after the last earlier message that shares its
   * contact, idempotency key, message id or a gate's {@linkplain Gate#sharedState shared state} (an
   * account's send log), so two dependent messages are never decided together; each round in list
   * order.
   */
  private List<List<Integer>> rounds(List<Message> messages) {
    Map<List<String>, Integer> lastRound = new HashMap<>();
    List<List<Integer>> rounds = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      String t = m.tenant().value();
      List<List<String>> deps = new ArrayList<>(4);
      deps.add(List.of("contact", t, m.contact().value()));
      deps.add(List.of("key", t, m.idempotencyKey()));
      deps.add(List.of("id", m.id().value()));
      for (Gate g : gates) {
        for (String shared : g.sharedState(m)) {
          deps.add(List.of("gate", g.name(), shared));
        }
      }
      int round = 0;
      for (List<String> d : deps) {
        Integer r = lastRound.get(d);
        if (r != null) {
          round = Math.max(round, r + 1);
        }
      }
      for (List<String> d : deps) {
        lastRound.put(d, round);
      }
      if (round == rounds.size()) {
        rounds.add(new ArrayList<>());
      }
      rounds.get(round).add(i);
    }
    return rounds;
  }

  /** One round of {@link #dispatchAll}: messages that do not depend on each other. */
  private void runRound(List<Message> messages, List<Integer> round, DispatchResult[] results) {
    Instant now = clock.instant();
    // step 1 for all: a message whose key has a record goes alone, as dispatch runs it
    Map<TenantId, List<String>> keys = new LinkedHashMap<>();
    for (int i : round) {
      Message m = messages.get(i);
      keys.computeIfAbsent(m.tenant(), t -> new ArrayList<>()).add(m.idempotencyKey());
    }
    Map<TenantId, Map<String, DeliveryRecord>> known = new HashMap<>();
    for (Map.Entry<TenantId, List<String>> e : keys.entrySet()) {
      known.put(e.getKey(), ledger.findAll(e.getKey(), e.getValue()));
    }
    List<Integer> live = new ArrayList<>(round.size());
    for (int i : round) {
      Message m = messages.get(i);
      if (known.get(m.tenant()).containsKey(m.idempotencyKey())) {
        results[i] = dispatch(m);
      } else {
        live.add(i);
      }
    }
    Map<Integer, GatheredReasons> reasons = new HashMap<>();
    Map<Integer, List<Gate>> passed = new HashMap<>();
    for (int i : live) {
      reasons.put(i, new GatheredReasons());
      passed.put(i, new ArrayList<>(gates.size()));
    }
    // step 2 for all: each gate decides the messages every gate before it allowed
    try {
      for (Gate gate : gates) {
        if (live.isEmpty()) {
          break;
        }
        List<Message> batch = new ArrayList<>(live.size());
        for (int i : live) {
          batch.add(messages.get(i));
        }
        List<Decision> decided = gate.evaluateAll(batch, now);
        if (decided == null || decided.size() != batch.size()) {
          for (int i : live) {
            passed.get(i).add(gate); // whatever it reserved is given back below
          }
          throw new IllegalStateException(
              "gate "
                  + gate.name()
                  + " answered "
                  + (decided == null ? "null" : decided.size() + " decisions")
                  + " for "
                  + batch.size()
                  + " messages");
        }
        for (int j = 0; j < batch.size(); j++) {
          int i = live.get(j);
          Decision d = decided.get(j);
          Message m = batch.get(j);
          withMdc(m, () -> notifyGate(m, gate.name(), d));
          reasons.get(i).addAll(d.reasons());
          if (d.isAllowed()) {
            passed.get(i).add(gate);
          }
        }
        List<Integer> next = new ArrayList<>(live.size());
        for (int j = 0; j < batch.size(); j++) {
          int i = live.get(j);
          Decision d = decided.get(j);
          if (d.isAllowed()) {
            next.add(i);
            continue;
          }
          Message m = batch.get(j);
          results[i] =
              withMdc(
                  m,
                  () ->
                      conclude(
                          finish(
                              refused(
                                  gate, d, m, null, now, reasons.get(i), passed.get(i), true))));
        }
        live = next;
      }
    } catch (RuntimeException | Error e) {
      releaseAll(messages, passed, now, e);
      throw e;
    }
    // steps 3 to 5 a group at a time: a crash between a group's intents and the end of its sends
    // leaves at most that group's messages with an unknown outcome
    for (int from = 0; from < live.size(); from += intentsAhead) {
      int to = Math.min(live.size(), from + intentsAhead);
      try {
        sendGroup(messages, live.subList(from, to), reasons, passed, now, results);
      } catch (RuntimeException | Error e) {
        // the later groups were decided and reserved, and never reached their intents
        releaseAll(messages, holding(live.subList(to, live.size()), passed), now, e);
        throw e;
      }
    }
  }

  /** The gates' reservations of {@code indexes} only. */
  private static Map<Integer, List<Gate>> holding(
      List<Integer> indexes, Map<Integer, List<Gate>> passed) {
    Map<Integer, List<Gate>> held = new HashMap<>();
    for (int i : indexes) {
      held.put(i, passed.get(i));
    }
    return held;
  }

  /**
   * Steps 3 to 5 of {@link #dispatchAll} for a group of messages every gate allowed: their intents,
   * durable before any send, the sends in list order, then their outcomes and listeners.
   */
  private void sendGroup(
      List<Message> messages,
      List<Integer> live,
      Map<Integer, GatheredReasons> reasons,
      Map<Integer, List<Gate>> passed,
      Instant now,
      DispatchResult[] results) {
    List<Message> allowed = new ArrayList<>(live.size());
    for (int i : live) {
      allowed.add(messages.get(i));
    }
    Set<MessageId> written;
    try {
      written = ledger.recordIntents(allowed, now);
    } catch (RuntimeException | Error e) {
      releaseAll(messages, holding(live, passed), now, e);
      throw e;
    }
    // step 4: the sends, in list order
    List<Integer> sending = new ArrayList<>(live.size());
    List<Integer> duplicates = new ArrayList<>();
    for (int i : live) {
      (written.contains(messages.get(i).id()) ? sending : duplicates).add(i);
    }
    Map<Integer, SendResult> sent = new HashMap<>();
    Error broke = null;
    for (int k = 0; k < sending.size(); k++) {
      int i = sending.get(k);
      Message m = messages.get(i);
      try {
        sent.put(i, withMdc(m, () -> send(m)));
      } catch (Error e) {
        // the transport threw an Error: this message may have left, and stays SENDING as a single
        // dispatch leaves it; the ones after it surely did not, so their intents yield; the
        // outcomes of the ones before it are recorded below, then the Error is thrown
        broke = e;
        yieldUnsent(messages, sending.subList(k + 1, sending.size()), duplicates, passed, now, e);
        sending = sending.subList(0, k);
        duplicates = List.of();
        break;
      }
    }
    // step 5: the accepted sends' outcomes and listeners in one unit; the rest one by one. A
    // failure for one message leaves it as a single dispatch would and does not keep the others'
    // outcomes from being recorded; the first is thrown at the end.
    Throwable failure = null;
    Instant after = clock.instant();
    List<Integer> accepted = new ArrayList<>();
    List<Integer> others = new ArrayList<>();
    for (int i : sending) {
      (sent.get(i).status() == SendResult.Status.ACCEPTED ? accepted : others).add(i);
    }
    if (!accepted.isEmpty()) {
      try {
        ledger.together(() -> settleAccepted(messages, accepted, sent, reasons, after, results));
      } catch (RuntimeException | Error e) {
        failure = e;
      }
    }
    for (int i : others) {
      Message m = messages.get(i);
      Attempt attempt = new Attempt(null, reasons.get(i), passed.get(i), now);
      try {
        results[i] = withMdc(m, () -> conclude(finish(settle(m, null, attempt, sent.get(i)))));
      } catch (RuntimeException | Error e) {
        failure = first(failure, e);
      }
    }
    for (int i : duplicates) {
      Message m = messages.get(i);
      try {
        results[i] =
            withMdc(m, () -> conclude(finish(duplicate(m, reasons.get(i), passed.get(i), now))));
      } catch (RuntimeException | Error e) {
        failure = first(failure, e);
      }
    }
    if (broke != null) {
      if (failure != null) {
        broke.addSuppressed(failure);
      }
      throw broke;
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error e) {
      throw e;
    }
  }

  /**
   * The accepted sends: their outcomes in one call, then their listeners. If that call fails, each
   * outcome is recorded alone, so that one failing record does not leave the others SENDING; the
   * listeners hear the messages whose outcome was recorded, and the first failure is thrown.
   */
  private Void settleAccepted(
      List<Message> messages,
      List<Integer> accepted,
      Map<Integer, SendResult> sent,
      Map<Integer, GatheredReasons> reasons,
      Instant after,
      DispatchResult[] results) {
    List<OutcomeMark> marks = new ArrayList<>(accepted.size());
    for (int i : accepted) {
      Message m = messages.get(i);
      marks.add(
          OutcomeMark.of(
              m.tenant(),
              m.idempotencyKey(),
              DeliveryStatus.SENT,
              sent.get(i).providerMessageId(),
              after));
    }
    List<Integer> recorded = accepted;
    RuntimeException failure = null;
    try {
      ledger.markOutcomes(marks);
    } catch (RuntimeException e) {
      log.debug("recording {} outcomes at once failed; recording each alone", marks.size(), e);
      recorded = new ArrayList<>();
      for (int k = 0; k < accepted.size(); k++) {
        OutcomeMark mark = marks.get(k);
        try {
          ledger.markOutcome(
              mark.tenant(),
              mark.idempotencyKey(),
              mark.status(),
              mark.providerMessageId().orElse(null),
              mark.at());
          recorded.add(accepted.get(k));
        } catch (RuntimeException again) {
          if (failure == null) {
            failure = again;
            failure.addSuppressed(e);
          } else if (again != failure) {
            failure.addSuppressed(again);
          }
        }
      }
    }
    List<DispatchResult> told = new ArrayList<>(recorded.size());
    for (int i : recorded) {
      Message m = messages.get(i);
      results[i] =
          new DispatchResult(
              m, DispatchStatus.SENT, Decision.allow(reasons.get(i).list()), sent.get(i));
      told.add(results[i]);
    }
    finishAll(told);
    if (failure != null) {
      throw failure;
    }
    return null;
  }

  /**
   * The transport threw an Error before these messages were sent: their intents yield to a retry
   * (RETRYING, so a rerun sends them) and every reservation of theirs and of the duplicates goes
   * back; failures are attached to {@code cause}.
   */
  private void yieldUnsent(
      List<Message> messages,
      List<Integer> unsent,
      List<Integer> duplicates,
      Map<Integer, List<Gate>> passed,
      Instant now,
      Throwable cause) {
    for (int i : unsent) {
      Message m = messages.get(i);
      try {
        ledger.markOutcome(
            m.tenant(), m.idempotencyKey(), DeliveryStatus.RETRYING, null, clock.instant());
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
    Map<Integer, List<Gate>> holding = new HashMap<>();
    for (int i : unsent) {
      holding.put(i, passed.get(i));
    }
    for (int i : duplicates) {
      holding.put(i, passed.get(i));
    }
    releaseAll(messages, holding, now, cause);
  }

  private static Throwable first(Throwable failure, Throwable e) {
    if (failure == null) {
      return e;
    }
    if (failure != e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

  /**
   * Gives back what the gates reserved for every message still holding reservations, each once;
   * failures are attached to {@code cause}, which the caller throws.
   */
  private static void releaseAll(
      List<Message> messages, Map<Integer, List<Gate>> passed, Instant now, Throwable cause) {
    for (Map.Entry<Integer, List<Gate>> e : passed.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      try {
        releaseOnce(e.getValue(), messages.get(e.getKey()), now);
      } catch (RuntimeException r) {
        cause.addSuppressed(r);
      }
    }
  }

  /** Runs {@code what} with the message's tenant and id in the MDC. */
  private static <T> T withMdc(Message m, Supplier<T> what) {
    DispatchMdc mdc = DispatchMdc.of(m);
    try {
      return what.get();
    } finally {
      mdc.close();
    }
  }

  private static void withMdc(Message m, Runnable what) {
    withMdc(
        m,
        () -> {
          what.run();
          return null;
        });
  }

  /**
   * Registers this dispatcher's handler of due deferred messages on a runner's builder; returns the
   * builder. Handler failures (a store down) are retried by the runner with back-off.
   */
  public WorkRunner.Builder registerWith(WorkRunner.Builder runner) {
    return runner.handler(
        DeferredWork.TYPE,
        this::handleDue,
        KindSettings.DEFAULT.withRetry(
            new RetryPolicy(20, Duration.ofSeconds(5), Duration.ofMinutes(30))));
  }

  /**
   * Registers the recurring sweep of sends stuck mid-send on a runner's builder (every 15 minutes,
   * sends SENDING for {@link #STUCK_AFTER} become UNKNOWN; see {@link #sweepStuckSends}); returns
   * the builder. Separate from {@link #registerWith}: one instance or all may run it, once each
   * period.
   */
  public WorkRunner.Builder registerStuckSendSweep(WorkRunner.Builder runner) {
    return Recurring.builder(STUCK_SENDS_KIND, max -> sweepStuckSends(STUCK_AFTER, max).size())
        .every(Duration.ofMinutes(15))
        .batchSize(500)
        .build()
        .register(runner);
  }

  /** The pending deferral of a message, if it has one. */
  public Optional<DeferredMessage> deferred(TenantId tenant, MessageId id) {
    return work.find(WorkKey.of(tenant, DEFERRED_KIND, id.value()))
        .map(i -> DeferredWork.TYPE.decode(i.payload(), i.payloadVersion()).deferred());
  }

  /** The pending deferrals of a contact, earliest due first. */
  public List<DeferredMessage> pendingFor(TenantId tenant, ContactId contact) {
    List<DeferredMessage> out = new ArrayList<>();
    for (WorkItem i : work.findBySubject(tenant, contact.value(), DEFERRED_KIND)) {
      out.add(DeferredWork.TYPE.decode(i.payload(), i.payloadVersion()).deferred());
    }
    return out;
  }

  /** Cancels a message's pending deferral (it went out after all, or must not); true if any. */
  public boolean cancelDeferred(TenantId tenant, MessageId id) {
    return work.cancel(WorkKey.of(tenant, DEFERRED_KIND, id.value()));
  }

  /**
   * Marks sends stuck mid-send (SENDING, unchanged for longer than {@code olderThan}, so their
   * attempt is surely over: the dispatching process died between the intent and the outcome, and no
   * work item holds them) as UNKNOWN, each with a WARN line; returns them. They are never resent: a
   * provider event still settles them (the reconciler), and {@link DeliveryLedger#unsettled} lists
   * them for operators until then. Run it now and then, e.g. as recurring work.
   */
  public List<DeliveryRecord> sweepStuckSends(Duration olderThan, int max) {
    if (olderThan == null || olderThan.isNegative() || olderThan.isZero()) {
      throw new IllegalArgumentException("olderThan must be positive, was " + olderThan);
    }
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    Instant now = clock.instant();
    List<DeliveryRecord> marked = new ArrayList<>();
    // SENDING only: old UNKNOWN records stay open for good and would fill every page of unsettled()
    for (DeliveryRecord r : ledger.withStatus(DeliveryStatus.SENDING, now.minus(olderThan), max)) {
      if (ledger.markOutcome(r.tenant(), r.idempotencyKey(), DeliveryStatus.UNKNOWN, null, now)) {
        log.warn(
            "message {} stopped mid-send at {}: its outcome is unknown; look it up at the provider",
            r.messageId(),
            r.updatedAt());
        marked.add(r);
      }
    }
    return marked;
  }

  /** The work store deferred messages are kept in. */
  public WorkStore workStore() {
    return work;
  }

  /** The ledger of send intents this dispatcher uses. */
  public DeliveryLedger ledger() {
    return ledger;
  }

  /** The gates, in order; for the reconciler, which tells them of late sends. */
  List<Gate> gates() {
    return gates;
  }

  // ---- the due handler ------------------------------------------------------------------------

  private CompletableFuture<Next> handleDue(WorkContext<DeferredWork> due) {
    DeferredWork w = due.payload();
    Message message = w.deferred().message();
    if (w.unsettledSince() != null) {
      Optional<Next> settled = checkSettled(message, w.unsettledSince(), due);
      if (settled.isPresent()) {
        return CompletableFuture.completedFuture(settled.get());
      }
    }
    Instant now = clock.instant();
    if (pastSendBy(message, now) && mayDrop(message)) {
      // came due after its send-by (a slow runner, another instance's queue): dropped unsent
      Step dropped = expired(message, w.deferred(), now, new ArrayList<>(), "came due at " + now);
      return CompletableFuture.completedFuture(nextFor(message, finish(dropped)));
    }
    return processAsync(message, w.deferred(), due).thenApply(step -> nextFor(message, step));
  }

  private Next nextFor(Message message, Step step) {
    if (step instanceof Deferred d) {
      return Next.rescheduleAt(
          d.next().dueAt(), new DeferredWork(d.next(), null, d.slot()).encode());
    }
    if (step instanceof Unsettled u) {
      DeferredWork wait = waitForSettling(message, u.since());
      return Next.rescheduleAt(wait.deferred().dueAt(), wait.encode());
    }
    return Next.done();
  }

  /**
   * A message whose outcome was unknown: done if the provider's events settled it, dispatched again
   * (empty) if the provider did refuse it, looked at later while it may still settle, and kept DEAD
   * for operators after {@link Builder#settleWithin}.
   */
  private Optional<Next> checkSettled(Message message, Instant since, WorkContext<?> due) {
    Optional<DeliveryRecord> record = ledger.find(message.tenant(), message.idempotencyKey());
    if (record.isEmpty() || !record.get().messageId().equals(message.id())) {
      return Optional.of(Next.done());
    }
    DeliveryStatus status = record.get().status();
    if (status == DeliveryStatus.SENT || status == DeliveryStatus.FAILED) {
      log.info("message {} settled as {} while waiting", message.id(), status);
      return Optional.of(Next.done());
    }
    if (status == DeliveryStatus.RETRYING) {
      return Optional.empty();
    }
    Instant now = due.startedAt();
    if (!now.isBefore(since.plus(settleWithin))) {
      log.warn(
          "outcome of message {} still unknown {} after the send; kept for operators",
          message.id(),
          settleWithin);
      return Optional.of(
          Next.fail(
              "outcome unknown since "
                  + since
                  + ": no provider event settled it within "
                  + settleWithin
                  + "; look the message up at the provider, then mark it in the ledger"));
    }
    return Optional.of(Next.rescheduleAt(now.plus(settleCheck)));
  }

  private DeferredWork waitForSettling(Message message, Instant since) {
    Instant at = clock.instant().plus(settleCheck);
    return new DeferredWork(
        new DeferredMessage(message, at, 1, "outcome unknown", 0), since, false);
  }

  // ---- the five steps -------------------------------------------------------------------------

  /** Runs a message through the steps; {@code from} is its deferral when it comes due again. */
  private Step process(Message message, DeferredMessage from) {
    DispatchMdc mdc = DispatchMdc.of(message);
    try {
      Attempt attempt = prepare(message, from, null);
      if (attempt.ended() != null) {
        return finish(attempt.ended());
      }
      SendResult sent = send(message);
      return finish(settle(message, from, attempt, sent));
    } finally {
      mdc.close();
    }
  }

  /** The same steps, the send answered later: no thread waits on the network. */
  private CompletableFuture<Step> processAsync(
      Message message, DeferredMessage from, WorkContext<?> due) {
    Attempt attempt;
    DispatchMdc mdc = DispatchMdc.of(message);
    try {
      attempt = prepare(message, from, due);
      if (attempt.ended() != null) {
        return CompletableFuture.completedFuture(finish(attempt.ended()));
      }
      if (!due.claimHeld()) {
        return CompletableFuture.completedFuture(finish(claimLost(message, attempt, true)));
      }
    } finally {
      mdc.close();
    }
    CompletionStage<SendResult> stage;
    try {
      stage = transport.sendAsync(message);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    if (stage == null) {
      stage = CompletableFuture.completedFuture(null);
    }
    return stage
        .handle((result, error) -> sendAnswer(message, result, error))
        .thenApply(
            sent -> {
              DispatchMdc settling = DispatchMdc.of(message);
              try {
                return finish(settle(message, from, attempt, sent));
              } finally {
                settling.close();
              }
            })
        .toCompletableFuture();
  }

  /**
   * Steps 1 to 3: the ledger check, the gates and the intent. Either the dispatch ended here, or
   * the intent is written and the message may be sent.
   */
  private Attempt prepare(Message message, DeferredMessage from, WorkContext<?> due) {
    Instant now = clock.instant();
    Optional<Step> earlier = checkLedger(message, now);
    if (earlier.isPresent()) {
      return new Attempt(earlier.get(), new GatheredReasons(), List.of(), now);
    }
    GatheredReasons reasons = new GatheredReasons();
    List<Gate> passed = new ArrayList<>(gates.size());
    try {
      Optional<Step> refused = runGates(message, from, now, reasons, passed, due == null);
      if (refused.isPresent()) {
        return new Attempt(refused.get(), reasons, passed, now);
      }
      if (due != null && !due.claimHeld()) {
        // cancelled (an erasure, say) while the gates ran: no intent, nothing left behind
        return new Attempt(
            claimLost(message, new Attempt(null, reasons, passed, now), false),
            reasons,
            List.of(),
            now);
      }
      if (!ledger.recordIntent(message, now)) {
        return new Attempt(duplicate(message, reasons, passed, now), reasons, List.of(), now);
      }
    } catch (RuntimeException | Error e) {
      // a gate or the ledger failed: what earlier gates reserved must not stay taken
      release(passed, message, now);
      throw e;
    }
    return new Attempt(null, reasons, passed, now);
  }

  /** Another dispatch holds the message's idempotency key: the reservations go back. */
  private static Step duplicate(
      Message message, GatheredReasons reasons, List<Gate> passed, Instant now) {
    releaseOnce(passed, message, now);
    reasons.add(
        Reason.of(
            LEDGER,
            "idempotency-key",
            Outcome.SUPPRESS,
            "another dispatch holds idempotency key " + message.idempotencyKey()));
    return new Finished(
        new DispatchResult(
            message, DispatchStatus.DUPLICATE, Decision.suppress(reasons.list()), null));
  }

  /**
   * The due message's work item was cancelled (its contact erased or opted out, the caller
   * cancelled it) or another runner took it while the gates ran: it must not go out from here. It
   * is asked before the intent is written (so that an erasure leaves no record behind) and again
   * before the send; a written intent yields to a retry (RETRYING), so that the runner now holding
   * the item may still send it. The gates' reservations are given back.
   */
  private Step claimLost(Message message, Attempt attempt, boolean intentWritten) {
    Instant now = clock.instant();
    if (intentWritten) {
      ledger.markOutcome(
          message.tenant(), message.idempotencyKey(), DeliveryStatus.RETRYING, null, now);
    }
    release(attempt.passed(), message, attempt.at());
    log.info("message {} was not sent: its work item was cancelled or taken over", message.id());
    GatheredReasons reasons = new GatheredReasons(attempt.reasons());
    reasons.add(
        Reason.of(
            LEDGER,
            "claim-lost",
            Outcome.SUPPRESS,
            "its work item was cancelled or taken by another runner before the send"));
    return new Finished(
        new DispatchResult(
            message, DispatchStatus.SUPPRESSED, Decision.suppress(reasons.list()), null));
  }

  /** Step 1: what the ledger already knows of the idempotency key; empty to go on. */
  private Optional<Step> checkLedger(Message message, Instant now) {
    Optional<DeliveryRecord> prior = ledger.find(message.tenant(), message.idempotencyKey());
    if (prior.isEmpty()) {
      return Optional.empty();
    }
    DeliveryRecord record = prior.get();
    boolean same = record.messageId().equals(message.id());
    if (same && record.status().mayRetry()) {
      return Optional.empty();
    }
    if (same && record.status() == DeliveryStatus.SENDING) {
      // An earlier attempt wrote its intent and stopped before it could record the outcome (a
      // crash, a lost lease, a failed write): it may have been sent. Never resend blindly; wait
      // for the provider's events, as the same work item.
      ledger.markOutcome(
          message.tenant(), message.idempotencyKey(), DeliveryStatus.UNKNOWN, null, now);
      log.warn("an earlier attempt of message {} stopped mid-send; outcome unknown", message.id());
      Reason why =
          Reason.of(
              LEDGER,
              "interrupted-attempt",
              Outcome.SUPPRESS,
              "an earlier attempt stopped after its intent was written; it may have been sent");
      return Optional.of(
          new Unsettled(
              new DispatchResult(message, DispatchStatus.UNKNOWN, Decision.suppress(why), null),
              record.updatedAt()));
    }
    if (same && record.status() == DeliveryStatus.UNKNOWN) {
      Reason why =
          Reason.of(
              LEDGER,
              "unknown-outcome",
              Outcome.SUPPRESS,
              "the outcome of an earlier attempt is not known yet; provider events settle it");
      return Optional.of(
          new Unsettled(
              new DispatchResult(message, DispatchStatus.UNKNOWN, Decision.suppress(why), null),
              record.updatedAt()));
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
    return Optional.of(
        new Finished(
            new DispatchResult(message, DispatchStatus.DUPLICATE, Decision.suppress(why), null)));
  }

  /**
   * Step 2: the gates in order; a refusal (defer or suppress) ends the dispatch. A deferral by a
   * gate that holds slots takes its place in the contact's queue for that slot (the look-ahead);
   * {@code newDispatch} says the message's work item is not stored yet (not claimed by a runner).
   */
  private Optional<Step> runGates(
      Message message,
      DeferredMessage from,
      Instant now,
      GatheredReasons reasons,
      List<Gate> passed,
      boolean newDispatch) {
    // by index: the per-message path makes no iterator (the lists are List.copyOf's)
    for (int i = 0; i < gates.size(); i++) {
      Gate gate = gates.get(i);
      Decision d = gate.evaluate(message, now);
      notifyGate(message, gate.name(), d);
      reasons.addAll(d.reasons());
      if (d.isAllowed()) {
        passed.add(gate);
        continue;
      }
      return Optional.of(refused(gate, d, message, from, now, reasons, passed, newDispatch));
    }
    return Optional.empty();
  }

  /**
   * A gate refused (deferred or suppressed) the message: what the gates before it reserved goes
   * back, and the refusal becomes the dispatch's end (a deferral takes its place in the contact's
   * queue for its slot when the gate holds slots).
   */
  private Step refused(
      Gate gate,
      Decision d,
      Message message,
      DeferredMessage from,
      Instant now,
      GatheredReasons reasons,
      List<Gate> passed,
      boolean newDispatch) {
    releaseOnce(passed, message, now);
    if (d.outcome() == Outcome.SUPPRESS) {
      Decision combined = new Decision(d.outcome(), d.notBefore(), reasons.list());
      return new Finished(new DispatchResult(message, DispatchStatus.SUPPRESSED, combined, null));
    }
    Instant due = notBefore(gate, d, now);
    int attempts = from == null ? 1 : from.attempts() + 1;
    int failures = from == null ? 0 : from.transportFailures();
    DeferredMessage next =
        new DeferredMessage(
            message,
            due,
            attempts,
            summary(d),
            failures,
            from == null ? Optional.empty() : from.displacedBy());
    if (pastSendBy(message, due)) {
      return expired(message, from, now, reasons.list(), "deferred until " + due);
    }
    boolean slot = gate.holdsSlots();
    boolean written = false;
    if (slot && lookAhead != null) {
      LookAhead.Placement p = place(next, now, newDispatch);
      next = p.placed();
      due = next.dueAt();
      written = p.written();
      if (p.reason() != null) {
        reasons.add(p.reason());
      }
      notifyDisplaced(p.moved(), message);
      if (pastSendBy(message, due)) {
        if (written) {
          work.cancel(DeferredWork.key(message));
        }
        return expired(message, from, now, reasons.list(), "queued for its slot at " + due);
      }
    }
    return new Deferred(
        new DispatchResult(
            message, DispatchStatus.DEFERRED, Decision.defer(due, reasons.list()), null),
        next,
        slot,
        written);
  }

  /** Step 4: the transport; a throw or no answer is an unknown outcome. */
  private SendResult send(Message message) {
    try {
      return sendAnswer(message, transport.send(message), null);
    } catch (RuntimeException e) {
      return sendAnswer(message, null, e);
    }
  }

  private static SendResult sendAnswer(Message message, SendResult result, Throwable error) {
    if (error != null) {
      Throwable cause =
          error instanceof java.util.concurrent.CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      log.warn("transport failed for message {}; outcome treated as unknown", message.id(), cause);
      return SendResult.unknown("transport threw " + cause.getClass().getSimpleName());
    }
    return result != null ? result : SendResult.unknown("transport returned no result");
  }

  /**
   * Step 5: records the outcome in the ledger first, then says what becomes of the work; the gates'
   * reservations are given back only after the outcome is recorded, so a failing release can cost
   * an over-count, never the message.
   */
  private Step settle(Message message, DeferredMessage from, Attempt attempt, SendResult sent) {
    List<Gate> passed = attempt.passed();
    Instant decidedAt = attempt.at();
    String key = message.idempotencyKey();
    Instant after = clock.instant();
    if (sent.status() == SendResult.Status.ACCEPTED) {
      // the gates' reasons as they are: nothing is added to them, so they are not copied
      ledger.markOutcome(
          message.tenant(), key, DeliveryStatus.SENT, sent.providerMessageId(), after);
      return new Finished(
          new DispatchResult(
              message, DispatchStatus.SENT, Decision.allow(attempt.reasons().list()), sent));
    }
    GatheredReasons reasons = new GatheredReasons(attempt.reasons());
    switch (sent.status()) {
      case RETRYABLE:
        {
          Step later = retryLater(message, from, reasons, sent, after);
          releaseAfterSettling(passed, message, decidedAt);
          return later;
        }
      case REJECTED:
        ledger.markOutcome(message.tenant(), key, DeliveryStatus.FAILED, null, after);
        releaseAfterSettling(passed, message, decidedAt);
        reasons.add(Reason.of(TRANSPORT, "rejected", Outcome.SUPPRESS, sent.detail()));
        log.warn("message {} rejected by the transport: {}", message.id(), sent.detail());
        return new Finished(
            new DispatchResult(
                message, DispatchStatus.FAILED, Decision.suppress(reasons.list()), sent));
      case UNKNOWN:
      default:
        // The request may have left: keep the reservation and never resend blindly; the provider's
        // events (carrying our message id) settle it while the work item waits.
        ledger.markOutcome(message.tenant(), key, DeliveryStatus.UNKNOWN, null, after);
        reasons.add(Reason.of(TRANSPORT, "unknown", Outcome.SUPPRESS, sent.detail()));
        log.warn("outcome of message {} unknown: {}", message.id(), sent.detail());
        return new Unsettled(
            new DispatchResult(
                message, DispatchStatus.UNKNOWN, Decision.suppress(reasons.list()), sent),
            after);
    }
  }

  private Step retryLater(
      Message message,
      DeferredMessage from,
      GatheredReasons reasons,
      SendResult sent,
      Instant now) {
    String key = message.idempotencyKey();
    int failures = (from == null ? 0 : from.transportFailures()) + 1;
    int attempts = (from == null ? 0 : from.attempts()) + 1;
    if (failures >= maxTransportAttempts) {
      ledger.markOutcome(message.tenant(), key, DeliveryStatus.FAILED, null, now);
      reasons.add(
          Reason.of(
              TRANSPORT,
              "attempts-exhausted",
              Outcome.SUPPRESS,
              "gave up after " + failures + " transport attempts: " + sent.detail()));
      log.warn("message {} failed after {} attempts: {}", message.id(), failures, sent.detail());
      return new Finished(
          new DispatchResult(
              message, DispatchStatus.FAILED, Decision.suppress(reasons.list()), sent));
    }
    if (!ledger.markOutcome(message.tenant(), key, DeliveryStatus.RETRYING, null, now)) {
      // settled meanwhile (a provider event proved it went out, or an operator failed it):
      // nothing to retry, and the ledger's word stands
      DeliveryStatus settled =
          ledger
              .find(message.tenant(), key)
              .map(DeliveryRecord::status)
              .orElse(DeliveryStatus.FAILED);
      reasons.add(
          Reason.of(LEDGER, "settled", Outcome.SUPPRESS, "settled as " + settled + " meanwhile"));
      DispatchStatus status =
          settled == DeliveryStatus.SENT ? DispatchStatus.SENT : DispatchStatus.FAILED;
      return new Finished(
          new DispatchResult(message, status, Decision.suppress(reasons.list()), sent));
    }
    // Exponential back-off from the base delay, unless the provider named a later time.
    Duration backoff = retryDelay.multipliedBy(1L << Math.min(failures - 1, 10));
    Instant due = now.plus(backoff);
    if (sent.retryAfter() != null && sent.retryAfter().isAfter(due)) {
      due = sent.retryAfter();
    }
    if (pastSendBy(message, due)) {
      reasons.add(Reason.of(TRANSPORT, "retryable", Outcome.DEFER, sent.detail(), null, due));
      ledger.markOutcome(message.tenant(), key, DeliveryStatus.FAILED, null, now);
      return expired(message, from, now, reasons.list(), "a transport retry at " + due);
    }
    DeferredMessage next =
        new DeferredMessage(message, due, attempts, "transport: " + sent.detail(), failures);
    reasons.add(Reason.of(TRANSPORT, "retryable", Outcome.DEFER, sent.detail(), null, due));
    return new Deferred(
        new DispatchResult(
            message, DispatchStatus.DEFERRED, Decision.defer(due, reasons.list()), sent),
        next,
        false,
        false);
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * {@link #release}, emptying {@code passed} first: if a release fails, the caller's own clean-up
   * (which releases what is still in {@code passed}) does not give the others back a second time.
   */
  private static void releaseOnce(List<Gate> passed, Message message, Instant decidedAt) {
    List<Gate> taken = List.copyOf(passed);
    passed.clear();
    release(taken, message, decidedAt);
  }

  /**
   * Gives back what each gate in {@code passed} reserved, last first. Every gate is asked even when
   * one fails (its store down): one gate's failure must not keep the others' reservations taken.
   * The first failure is then thrown, the later ones attached to it as suppressed.
   */
  private static void release(List<Gate> passed, Message message, Instant decidedAt) {
    RuntimeException failure = null;
    for (int i = passed.size() - 1; i >= 0; i--) {
      try {
        passed.get(i).release(message, decidedAt);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
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

  /**
   * Whether a due message past its send-by may be dropped before its run: not if an earlier attempt
   * may have sent it (its intent SENDING or UNKNOWN, or already SENT or FAILED): the ledger check
   * then decides, as for any due message, so a message that went out is never reported unsent.
   */
  private boolean mayDrop(Message m) {
    Optional<DeliveryRecord> r = ledger.find(m.tenant(), m.idempotencyKey());
    return r.isEmpty() || !r.get().messageId().equals(m.id()) || r.get().status().mayRetry();
  }

  /** True if {@code m} has a send-by and {@code at} is after it. */
  private static boolean pastSendBy(Message m, Instant at) {
    return m.sendBy().isPresent() && at.isAfter(m.sendBy().get());
  }

  /**
   * A message dropped because it would go out ({@code where}) only after its send-by: SUPPRESSED
   * with a {@value #SEND_BY} reason. Nothing is reserved for it (the deferring gate gave back what
   * the others reserved); a ledger record left RETRYING by a transport failure is closed as FAILED.
   */
  private Step expired(
      Message message, DeferredMessage from, Instant now, List<Reason> reasons, String where) {
    if (from != null) {
      // a retry left RETRYING by a transport failure is closed, so the key does not stay open
      Optional<DeliveryRecord> r = ledger.find(message.tenant(), message.idempotencyKey());
      if (r.isPresent()
          && r.get().messageId().equals(message.id())
          && r.get().status().mayRetry()) {
        ledger.markOutcome(
            message.tenant(), message.idempotencyKey(), DeliveryStatus.FAILED, null, now);
      }
    }
    String detail = where + ", after its send-by " + message.sendBy().orElseThrow() + ": not sent";
    log.info("message {} dropped: {}", message.id(), detail);
    List<Reason> all = new ArrayList<>(reasons);
    String rule = from == null ? SEND_BY_RULE : SEND_BY_DEFERRED_RULE;
    all.add(Reason.of(SEND_BY, rule, Outcome.SUPPRESS, detail));
    return new Finished(
        new DispatchResult(message, DispatchStatus.SUPPRESSED, Decision.suppress(all), null));
  }

  /** A deferral's time, never sooner than {@link #MIN_DEFERRAL} from now. */
  private static Instant notBefore(Gate gate, Decision d, Instant now) {
    Instant earliest = now.plus(MIN_DEFERRAL);
    Instant asked = d.notBefore().orElse(null);
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

  /**
   * The message's place in its slot's queue; a store that cannot move items conditionally leaves it
   * at its slot, as without look-ahead.
   */
  private LookAhead.Placement place(DeferredMessage next, Instant now, boolean newDispatch) {
    try {
      return lookAhead.place(next, now, newDispatch);
    } catch (UnsupportedOperationException e) {
      log.debug("no priority look-ahead for message {}: {}", next.message().id(), e.getMessage());
      return new LookAhead.Placement(next, List.of(), false, null);
    }
  }

  private void notifyDisplaced(List<LookAhead.Moved> moved, Message by) {
    for (LookAhead.Moved mv : moved) {
      Message m = mv.after().message();
      if (pastSendBy(m, mv.after().dueAt())) {
        // moved back past its send-by: dropped, as any deferral would, then taken out of the queue
        List<Reason> why = new ArrayList<>();
        if (mv.displaced()) {
          why.add(
              Reason.of(
                  LookAhead.GATE,
                  "displaced",
                  Outcome.DEFER,
                  mv.after().reason(),
                  null,
                  mv.after().dueAt()));
        }
        Step dropped;
        try {
          // the ledger first: if it fails, the item stays stored past its send-by and is dropped
          // when it comes due; the displacing message's own deferral is stored already and its
          // dispatch must not fail for another message's drop
          dropped =
              expired(
                  m,
                  mv.before(),
                  clock.instant(),
                  why,
                  "moved back to " + mv.after().dueAt() + " for message " + by.id());
          work.cancel(DeferredWork.key(m));
        } catch (RuntimeException e) {
          log.warn(
              "message {} moved back past its send-by was not dropped now; it is when it comes due",
              m.id(),
              e);
          continue;
        }
        finish(dropped);
        continue;
      }
      if (!mv.displaced()) {
        continue;
      }
      log.info(
          "message {} deferred again to {}: message {} took its slot",
          mv.after().message().id(),
          mv.after().dueAt(),
          by.id());
      for (DispatchListener l : listeners) {
        try {
          l.onDisplaced(mv.after(), by);
        } catch (RuntimeException | Error e) {
          log.warn("dispatch listener {} threw", l, e);
        }
      }
    }
  }

  private void notifyGate(Message message, String gate, Decision d) {
    for (int i = 0; i < listeners.size(); i++) {
      DispatchListener l = listeners.get(i);
      try {
        l.onGateDecision(message, gate, d);
      } catch (RuntimeException | Error e) {
        log.warn("dispatch listener {} threw", l, e);
      }
    }
  }

  /** As {@link #finish} for results that finished together: each listener hears them at once. */
  private void finishAll(List<DispatchResult> results) {
    if (log.isDebugEnabled()) {
      results.forEach(r -> withMdc(r.message(), () -> log.debug("dispatched {}", r)));
    }
    for (DispatchListener l : listeners) {
      try {
        l.onResults(results);
      } catch (RuntimeException | Error e) {
        log.warn("dispatch listener {} threw", l, e);
      }
    }
  }

  private Step finish(Step step) {
    DispatchResult result = step.result();
    log.debug("dispatched {}", result);
    for (int i = 0; i < listeners.size(); i++) {
      DispatchListener l = listeners.get(i);
      try {
        l.onResult(result);
      } catch (RuntimeException | Error e) {
        log.warn("dispatch listener {} threw", l, e);
      }
    }
    return step;
  }

  /**
   * What steps 1 to 3 left: either the dispatch ended ({@code ended}), or the intent is written and
   * {@code passed} gates hold reservations made at {@code at} for the reasons given.
   */
  private record Attempt(Step ended, GatheredReasons reasons, List<Gate> passed, Instant at) {}

  /** Where one run of the steps ended, and what becomes of the message's work. */
  private sealed interface Step permits Finished, Deferred, Unsettled {
    DispatchResult result();
  }

  /** Nothing more to do: sent, suppressed, duplicate or failed. */
  private record Finished(DispatchResult result) implements Step {}

  /**
   * To be dispatched again at {@code next.dueAt()}; {@code slot} when it waits for a slot (see
   * {@link LookAhead}), {@code written} when its work item is stored already.
   */
  private record Deferred(
      DispatchResult result, DeferredMessage next, boolean slot, boolean written) implements Step {}

  /** Its outcome is unknown since {@code since}; wait for provider events to settle it. */
  private record Unsettled(DispatchResult result, Instant since) implements Step {}

  /** Builds a {@link Dispatcher}. */
  public static final class Builder {
    private final MailTransport transport;
    private final Clock clock;
    private final List<Gate> gates = new ArrayList<>();
    private final List<DispatchListener> listeners = new ArrayList<>();
    private WorkStore work;
    private DeliveryLedger ledger;
    private Duration retryDelay = DEFAULT_RETRY_DELAY;
    private int maxTransportAttempts = DEFAULT_MAX_TRANSPORT_ATTEMPTS;
    private Duration settleCheck = DEFAULT_SETTLE_CHECK;
    private Duration settleWithin = DEFAULT_SETTLE_WITHIN;
    private Duration lookAhead = DEFAULT_LOOK_AHEAD;
    private int intentsAhead = DEFAULT_INTENTS_AHEAD;

    private Builder(MailTransport transport, Clock clock) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds a gate; gates run in the order they are added. */
    public Builder gate(Gate gate) {
      Objects.requireNonNull(gate, "gate");
      String name = gate.name();
      if (name == null || name.isBlank()) {
        // a gate's name tags its decisions and reasons (metrics, logs): it must have one
        throw new IllegalArgumentException("gate " + gate.getClass().getName() + " has no name");
      }
      for (Gate g : gates) {
        if (g.name().equals(gate.name())) {
          throw new IllegalArgumentException(
              "a gate named '" + gate.name() + "' was already added");
        }
      }
      gates.add(gate);
      return this;
    }

    /** Where deferred messages are kept as due work; default an in-memory store. */
    public Builder workStore(WorkStore store) {
      this.work = Objects.requireNonNull(store, "store");
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

    /** The first wait after a retryable transport failure; default {@link #DEFAULT_RETRY_DELAY}. */
    public Builder retryDelay(Duration delay) {
      this.retryDelay = positive(delay, "retryDelay");
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

    /** How often an unknown outcome is looked at again; default 15 minutes. */
    public Builder settleCheck(Duration every) {
      this.settleCheck = positive(every, "settleCheck");
      return this;
    }

    /** How long an unknown outcome may wait before it is kept DEAD for operators; default 48 h. */
    public Builder settleWithin(Duration within) {
      this.settleWithin = positive(within, "settleWithin");
      return this;
    }

    /**
     * How many messages of a {@link #dispatchAll} batch have their intents written together ahead
     * of their sends (default {@value #DEFAULT_INTENTS_AHEAD}). A process that dies mid-batch
     * leaves at most this many messages SENDING whose send may or may not have happened: like the
     * one message a single dispatch can leave so, they are never resent blindly but settled by the
     * provider's events or kept for operators. 1 keeps that bound at one message, at the cost of a
     * ledger write per message.
     *
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public Builder intentsAhead(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("intentsAhead must be at least 1, was " + n);
      }
      this.intentsAhead = n;
      return this;
    }

    /**
     * Priority with look-ahead: how far ahead a higher-priority message, deferred by a gate that
     * {@linkplain Gate#holdsSlots holds slots} (the frequency gate), may take the slot a
     * lower-priority message of the same contact waits for; that message is deferred again, one
     * place later, with a reason naming the message that displaced it ({@link
     * DeferredMessage#displacedBy}, {@link DispatchListener#onDisplaced}). Messages of equal
     * priority keep the order they were deferred in. Default {@link #DEFAULT_LOOK_AHEAD}; zero
     * turns it off (a capped message then simply waits for its slot's instant); at most {@link
     * #MAX_LOOK_AHEAD}. Needs a work store that implements {@link WorkStore#replaceIfUnchanged}
     * (both shipped stores do); with another, no message is displaced.
     */
    public Builder lookAhead(Duration horizon) {
      if (horizon == null || horizon.isNegative()) {
        throw new IllegalArgumentException(
            "lookAhead must be zero (off) or positive, was " + horizon);
      }
      if (horizon.compareTo(MAX_LOOK_AHEAD) > 0) {
        throw new IllegalArgumentException(
            "lookAhead must be at most " + MAX_LOOK_AHEAD + ", was " + horizon);
      }
      this.lookAhead = horizon;
      return this;
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }

    public Dispatcher build() {
      if (work == null) {
        work = InMemoryWorkStore.of(clock);
      }
      if (ledger == null) {
        ledger = InMemoryDeliveryLedger.of();
      }
      return new Dispatcher(this);
    }
  }
}
