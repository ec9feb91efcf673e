package dev.steward.journey;

import dev.steward.delivery.DeferredMessage;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.EmailEventListener;
import dev.steward.internal.json.StrictJson;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.KindSettings;
import dev.steward.schedule.Next;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.RetryPolicy;
import dev.steward.schedule.WorkContext;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs journeys: enrols contacts by each journey's rules and moves every enrolment through its
 * steps as due work on the {@code dev.steward.schedule} engine, one work item per enrolment (kind
 * {@value #STEP_KIND}, keyed by the enrolment id, its subject the contact).
 *
 * <p>The enrolment in the {@link JourneyStore} is the truth; the work item only wakes it up. A run
 * loads the enrolment, checks the journey's exit criteria, runs every step that is due, each change
 * written as a compare-and-set on the enrolment's sequence number, and reschedules the item at the
 * next due time. A run repeated after a crash finds the changes already made and goes on from
 * there. A send step dispatches a message whose id and idempotency key derive from the enrolment
 * and its sequence number, so a repeated run never sends twice: the dispatcher's ledger answers
 * DUPLICATE, or settles an interrupted send from provider events.
 *
 * <pre>{@code
 * JourneyScheduler journeys =
 *     JourneyScheduler.builder(clock, InMemoryJourneyStore.of(), workStore)
 *         .dispatcher(dispatcher)
 *         .journey(JourneyDefinition.readyMade("onboarding"))
 *         .build();
 * WorkRunner runner = journeys.registerWith(WorkRunner.builder(workStore, clock)).build();
 * journeys.putContact(profile);
 * journeys.enrol(tenant, contact, "onboarding");
 * }</pre>
 *
 * <p>Register {@link #emailEventListener()} with the event ingestor so that waits for opened and
 * clicked resume; call {@link #signal} for replies and custom events.
 */
public final class JourneyScheduler {
  private static final Logger log = LoggerFactory.getLogger(JourneyScheduler.class);

  /** The kind of the work items that run enrolments. */
  public static final String STEP_KIND = "steward.journey-step";

  /** The kind of the recurring sweep that gives stranded enrolments their work item back. */
  public static final String SWEEP_KIND = "steward.sweep.journeys";

  /** How many journeys a contact may be in at once unless set. */
  public static final int DEFAULT_MAX_ACTIVE_JOURNEYS = 5;

  /** How long an enrolment must be overdue before the sweep takes its work item for lost. */
  public static final Duration STRANDED_AFTER = Duration.ofHours(1);

  /**
   * How long past its due time an enrolment may wait for a version of its journey that this
   * scheduler does not register, and no newer one either (another instance of a rolling deploy may
   * know it), before it exits as withdrawn. A version older than a registered one exits at once.
   */
  public static final Duration UNKNOWN_VERSION_GRACE = Duration.ofDays(1);

  /** How soon an enrolment of a version unknown here is tried again, by whichever instance. */
  static final Duration UNKNOWN_VERSION_RECHECK = Duration.ofMinutes(15);

  /**
   * How soon a wait for the open of a message that the dispatcher is about to send looks again
   * whether it has gone out.
   */
  static final Duration HELD_RECHECK = Duration.ofMinutes(1);

  /** The most steps one run of an enrolment takes; the rest run in the next run. */
  static final int MAX_STEPS_PER_RUN = 200;

  private static final String MESSAGE_PREFIX = "j-";
  private static final String TASK_PREFIX = "task-";

  static final WorkType<Integer> TYPE =
      WorkType.of(STEP_KIND, 1, JourneyScheduler::encodeSeq, JourneyScheduler::decodeSeq);

  private final Clock clock;
  private final JourneyStore store;
  private final WorkStore work;
  private final Function<Message, DispatchResult> sender;
  private final Optional<Dispatcher> dispatcher;
  private final Map<String, NavigableMap<Integer, JourneyDefinition>> journeys;
  private final int maxActive;
  private final Optional<ZoneId> defaultZone;
  private final Optional<TaskDesk> tasks;
  private final JourneyOutcomeListener outcomes; // analytics hook (issue 14)
  private final Object sweepLock = new Object();

  /** Where the sweep's next page starts: after this enrolment, or at the earliest. */
  private Optional<Enrolment> sweepAfter = Optional.empty();

  private JourneyScheduler(Builder b) {
    this.clock = b.clock;
    this.store = b.store;
    this.work = b.work;
    this.sender = b.sender;
    this.dispatcher = Optional.ofNullable(b.dispatcher);
    this.journeys = b.journeys;
    this.maxActive = b.maxActive;
    this.defaultZone = Optional.ofNullable(b.defaultZone);
    this.outcomes = b.outcomes; // analytics hook (issue 14)
    this.tasks =
        b.taskStore == null
            ? Optional.empty()
            : Optional.of(
                new TaskDesk(this, b.taskStore, b.taskPolicy, b.taskListener, clock, work));
  }

  /**
   * The human tasks kept in the task store this scheduler was built with ({@link Builder#tasks}):
   * lists per owner, completion through the dispatcher, reports.
   *
   * @throws InvalidJourneyException if it was built without a task store
   */
  public TaskDesk tasks() {
    return tasks.orElseThrow(
        () ->
            new InvalidJourneyException(
                "this journey scheduler keeps no task store; build it with tasks(store)"));
  }

  /** A builder over a clock, a journey store and the work store the runner works from. */
  public static Builder builder(Clock clock, JourneyStore store, WorkStore work) {
    return new Builder(clock, store, work);
  }

  /** Registers the handler of journey steps on a runner's builder; returns the builder. */
  public WorkRunner.Builder registerWith(WorkRunner.Builder runner) {
    tasks.ifPresent(t -> t.registerWith(runner));
    return runner.handler(
        TYPE,
        WorkHandler.sync(this::handle),
        KindSettings.DEFAULT.withRetry(
            new RetryPolicy(20, Duration.ofSeconds(5), Duration.ofMinutes(30))));
  }

  /**
   * Registers, besides the handler, the hourly sweep that gives an enrolment whose work item was
   * lost (a crash between the enrolment and its item) a new item; returns the builder.
   */
  public WorkRunner.Builder registerWithSweep(WorkRunner.Builder runner) {
    Recurring sweep =
        Recurring.builder(SWEEP_KIND, this::sweepStranded).every(Duration.ofHours(1)).build();
    return sweep.register(registerWith(runner));
  }

  /** Stores a contact's profile (address, zone, attributes), replacing any earlier one. */
  public void putContact(ContactProfile profile) {
    store.putContact(profile);
    attributeWatcher.accept(profile.tenant(), profile.contact()); // journey14b: triggers
  }

  /** Sets (or with an empty value removes) an attribute; false if the contact has no profile. */
  public boolean setAttribute(
      TenantId tenant, ContactId contact, String name, Optional<String> value) {
    boolean set = store.setAttribute(tenant, contact, name, value);
    attributeWatcher.accept(tenant, contact); // journey14b: triggers
    return set;
  }

  /**
   * Enrols a contact in the newest registered version of a journey, by its re-entry rule and the
   * limit of journeys at once; the first step is due now.
   *
   * @throws InvalidJourneyException if the journey is not registered or the contact has no profile
   */
  public EnrolResult enrol(TenantId tenant, ContactId contact, String journey) {
    return enrol(tenant, contact, journey, UUID.randomUUID().toString(), clock.instant());
  }

  // ---- journey14b (JourneyTriggers): begin
  private volatile java.util.function.BiConsumer<TenantId, ContactId> attributeWatcher =
      (t, c) -> {};

  /** Called after every change of a contact's profile or attributes (JourneyTriggers). */
  void watchAttributes(java.util.function.BiConsumer<TenantId, ContactId> watcher) {
    this.attributeWatcher = watcher;
  }

  /** Enrols under an id derived from {@code key}: the same key never enrols twice. */
  EnrolResult enrolKeyed(TenantId tenant, ContactId contact, String journey, String key) {
    String id =
        UUID.nameUUIDFromBytes(
                (tenant.value() + "/" + contact.value() + "/" + journey + "/" + key)
                    .getBytes(StandardCharsets.UTF_8))
            .toString();
    return enrol(tenant, contact, journey, id, clock.instant());
  }

  Optional<ContactProfile> profile(TenantId tenant, ContactId contact) {
    return store.contact(tenant, contact);
  }

  Optional<ZoneId> defaultZone() {
    return defaultZone;
  }

  java.util.Set<String> journeyIds() {
    return new java.util.TreeSet<>(journeys.keySet());
  }

  // ---- journey14b: end

  private EnrolResult enrol(
      TenantId tenant, ContactId contact, String journey, String id, Instant at) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(contact, "contact");
    JourneyDefinition d =
        journey(InvalidJourneyException.requireNonNull(journey, "journey"))
            .orElseThrow(
                () ->
                    new InvalidJourneyException(
                        "journey '" + journey + "' is not registered with the scheduler"));
    if (store.contact(tenant, contact).isEmpty()) {
      throw new InvalidJourneyException(
          "contact " + contact + " of tenant " + tenant + " has no profile; put one first");
    }
    Instant now = clock.instant();
    Enrolment e =
        new Enrolment(
            tenant,
            id,
            contact,
            d.id(),
            d.version(),
            d.start(),
            0,
            EnrolmentState.ACTIVE,
            at,
            now,
            now,
            Optional.empty(),
            Optional.empty());
    EnrolResult r = store.enrol(e, d.reEntry(), maxActive);
    if (r.status() == EnrolResult.Status.ENROLLED) {
      work.schedule(item(e), IfExists.REPLACE);
      recorded(e, new HistoryEntry(0, e.step(), now, StepOutcome.ENTERED, "")); // analytics hook
    } else if (r.status() == EnrolResult.Status.ALREADY_ENROLLED
        || r.status() == EnrolResult.Status.ALREADY_ACTIVE) {
      // a repeated request (an enrol step run again, or a caller retrying after the work store
      // failed once the enrolment was written): make sure its work exists
      r.enrolment()
          .filter(x -> !x.state().finished())
          .ifPresent(x -> work.schedule(item(x), IfExists.KEEP));
    }
    return r;
  }

  /**
   * Enrols a contact in the newest version of every registered journey with an {@link
   * EntryTrigger.OnEvent} trigger for {@code event} (compared ignoring case), each by its own
   * rules; the answers by journey id, in id order. A contact without a profile is refused.
   */
  public Map<String, EnrolResult> onEvent(TenantId tenant, ContactId contact, String event) {
    InvalidJourneyException.requireNonNull(event, "event");
    Map<String, EnrolResult> results = new TreeMap<>();
    for (String id : new java.util.TreeSet<>(journeys.keySet())) {
      JourneyDefinition d = journey(id).orElseThrow();
      boolean triggered =
          d.triggers().stream()
              .anyMatch(
                  t ->
                      t instanceof EntryTrigger.OnEvent e
                          && e.event().equalsIgnoreCase(event.strip()));
      if (triggered) {
        results.put(id, enrol(tenant, contact, id));
      }
    }
    return results;
  }

  /** The newest registered version of a journey. */
  public Optional<JourneyDefinition> journey(String id) {
    NavigableMap<Integer, JourneyDefinition> versions = journeys.get(id);
    return versions == null ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
  }

  /** A registered version of a journey. */
  public Optional<JourneyDefinition> journey(String id, int version) {
    NavigableMap<Integer, JourneyDefinition> versions = journeys.get(id);
    return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
  }

  /** An enrolment by id. */
  public Optional<Enrolment> enrolment(TenantId tenant, String enrolmentId) {
    return store.find(tenant, enrolmentId);
  }

  /** A contact's enrolments, earliest first. */
  public List<Enrolment> enrolments(TenantId tenant, ContactId contact) {
    return store.enrolments(tenant, contact);
  }

  /** An enrolment's history. */
  public List<HistoryEntry> history(TenantId tenant, String enrolmentId) {
    return store.history(tenant, enrolmentId);
  }

  /**
   * Forgets a contact's journeys and profile and cancels their work, and the journey sends the
   * dispatcher holds deferred for the contact (a deferred send would otherwise still go out after
   * the erasure); how many enrolments.
   */
  public int eraseContact(TenantId tenant, ContactId contact) {
    for (WorkItem w : work.findBySubject(tenant, contact.value(), STEP_KIND)) {
      work.cancel(w.key());
    }
    dispatcher.ifPresent(
        d -> {
          for (DeferredMessage m : d.pendingFor(tenant, contact)) {
            if (m.message().id().value().startsWith(MESSAGE_PREFIX)) {
              d.cancelDeferred(tenant, m.message().id());
            }
          }
        });
    tasks.ifPresent(t -> t.eraseContact(tenant, contact));
    return store.eraseContact(tenant, contact);
  }

  /**
   * Forgets a tenant's journeys. Its pending journey work items, if the work store's own erasure
   * has not cancelled them, find no enrolment when they come due and end.
   */
  public int eraseTenant(TenantId tenant) {
    tasks.ifPresent(t -> t.eraseTenant(tenant));
    return store.eraseTenant(tenant);
  }

  /**
   * Resumes the contact's enrolments waiting for {@code event} ({@code replied}, or {@code
   * custom:<name>}); how many resumed. Repeating a signal resumes nothing more.
   */
  public int signal(TenantId tenant, ContactId contact, String event) {
    InvalidJourneyException.requireNonNull(event, "event");
    String e = event.strip().toLowerCase(java.util.Locale.ROOT);
    // opened and clicked belong to one message and come from the provider's events (see
    // emailEventListener); a signal naming them, or an event no step can wait for, is a mistake
    if (!e.equals(Step.REPLIED) && !(e.startsWith("custom:") && e.length() > "custom:".length())) {
      throw new InvalidJourneyException(
          "signal '"
              + event
              + "': only replied or custom:<name> can be signalled; opens and clicks arrive as"
              + " provider events for the message a step sent");
    }
    int n = 0;
    for (Enrolment x : store.enrolments(tenant, contact)) {
      if (resume(x, w -> w.event().equals(e), "signal '" + e + "'")) {
        n++;
      }
    }
    return n;
  }

  /**
   * The listener that resumes waits for {@code opened} and {@code clicked}, matched by the id of
   * the message the enrolment's last send step dispatched. A click counts as an open (images may be
   * off). Idempotent: an event seen again finds nothing waiting.
   */
  public EmailEventListener emailEventListener() {
    return this::onEvents;
  }

  private void onEvents(List<EmailEvent> events) {
    for (EmailEvent ev : events) {
      if ((ev.type() != EmailEventType.OPEN && ev.type() != EmailEventType.CLICK)
          || ev.messageId().isEmpty()
          || ev.tenant().isEmpty()) {
        continue;
      }
      MessageId message = ev.messageId().get();
      String mid = message.value();
      int dash = mid.lastIndexOf('-');
      if (!mid.startsWith(MESSAGE_PREFIX) || dash <= MESSAGE_PREFIX.length()) {
        continue;
      }
      TenantId tenant = ev.tenant().get();
      String enrolmentId = mid.substring(MESSAGE_PREFIX.length(), dash);
      Optional<Enrolment> found = store.find(tenant, enrolmentId);
      if (found.isEmpty() || found.get().state().finished()) {
        continue;
      }
      boolean click = ev.type() == EmailEventType.CLICK;
      if (resumeOnEvent(found.get(), message, click, ev.occurredAt())) {
        continue;
      }
      // not waiting for it yet (a pause first, or the send step not recorded yet): remember it
      // for the wait, then look again, since the wait may have begun meanwhile; the run that
      // begins a wait looks for what was remembered before it (signalledBefore)
      MessageSignal signal;
      try {
        signal =
            new MessageSignal(
                tenant, enrolmentId, message, click ? Step.CLICKED : Step.OPENED, ev.occurredAt());
      } catch (InvalidJourneyException unstorable) { // a time no store keeps: nothing to wait for
        log.debug(
            "event {} not remembered for enrolment {}", ev.eventId(), enrolmentId, unstorable);
        continue;
      }
      if (store.recordSignal(signal)) {
        store
            .find(tenant, enrolmentId)
            .ifPresent(again -> resumeOnEvent(again, message, click, ev.occurredAt()));
      }
    }
  }

  /** Resumes {@code e} if it waits for the open (or click) of {@code message}; true if it did. */
  private boolean resumeOnEvent(Enrolment e, MessageId message, boolean click, Instant at) {
    if (!e.lastMessage().equals(Optional.of(message))) {
      return false;
    }
    return resume(
        e,
        w -> w.onMessage() && (w.event().equals(Step.OPENED) || click) && !at.isAfter(e.dueAt()),
        (click ? "clicked" : "opened") + " at " + at);
  }

  /**
   * The change that moves {@code e}, which has just begun to wait for the open or click of its last
   * message, down the event path at once when that happened before the wait began.
   */
  private Optional<Change> signalledBefore(Enrolment e, Instant now) {
    if (e.state() != EnrolmentState.WAITING || e.lastMessage().isEmpty()) {
      return Optional.empty();
    }
    if (!(journey(e.journey(), e.version()).flatMap(d -> d.step(e.step())).orElse(null)
            instanceof Step.WaitForEvent w)
        || !w.onMessage()) {
      return Optional.empty();
    }
    for (MessageSignal s : store.signals(e.tenant(), e.id(), e.lastMessage().get())) {
      if (s.event().equals(Step.CLICKED) || w.event().equals(Step.OPENED)) {
        return Optional.of(
            go(
                e,
                w,
                w.onEvent(),
                now,
                now,
                StepOutcome.EVENT,
                s.event() + " at " + s.at() + ", before the wait began"));
      }
    }
    return Optional.empty();
  }

  /**
   * An open or click that satisfies the wait of {@code e} for its last message, dated by the wait's
   * due time, and remembered as a signal after the wait began: by an instance of a rolling deploy
   * that does not register the enrolment's version and so could not resume it. Read before the
   * timeout path is taken.
   */
  private Optional<MessageSignal> signalInTime(Enrolment e, Step.WaitForEvent w) {
    if (!w.onMessage() || e.lastMessage().isEmpty()) {
      return Optional.empty();
    }
    return store.signals(e.tenant(), e.id(), e.lastMessage().get()).stream()
        .filter(x -> x.event().equals(Step.CLICKED) || w.event().equals(Step.OPENED))
        .filter(x -> !x.at().isAfter(e.dueAt()))
        .findFirst();
  }

  /** Moves a waiting enrolment down its event path if {@code matches} its step; true if moved. */
  private boolean resume(
      Enrolment e, java.util.function.Predicate<Step.WaitForEvent> matches, String what) {
    if (e.state() != EnrolmentState.WAITING) {
      ensureDue(e); // moved by an earlier event whose reschedule may have failed
      return false;
    }
    Optional<JourneyDefinition> d = journey(e.journey(), e.version());
    if (d.isEmpty()
        || !(d.get().step(e.step()).orElse(null) instanceof Step.WaitForEvent w)
        || !matches.test(w)) {
      return false;
    }
    Instant now = clock.instant();
    Change c = go(e, w, w.onEvent(), now, now, StepOutcome.EVENT, what);
    if (!store.advance(c.next(), c.entry())) {
      return false;
    }
    recorded(c.next(), c.entry()); // analytics hook (issue 14)
    if (!c.next().state().finished()) {
      work.schedule(item(c.next()), IfExists.REPLACE);
    } else {
      work.cancel(key(c.next()));
    }
    return true;
  }

  /**
   * Makes sure an unfinished enrolment that does not wait has work due no later than the enrolment:
   * a change stored before its reschedule failed would otherwise wait for the old item (a timeout,
   * a task's due date) instead of going on now.
   */
  private void ensureDue(Enrolment e) {
    if (e.state().finished() || e.state() == EnrolmentState.WAITING) {
      return;
    }
    Optional<WorkItem> pending = work.find(key(e));
    if (pending.isEmpty() || pending.get().dueAt().isAfter(e.dueAt())) {
      work.schedule(item(e), IfExists.REPLACE);
    }
  }

  // ---------------------------------------------------------------- analytics hook (issue 14)

  /** Tells the outcome listener of a change the store applied; its failure changes nothing. */
  private void recorded(Enrolment next, HistoryEntry entry) {
    try {
      outcomes.onOutcome(journey(next.journey(), next.version()), next, entry);
    } catch (RuntimeException e) {
      log.warn("journey outcome listener threw on enrolment {}", next.id(), e);
    }
  }

  /** The id of the task a waiting enrolment's step created: its enrolment and sequence number. */
  private static String taskId(Enrolment e) {
    return TASK_PREFIX + e.id() + "-" + e.seq();
  }

  /** The enrolment waiting on a stored task, if it still waits on it. */
  Optional<Enrolment> waitingOn(JourneyTask x) {
    return store
        .find(x.tenant(), x.enrolment())
        .filter(e -> e.state() == EnrolmentState.WAITING && taskId(e).equals(x.id()))
        .filter(
            e ->
                journey(e.journey(), e.version()).flatMap(d -> d.step(e.step())).orElse(null)
                    instanceof Step.HumanTask);
  }

  /**
   * The message of a task's email: its id and idempotency key derive from the task, so completing a
   * task twice never sends twice.
   *
   * @throws InvalidTaskException if the contact has no profile or no address, or the email cannot
   *     be a message
   */
  Message taskMessage(Enrolment e, JourneyTask x, TaskEmail email, TaskPolicy policy, Instant now) {
    ContactProfile p =
        store
            .contact(e.tenant(), e.contact())
            .orElseThrow(
                () -> new InvalidTaskException("task " + x.id() + ": the contact has no profile"));
    if (p.email().isEmpty()) {
      throw new InvalidTaskException("task " + x.id() + ": the contact has no email address");
    }
    String team = journey(e.journey(), e.version()).map(JourneyDefinition::team).orElse("csm");
    try {
      return Message.builder()
          .id(MessageId.of(MESSAGE_PREFIX + x.id().substring(TASK_PREFIX.length())))
          .idempotencyKey("journey-task:" + x.id())
          .tenant(e.tenant())
          .account(p.account())
          .contact(e.contact())
          .to(p.email().get())
          .recipientZone(p.zone().or(() -> defaultZone).orElse(null))
          .kind(policy.kind())
          .category(policy.category())
          .source(Source.journey(team, e.journey(), x.step()))
          .templateId(email.template().orElse(null))
          .personalisation(email.personalisation())
          .createdAt(now)
          .build();
    } catch (dev.steward.model.InvalidModelException bad) {
      throw new InvalidTaskException("task " + x.id() + ": " + bad.getMessage());
    }
  }

  /** Sends a message through the scheduler's dispatcher (or sender). */
  DispatchResult dispatch(Message m) {
    return sender.apply(m);
  }

  /**
   * The open human tasks of a contact: the enrolments waiting on a task step, with the owner read
   * from the contact's owner attribute now.
   */
  public List<OpenTask> openTasks(TenantId tenant, ContactId contact) {
    List<OpenTask> out = new ArrayList<>();
    Optional<ContactProfile> p = store.contact(tenant, contact);
    for (Enrolment e : store.enrolments(tenant, contact)) {
      if (e.state() == EnrolmentState.WAITING
          && journey(e.journey(), e.version()).flatMap(d -> d.step(e.step())).orElse(null)
              instanceof Step.HumanTask t) {
        out.add(
            new OpenTask(
                tenant,
                taskId(e),
                contact,
                e.journey(),
                t.id(),
                t.task(),
                p.map(x -> x.attributes().get(t.ownerAttribute())),
                t.template(),
                e.dueAt()));
      }
    }
    return out;
  }

  /**
   * Records what the owner did with a task and moves its enrolment down that outcome's path; false
   * if the task is not open (done already, overdue, or unknown), so a repeated report changes
   * nothing. A dismissal needs a reason.
   *
   * @throws InvalidJourneyException if the scheduler keeps a task store: complete its tasks with
   *     {@link TaskDesk#complete}, which sends their email and keeps their outcome
   */
  public boolean completeTask(TenantId tenant, String taskId, TaskOutcome outcome, String note) {
    if (tasks.isPresent()) {
      throw new InvalidJourneyException(
          "task "
              + taskId
              + " is kept in the task store: complete it with tasks().complete(...), which sends"
              + " its email and records its outcome");
    }
    return advanceTask(tenant, taskId, outcome, note);
  }

  /**
   * Moves the enrolment waiting on a task down the path of {@code outcome}; false if the task is
   * not open. The one place a task's outcome moves a journey, with a task store or without.
   */
  boolean advanceTask(TenantId tenant, String taskId, TaskOutcome outcome, String note) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(taskId, "task id");
    InvalidJourneyException.requireNonNull(outcome, "outcome");
    if (outcome == TaskOutcome.DISMISSED && (note == null || note.isBlank())) {
      throw new InvalidJourneyException("dismissing task " + taskId + " needs a reason");
    }
    if (note != null) {
      ContactProfile.checkAttribute(note, "note on task " + taskId); // stored in its history
    }
    int dash = taskId.lastIndexOf('-');
    if (!taskId.startsWith(TASK_PREFIX) || dash <= TASK_PREFIX.length()) {
      throw new InvalidJourneyException("'" + taskId + "' is not a journey task id");
    }
    Optional<Enrolment> found = store.find(tenant, taskId.substring(TASK_PREFIX.length(), dash));
    if (found.isEmpty()
        || found.get().state() != EnrolmentState.WAITING
        || !taskId(found.get()).equals(taskId)) {
      found.ifPresent(this::ensureDue); // a repeat after a completion whose reschedule failed
      return false;
    }
    Enrolment e = found.get();
    if (!(journey(e.journey(), e.version()).flatMap(d -> d.step(e.step())).orElse(null)
        instanceof Step.HumanTask t)) {
      return false;
    }
    Instant now = clock.instant();
    String detail =
        "task "
            + taskId
            + ": "
            + outcome
            + (note == null || note.isBlank() ? "" : " (" + note + ")");
    Change c = go(e, t, t.after(outcome), now, now, StepOutcome.TASK_DONE, detail);
    if (!store.advance(c.next(), c.entry())) {
      return false;
    }
    recorded(c.next(), c.entry()); // analytics hook (issue 14)
    if (c.next().state().finished()) {
      work.cancel(key(c.next()));
    } else {
      work.schedule(item(c.next()), IfExists.REPLACE);
    }
    return true;
  }

  /**
   * Gives unfinished enrolments overdue by {@link #STRANDED_AFTER} a work item if they lack one:
   * one page of at most {@code max} of them, after the page the last call looked at; how many it
   * looked at, so that a full page tells the recurring sweep there may be more. Overdue enrolments
   * that have their item (a backlog, or items that will never run) therefore never hide the
   * stranded ones behind them: each pass goes on from where the last page ended, and starts again
   * from the earliest after a page that reached the end. The place is kept by this instance; an
   * instance that takes over a pass begins at the earliest.
   */
  int sweepStranded(int max) {
    synchronized (sweepLock) { // the recurring kind runs one at a time; a caller by hand may not
      List<Enrolment> page =
          store.dueBefore(clock.instant().minus(STRANDED_AFTER), sweepAfter, max);
      for (Enrolment e : page) {
        if (work.schedule(item(e), IfExists.KEEP)) {
          log.warn("journey enrolment {} had no work item; rescheduled", e.id());
        }
      }
      // moved on only once the page is done: a failure looks at the same page again
      sweepAfter = page.size() < max ? Optional.empty() : Optional.of(page.get(page.size() - 1));
      return page.size();
    }
  }

  // ---------------------------------------------------------------- running steps

  private static WorkKey key(Enrolment e) {
    return WorkKey.of(e.tenant(), STEP_KIND, e.id());
  }

  private static WorkItem item(Enrolment e) {
    return WorkItem.builder(key(e))
        .subject(e.contact().value())
        .payload(encodeSeq(e.seq()))
        .payloadVersion(TYPE.version())
        .dueAt(e.dueAt())
        .build();
  }

  private static String encodeSeq(Integer seq) {
    return "{\"seq\":" + seq + "}";
  }

  private static Integer decodeSeq(String json, int version) {
    var n =
        StrictJson.read(json, "journey step payload", (m, c) -> new IllegalArgumentException(m, c));
    if (version != 1 || !n.path("seq").canConvertToInt()) {
      throw new IllegalArgumentException("unreadable journey step payload v" + version);
    }
    return n.get("seq").asInt();
  }

  /** A change of an enrolment and its history entry. */
  private record Change(Enrolment next, HistoryEntry entry) {}

  /** The run's claim was lost before a send: nothing is done, the new owner decides. */
  private static final class ClaimLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClaimLost() {
      super("the claim was lost before a send", null, false, false);
    }
  }

  private Next handle(WorkContext<Integer> ctx) {
    WorkKey k = ctx.item().key();
    Optional<Enrolment> found = store.find(k.tenant(), k.id());
    if (found.isEmpty()) {
      return Next.done(); // erased
    }
    Enrolment e = found.get();
    for (int n = 0; n < MAX_STEPS_PER_RUN; n++) {
      if (e.state().finished()) {
        return Next.done();
      }
      Instant now = clock.instant();
      if (e.dueAt().isAfter(now)) {
        return ctx.rescheduleAt(e.dueAt(), e.seq());
      }
      Optional<JourneyDefinition> d = journey(e.journey(), e.version());
      Change c;
      if (d.isEmpty()) {
        Optional<Change> withdrawn = withdrawn(e, now);
        if (withdrawn.isEmpty()) {
          // perhaps a newer instance's version during a rolling deploy: let one that knows it run
          log.debug(
              "journey enrolment {}: journey '{}' version {} is not registered here; again at {}",
              e.id(),
              e.journey(),
              e.version(),
              now.plus(UNKNOWN_VERSION_RECHECK));
          return ctx.rescheduleAt(now.plus(UNKNOWN_VERSION_RECHECK), e.seq());
        }
        c = withdrawn.get();
        log.warn(
            "journey enrolment {} of tenant {} exits: {}",
            e.id(),
            e.tenant(),
            c.next().exitReason().orElse(""));
      } else {
        Optional<WorkItem> held = heldMessage(d.get(), e, now);
        if (held.isPresent() && !held.get().dueAt().isAfter(e.dueAt())) {
          // due to go out about now: the wait begins once it has
          return ctx.rescheduleAt(now.plus(HELD_RECHECK), e.seq());
        } else if (held.isPresent()) {
          c = holdFor(e, held.get(), now);
        } else {
          try {
            c = step(d.get(), e, now, ctx);
          } catch (ClaimLost lost) {
            return Next.retry(lost.getMessage());
          }
        }
      }
      if (store.advance(c.next(), c.entry())) {
        e = c.next();
        recorded(c.next(), c.entry()); // analytics hook (issue 14)
        Optional<Change> early = signalledBefore(e, now);
        if (early.isPresent()) {
          if (store.advance(early.get().next(), early.get().entry())) {
            e = early.get().next();
            recorded(early.get().next(), early.get().entry()); // analytics hook (issue 14)
          } else { // the event's own listener resumed it meanwhile
            Optional<Enrolment> again = store.find(k.tenant(), k.id());
            if (again.isEmpty()) {
              return Next.done();
            }
            e = again.get();
          }
        }
      } else {
        // changed meanwhile (an event resumed it, another runner ran it): go on from what it is
        Optional<Enrolment> again = store.find(k.tenant(), k.id());
        if (again.isEmpty()) {
          return Next.done();
        }
        e = again.get();
      }
    }
    // a long chain with no wait (validation refuses loops without one): go on in the next run, so
    // one run stays short and the steps still all happen
    return ctx.rescheduleAt(clock.instant(), e.seq());
  }

  /**
   * The exit of an enrolment whose journey version this scheduler does not register, if it is
   * withdrawn: a newer version of the journey is registered (the deploy dropped the old one), or
   * the version has been unknown for {@link #UNKNOWN_VERSION_GRACE} past the enrolment's due time.
   * Empty while a version newer than all registered ones, or of a journey not registered at all,
   * may belong to another instance of a rolling deploy.
   */
  private Optional<Change> withdrawn(Enrolment e, Instant now) {
    NavigableMap<Integer, JourneyDefinition> versions = journeys.get(e.journey());
    String which = "journey '" + e.journey() + "' version " + e.version();
    if (versions != null && versions.lastKey() > e.version()) {
      return Optional.of(
          exit(
              e,
              e.step(),
              now,
              which + " was withdrawn (the newest registered is " + versions.lastKey() + ")"));
    }
    if (!now.isBefore(e.dueAt().plus(UNKNOWN_VERSION_GRACE))) {
      return Optional.of(
          exit(
              e,
              e.step(),
              now,
              which
                  + " was withdrawn (still unknown "
                  + UNKNOWN_VERSION_GRACE.toHours()
                  + " hours after the enrolment was due)"));
    }
    return Optional.empty();
  }

  /**
   * The dispatcher's deferral of the message that the due step of {@code e}, a wait for its open or
   * click, is about, while the message has not gone out: the wait's time must count from the send,
   * not from a step that only handed the message over. None without a dispatcher, and none once the
   * deferral has been due for {@link #STRANDED_AFTER} (a dispatcher that stopped working must not
   * hold the journey for ever).
   */
  private Optional<WorkItem> heldMessage(JourneyDefinition d, Enrolment e, Instant now) {
    if (dispatcher.isEmpty()
        || e.state() != EnrolmentState.ACTIVE
        || e.lastMessage().isEmpty()
        || !(d.step(e.step()).orElse(null) instanceof Step.WaitForEvent w)
        || !w.onMessage()) {
      return Optional.empty();
    }
    return dispatcher
        .get()
        .workStore()
        .find(WorkKey.of(e.tenant(), Dispatcher.DEFERRED_KIND, e.lastMessage().get().value()))
        .filter(i -> i.state() == WorkState.READY)
        .filter(i -> i.dueAt().isAfter(now.minus(STRANDED_AFTER)));
  }

  /** Moves the start of {@code e}'s wait to when its deferred message is due to go out. */
  private static Change holdFor(Enrolment e, WorkItem deferral, Instant now) {
    Enrolment next = e.next(e.step(), EnrolmentState.ACTIVE, deferral.dueAt(), now);
    return new Change(
        next,
        new HistoryEntry(
            next.seq(),
            e.step(),
            now,
            StepOutcome.WAITING,
            "until "
                + deferral.dueAt()
                + ": message "
                + e.lastMessage().map(MessageId::value).orElse("")
                + " is deferred until then, and the wait counts from its send"));
  }

  /** The change the due step of {@code e} makes. */
  private Change step(JourneyDefinition d, Enrolment e, Instant now, WorkContext<Integer> ctx) {
    Optional<ContactProfile> profile = store.contact(e.tenant(), e.contact());
    if (profile.isEmpty()) {
      return exit(e, e.step(), now, "the contact has no profile");
    }
    ContactProfile p = profile.get();
    for (ExitCriterion x : d.exitCriteria()) {
      if (x.when().test(p.attributes())) {
        if (e.state() == EnrolmentState.WAITING) { // a task it waited on is for nobody now
          tasks.ifPresent(
              t -> t.expire(e.tenant(), taskId(e), "the journey exited: '" + x.name() + "'"));
        }
        return exit(e, e.step(), now, "exit criterion '" + x.name() + "'");
      }
    }
    Step s =
        d.step(e.step())
            .orElseThrow(() -> new IllegalStateException("no step " + e.step() + " in " + d));
    Instant base = e.dueAt();
    if (e.state() == EnrolmentState.WAITING && s instanceof Step.WaitForEvent w) {
      Optional<MessageSignal> seen = signalInTime(e, w);
      if (seen.isPresent()) {
        return go(
            e,
            s,
            w.onEvent(),
            now,
            now,
            StepOutcome.EVENT,
            seen.get().event() + " at " + seen.get().at() + ", remembered while the wait ran");
      }
      return go(e, s, w.onTimeout(), base, now, StepOutcome.TIMED_OUT, "no '" + w.event() + "'");
    }
    if (e.state() == EnrolmentState.WAITING && s instanceof Step.HumanTask t) {
      Optional<TaskOutcome> done = tasks.flatMap(x -> x.outcome(e.tenant(), taskId(e)));
      if (done.isPresent()) {
        // completed, but the instance died before it moved the journey: the outcome decides
        return go(
            e,
            s,
            t.after(done.get()),
            now,
            now,
            StepOutcome.TASK_DONE,
            "task " + taskId(e) + ": " + done.get() + " (taken up after the completion)");
      }
      tasks.ifPresent(x -> x.expire(e.tenant(), taskId(e), "overdue: nobody acted in time"));
      return go(
          e,
          s,
          t.onOverdue(),
          base,
          now,
          StepOutcome.TASK_OVERDUE,
          "task " + taskId(e) + " overdue");
    }
    if (s instanceof Step.HumanTask t) {
      Instant due = base.plus(t.due());
      // with a task store, the journey waits on past the due time while the task is escalated
      Instant until = tasks.map(x -> x.givesUpAt(due)).orElse(due);
      Enrolment next = e.next(s.id(), EnrolmentState.WAITING, until, now);
      // created before the change is stored: its id derives from the change, so a run repeated
      // after a crash finds the task it made
      tasks.ifPresent(x -> x.create(taskId(next), next, t, p, base, due, now));
      return new Change(
          next,
          new HistoryEntry(
              next.seq(),
              s.id(),
              now,
              StepOutcome.TASK_CREATED,
              "task "
                  + taskId(next)
                  + " ("
                  + t.task()
                  + ") for "
                  + Optional.ofNullable(p.attributes().get(t.ownerAttribute())).orElse("nobody")
                  + ", due "
                  + due));
    }
    if (s instanceof Step.Send x) {
      return send(d, e, x, p, now, ctx);
    }
    if (s instanceof Step.Wait x) {
      Instant until = base.plus(x.duration());
      return go(e, s, x.next(), until, now, StepOutcome.WAITING, "until " + until);
    }
    if (s instanceof Step.WaitUntilLocalTime x) {
      Optional<ZoneId> zone = p.zone().or(() -> defaultZone);
      if (zone.isEmpty()) {
        return exit(e, s.id(), now, "the contact has no zone and the scheduler no default zone");
      }
      Instant until = nextLocalTime(base, x, zone.get());
      return go(e, s, x.next(), until, now, StepOutcome.WAITING, "until " + until);
    }
    if (s instanceof Step.WaitUntilDate x) {
      return waitUntilDate(e, x, p, base, now);
    }
    if (s instanceof Step.WaitForEvent x) {
      Instant until = base.plus(x.timeout());
      Enrolment next = e.next(s.id(), EnrolmentState.WAITING, until, now);
      String of =
          x.onMessage()
              ? " of message " + e.lastMessage().map(MessageId::value).orElse("(none sent)")
              : "";
      return new Change(
          next,
          new HistoryEntry(
              next.seq(),
              s.id(),
              now,
              StepOutcome.WAITING_FOR_EVENT,
              "for '" + x.event() + "'" + of + " until " + until));
    }
    if (s instanceof Step.Branch x) {
      for (int i = 0; i < x.cases().size(); i++) {
        Step.Case c = x.cases().get(i);
        if (c.when().test(p.attributes())) {
          return go(
              e,
              s,
              Optional.of(c.next()),
              base,
              now,
              StepOutcome.BRANCHED,
              "case " + (i + 1) + " (" + c.when() + ")");
        }
      }
      return go(e, s, x.otherwise(), base, now, StepOutcome.BRANCHED, "otherwise");
    }
    if (s instanceof Step.UpdateAttribute x) {
      store.setAttribute(e.tenant(), e.contact(), x.attribute(), x.value());
      attributeWatcher.accept(e.tenant(), e.contact()); // journey14b: triggers
      return go(
          e,
          s,
          x.next(),
          base,
          now,
          StepOutcome.UPDATED,
          x.attribute() + x.value().map(v -> " = " + v).orElse(" removed"));
    }
    if (s instanceof Step.EnrolIn x) {
      // the id derives from this enrolment and step, so a repeated run finds its own enrolment
      String child =
          UUID.nameUUIDFromBytes(
                  (e.tenant().value() + "/" + e.id() + "/" + e.seq())
                      .getBytes(StandardCharsets.UTF_8))
              .toString();
      EnrolResult r = enrol(e.tenant(), e.contact(), x.journey(), child, now);
      return go(
          e,
          s,
          x.next(),
          base,
          now,
          StepOutcome.ENROLLED_ELSEWHERE,
          x.journey() + ": " + r.status() + (r.reason().isEmpty() ? "" : " (" + r.reason() + ")"));
    }
    if (s instanceof Step.Exit x) {
      return exit(e, s.id(), now, x.reason());
    }
    throw new IllegalStateException("unknown step type " + s.getClass());
  }

  private Change send(
      JourneyDefinition d,
      Enrolment e,
      Step.Send x,
      ContactProfile p,
      Instant now,
      WorkContext<Integer> ctx) {
    Step.Variant v = variant(e, x);
    String what =
        "template "
            + v.templateId()
            + (x.variants().size() > 1 ? " (variant " + v.name() + ")" : "");
    MessageId id = MessageId.of(MESSAGE_PREFIX + e.id() + "-" + e.seq());
    Message m;
    try {
      Map<String, Object> data = new LinkedHashMap<>(p.attributes());
      m =
          Message.builder()
              .id(id)
              .idempotencyKey("journey:" + e.id() + ":" + e.seq() + ":" + x.id())
              .tenant(e.tenant())
              .account(p.account())
              .contact(e.contact())
              .to(p.email().orElse(null))
              .recipientZone(p.zone().or(() -> defaultZone).orElse(null))
              .kind(x.kind())
              .category(x.category())
              .channel(x.channel())
              .priority(x.priority())
              .source(Source.journey(d.team(), d.id(), x.id()))
              .templateId(v.templateId())
              .personalisation(data)
              .createdAt(now)
              .build();
    } catch (RuntimeException bad) {
      return go(e, x, x.next(), e.dueAt(), now, StepOutcome.FAILED, what + ": " + bad.getMessage());
    }
    if (!ctx.claimHeld()) {
      throw new ClaimLost();
    }
    DispatchResult r = sender.apply(m);
    StepOutcome outcome =
        switch (r.status()) {
          case SENT, DUPLICATE -> StepOutcome.SENT;
          case DEFERRED -> StepOutcome.DEFERRED;
          case SUPPRESSED -> StepOutcome.SUPPRESSED;
          case FAILED -> StepOutcome.FAILED;
          case UNKNOWN -> StepOutcome.UNKNOWN;
        };
    String detail = what + ", message " + id + ": " + r.status();
    if (r.status() != dev.steward.delivery.DispatchStatus.SENT) {
      detail += " " + r.decision();
    }
    return go(e.withLastMessage(id), x, x.next(), e.dueAt(), now, outcome, detail);
  }

  /** The variant of a send step for an enrolment: by weight, the same on every run. */
  static Step.Variant variant(Enrolment e, Step.Send x) {
    if (x.variants().size() == 1) {
      return x.variants().get(0);
    }
    long total = 0;
    for (Step.Variant v : x.variants()) {
      total += v.weight();
    }
    long pick = Math.floorMod(hash(e.id() + "/" + x.id()), total);
    for (Step.Variant v : x.variants()) {
      pick -= v.weight();
      if (pick < 0) {
        return v;
      }
    }
    return x.variants().get(x.variants().size() - 1);
  }

  /** A well-mixed 64-bit hash of a string, stable across JVMs and releases. */
  private static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  /**
   * The first instant strictly after {@code after} at which it is the step's time, on one of its
   * days, in {@code zone}. Days are the zone's local dates: a date the zone skipped entirely
   * (Pacific/Apia went from 29 to 31 December 2011) is not one of its weekdays and is passed over,
   * never resolved into the next day. A time skipped by a DST change is taken after the change
   * (02:30 on the spring-forward day is 03:30); a repeated time at its first occurrence.
   */
  static Instant nextLocalTime(Instant after, Step.WaitUntilLocalTime x, ZoneId zone) {
    LocalDate day = after.atZone(zone).toLocalDate();
    // two weeks and a day: each chosen weekday comes round twice, so one skipped date cannot
    // leave the window without a candidate
    for (int i = 0; i <= 15; i++) {
      LocalDate d = day.plusDays(i);
      if (!x.days().contains(d.getDayOfWeek()) || !existsLocally(d, zone)) {
        continue;
      }
      Instant at = ZonedDateTime.of(d, x.time(), zone).toInstant();
      if (at.isAfter(after)) {
        return at;
      }
    }
    throw new IllegalStateException("no day of " + x.days() + " within 15 days in " + zone);
  }

  /** Whether {@code date} has any local time in {@code zone} (a whole day may be skipped). */
  static boolean existsLocally(LocalDate date, ZoneId zone) {
    // the start of a day in a gap is the instant just after the gap, which for a skipped day is
    // on a later date
    return date.atStartOfDay(zone).toLocalDate().equals(date);
  }

  private Change waitUntilDate(
      Enrolment e, Step.WaitUntilDate x, ContactProfile p, Instant base, Instant now) {
    String raw = p.attributes().get(x.attribute());
    if (raw == null) {
      return exit(e, x.id(), now, "the contact has no '" + x.attribute() + "' date");
    }
    LocalDate date;
    try {
      date = LocalDate.parse(raw.strip());
    } catch (DateTimeParseException bad) {
      return exit(e, x.id(), now, "'" + x.attribute() + "' is not a date such as 2026-09-30");
    }
    Optional<ZoneId> zone = p.zone().or(() -> defaultZone);
    if (zone.isEmpty()) {
      return exit(e, x.id(), now, "the contact has no zone and the scheduler no default zone");
    }
    Instant at = ZonedDateTime.of(date.plusDays(x.offsetDays()), x.time(), zone.get()).toInstant();
    if (!at.isAfter(base)) {
      return go(
          e, x, x.next(), base, now, StepOutcome.WAITING, "not at all: " + at + " has passed");
    }
    return go(e, x, x.next(), at, now, StepOutcome.WAITING, "until " + at);
  }

  /**
   * Moves {@code e} past step {@code s} to {@code next}, due at {@code dueAt}; without a next step
   * the enrolment completes.
   */
  private static Change go(
      Enrolment e,
      Step s,
      Optional<String> next,
      Instant dueAt,
      Instant now,
      StepOutcome outcome,
      String detail) {
    Enrolment n =
        next.isPresent()
            ? e.next(next.get(), EnrolmentState.ACTIVE, dueAt, now)
            : e.next(s.id(), EnrolmentState.COMPLETED, now, now);
    String d = next.isPresent() ? detail : detail + "; journey completed";
    return new Change(n, new HistoryEntry(n.seq(), s.id(), now, outcome, d));
  }

  private static Change exit(Enrolment e, String stepId, Instant now, String reason) {
    Enrolment n = e.next(stepId, EnrolmentState.EXITED, now, now).withExitReason(reason);
    return new Change(n, new HistoryEntry(n.seq(), stepId, now, StepOutcome.EXITED, reason));
  }

  /** Builds a {@link JourneyScheduler}. */
  public static final class Builder {
    private final Clock clock;
    private final JourneyStore store;
    private final WorkStore work;
    private Function<Message, DispatchResult> sender;
    private Dispatcher dispatcher;
    private final Map<String, NavigableMap<Integer, JourneyDefinition>> journeys = new HashMap<>();
    private int maxActive = DEFAULT_MAX_ACTIVE_JOURNEYS;
    private ZoneId defaultZone;
    private TaskStore taskStore;
    private TaskPolicy taskPolicy = TaskPolicy.DEFAULTS;
    private TaskListener taskListener = TaskListener.NONE;
    private JourneyOutcomeListener outcomes = JourneyOutcomeListener.NONE; // analytics hook

    private Builder(Clock clock, JourneyStore store, WorkStore work) {
      this.clock = InvalidJourneyException.requireNonNull(clock, "clock");
      this.store = InvalidJourneyException.requireNonNull(store, "journey store");
      this.work = InvalidJourneyException.requireNonNull(work, "work store");
    }

    /** Sends through this dispatcher (consent, caps and the rest). */
    public Builder dispatcher(Dispatcher dispatcher) {
      InvalidJourneyException.requireNonNull(dispatcher, "dispatcher");
      this.sender = dispatcher::dispatch;
      this.dispatcher = dispatcher;
      return this;
    }

    /** Sends through this function instead of a dispatcher (simulations, tests). */
    public Builder sender(Function<Message, DispatchResult> sender) {
      this.sender = InvalidJourneyException.requireNonNull(sender, "sender");
      this.dispatcher = null; // the last one set sends; a function has no deferred mail to cancel
      return this;
    }

    /** Registers a journey version; several versions of one journey may be registered. */
    public Builder journey(JourneyDefinition definition) {
      InvalidJourneyException.requireNonNull(definition, "journey");
      NavigableMap<Integer, JourneyDefinition> versions =
          journeys.computeIfAbsent(definition.id(), k -> new TreeMap<>());
      JourneyDefinition old = versions.putIfAbsent(definition.version(), definition);
      if (old != null && !old.equals(definition)) {
        throw new InvalidJourneyException(
            "journey '"
                + definition.id()
                + "' version "
                + definition.version()
                + " is registered twice with different content; give the new one a new version");
      }
      return this;
    }

    /**
     * How many journeys a contact may be in at once; default {@value #DEFAULT_MAX_ACTIVE_JOURNEYS}.
     */
    public Builder maxActiveJourneys(int max) {
      if (max < 1) {
        throw new InvalidJourneyException("max active journeys must be at least 1, was " + max);
      }
      this.maxActive = max;
      return this;
    }

    /** The zone of contacts whose profile has none; default none (their local waits exit). */
    public Builder defaultZone(ZoneId zone) {
      this.defaultZone = InvalidJourneyException.requireNonNull(zone, "default zone");
      return this;
    }

    /**
     * Keeps human tasks in {@code store} by the {@link TaskPolicy#DEFAULTS}: reminders, escalation
     * to a second owner, completion through the dispatcher and reports ({@link
     * JourneyScheduler#tasks()}).
     */
    public Builder tasks(TaskStore store) {
      return tasks(store, TaskPolicy.DEFAULTS, TaskListener.NONE);
    }

    /** Keeps human tasks in {@code store} by {@code policy}, telling {@code listener}. */
    public Builder tasks(TaskStore store, TaskPolicy policy, TaskListener listener) {
      this.taskStore = InvalidJourneyException.requireNonNull(store, "task store");
      this.taskPolicy = InvalidJourneyException.requireNonNull(policy, "task policy");
      this.taskListener = InvalidJourneyException.requireNonNull(listener, "task listener");
      return this;
    }

    /**
     * Tells {@code listener} of every change once stored (analytics hook, issue 14): {@code
     * JourneyAnalytics#outcomeListener()}, or your own.
     */
    public Builder outcomeListener(JourneyOutcomeListener listener) {
      this.outcomes = InvalidJourneyException.requireNonNull(listener, "outcome listener");
      return this;
    }

    public JourneyScheduler build() {
      if (sender == null) {
        throw new InvalidJourneyException("the scheduler needs a dispatcher or a sender");
      }
      List<String> problems = new ArrayList<>();
      for (NavigableMap<Integer, JourneyDefinition> versions : journeys.values()) {
        for (JourneyDefinition d : versions.values()) {
          for (Step s : d.steps()) {
            if (s instanceof Step.EnrolIn x && !journeys.containsKey(x.journey())) {
              problems.add(
                  "journey '"
                      + d.id()
                      + "' v"
                      + d.version()
                      + ": step '"
                      + s.id()
                      + "' enrols in journey '"
                      + x.journey()
                      + "', which is not registered");
            }
          }
        }
      }
      if (!problems.isEmpty()) {
        throw new InvalidJourneyException(String.join("; ", problems));
      }
      return new JourneyScheduler(this);
    }
  }
}
