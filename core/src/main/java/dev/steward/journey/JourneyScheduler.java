package dev.steward.journey;

import dev.steward.calendar.CommunicationCalendar;
import dev.steward.delivery.DeferredMessage;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.EmailEventListener;
import dev.steward.delivery.InMemoryDeliveryLedger;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import dev.steward.schedule.BatchWorkHandler;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.KindSettings;
import dev.steward.schedule.Next;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.RetryPolicy;
import dev.steward.schedule.WorkContext;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

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
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(JourneyScheduler.class);

  /** The kind of the work items that run enrolments. */
  public static final String STEP_KIND = "steward.journey-step";

  /** The kind of the recurring sweep that gives stranded enrolments their work item back. */
  public static final String SWEEP_KIND = "steward.sweep.journeys";

  /** How many journeys a contact may be in at once unless set. */
  public static final int DEFAULT_MAX_ACTIVE_JOURNEYS = 5;

  /**
   * The window over which waits until a local time or a date spread the enrolments they make due at
   * one instant, unless set: 09:00 becomes a time between 09:00 and 09:15, the same for an
   * enrolment every time.
   */
  public static final Duration DEFAULT_BURST_WINDOW = Duration.ofMinutes(15);

  /** The widest burst window. */
  public static final Duration MAX_BURST_WINDOW = Duration.ofHours(12);

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

  static final WorkType<Integer> TYPE = JourneyWork.TYPE;

  private final Clock clock;
  private final JourneyStore store;
  private final JourneyWork work;
  private final Function<Message, DispatchResult> sender;
  private final Optional<Dispatcher> dispatcher;
  private final Journeys journeys;
  private final int maxActive;
  private final Function<TenantId, OptionalInt> tenantMaxActive;
  private final Optional<TaskDesk> tasks;
  private final Signals signals;
  private final TaskSteps taskSteps;
  private final StrandedSweep sweep;
  private final Reanchor reanchor;
  private final EnrolmentRun run;
  private final StepBatch batch;
  private final boolean batchSteps;
  private final Optional<ZoneId> defaultZone;
  private final JourneyOutcomeListener outcomes; // analytics hook (issue 14)
  private final Migrator migrator; // version migration (issue 14)
  private final Optional<JourneyCalendar> calendar; // journeys on the calendar (issue 14)

  private JourneyScheduler(Builder b) {
    this.clock = b.clock;
    this.store = b.store;
    this.work = new JourneyWork(b.work);
    this.sender = b.sender;
    this.dispatcher = Optional.ofNullable(b.dispatcher);
    this.journeys = new Journeys(b.journeys);
    this.maxActive = b.maxActive;
    this.tenantMaxActive = b.tenantMaxActive;
    this.outcomes = b.outcomes; // analytics hook (issue 14)
    this.calendar =
        Optional.ofNullable(b.calendar)
            .map(c -> new JourneyCalendar(c, b.store, journeys::version));
    Optional<ZoneId> defaultZone = Optional.ofNullable(b.defaultZone);
    this.defaultZone = defaultZone;
    this.tasks =
        b.taskStore == null
            ? Optional.empty()
            : Optional.of(
                new TaskDesk(this, b.taskStore, b.taskPolicy, b.taskListener, clock, b.work));
    this.signals = new Signals(clock, store, journeys, work, this::recorded);
    this.taskSteps = new TaskSteps(clock, store, journeys, work, defaultZone, this::recorded);
    this.sweep = new StrandedSweep(clock, store, work);
    BurstSpread spread = new BurstSpread(b.burstWindow);
    this.reanchor = new Reanchor(clock, store, journeys, work, defaultZone, spread, this::recorded);
    StepExecutor steps =
        new StepExecutor(
            store,
            sender,
            dispatcher,
            defaultZone,
            tasks,
            signals,
            reanchor,
            spread,
            this::enrol,
            (t, c) -> attributeWatcher.accept(t, c), // journey14b: triggers
            calendar);
    this.migrator = new Migrator(clock, store, journeys, work, this::recorded); // migration
    this.run =
        new EnrolmentRun(
            clock,
            store,
            journeys,
            steps,
            signals,
            new DeferredHold(dispatcher),
            this::recordedInRun,
            this::gone);
    this.batch =
        new StepBatch(
            clock, store, journeys, steps, run, dispatcher, this::retriedFinished, calendar);
    this.batchSteps =
        b.batchSteps != null ? b.batchSteps : !inMemory(b.store, b.work, b.dispatcher);
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

  /**
   * The listener to give the dispatcher the scheduler sends through: it writes into an enrolment's
   * history what became of the message its send step handed over deferred, after the journey went
   * on: dropped unsent because the caps deferred it again past the step's deadline (SKIPPED, the
   * reason naming the send-by), and moved back because a higher-priority message took the slot it
   * waited for (DEFERRED, naming that message, its priority and the new time). {@code Steward}
   * wires it.
   */
  public static dev.steward.delivery.DispatchListener deferredSendHistory(
      JourneyStore store, Clock clock) {
    InvalidJourneyException.requireNonNull(store, "store");
    InvalidJourneyException.requireNonNull(clock, "clock");
    return new DeferredSendHistory(store, clock);
  }

  /**
   * Whether the stores a step reads and writes are all the in-memory ones (the dispatcher's ledger
   * too, when there is a dispatcher): then no statement is saved by batching.
   */
  static boolean inMemory(JourneyStore store, WorkStore work, Dispatcher dispatcher) {
    return store instanceof InMemoryJourneyStore
        && work instanceof InMemoryWorkStore
        && (dispatcher == null || dispatcher.ledger() instanceof InMemoryDeliveryLedger);
  }

  /** A builder over a clock, a journey store and the work store the runner works from. */
  public static Builder builder(Clock clock, JourneyStore store, WorkStore work) {
    return new Builder(clock, store, work);
  }

  /**
   * Registers the handler of journey steps on a runner's builder; returns the builder. By default
   * the steps of one claim run as a batch ({@link Builder#batchSteps}): their enrolments and
   * profiles read in one statement each, and the messages their runs certainly begin with handed to
   * the dispatcher in one {@link Dispatcher#dispatchAll} call, each step's outcome the one it has
   * when run alone. Over stores that are all in memory, where a statement costs nothing to save,
   * each step runs alone by default: the batch's bookkeeping cost more CPU than it saved there.
   */
  public WorkRunner.Builder registerWith(WorkRunner.Builder runner) {
    tasks.ifPresent(t -> t.registerWith(runner));
    KindSettings settings =
        KindSettings.DEFAULT.withRetry(
            new RetryPolicy(20, Duration.ofSeconds(5), Duration.ofMinutes(30)));
    if (batchSteps) {
      return runner.batchHandler(TYPE, BatchWorkHandler.sync(batch::handle), settings);
    }
    return runner.handler(TYPE, WorkHandler.sync(this::handle), settings);
  }

  /** Whether {@link #registerWith} registers the batch handler (for tests). */
  boolean batchesSteps() {
    return batchSteps;
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

  /**
   * Stores a contact's profile (address, zone, attributes), replacing any earlier one; pending
   * waits until a date attribute of the contact's enrolments re-anchor to the profile's dates (see
   * {@link #setAttribute}).
   */
  public void putContact(ContactProfile profile) {
    store.putContact(profile);
    reanchor.contact(profile.tenant(), profile.contact(), Optional.empty());
    attributeWatcher.accept(profile.tenant(), profile.contact()); // journey14b: triggers
  }

  /**
   * Sets (or with an empty value removes) an attribute; false if the contact has no profile.
   *
   * <p>When the attribute is a date that waits count to (a renewal moved), every pending wait until
   * it, in each of the contact's enrolments, re-anchors: it is due at the new date with the wait's
   * offset and time, in the contact's zone (09:00 local stays 09:00 local across a DST change), or
   * now if that has passed. The move is recorded in the enrolment's history. A removed date, or one
   * that no longer parses, leaves the waits as they were; a wait already due is not moved.
   */
  public boolean setAttribute(
      TenantId tenant, ContactId contact, String name, Optional<String> value) {
    boolean set = store.setAttribute(tenant, contact, name, value);
    if (set) {
      reanchor.contact(tenant, contact, Optional.of(name));
    }
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

  /** Forgets the trigger state of a contact or tenant when the scheduler erases them. */
  interface TriggerEraser {
    /** Forgets a contact's trigger state; how many rows. */
    int eraseContact(TenantId tenant, ContactId contact);

    /** Forgets a tenant's trigger state; how many rows. */
    int eraseTenant(TenantId tenant);
  }

  private volatile TriggerEraser triggerEraser =
      new TriggerEraser() {
        @Override
        public int eraseContact(TenantId tenant, ContactId contact) {
          return 0;
        }

        @Override
        public int eraseTenant(TenantId tenant) {
          return 0;
        }
      };

  /** Called by {@link #eraseContact} and {@link #eraseTenant} (JourneyTriggers). */
  void watchErasure(TriggerEraser eraser) {
    this.triggerEraser = eraser;
  }

  /** Enrols under an id derived from {@code key}: the same key never enrols twice. */
  EnrolResult enrolKeyed(TenantId tenant, ContactId contact, String journey, String key) {
    return enrol(tenant, contact, journey, keyedId(tenant, contact, journey, key), clock.instant());
  }

  /** The enrolment id {@link #enrolKeyed} gives {@code key}. */
  static String keyedId(TenantId tenant, ContactId contact, String journey, String key) {
    return UUID.nameUUIDFromBytes(
            (tenant.value() + "/" + contact.value() + "/" + journey + "/" + key)
                .getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  Optional<ContactProfile> profile(TenantId tenant, ContactId contact) {
    return store.contact(tenant, contact);
  }

  Optional<ZoneId> defaultZone() {
    return defaultZone;
  }

  /** A page of profiles, for the triggers' scheduled re-evaluation (review14t). */
  List<ContactProfile> contacts(Optional<ContactProfile> after, int max) {
    return store.contacts(after, max);
  }

  java.util.Set<String> journeyIds() {
    return new java.util.TreeSet<>(journeys.ids());
  }

  // ---- journey14b: end

  @SuppressWarnings("try") // the scope is read through its thread
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
    // the profile's own contact id from here on: its text is then the one the stores hold
    // already (the wake-up item's subject among them), not a copy per enrolment
    ContactProfile profile =
        store
            .contact(tenant, contact)
            .orElseThrow(
                () ->
                    new InvalidJourneyException(
                        "contact "
                            + contact
                            + " of tenant "
                            + tenant
                            + " has no profile; put one first"));
    ContactId known = profile.contact();
    Instant now = clock.instant();
    Enrolment e =
        new Enrolment(
            tenant,
            id,
            known,
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
    EnrolResult r = store.enrol(e, d.reEntry(), maxActiveOf(tenant));
    if (r.status() == EnrolResult.Status.ENROLLED) {
      work.replace(e);
      try (StepScope scope = StepScope.open()) { // pgtx2: the calendar's sync takes this profile
        StepScope.at(e);
        StepScope.saw(profile);
        recorded(e, new HistoryEntry(0, e.step(), now, StepOutcome.ENTERED, "")); // analytics
      }
    } else if (r.status() == EnrolResult.Status.ALREADY_ENROLLED
        || r.status() == EnrolResult.Status.ALREADY_ACTIVE) {
      // a repeated request (an enrol step run again, or a caller retrying after the work store
      // failed once the enrolment was written): make sure its work exists
      r.enrolment().filter(x -> !x.state().finished()).ifPresent(work::keep);
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
    for (String id : journeys.ids()) {
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
    return journeys.newest(id);
  }

  /** A registered version of a journey. */
  public Optional<JourneyDefinition> journey(String id, int version) {
    return journeys.version(id, version);
  }

  /**
   * Moves the tenant's running enrolments of {@code migration}'s old version to its new version,
   * each to its mapped step (version migration, issue 14; see {@link Migrator}). Each move is a
   * compare-and-set with a MIGRATED history entry naming the migration. A wait keeps its due time
   * when the new step is the same kind of wait, else the new step is due now. An enrolment due
   * within a minute (its run may be under way) or waiting on a human task is skipped and reported;
   * call again to move those: none moves twice.
   *
   * @throws InvalidJourneyException if either version is not registered or the mapping does not fit
   *     them ({@link JourneyMigration#check}), before anything moves
   */
  public MigrationReport migrate(TenantId tenant, JourneyMigration migration) {
    return migrator.migrate(tenant, migration);
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
   * the erasure), and, when {@link JourneyTriggers} were built over this scheduler, its segment
   * memberships, events and trigger timers; how many enrolments.
   */
  public int eraseContact(TenantId tenant, ContactId contact) {
    for (WorkItem w : work.store().findBySubject(tenant, contact.value(), STEP_KIND)) {
      work.store().cancel(w.key());
    }
    dispatcher.ifPresent(
        d -> {
          for (DeferredMessage m : d.pendingFor(tenant, contact)) {
            if (JourneyMessageIds.isJourneys(m.message().id())) {
              d.cancelDeferred(tenant, m.message().id());
            }
          }
        });
    tasks.ifPresent(t -> t.eraseContact(tenant, contact));
    int erased = store.eraseContact(tenant, contact);
    triggerEraser.eraseContact(tenant, contact); // wire14: the triggers' state too
    return erased;
  }

  /**
   * Forgets a tenant's journeys, and the trigger state of {@link JourneyTriggers} built over this
   * scheduler. Its pending journey work items, if the work store's own erasure has not cancelled
   * them, find no enrolment when they come due and end.
   */
  public int eraseTenant(TenantId tenant) {
    tasks.ifPresent(t -> t.eraseTenant(tenant));
    int erased = store.eraseTenant(tenant);
    triggerEraser.eraseTenant(tenant); // wire14: the triggers' state too
    return erased;
  }

  /**
   * Resumes the contact's enrolments waiting for {@code event} ({@code replied}, or {@code
   * custom:<name>}); how many resumed. Repeating a signal resumes nothing more.
   */
  public int signal(TenantId tenant, ContactId contact, String event) {
    return signals.signal(tenant, contact, event);
  }

  /**
   * The listener that resumes waits for {@code opened} and {@code clicked}, matched by the id of
   * the message the enrolment's last send step dispatched. A click counts as an open (images may be
   * off). Idempotent: an event seen again finds nothing waiting.
   */
  public EmailEventListener emailEventListener() {
    return signals::onEvents;
  }

  /** The enrolment waiting on a stored task, if it still waits on it. */
  Optional<Enrolment> waitingOn(JourneyTask x) {
    return taskSteps.waitingOn(x);
  }

  /**
   * The message of a task's email: its id and idempotency key derive from the task, so completing a
   * task twice never sends twice.
   *
   * @throws InvalidTaskException if the contact has no profile or no address, or the email cannot
   *     be a message
   */
  Message taskMessage(Enrolment e, JourneyTask x, TaskEmail email, TaskPolicy policy, Instant now) {
    return taskSteps.taskMessage(e, x, email, policy, now);
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
    return taskSteps.openTasks(tenant, contact);
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
    return taskSteps.advanceTask(tenant, taskId, outcome, note);
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
    return sweep.sweep(max);
  }

  /** See {@link LocalTimes#nextLocalTime}. */
  static Instant nextLocalTime(Instant after, Step.WaitUntilLocalTime x, ZoneId zone) {
    return LocalTimes.nextLocalTime(after, x, zone);
  }

  /** See {@link LocalTimes#existsLocally}. */
  static boolean existsLocally(LocalDate date, ZoneId zone) {
    return LocalTimes.existsLocally(date, zone);
  }

  /** The variant of a send step for an enrolment: by weight, the same on every run. */
  static Step.Variant variant(Enrolment e, Step.Send x) {
    return StepExecutor.variant(e, x);
  }

  // ---------------------------------------------------------------- analytics hook (issue 14)

  /** Tells the outcome listener of a change the store applied; its failure changes nothing. */
  private void recorded(Enrolment next, HistoryEntry entry) {
    if (calendar.isPresent()) {
      try {
        calendar.get().sync(next);
      } catch (RuntimeException e) {
        // the journey goes on; the entry is brought in line at the enrolment's next change
        LOG.warn("calendar entry of enrolment {} not updated", next.id(), e);
      }
    }
    // pgtx: last, the listener: the analytics' tally rows are shared by every enrolment at the
    // step, so in a step's one transaction their locks are taken just before it commits
    try {
      outcomes.onOutcome(journey(next.journey(), next.version()), next, entry);
    } catch (RuntimeException e) {
      LOG.warn("journey outcome listener threw on enrolment {}", next.id(), e);
    }
  }

  /**
   * As {@link #recorded}, for a step's run: when the calendar sync after the enrolment's last
   * change (it finished) fails, the run fails with it, so that its work item is retried and the
   * retry brings the entry in line ({@link #handle}); no later change of the enrolment would.
   */
  private void recordedInRun(Enrolment next, HistoryEntry entry) {
    if (calendar.isEmpty() || !next.state().finished()) {
      recorded(next, entry);
      return;
    }
    try {
      outcomes.onOutcome(journey(next.journey(), next.version()), next, entry);
    } catch (RuntimeException e) {
      LOG.warn("journey outcome listener threw on enrolment {}", next.id(), e);
    }
    calendar.get().sync(next);
  }

  /**
   * Runs a claimed journey step item; a retried one whose enrolment has finished first brings the
   * enrolment's calendar entry in line, as the failed run could not ({@link #recordedInRun}).
   */
  private Next handle(WorkContext<Integer> ctx) {
    if (calendar.isPresent() && ctx.item().attempts() > 0) {
      WorkKey k = ctx.item().key();
      Optional<Enrolment> e = store.find(k.tenant(), k.id());
      if (e.isPresent() && e.get().state().finished()) {
        calendar.get().sync(e.get());
      }
    }
    return run.handle(ctx);
  }

  /** As {@link #handle} does for a retried item whose enrolment has finished, in a batch. */
  private void retriedFinished(Enrolment e) {
    calendar.ifPresent(c -> c.sync(e));
  }

  /** Tells the calendar of an enrolment erased while its step ran; its failure is logged. */
  private void gone(Enrolment e) {
    if (calendar.isPresent()) {
      try {
        calendar.get().gone(e);
      } catch (RuntimeException x) {
        LOG.warn("calendar entries of erased enrolment {} not erased", e.id(), x);
      }
    }
  }

  /**
   * The most journeys a contact of {@code tenant} may be in at once: its own limit, or the default.
   */
  int maxActiveOf(TenantId tenant) {
    OptionalInt own = tenantMaxActive.apply(tenant);
    if (own == null || own.isEmpty()) {
      return maxActive;
    }
    if (own.getAsInt() < 1) {
      // refused here, before anything is written, naming the tenant whose setting is wrong
      throw new InvalidJourneyException(
          "the most active journeys of tenant '"
              + tenant.value()
              + "' must be at least 1, was "
              + own.getAsInt());
    }
    return own.getAsInt();
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
    private Function<TenantId, OptionalInt> tenantMaxActive = t -> OptionalInt.empty();
    private ZoneId defaultZone;
    private Duration burstWindow = DEFAULT_BURST_WINDOW;
    private TaskStore taskStore;
    private TaskPolicy taskPolicy = TaskPolicy.DEFAULTS;
    private TaskListener taskListener = TaskListener.NONE;
    private JourneyOutcomeListener outcomes = JourneyOutcomeListener.NONE; // analytics hook
    private CommunicationCalendar calendar; // journeys on the calendar (issue 14)
    private Boolean batchSteps; // null: by the stores (see registerWith)

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

    /**
     * Whether {@link JourneyScheduler#registerWith} registers the batch handler of steps: the steps
     * of one claim read their enrolments and profiles in one statement each and hand the messages
     * they certainly begin with to the dispatcher in one call; each step's outcome is the one it
     * has alone. False registers the handler that runs each step alone. Unless set: true, but false
     * when the journey store, the work store and the dispatcher's ledger are all the in-memory
     * ones, where running each step alone costs less CPU per step.
     */
    public Builder batchSteps(boolean batch) {
      this.batchSteps = batch;
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

    /**
     * Each tenant's own limit of the journeys a contact may be in at once, where it has one (empty
     * for the {@link #maxActiveJourneys} default): read on every enrolment, so a changed setting
     * applies to the next. {@code Steward} reads it from the tenant's {@code
     * CapPolicy.maxConcurrentJourneys}, so one policy holds a tenant's pacing and its journey
     * limit, while the journey store stays the one record of who is in which journey.
     */
    public Builder tenantMaxActiveJourneys(Function<TenantId, OptionalInt> limits) {
      this.tenantMaxActive = InvalidJourneyException.requireNonNull(limits, "tenant limits");
      return this;
    }

    /**
     * The window after a wall-clock instant over which the enrolments that a wait until a local
     * time or a date makes due at that instant are spread, each by an offset derived from its id
     * (the same on every run and instance), so that 100,000 renewals at 09:00 local do not hit the
     * stores and the provider at one instant; default {@link #DEFAULT_BURST_WINDOW}, {@link
     * Duration#ZERO} for exact times. Fixed waits ({@code wait P3D}) count from the previous due
     * time and so keep the spread.
     *
     * @throws InvalidJourneyException if negative or wider than {@link #MAX_BURST_WINDOW}
     */
    public Builder burstWindow(Duration window) {
      InvalidJourneyException.requireNonNull(window, "burst window");
      if (window.isNegative() || window.compareTo(MAX_BURST_WINDOW) > 0) {
        throw new InvalidJourneyException(
            "burst window must be from 0 to " + MAX_BURST_WINDOW + ", was " + window);
      }
      this.burstWindow = window;
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

    /**
     * Puts journeys on the communication calendar every team sees (issue 14): each enrolment whose
     * next step is a send keeps one SCHEDULED entry there, id {@code journey:<enrolment id>}, at
     * that step's due time, with the journey's team, the step's kind, category and channel, and
     * {@code <journey>/<step>} as its campaign. It moves when the step is re-deferred or
     * re-anchored, and is cancelled when the next step is no send or the enrolment ends. A send
     * step asks the calendar's conflict rules before it sends: a conflicting send is SKIPPED, its
     * history naming the rules, and the journey goes on; a message handed to the pipeline is
     * recorded under its id (SENT, or SCHEDULED at the time the pipeline deferred it to; register
     * {@link dev.steward.calendar.CalendarDispatchListener} on the dispatcher so that such an entry
     * follows the message's later deferrals and outcome). Erasing a contact or tenant from the
     * calendar erases the entries ({@code Steward} wires both). Default: none.
     */
    public Builder calendar(CommunicationCalendar calendar) {
      this.calendar = InvalidJourneyException.requireNonNull(calendar, "calendar");
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
