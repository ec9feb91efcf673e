package dev.steward.journey;

import dev.steward.delivery.DeferredMessage;
import dev.steward.delivery.DispatchListener;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.EmailEventListener;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.EmailEvent;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.WorkRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journey analytics: per journey, version and step, how many entered, were sent, deferred (and
 * why), skipped (and why), delivered, opened, clicked, replied, bounced, reported as spam,
 * unsubscribed, exited (by criterion) and reached a goal; kept in a {@link JourneyAnalyticsStore},
 * each message counted once per metric however often its events are replayed, read as a {@link
 * JourneyFunnel}, and judged against {@link JourneyBenchmarks}, whose misses are raised through a
 * {@link JourneyAlertListener} once per episode.
 *
 * <p>It is fed by three listeners; wire each where it belongs:
 *
 * <ul>
 *   <li>{@link #outcomeListener()} on the scheduler ({@code
 *       JourneyScheduler.Builder#outcomeListener}): entries, sends, skips and exits.
 *   <li>{@link #dispatchListener()} on the dispatcher: the rule that deferred or suppressed a
 *       journey's message, and the send of a deferred message when its time comes.
 *   <li>{@link #emailEventListener()} on the event ingestor: deliveries, opens, clicks, bounces,
 *       spam reports and unsubscribes of journey messages. An event finds its journey version by
 *       the message's send, counted before; else by its {@value #JOURNEY_STEP_ATTRIBUTE} attribute
 *       ({@code journeyId/stepId}, which the SendGrid adapter carries back in custom args) or the
 *       message's journey step, and the version of the enrolment whose id the message id carries.
 * </ul>
 *
 * <pre>{@code
 * JourneyAnalytics analytics =
 *     JourneyAnalytics.builder(InMemoryJourneyAnalyticsStore.of(), clock)
 *         .journeys(journeyStore)
 *         .alertListener(alert -> log.warn(alert.explanation()))
 *         .build();
 * JourneyScheduler.builder(clock, journeyStore, work).outcomeListener(analytics.outcomeListener())...
 * JourneyFunnel f = analytics.funnel(tenant, definition);
 * }</pre>
 */
public final class JourneyAnalytics {
  private static final Logger log = LoggerFactory.getLogger(JourneyAnalytics.class);

  /** The event attribute that names the journey step ({@code journeyId/stepId}) of a message. */
  public static final String JOURNEY_STEP_ATTRIBUTE = "journey_step";

  /** The kind of the recurring purge of marks ({@link #registerPurge}). */
  public static final String PURGE_KIND = "steward.retention.journey-analytics";

  /**
   * How long a mark is kept unless set: far longer than any provider event comes late (opens of an
   * old message trickle in for months), so that an event is counted once.
   */
  public static final Duration DEFAULT_MARKS_KEPT = Duration.ofDays(400);

  private static final String CRITERION = "exit criterion '";

  /** The reason a journey message displaced by a higher-priority one is counted deferred for. */
  public static final String DISPLACED = "look-ahead/displaced";

  private final JourneyAnalyticsStore store;
  private final Clock clock;
  private final Optional<JourneyStore> journeys;
  private final JourneyBenchmarks benchmarks;
  private final JourneyAlertListener alerts;
  private final Duration marksKept;

  private JourneyAnalytics(Builder b) {
    this.marksKept = b.marksKept;
    this.store = b.store;
    this.clock = b.clock;
    this.journeys = Optional.ofNullable(b.journeys);
    this.benchmarks = b.benchmarks;
    this.alerts = b.alerts;
  }

  /** A builder over the store the counts are kept in and the clock facts are dated by. */
  public static Builder builder(JourneyAnalyticsStore store, Clock clock) {
    return new Builder(store, clock);
  }

  /** The store the counts are kept in. */
  public JourneyAnalyticsStore store() {
    return store;
  }

  /** The benchmarks alerts are judged by. */
  public JourneyBenchmarks benchmarks() {
    return benchmarks;
  }

  /**
   * Adds the daily purge of marks older than their retention ({@link Builder#keepMarks}) to {@code
   * runner} ({@value #PURGE_KIND}); returns {@code runner}. Without it the marks are kept for good.
   */
  public WorkRunner.Builder registerPurge(WorkRunner.Builder runner) {
    InvalidJourneyException.requireNonNull(runner, "runner");
    return Recurring.builder(
            PURGE_KIND, max -> store.purgeMarksBefore(clock.instant().minus(marksKept), max))
        .build()
        .register(runner);
  }

  // ------------------------------------------------------------------ the scheduler's outcomes

  /** The listener to give the journey scheduler. */
  public JourneyOutcomeListener outcomeListener() {
    return this::onOutcome;
  }

  private void onOutcome(Optional<JourneyDefinition> d, Enrolment e, HistoryEntry h) {
    TenantId t = e.tenant();
    switch (h.outcome()) {
      case ENTERED -> note(t, e.id(), at(e, h), JourneyMetric.ENTERED, null, h.at());
      case SENT -> note(t, sent(e, h), at(e, h), JourneyMetric.SENT, null, h.at());
      case DEFERRED -> note(t, sent(e, h), at(e, h), JourneyMetric.DEFERRED, null, h.at());
      case SUPPRESSED -> note(t, sent(e, h), at(e, h), JourneyMetric.SKIPPED, "suppressed", h.at());
      case FAILED -> note(t, sent(e, h), at(e, h), JourneyMetric.SKIPPED, "failed", h.at());
      // a send or task step reached (or still deferred) after its deadline
      case SKIPPED -> note(t, sent(e, h), at(e, h), JourneyMetric.SKIPPED, "deadline", h.at());
      case EXITED ->
          note(
              t,
              e.id(),
              at(e, h),
              JourneyMetric.EXITED,
              exitReason(e.exitReason().orElse("")),
              h.at());
      case EVENT -> {
        // a wait for a reply that was answered: the reply belongs to the message last sent
        boolean reply =
            d.flatMap(x -> x.step(h.step()))
                .filter(s -> s instanceof Step.WaitForEvent w && w.event().equals(Step.REPLIED))
                .isPresent();
        if (reply && e.lastMessage().isPresent()) {
          replied(t, e.lastMessage().get(), h.at());
        }
      }
      default -> {
        // waits, branches, tasks and updates are not counted
      }
    }
  }

  /**
   * The id of the message a send step made: it derives from the enrolment and the step's sequence
   * number (the entry's, less one); its send may have failed before it was made at all. The
   * enrolment's last message is that id when the step made one (memstep): its text is taken instead
   * of made again, the very string the dispatcher's listener counted the send under.
   */
  private static String sent(Enrolment e, HistoryEntry h) {
    Optional<MessageId> last = e.lastMessage();
    if (last.isPresent()
        && h.seq() > 0 // seqOf answers -1 for an id of another scheme
        && JourneyMessageIds.seqOf(e.id(), last.get().value()) == h.seq() - 1) {
      return last.get().value();
    }
    return JourneyMessageIds.of(e.id(), h.seq() - 1);
  }

  /**
   * The step an outcome is counted at, kept (memstep): every enrolment at a step counts against the
   * same ref, so one is made (and checked) per step and version, not per outcome. A race costs only
   * a miss.
   */
  private JourneyStepRef at(Enrolment e, HistoryEntry h) {
    String journey = e.journey();
    int version = e.version();
    String step = h.step();
    int slot = (step.hashCode() * 31 + version) & (PLACED_SLOTS - 1);
    JourneyStepRef r = outcomeSteps[slot];
    if (r != null
        && r.version() == version
        && r.step().equals(step)
        && r.journey().equals(journey)) {
      return r;
    }
    r = new JourneyStepRef(journey, version, step);
    outcomeSteps[slot] = r;
    return r;
  }

  /** Recently counted outcomes' steps, by the step's hash and version ({@link #at}). */
  private final JourneyStepRef[] outcomeSteps = new JourneyStepRef[PLACED_SLOTS];

  /** The criterion's name of an exit by a criterion, else the exit's own reason. */
  static String exitReason(String reason) {
    if (reason.startsWith(CRITERION)
        && reason.endsWith("'")
        && reason.length() > CRITERION.length()) {
      return reason.substring(CRITERION.length(), reason.length() - 1);
    }
    return reason;
  }

  // ------------------------------------------------------------------ the dispatcher's results

  /** The listener to give the dispatcher: deferral and suppression rules, late sends. */
  public DispatchListener dispatchListener() {
    return new DispatchListener() {
      @Override
      public void onResult(DispatchResult result) {
        onDispatch(result);
      }

      @Override
      public void onResults(List<DispatchResult> results) {
        onDispatches(results);
      }

      @Override
      public void onDisplaced(DeferredMessage displaced, Message by) {
        onDisplacedBy(displaced, by);
      }
    };
  }

  /**
   * A journey message deferred again because {@code by} took its slot: counted as deferred with the
   * reason {@value #DISPLACED}, once per message and displacing message (its subject is the pair,
   * so its first deferral's mark does not swallow it).
   */
  private void onDisplacedBy(DeferredMessage displaced, Message by) {
    Message m = displaced.message();
    String id = m.id().value();
    String subject = id + " displaced by " + by.id().value();
    if (!m.source().isJourney()
        || !id.startsWith(JourneyMessageIds.PREFIX)
        || subject.length() > JourneyFact.MAX_SUBJECT) {
      return;
    }
    locate(m.tenant(), id, Optional.of(m.source().journeyStep()))
        .ifPresent(
            at ->
                note(m.tenant(), subject, at, JourneyMetric.DEFERRED, DISPLACED, clock.instant()));
  }

  /** Whether a dispatch's result is counted, and so placed (a read). */
  private static boolean counted(DispatchResult r) {
    Message m = r.message();
    // a duplicate was counted by the first dispatch, an unknown outcome is settled by provider
    // events: neither is placed (a read) for nothing
    return m.source().isJourney()
        && m.id().value().startsWith(JourneyMessageIds.PREFIX)
        && r.status() != DispatchStatus.DUPLICATE
        && r.status() != DispatchStatus.UNKNOWN;
  }

  /**
   * Results that finished together (a journey batch's sends): the steps their messages were counted
   * at are read at once, one read per tenant instead of one per message, then each is counted as
   * alone. If that read fails, each reads its own.
   */
  private void onDispatches(List<DispatchResult> results) {
    Map<TenantId, List<String>> ids = new LinkedHashMap<>();
    for (DispatchResult r : results) {
      if (counted(r)) {
        ids.computeIfAbsent(r.message().tenant(), t -> new ArrayList<>())
            .add(r.message().id().value());
      }
    }
    Map<TenantId, Map<String, JourneyStepRef>> known = new HashMap<>();
    ids.forEach(
        (tenant, messages) -> {
          if (messages.size() > 1) {
            try {
              known.put(tenant, store.stepsOf(tenant, messages));
            } catch (RuntimeException e) {
              log.debug("journey steps of {} messages not read at once", messages.size(), e);
            }
          }
        });
    RuntimeException first = null;
    for (DispatchResult r : results) {
      try {
        onDispatch(r, known.get(r.message().tenant()));
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private void onDispatch(DispatchResult r) {
    onDispatch(r, null);
  }

  /**
   * Counts a dispatch's result; {@code read}: the steps of its tenant's messages read before (one
   * not there was never counted), or null: its own is read now.
   */
  private void onDispatch(DispatchResult r, Map<String, JourneyStepRef> read) {
    Message m = r.message();
    String id = m.id().value();
    if (!counted(r)) {
      return;
    }
    Optional<JourneyStepRef> at =
        place(
            m.tenant(),
            id,
            Optional.of(m.source().journeyStep()),
            read != null ? Optional.ofNullable(read.get(id)) : store.stepOf(m.tenant(), id));
    if (at.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    switch (r.status()) {
      case SENT -> note(m.tenant(), id, at.get(), JourneyMetric.SENT, null, now);
      case DEFERRED ->
          note(m.tenant(), id, at.get(), JourneyMetric.DEFERRED, rule(r, Outcome.DEFER), now);
      case SUPPRESSED ->
          // dropped for its send-by (the step's deadline), now or after a deferral: as the
          // scheduler counts a step reached after its deadline
          note(
              m.tenant(),
              id,
              at.get(),
              JourneyMetric.SKIPPED,
              StepExecutor.pastSendBy(r) ? "deadline" : rule(r, Outcome.SUPPRESS),
              now);
      case FAILED -> note(m.tenant(), id, at.get(), JourneyMetric.SKIPPED, "failed", now);
      default -> {
        // DUPLICATE was counted by the first dispatch; UNKNOWN is settled by provider events
      }
    }
  }

  /** The first rule with {@code effect} that decided a dispatch ("gate/rule"), or the first. */
  private static String rule(DispatchResult r, Outcome effect) {
    List<Reason> reasons = r.decision().reasons();
    Reason pick =
        reasons.stream()
            .filter(x -> x.effect() == effect)
            .findFirst()
            .orElse(reasons.isEmpty() ? null : reasons.get(0));
    return pick == null
        ? r.status().name().toLowerCase(Locale.ROOT)
        : pick.gate() + "/" + pick.rule();
  }

  // ------------------------------------------------------------------ provider events

  /**
   * The listener to give the event ingestor. Idempotent: a replayed or duplicated event finds its
   * message counted for its metric already. After a batch, the journey versions it counted anything
   * for are judged against the benchmarks.
   */
  public EmailEventListener emailEventListener() {
    return this::onEvents;
  }

  private record Version(TenantId tenant, String journey, int version) {}

  private void onEvents(List<EmailEvent> events) {
    Set<Version> touched = new LinkedHashSet<>();
    for (EmailEvent ev : events) {
      if (ev.messageId().isEmpty() || ev.tenant().isEmpty()) {
        continue;
      }
      String id = ev.messageId().get().value();
      if (!id.startsWith(JourneyMessageIds.PREFIX) || id.length() > JourneyFact.MAX_SUBJECT) {
        continue;
      }
      List<JourneyMetric> metrics = new ArrayList<>(2);
      String reason = null;
      switch (ev.type()) {
        case PROCESSED -> metrics.add(JourneyMetric.SENT);
        case DELIVERED -> metrics.add(JourneyMetric.DELIVERED);
        case OPEN -> metrics.add(JourneyMetric.OPENED);
        case CLICK -> {
          metrics.add(JourneyMetric.CLICKED);
          metrics.add(JourneyMetric.OPENED); // images may be off: a click is an open
        }
        case BOUNCE, BLOCKED, DROPPED -> {
          metrics.add(JourneyMetric.BOUNCED);
          reason = ev.type().name().toLowerCase(Locale.ROOT);
        }
        case SPAM_REPORT -> metrics.add(JourneyMetric.SPAM_REPORTED);
        case UNSUBSCRIBE, GROUP_UNSUBSCRIBE -> {
          metrics.add(JourneyMetric.UNSUBSCRIBED);
          reason = ev.type() == dev.steward.model.EmailEventType.UNSUBSCRIBE ? "global" : "group";
        }
        default -> {
          // provider deferrals are retried by the provider; resubscribes undo nothing counted
        }
      }
      if (metrics.isEmpty()) {
        continue;
      }
      TenantId t = ev.tenant().get();
      Optional<JourneyStepRef> at =
          locate(t, id, Optional.ofNullable(ev.attributes().get(JOURNEY_STEP_ATTRIBUTE)));
      if (at.isEmpty()) {
        continue;
      }
      for (JourneyMetric m : metrics) {
        try {
          if (count(t, id, at.get(), m, reason, ev.occurredAt())) {
            touched.add(new Version(t, at.get().journey(), at.get().version()));
          }
        } catch (InvalidJourneyException unstorable) { // a time no store keeps: never countable
          log.debug("event {} not counted for journey message {}", ev.eventId(), id, unstorable);
        }
      }
    }
    for (Version v : touched) {
      evaluate(v.tenant(), v.journey(), v.version());
    }
  }

  /**
   * Counts a reply to a journey's message (an inbound reply the application matched to the
   * message); false if it was counted before, or the message is not a journey's that can be placed.
   */
  public boolean replied(TenantId tenant, MessageId message, Instant at) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(message, "message");
    Optional<JourneyStepRef> step = locate(tenant, message.value(), Optional.empty());
    return step.isPresent()
        && count(tenant, message.value(), step.get(), JourneyMetric.REPLIED, null, at);
  }

  /**
   * Counts a goal reached by an enrolment (renewal signed, feature adopted), at the step it is at;
   * once per enrolment, whatever goal is reported later. Needs the journey store ({@link
   * Builder#journeys}).
   *
   * @throws InvalidJourneyException if the enrolment is unknown or there is no journey store
   */
  public boolean goalReached(TenantId tenant, String enrolmentId, String goal) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(enrolmentId, "enrolment id");
    ContactProfile.checkAttribute(goal, "goal");
    if (goal.isBlank()) {
      throw new InvalidJourneyException("a goal of enrolment " + enrolmentId + " needs a name");
    }
    JourneyStore js =
        journeys.orElseThrow(
            () ->
                new InvalidJourneyException(
                    "journey analytics was built without a journey store: goals are counted at"
                        + " the enrolment's step; build it with journeys(store)"));
    Enrolment e =
        js.find(tenant, enrolmentId)
            .orElseThrow(
                () ->
                    new InvalidJourneyException(
                        "enrolment " + enrolmentId + " of tenant " + tenant + " is unknown"));
    return count(
        tenant,
        e.id(),
        new JourneyStepRef(e.journey(), e.version(), e.step()),
        JourneyMetric.GOAL_REACHED,
        goal,
        clock.instant());
  }

  /**
   * The step a journey's message belongs to: the one its send was counted at; else its journey and
   * step ({@code journeyId/stepId}) with the version of the enrolment its id names.
   */
  private Optional<JourneyStepRef> locate(TenantId t, String id, Optional<String> journeyStep) {
    return place(t, id, journeyStep, store.stepOf(t, id));
  }

  /** As {@link #locate}, with {@code known}: the step the message was counted at, as read. */
  private Optional<JourneyStepRef> place(
      TenantId t, String id, Optional<String> journeyStep, Optional<JourneyStepRef> known) {
    if (known.isPresent() || journeys.isEmpty()) {
      if (known.isEmpty()) {
        log.debug("journey message {} of tenant {} was never counted; not placed", id, t);
      }
      return known;
    }
    // pgtx: the step that dispatched it, on this thread, loaded it already; found by the message
    // id itself, without its enrolment's id cut out of it (memstep)
    Optional<Enrolment> e = StepScope.enrolmentOfMessage(t, id);
    if (e.isEmpty()) {
      Optional<String> enrolmentId =
          JourneyMessageIds.enrolmentOf(id).filter(x -> x.length() <= Enrolment.MAX_ID);
      if (enrolmentId.isEmpty()) {
        return Optional.empty();
      }
      e =
          StepScope.enrolment(t, enrolmentId.get())
              .or(() -> journeys.get().find(t, enrolmentId.get()));
    }
    if (e.isEmpty()) {
      log.debug("journey message {} of tenant {} names no known enrolment", id, t);
      return Optional.empty();
    }
    String journey = e.get().journey();
    int version = e.get().version();
    if (journeyStep.isPresent()) {
      String js = journeyStep.get();
      if (js.length() > journey.length()
          && js.startsWith(journey)
          && js.charAt(journey.length()) == '/') {
        return placed(journey, version, js);
      }
    }
    Optional<String> step = stepOfSeq(e.get(), id.substring(id.lastIndexOf('-') + 1));
    try {
      return step.map(s -> new JourneyStepRef(journey, version, s));
    } catch (InvalidJourneyException bad) {
      return Optional.empty();
    }
  }

  /**
   * A step placed by its {@code <journey>/<step>} name, kept (memsend): every message of a step
   * names the same ref, so one is made per step and version, not per message. An invalid step id
   * places nothing.
   */
  private record Placed(
      String journey, int version, String journeyStep, Optional<JourneyStepRef> ref) {}

  private static final int PLACED_SLOTS = 32;

  /** Recently placed steps, by their name's hash; a race costs only a miss. */
  private final Placed[] placed = new Placed[PLACED_SLOTS];

  private Optional<JourneyStepRef> placed(String journey, int version, String journeyStep) {
    int slot = (journeyStep.hashCode() * 31 + version) & (PLACED_SLOTS - 1);
    Placed p = placed[slot];
    if (p != null
        && p.version() == version
        && p.journeyStep().equals(journeyStep)
        && p.journey().equals(journey)) {
      return p.ref();
    }
    JourneyStepRef ref;
    try {
      ref = new JourneyStepRef(journey, version, journeyStep.substring(journey.length() + 1));
    } catch (InvalidJourneyException bad) {
      return Optional.empty();
    }
    p = new Placed(journey, version, journeyStep, Optional.of(ref));
    placed[slot] = p;
    return p.ref();
  }

  /** The step whose change followed the message's sequence number, from the history. */
  private Optional<String> stepOfSeq(Enrolment e, String seq) {
    int n;
    try {
      n = Integer.parseInt(seq);
    } catch (NumberFormatException notOurs) {
      return Optional.empty();
    }
    return journeys.get().history(e.tenant(), e.id()).stream()
        .filter(h -> h.seq() == n + 1)
        .map(HistoryEntry::step)
        .findFirst();
  }

  private boolean count(
      TenantId t, String subject, JourneyStepRef at, JourneyMetric m, String reason, Instant when) {
    return store.record(new JourneyFact(t, subject, at, m, Optional.ofNullable(reason), when));
  }

  /**
   * Counts a fact whose answer no one needs (the scheduler's and the dispatcher's listeners): the
   * store may write it with the other facts of the step's transaction ({@link
   * JourneyAnalyticsStore#recordLater}).
   */
  private void note(
      TenantId t, String subject, JourneyStepRef at, JourneyMetric m, String reason, Instant when) {
    store.recordLater(new JourneyFact(t, subject, at, m, Optional.ofNullable(reason), when));
  }

  // ------------------------------------------------------------------ reading and alerts

  /** The funnel of a journey version, steps by id. */
  public JourneyFunnel funnel(TenantId tenant, String journey, int version) {
    return funnel(tenant, journey, version, List.of());
  }

  /** The funnel of a journey version, steps in the definition's order (then any others by id). */
  public JourneyFunnel funnel(TenantId tenant, JourneyDefinition definition) {
    InvalidJourneyException.requireNonNull(definition, "journey");
    return funnel(
        tenant,
        definition.id(),
        definition.version(),
        definition.steps().stream().map(Step::id).toList());
  }

  private JourneyFunnel funnel(TenantId tenant, String journey, int version, List<String> order) {
    Map<String, Map<JourneyMetric, Long>> counts = new TreeMap<>();
    Map<String, Map<JourneyMetric, Map<String, Long>>> reasons = new HashMap<>();
    for (StepCount c : store.counts(tenant, journey, version)) {
      if (c.reason().isEmpty()) {
        counts
            .computeIfAbsent(c.step(), k -> new EnumMap<>(JourneyMetric.class))
            .put(c.metric(), c.count());
      } else {
        reasons
            .computeIfAbsent(c.step(), k -> new EnumMap<>(JourneyMetric.class))
            .computeIfAbsent(c.metric(), k -> new TreeMap<>())
            .put(c.reason().get(), c.count());
      }
    }
    List<StepFunnel> steps = new ArrayList<>();
    for (String s : counts.keySet()) {
      steps.add(new StepFunnel(s, counts.get(s), reasons.getOrDefault(s, Map.of())));
    }
    steps.sort(
        Comparator.comparingInt(
                (StepFunnel s) -> order.contains(s.step()) ? order.indexOf(s.step()) : order.size())
            .thenComparing(StepFunnel::step));
    return new JourneyFunnel(tenant, journey, version, steps);
  }

  /**
   * Judges every step of a journey version against the benchmarks: raises each alert whose episode
   * this opens, tells of each that closes, and returns the alerts that hold now (raised now or
   * before). Run after every batch of provider events that counted something for the version; may
   * be called at any time. When the listener throws, the opening (or closing) is taken back, so the
   * next evaluation tells it again: at least once, and once when the listener does not throw.
   */
  public List<JourneyAlert> evaluate(TenantId tenant, String journey, int version) {
    JourneyFunnel f = funnel(tenant, journey, version);
    // read once: the store is written only where an episode opens or closes
    Map<String, Set<JourneyAlertKind>> open = store.openEpisodes(tenant, journey, version);
    List<JourneyAlert> holding = new ArrayList<>();
    for (StepFunnel s : f.steps()) {
      JourneyStepRef at = new JourneyStepRef(journey, version, s.step());
      Map<JourneyAlertKind, JourneyAlert> now = judge(tenant, at, s, f);
      Set<JourneyAlertKind> wasOpen = open.getOrDefault(s.step(), Set.of());
      for (JourneyAlertKind k : JourneyAlertKind.values()) {
        JourneyAlert a = now.get(k);
        if (a != null) {
          holding.add(a);
          // another instance may open it meanwhile: only the one whose insert wins raises it
          // review14t: a listener that throws leaves the episode closed again, so that the next
          // evaluation raises the alert once more instead of losing it for the whole episode
          if (!wasOpen.contains(k)
              && open(tenant, at, k)
              && !tell(() -> alerts.onAlert(a), a.explanation())) {
            store.closeEpisode(tenant, at, k);
          }
        } else if (wasOpen.contains(k)
            && store.closeEpisode(tenant, at, k)
            && !tell(() -> alerts.onCleared(tenant, at, k), k + " cleared at " + at)) {
          store.openEpisode(tenant, at, k, clock.instant()); // told again at the next evaluation
        }
      }
    }
    return holding;
  }

  /**
   * Opens an episode; true if this call opened it. When the store fails, the opening may have been
   * applied all the same (its acknowledgement lost): it is taken back, so that the next evaluation
   * opens it and raises its alert instead of finding it open and raising nothing for the episode.
   */
  private boolean open(TenantId tenant, JourneyStepRef at, JourneyAlertKind k) {
    try {
      return store.openEpisode(tenant, at, k, clock.instant());
    } catch (RuntimeException failed) {
      try {
        store.closeEpisode(tenant, at, k);
      } catch (RuntimeException again) {
        failed.addSuppressed(again);
      }
      throw failed;
    }
  }

  /** Tells the listener; false if it threw (logged). */
  private static boolean tell(Runnable call, String what) {
    try {
      call.run();
      return true;
    } catch (RuntimeException e) {
      log.warn("journey alert listener threw on: {}; told again at the next evaluation", what, e);
      return false;
    }
  }

  /** The alerts that hold for one step now. */
  private Map<JourneyAlertKind, JourneyAlert> judge(
      TenantId tenant, JourneyStepRef at, StepFunnel s, JourneyFunnel f) {
    Map<JourneyAlertKind, JourneyAlert> out = new EnumMap<>(JourneyAlertKind.class);
    JourneyBenchmarks b = benchmarks;
    long delivered = s.count(JourneyMetric.DELIVERED);
    if (delivered >= b.minimumVolume()) {
      double open = s.rate(JourneyMetric.OPENED).orElse(0);
      double click = s.rate(JourneyMetric.CLICKED).orElse(0);
      if (open < b.openRateLow()) {
        out.put(
            JourneyAlertKind.LOW_OPEN_RATE,
            alert(
                tenant,
                at,
                JourneyAlertKind.LOW_OPEN_RATE,
                open,
                b.openRateLow(),
                delivered,
                "open rate "
                    + pct(open)
                    + " of "
                    + delivered
                    + " delivered is under the "
                    + pct(b.openRateLow())
                    + " benchmark"));
      }
      if (click < b.clickRateLow()) {
        out.put(
            JourneyAlertKind.LOW_CLICK_RATE,
            alert(
                tenant,
                at,
                JourneyAlertKind.LOW_CLICK_RATE,
                click,
                b.clickRateLow(),
                delivered,
                "click rate "
                    + pct(click)
                    + " of "
                    + delivered
                    + " delivered is under the "
                    + pct(b.clickRateLow())
                    + " benchmark"));
      }
      if (open >= b.openRateHigh() && click < b.clickRateLow()) {
        out.put(
            JourneyAlertKind.OPENS_WITHOUT_CLICKS,
            alert(
                tenant,
                at,
                JourneyAlertKind.OPENS_WITHOUT_CLICKS,
                click,
                b.clickRateLow(),
                delivered,
                "opens are high ("
                    + pct(open)
                    + ", benchmark "
                    + pct(b.openRateLow())
                    + "-"
                    + pct(b.openRateHigh())
                    + ") but the click rate is "
                    + pct(click)
                    + ", under the "
                    + pct(b.clickRateLow())
                    + " benchmark: the content does not"
                    + " lead to the action"));
      }
    }
    long sent = s.count(JourneyMetric.SENT);
    if (sent >= b.minimumVolume()) {
      double unsub = s.rate(JourneyMetric.UNSUBSCRIBED).orElse(0);
      if (unsub > b.maxUnsubscribeRate()) {
        out.put(
            JourneyAlertKind.HIGH_UNSUBSCRIBE_RATE,
            alert(
                tenant,
                at,
                JourneyAlertKind.HIGH_UNSUBSCRIBE_RATE,
                unsub,
                b.maxUnsubscribeRate(),
                sent,
                "unsubscribe rate "
                    + pct(unsub)
                    + " of "
                    + sent
                    + " sent is above the "
                    + pct(b.maxUnsubscribeRate())
                    + " benchmark"));
        long restSent = f.total(JourneyMetric.SENT) - sent;
        long restUnsub = f.total(JourneyMetric.UNSUBSCRIBED) - s.count(JourneyMetric.UNSUBSCRIBED);
        if (restSent >= b.minimumVolume()) {
          double rest = (double) restUnsub / restSent;
          double bound = rest * b.spikeFactor();
          if (unsub >= bound) {
            out.put(
                JourneyAlertKind.UNSUBSCRIBE_SPIKE,
                alert(
                    tenant,
                    at,
                    JourneyAlertKind.UNSUBSCRIBE_SPIKE,
                    unsub,
                    bound,
                    sent,
                    "unsubscribe rate "
                        + pct(unsub)
                        + " of "
                        + sent
                        + " sent spikes after this"
                        + " send: the rest of the journey's steps have "
                        + pct(rest)
                        + " over "
                        + restSent
                        + " sent, and "
                        + b.spikeFactor()
                        + " times that is "
                        + pct(bound)));
          }
        }
      }
    }
    return out;
  }

  private static JourneyAlert alert(
      TenantId tenant,
      JourneyStepRef at,
      JourneyAlertKind kind,
      double value,
      double benchmark,
      long volume,
      String what) {
    return new JourneyAlert(tenant, at, kind, value, benchmark, volume, at + ": " + what);
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  /** Builds {@link JourneyAnalytics}. */
  public static final class Builder {
    private final JourneyAnalyticsStore store;
    private final Clock clock;
    private JourneyStore journeys;
    private JourneyBenchmarks benchmarks = JourneyBenchmarks.DEFAULTS;
    private JourneyAlertListener alerts = JourneyAlertListener.NONE;
    private Duration marksKept = DEFAULT_MARKS_KEPT;

    private Builder(JourneyAnalyticsStore store, Clock clock) {
      this.store = InvalidJourneyException.requireNonNull(store, "journey analytics store");
      this.clock = InvalidJourneyException.requireNonNull(clock, "clock");
    }

    /**
     * The journey store the scheduler keeps enrolments in: how an event about a message whose send
     * was never counted finds its journey version, and how goals find their step.
     */
    public Builder journeys(JourneyStore store) {
      this.journeys = InvalidJourneyException.requireNonNull(store, "journey store");
      return this;
    }

    /** The benchmarks alerts are judged by (default {@link JourneyBenchmarks#DEFAULTS}). */
    public Builder benchmarks(JourneyBenchmarks benchmarks) {
      this.benchmarks = InvalidJourneyException.requireNonNull(benchmarks, "benchmarks");
      return this;
    }

    /** Where alerts are raised (default: nowhere). */
    public Builder alertListener(JourneyAlertListener listener) {
      this.alerts = InvalidJourneyException.requireNonNull(listener, "alert listener");
      return this;
    }

    /**
     * How long a counted subject's mark is kept (default {@link #DEFAULT_MARKS_KEPT}, at least a
     * day): an event reported again after its mark is purged counts again.
     */
    public Builder keepMarks(Duration kept) {
      InvalidJourneyException.requireNonNull(kept, "marks kept");
      if (kept.compareTo(Duration.ofDays(1)) < 0) {
        throw new InvalidJourneyException("marks must be kept at least a day, was " + kept);
      }
      this.marksKept = kept;
      return this;
    }

    /** The analytics. */
    public JourneyAnalytics build() {
      return new JourneyAnalytics(this);
    }
  }
}
