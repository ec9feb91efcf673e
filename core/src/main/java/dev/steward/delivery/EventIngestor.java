package dev.steward.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.internal.json.StrictJson;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.KindSettings;
import dev.steward.schedule.Next;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.RetryPolicy;
import dev.steward.schedule.WorkContext;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes in batches of {@link EmailEvent}s from a provider's webhook and applies them to its
 * listeners (ledger, consent, calendar, health, ...), without losing any on a crash.
 *
 * <p>{@link #accept} drops repeats by event id (providers deliver at least once) and stores the new
 * events durably, together with their de-duplication marks, in one atomic step of the {@link
 * EventInbox}; then the webhook answers 2xx. The events are applied later as due work: {@link
 * #register} adds the handlers to a {@link WorkRunner} over the inbox's {@link EventInbox#work()
 * work store}. A batch item fans its events out to every listener in order. A listener that throws
 * on the batch is given its events one by one; an event it still fails on is parked as its own work
 * item ({@value #RETRY_KIND}, id the event id) that retries that listener with back-off and ends
 * DEAD with its error, for operators ({@code WorkStore.dead}, {@code retryDead}), while the rest of
 * the batch completes.
 *
 * <p>Work runs at least once: after a crash a batch is applied again, so every listener must be
 * idempotent (see {@link EmailEventListener}).
 */
public final class EventIngestor {
  private static final Logger log = LoggerFactory.getLogger(EventIngestor.class);

  /**
   * How long event ids are remembered: SendGrid retries a batch for 24 hours; three days is ample.
   */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(3);

  /** The kind of the work items that hold accepted events. */
  public static final String BATCH_KIND = "steward.events";

  /** The kind of the work items that hold one event a listener failed on. */
  public static final String RETRY_KIND = "steward.event-retry";

  /** The tenant of work for events that name none. */
  public static final TenantId DEFAULT_TENANT = TenantId.of("default");

  /** The kind of the recurring work that forgets event ids older than the retention. */
  public static final String PURGE_KIND = "steward.retention.event-marks";

  /** The most events in one work item; a larger batch is split. */
  public static final int MAX_EVENTS_PER_ITEM = 500;

  /** The largest payload of one work item, in characters: half of what a work item may carry. */
  public static final int MAX_ITEM_CHARS = WorkItem.MAX_PAYLOAD / 2;

  /** The longest listener name. */
  public static final int MAX_LISTENER_NAME = 100;

  /** How a parked event is retried: 10 attempts, from 1 minute, at most 6 hours apart. */
  public static final RetryPolicy DEFAULT_EVENT_RETRY =
      new RetryPolicy(10, Duration.ofMinutes(1), Duration.ofHours(6));

  private static final int FORMAT = 1;
  private static final String BATCH_HEAD = "{\"events\":[";
  private static final String BATCH_TAIL = "]}";

  private final EventInbox inbox;
  private final Clock clock;
  private final List<Named> listeners;
  private final Map<String, Named> byName;
  private final Duration retention;
  private final TenantId defaultTenant;
  private final RetryPolicy eventRetry;
  private final WorkType<List<EmailEvent>> batchType;
  private final WorkType<Parked> retryType;
  private final Recurring purge;

  private EventIngestor(Builder b) {
    this.inbox = b.inbox;
    this.clock = b.clock;
    this.retention = b.retention;
    this.defaultTenant = b.defaultTenant;
    this.eventRetry = b.eventRetry;
    List<Named> named = new ArrayList<>();
    Map<String, Named> names = new LinkedHashMap<>();
    for (int i = 0; i < b.listeners.size(); i++) {
      Named n = b.listeners.get(i);
      String name = n.name != null ? n.name : defaultName(n.listener, i);
      Named resolved = new Named(name, n.listener);
      if (names.putIfAbsent(name, resolved) != null) {
        throw new IllegalArgumentException(
            "two event listeners are named '"
                + name
                + "'; name them apart with listener(name, listener): parked events find their"
                + " listeners by name");
      }
      named.add(resolved);
    }
    this.listeners = List.copyOf(named);
    this.byName = Map.copyOf(names);
    this.batchType =
        WorkType.of(BATCH_KIND, FORMAT, EventIngestor::writeBatch, EventIngestor::readBatch);
    this.retryType =
        WorkType.of(RETRY_KIND, FORMAT, EventIngestor::writeParked, EventIngestor::readParked);
    this.purge = Recurring.builder(PURGE_KIND, this::purgeExpired).every(b.purgeEvery).build();
  }

  /** A builder over the inbox that stores accepted events and their de-duplication marks. */
  public static Builder builder(EventInbox inbox, Clock clock) {
    return new Builder(inbox, clock);
  }

  // ---- accepting ------------------------------------------------------------------------------

  /**
   * Accepts one batch durably: when this returns, the new events and their de-duplication marks are
   * stored (in one atomic step) and will be applied by a runner; answer the provider 2xx. If it
   * throws, nothing was stored; answer 5xx so the provider retries.
   *
   * @throws InvalidEventBatchException if the batch is null, holds a null event, or an event too
   *     large to store (nothing is written)
   */
  public AcceptResult accept(List<EmailEvent> batch) {
    if (batch == null) {
      throw new InvalidEventBatchException("event batch must not be null");
    }
    Instant now = clock.instant();
    Map<String, EmailEvent> unique = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      EmailEvent e = batch.get(i);
      if (e == null) {
        throw new InvalidEventBatchException("event batch has a null event at index " + i);
      }
      unique.putIfAbsent(e.eventId(), notAfter(e, now));
    }
    if (unique.isEmpty()) {
      return new AcceptResult(0, 0, 0, 0);
    }
    // encoded before anything is written, so an event that cannot be stored refuses the batch
    Map<String, String> json = new LinkedHashMap<>();
    StringBuilder scratch = new StringBuilder(512);
    for (EmailEvent e : unique.values()) {
      String text = EventJson.write(e, scratch);
      if (text.length() + BATCH_HEAD.length() + BATCH_TAIL.length() > MAX_ITEM_CHARS) {
        throw new InvalidEventBatchException(
            "event '"
                + e.eventId()
                + "' is "
                + text.length()
                + " characters as JSON; at most "
                + (MAX_ITEM_CHARS - BATCH_HEAD.length() - BATCH_TAIL.length())
                + " can be stored");
      }
      json.put(e.eventId(), text);
    }
    Instant at = now;
    int[] items = {0};
    Set<String> fresh =
        inbox.accept(
            List.copyOf(unique.keySet()),
            at,
            ids -> {
              List<WorkItem> planned = plan(unique, json, ids, at);
              items[0] = planned.size();
              return planned;
            });
    int duplicates = batch.size() - fresh.size();
    if (duplicates > 0) {
      log.debug("dropped {} repeated events of a batch of {}", duplicates, batch.size());
    }
    return new AcceptResult(batch.size(), duplicates, fresh.size(), fresh.isEmpty() ? 0 : items[0]);
  }

  /** The work items of the new events: per tenant, in arrival order, split by count and size. */
  private List<WorkItem> plan(
      Map<String, EmailEvent> unique, Map<String, String> json, Set<String> fresh, Instant at) {
    Map<TenantId, List<EmailEvent>> byTenant = new LinkedHashMap<>();
    for (EmailEvent e : unique.values()) {
      if (fresh.contains(e.eventId())) {
        byTenant.computeIfAbsent(tenantOf(e), t -> new ArrayList<>()).add(e);
      }
    }
    List<WorkItem> out = new ArrayList<>();
    for (Map.Entry<TenantId, List<EmailEvent>> t : byTenant.entrySet()) {
      List<EmailEvent> chunk = new ArrayList<>();
      int chars = BATCH_HEAD.length() + BATCH_TAIL.length();
      for (EmailEvent e : t.getValue()) {
        int size = json.get(e.eventId()).length() + 1;
        if (!chunk.isEmpty()
            && (chunk.size() >= MAX_EVENTS_PER_ITEM || chars + size > MAX_ITEM_CHARS)) {
          out.add(batchItem(t.getKey(), chunk, json, at));
          chunk = new ArrayList<>();
          chars = BATCH_HEAD.length() + BATCH_TAIL.length();
        }
        chunk.add(e);
        chars += size;
      }
      out.add(batchItem(t.getKey(), chunk, json, at));
    }
    return out;
  }

  private WorkItem batchItem(
      TenantId tenant, List<EmailEvent> chunk, Map<String, String> json, Instant at) {
    StringBuilder payload = new StringBuilder(BATCH_HEAD);
    StringBuilder ids = new StringBuilder();
    for (int i = 0; i < chunk.size(); i++) {
      String id = chunk.get(i).eventId();
      payload.append(i == 0 ? "" : ",").append(json.get(id));
      // event ids hold no control characters, so a newline separates them unambiguously
      ids.append(id).append('\n');
    }
    payload.append(BATCH_TAIL);
    return WorkItem.builder(tenant, BATCH_KIND, "batch-" + sha256(ids.toString()))
        .payload(payload.toString())
        .payloadVersion(FORMAT)
        .dueAt(at)
        .build();
  }

  /**
   * The event, dated no later than its acceptance: nothing happened after we heard of it, and a
   * provider clock running ahead must not date a change after an erasure that came later (the
   * listeners compare event times with erasure tombstones).
   */
  private static EmailEvent notAfter(EmailEvent e, Instant accepted) {
    if (!e.occurredAt().isAfter(accepted)) {
      return e;
    }
    return new EmailEvent(
        e.eventId(),
        e.type(),
        accepted,
        e.email(),
        e.messageId(),
        e.tenant(),
        e.account(),
        e.contact(),
        e.category(),
        e.attributes());
  }

  private TenantId tenantOf(EmailEvent e) {
    return e.tenant().orElse(defaultTenant);
  }

  /**
   * Forgets event ids older than the retention, all at once; how many. {@link #registerPurge} runs
   * it as recurring work instead, in batches.
   */
  public int purgeExpired() {
    return inbox.purgeSeenBefore(clock.instant().minus(retention));
  }

  /** Forgets at most {@code max} event ids older than the retention; how many. */
  public int purgeExpired(int max) {
    return inbox.purgeSeenBefore(clock.instant().minus(retention), max);
  }

  /** The recurring work that forgets event ids older than the retention. */
  public Recurring purgeWork() {
    return purge;
  }

  /**
   * Adds the recurring purge of event ids ({@value #PURGE_KIND}, daily by default) to {@code
   * runner} and makes sure its item is stored, once however many instances register; returns {@code
   * runner}. Apart from {@link #register}, so that an application runs upkeep on the runner of its
   * choice.
   */
  public WorkRunner.Builder registerPurge(WorkRunner.Builder runner) {
    return purge.register(runner);
  }

  // ---- processing -----------------------------------------------------------------------------

  /**
   * Adds the handlers of accepted events ({@value #BATCH_KIND}) and parked events ({@value
   * #RETRY_KIND}) to a runner's builder; build the runner over {@link EventInbox#work()}.
   */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    Objects.requireNonNull(runner, "runner");
    runner.handler(batchType, WorkHandler.sync(this::runBatch));
    runner.handler(
        retryType, WorkHandler.sync(this::runParked), KindSettings.DEFAULT.withRetry(eventRetry));
    return runner;
  }

  /** The listeners' names, in order: parked events name the listeners they still need. */
  public List<String> listenerNames() {
    return listeners.stream().map(Named::name).toList();
  }

  private Next runBatch(WorkContext<List<EmailEvent>> work) {
    List<EmailEvent> events = work.payload();
    Map<String, Parked> parked = new LinkedHashMap<>();
    Map<String, String> errors = new LinkedHashMap<>();
    for (Named l : listeners) {
      Throwable failure = apply(l, events);
      if (failure == null) {
        continue;
      }
      log.warn(
          "event listener '{}' failed on {} ({} events); giving it the events one by one",
          l.name,
          work.item().key(),
          events.size(),
          failure);
      for (EmailEvent e : events) {
        Throwable f = apply(l, List.of(e));
        if (f != null) {
          Parked p = parked.get(e.eventId());
          List<String> names = new ArrayList<>(p == null ? List.of() : p.listeners());
          names.add(l.name);
          parked.put(e.eventId(), new Parked(e, names));
          errors.merge(e.eventId(), l.name + ": " + describe(f), (a, b) -> a + "; " + b);
        }
      }
    }
    if (!parked.isEmpty()) {
      park(work, parked, errors);
    }
    return Next.done();
  }

  private void park(
      WorkContext<List<EmailEvent>> work, Map<String, Parked> parked, Map<String, String> errors) {
    Instant due = work.startedAt().plus(eventRetry.delayAfter(1));
    List<WorkItem> items = new ArrayList<>(parked.size());
    for (Parked p : parked.values()) {
      EmailEvent e = p.event();
      items.add(
          WorkItem.builder(work.item().key().tenant(), RETRY_KIND, e.eventId())
              .subject(e.contact().map(ContactId::value).orElse(""))
              .payload(writeParked(p))
              .payloadVersion(FORMAT)
              .dueAt(due)
              .build());
      log.warn(
          "event {} ({}) is parked for a retry at {}; failed: {}",
          e.eventId(),
          e.type(),
          due,
          errors.get(e.eventId()));
    }
    // REPLACE: if this batch runs again after a crash, its newest outcome is the one that counts
    inbox.work().scheduleAll(items, IfExists.REPLACE);
  }

  private Next runParked(WorkContext<Parked> work) {
    Parked p = work.payload();
    List<Named> targets = new ArrayList<>();
    for (String name : p.listeners()) {
      Named l = byName.get(name);
      if (l == null) {
        return Next.fail(
            "event listener '"
                + name
                + "' is not registered; register it under that name and retry this item");
      }
      targets.add(l);
    }
    List<String> errors = new ArrayList<>();
    for (Named l : targets) {
      Throwable f = apply(l, List.of(p.event()));
      if (f != null) {
        errors.add("listener '" + l.name + "': " + describe(f));
        log.debug("event listener '{}' failed again on event {}", l.name, p.event().eventId(), f);
      }
    }
    int attempt = work.item().attempts() + 1;
    if (errors.isEmpty()) {
      log.info(
          "parked event {} applied to {} on retry {}", p.event().eventId(), p.listeners(), attempt);
      return Next.done();
    }
    String error = String.join("; ", errors);
    if (attempt >= eventRetry.maxAttempts()) {
      log.error(
          "parked event {} failed {} retries and is kept DEAD for an operator: {}",
          p.event().eventId(),
          attempt,
          error);
    } else {
      log.warn("parked event {} failed retry {}: {}", p.event().eventId(), attempt, error);
    }
    return Next.retry(error);
  }

  /** Runs a listener; its failure, or null. */
  private static Throwable apply(Named l, List<EmailEvent> events) {
    try {
      l.listener.onEvents(events);
      return null;
    } catch (VirtualMachineError e) {
      // the JVM itself is failing: fail the attempt, so the whole item runs again later
      throw e;
    } catch (RuntimeException | Error e) {
      // an Error from a listener (an assertion, a linkage problem) fails this event, not the rest
      return e;
    }
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static String defaultName(EmailEventListener l, int index) {
    Class<?> c = l.getClass();
    if (c.isAnonymousClass() || c.isSynthetic() || c.isHidden() || c.getSimpleName().isEmpty()) {
      return "listener-" + index;
    }
    return c.getSimpleName();
  }

  private static String sha256(String s) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  // ---- payloads -------------------------------------------------------------------------------

  static String writeBatch(List<EmailEvent> events) {
    ObjectNode n = EventJson.NODES.objectNode();
    ArrayNode arr = n.putArray("events");
    events.forEach(e -> arr.add(EventJson.node(e)));
    return EventJson.text(n);
  }

  static List<EmailEvent> readBatch(String json, int version) {
    JsonNode n = payload(json, version, "event batch", "events");
    JsonNode arr = n.get("events");
    if (arr == null || !arr.isArray()) {
      throw new InvalidEventBatchException("event batch payload has no 'events' array");
    }
    List<EmailEvent> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      out.add(EventJson.of(arr.get(i), "events[" + i + "]"));
    }
    return List.copyOf(out);
  }

  static String writeParked(Parked p) {
    ObjectNode n = EventJson.NODES.objectNode();
    n.set("event", EventJson.node(p.event()));
    ArrayNode names = n.putArray("listeners");
    p.listeners().forEach(names::add);
    return EventJson.text(n);
  }

  static Parked readParked(String json, int version) {
    JsonNode n = payload(json, version, "parked event", "event", "listeners");
    EmailEvent e = EventJson.of(n.get("event"), "event");
    JsonNode arr = n.get("listeners");
    if (arr == null || !arr.isArray() || arr.isEmpty()) {
      throw new InvalidEventBatchException("parked event payload has no 'listeners' names");
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      if (!arr.get(i).isTextual()) {
        throw new InvalidEventBatchException("listeners[" + i + "] must be a string");
      }
      names.add(arr.get(i).textValue());
    }
    return new Parked(e, names);
  }

  private static JsonNode payload(String json, int version, String what, String... keys) {
    if (version != FORMAT) {
      throw new InvalidEventBatchException(
          what
              + " payload version "
              + version
              + " is not known (this release reads "
              + FORMAT
              + ")");
    }
    JsonNode n =
        StrictJson.read(
            json,
            what + " payload",
            (message, cause) ->
                cause == null
                    ? new InvalidEventBatchException(message)
                    : new InvalidEventBatchException(message, cause));
    if (!n.isObject()) {
      throw new InvalidEventBatchException(what + " payload must be a JSON object");
    }
    Set<String> allowed = Set.of(keys);
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new InvalidEventBatchException(what + " payload has the unknown key '" + key + "'");
      }
    }
    return n;
  }

  /** One event and the listeners that still have to apply it. */
  record Parked(EmailEvent event, List<String> listeners) {
    Parked {
      listeners = List.copyOf(listeners);
    }
  }

  /** A listener and the name parked events know it by. */
  private record Named(String name, EmailEventListener listener) {}

  /** Builds an {@link EventIngestor}. */
  public static final class Builder {
    private final EventInbox inbox;
    private final Clock clock;
    private final List<Named> listeners = new ArrayList<>();
    private Duration retention = DEFAULT_RETENTION;
    private TenantId defaultTenant = DEFAULT_TENANT;
    private RetryPolicy eventRetry = DEFAULT_EVENT_RETRY;
    private Duration purgeEvery = Recurring.DEFAULT_EVERY;

    private Builder(EventInbox inbox, Clock clock) {
      this.inbox = Objects.requireNonNull(inbox, "inbox");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Adds a listener, named after its class (or {@code listener-<position>} for a lambda);
     * listeners run in the order added. Parked events find their listeners by name, so name a
     * listener yourself ({@link #listener(String, EmailEventListener)}) if the order may change.
     */
    public Builder listener(EmailEventListener listener) {
      listeners.add(new Named(null, Objects.requireNonNull(listener, "listener")));
      return this;
    }

    /** Adds a listener under a name that stays the same across releases and restarts. */
    public Builder listener(String name, EmailEventListener listener) {
      if (name == null || name.isBlank() || name.length() > MAX_LISTENER_NAME) {
        throw new IllegalArgumentException(
            "listener name must be 1 to " + MAX_LISTENER_NAME + " characters, was " + name);
      }
      for (int i = 0; i < name.length(); i++) {
        if (Character.isISOControl(name.charAt(i))) {
          throw new IllegalArgumentException("listener name has a control character at " + i);
        }
      }
      listeners.add(new Named(name, Objects.requireNonNull(listener, "listener")));
      return this;
    }

    /** How long to remember event ids; default {@link #DEFAULT_RETENTION}. */
    public Builder retention(Duration retention) {
      if (retention == null || retention.compareTo(Duration.ofDays(1)) < 0) {
        throw new IllegalArgumentException(
            "retention must be at least one day (SendGrid retries for 24 h), was " + retention);
      }
      this.retention = retention;
      return this;
    }

    /** The tenant whose work holds events that name no tenant; default {@link #DEFAULT_TENANT}. */
    public Builder defaultTenant(TenantId tenant) {
      this.defaultTenant = Objects.requireNonNull(tenant, "tenant");
      return this;
    }

    /** How parked events are retried; default {@link #DEFAULT_EVENT_RETRY}. */
    public Builder eventRetry(RetryPolicy policy) {
      this.eventRetry = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** How often {@link #registerPurge} forgets expired ids; default daily. */
    public Builder purgeEvery(Duration every) {
      this.purgeEvery = Objects.requireNonNull(every, "every");
      return this;
    }

    public EventIngestor build() {
      return new EventIngestor(this);
    }
  }
}
