package dev.steward.journey;

import dev.steward.consent.ConsentEventListener;
import dev.steward.consent.ConsentGate;
import dev.steward.consent.InMemoryConsentStore;
import dev.steward.consent.InMemorySuppressionStore;
import dev.steward.consent.PreferenceCentre;
import dev.steward.consent.SuppressionListener;
import dev.steward.delivery.DispatchListener;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.InMemoryDeliveryLedger;
import dev.steward.delivery.MailTransport;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.delivery.SendResult;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.FrequencyGate;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.journey.SimulationResult.ContactKey;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.Source;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * One run of a {@link JourneySimulation}: the real scheduler and dispatcher over fresh in-memory
 * stores and a virtual clock, an agenda of what the contacts do (entries, scripted actions, opens),
 * and the recorder of timelines and funnels, fed by the dispatcher's results and the scheduler's
 * outcomes.
 */
final class SimulationRun implements DispatchListener, JourneyOutcomeListener {

  /** What the ids of campaign messages start with: then the campaign's and contact's index. */
  private static final String CAMPAIGN = "sim-campaign-";

  /** The source of the consent records a contact starts with. */
  static final String STARTING_CONSENT = "simulation:start";

  /** How long settled sends stay in the ledger: a simulation's message ids never repeat. */
  private static final Duration LEDGER_KEPT = Duration.ofDays(1);

  private final JourneySimulation sim;
  private final VirtualClock clock;
  private final InMemoryWorkStore work;
  private final InMemoryJourneyStore store;
  private final InMemoryDeliveryLedger ledger;
  private final JourneyScheduler scheduler;
  private final Dispatcher dispatcher;
  private final WorkRunner runner;
  private final PreferenceCentre consent;
  private final ConsentEventListener consentEvents;
  private final SuppressionListener suppressionEvents;
  private final Map<String, String> teams = new HashMap<>();
  private final Random random;
  private final Map<ContactKey, Integer> index = new HashMap<>();
  private final Map<ContactKey, List<TimelineEntry>> timelines = new HashMap<>();
  private final Set<ContactKey> truncated = new HashSet<>();
  private final Map<StepKey, Counter> counters = new HashMap<>();

  /** The last journey message sent to each contact that has a scripted open, by its index. */
  private final Map<Integer, Agendum> lastSent = new HashMap<>();

  /** The indexes of the contacts with a scripted open or provider event. */
  private final Set<Integer> opensLast = new HashSet<>();

  /** Journey messages the dispatcher holds deferred: counted deferred once, and sent later. */
  private final Set<String> deferred = new HashSet<>();

  private final PriorityQueue<Agendum> agenda =
      new PriorityQueue<>(
          Comparator.comparing((Agendum a) -> a.at).thenComparingLong((Agendum a) -> a.seq));

  /**
   * The messages of journey steps dispatched whose step's outcome has not come yet: a batch of
   * steps dispatches its messages before the steps record their outcomes.
   */
  private final Set<String> dispatchedSteps = new HashSet<>();

  private RuntimeException failure;
  private long order;
  private long sent;
  private long deferrals;
  private long runs;

  SimulationRun(JourneySimulation sim) {
    this.sim = sim;
    this.clock = new VirtualClock(sim.start);
    this.work = InMemoryWorkStore.of(clock);
    this.store = InMemoryJourneyStore.latestHistoryOnly();
    this.ledger = InMemoryDeliveryLedger.of();
    this.random = new Random(sim.seed);
    MailTransport transport = new CountingTransport();
    // consent and suppressions as production wires them: the consent gate first, fed by the same
    // provider-event listeners (issue 14: unsubscribes, spam reports and bounces)
    InMemoryConsentStore consents = InMemoryConsentStore.of();
    InMemorySuppressionStore suppressions = InMemorySuppressionStore.of();
    this.consent = PreferenceCentre.of(consents, clock);
    this.consentEvents = ConsentEventListener.builder(consent).build();
    this.suppressionEvents = SuppressionListener.builder(suppressions, clock).build();
    Dispatcher.Builder d =
        Dispatcher.builder(transport, clock)
            .workStore(work)
            .ledger(ledger)
            .listener(this)
            .gate(ConsentGate.of(consents, suppressions));
    sim.policies.ifPresent(
        p ->
            d.gate(
                FrequencyGate.of(
                    FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
                        .policies(p)
                        .build())));
    sim.gates.forEach(d::gate);
    this.dispatcher = d.build();
    JourneyScheduler.Builder s =
        JourneyScheduler.builder(clock, store, work)
            .dispatcher(dispatcher)
            .maxActiveJourneys(sim.maxActiveJourneys)
            .burstWindow(sim.burstWindow)
            .outcomeListener(this);
    sim.defaultZone.ifPresent(s::defaultZone);
    if (!sim.taskOwners.isEmpty()) {
      s.tasks(InMemoryTaskStore.of(), TaskPolicy.DEFAULTS, this::onTask);
    }
    sim.journeys.forEach(s::journey);
    this.scheduler = s.build();
    this.runner =
        scheduler
            .registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock)))
            .batchSize(1_000)
            .owner("simulation")
            .build();
  }

  /** A transport that accepts everything and keeps nothing, so memory does not grow with sends. */
  private static final class CountingTransport implements MailTransport {
    private long n;

    @Override
    public SendResult send(Message message) {
      return SendResult.accepted("simulated-" + (++n));
    }
  }

  SimulationResult run() {
    long began = System.nanoTime();
    Instant start = sim.start;
    for (int i = 0; i < sim.contacts.size(); i++) {
      SimulatedContact c = sim.contacts.get(i);
      ContactProfile p = c.profile();
      index.put(new ContactKey(p.tenant(), p.contact()), i);
      scheduler.putContact(p);
      if (c.consent().optedOut()) {
        consent.optOut(p.tenant(), p.contact(), STARTING_CONSENT, start);
      }
      for (String category : c.consent().unsubscribed()) {
        consent.unsubscribe(p.tenant(), p.contact(), category, STARTING_CONSENT, start);
      }
      int n = 0;
      for (SimulatedContact.Entry e : c.entries()) {
        agenda.add(Agendum.enrol(start.plus(e.after()), order++, i, e.journey(), n++));
      }
      for (SimulatedEngagement.Action a : c.engagement().actions()) {
        agenda.add(Agendum.act(start.plus(a.after()), order++, i, a));
        if (a instanceof SimulatedEngagement.Open
            || a instanceof SimulatedEngagement.ProviderEvent) {
          opensLast.add(i);
        }
      }
    }
    for (int k = 0; k < sim.campaigns.size(); k++) {
      agenda.add(Agendum.campaign(start.plus(sim.campaigns.get(k).after()), order++, k));
    }
    Instant end = start.plus(sim.duration);
    Instant purged = start;
    while (true) {
      Instant next = earliest(work.nextDueAt(), Optional.ofNullable(agenda.peek()).map(a -> a.at));
      if (next == null || !next.isBefore(end)) {
        break;
      }
      if (next.isBefore(clock.instant())) {
        next = clock.instant();
      }
      clock.set(next);
      boolean acted = false;
      while (!agenda.isEmpty() && !agenda.peek().at.isAfter(next)) {
        perform(agenda.poll());
        acted = true;
      }
      int ran = runner.runDue();
      runs += ran;
      if (failure != null) {
        throw failure;
      }
      if (ran == 0 && !acted && !work.nextDueAt().map(next::isBefore).orElse(true)) {
        throw new IllegalStateException(
            "simulation: work due at " + next + " that no handler of the simulation runs");
      }
      if (!next.isBefore(purged.plus(LEDGER_KEPT))) {
        ledger.purgeSettledBefore(next.minus(LEDGER_KEPT), Integer.MAX_VALUE);
        purged = next;
      }
    }
    clock.set(end);
    return new SimulationResult(
        start,
        end,
        timelines,
        truncated,
        funnels(),
        sent,
        deferrals,
        runs,
        Duration.ofNanos(System.nanoTime() - began));
  }

  private static Instant earliest(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b.orElse(null);
    }
    return b.isEmpty() || a.get().isBefore(b.get()) ? a.get() : b.get();
  }

  // ---------------------------------------------------------------- the agenda

  /** Something the contacts do at a virtual instant: enter, act, open what was sent. */
  private static final class Agendum {
    final Instant at;
    final long seq;
    final int contact;
    final String journey;
    final int entry;
    final SimulatedEngagement.Action action;
    final String message;
    final int version;
    final String step;
    final boolean clicked;
    final int campaign;
    final SimulatedEngagement.ProviderEvent.Type event;
    final String category;

    /** For an owner's completion: the task, its owner and what the owner does. */
    String task;

    SimulatedTaskOwner owner;
    TaskOutcome outcome;

    private Agendum(
        Instant at,
        long seq,
        int contact,
        String journey,
        int entry,
        SimulatedEngagement.Action action,
        String message,
        int version,
        String step,
        boolean clicked,
        int campaign,
        SimulatedEngagement.ProviderEvent.Type event,
        String category) {
      this.at = at;
      this.seq = seq;
      this.contact = contact;
      this.journey = journey;
      this.entry = entry;
      this.action = action;
      this.message = message;
      this.version = version;
      this.step = step;
      this.clicked = clicked;
      this.campaign = campaign;
      this.event = event;
      this.category = category;
    }

    static Agendum enrol(Instant at, long seq, int contact, String journey, int entry) {
      return new Agendum(
          at, seq, contact, journey, entry, null, null, 0, null, false, -1, null, null);
    }

    static Agendum act(Instant at, long seq, int contact, SimulatedEngagement.Action action) {
      return new Agendum(at, seq, contact, null, 0, action, null, 0, null, false, -1, null, null);
    }

    static Agendum open(
        Instant at,
        long seq,
        int contact,
        String journey,
        int version,
        String step,
        String message,
        boolean clicked) {
      return new Agendum(
          at, seq, contact, journey, 0, null, message, version, step, clicked, -1, null, null);
    }

    /** What the provider reports about a message (or, with none sent, about the address). */
    static Agendum provider(
        Instant at,
        long seq,
        int contact,
        Agendum sent,
        SimulatedEngagement.ProviderEvent.Type event) {
      return sent == null
          ? new Agendum(at, seq, contact, "", 0, null, null, 0, "", false, -1, event, null)
          : new Agendum(
              at,
              seq,
              contact,
              sent.journey,
              0,
              null,
              sent.message,
              sent.version,
              sent.step,
              false,
              -1,
              event,
              sent.category);
    }

    static Agendum campaign(Instant at, long seq, int campaign) {
      return new Agendum(at, seq, -1, null, 0, null, null, 0, null, false, campaign, null, null);
    }
  }

  private void perform(Agendum a) {
    if (a.campaign >= 0) {
      send(a.campaign);
      return;
    }
    if (a.task != null) {
      complete(a);
      return;
    }
    ContactProfile p = sim.contacts.get(a.contact).profile();
    if (a.event != null) {
      report(a, p);
    } else if (a.message != null) {
      open(a, p);
    } else if (a.action instanceof SimulatedEngagement.ProviderEvent x) {
      Agendum last = lastSent.get(a.contact);
      if (last != null || x.type() != SimulatedEngagement.ProviderEvent.Type.GROUP_UNSUBSCRIBE) {
        report(Agendum.provider(a.at, a.seq, a.contact, last, x.type()), p);
      }
    } else if (a.action instanceof SimulatedEngagement.Signal s) {
      scheduler.signal(p.tenant(), p.contact(), s.event());
    } else if (a.action instanceof SimulatedEngagement.SetAttribute x) {
      scheduler.setAttribute(p.tenant(), p.contact(), x.name(), x.value());
    } else if (a.action instanceof SimulatedEngagement.Open x) {
      Agendum last = lastSent.get(a.contact);
      if (last != null) {
        open(
            Agendum.open(
                a.at,
                a.seq,
                a.contact,
                last.journey,
                last.version,
                last.step,
                last.message,
                x.click()),
            p);
      }
    } else {
      EnrolResult r =
          scheduler.enrolKeyed(p.tenant(), p.contact(), a.journey, "simulation-" + a.entry);
      if (!r.enrolled()) {
        JourneyDefinition d = scheduler.journey(a.journey).orElseThrow();
        record(
            new TimelineEntry(
                clock.instant(),
                p.tenant(),
                p.contact(),
                d.team(),
                d.id(),
                d.version(),
                d.start(),
                TimelineEntry.Kind.SKIPPED,
                "entry refused: "
                    + r.status()
                    + (r.reason().isEmpty() ? "" : " (" + r.reason() + ")"),
                Optional.empty()));
      }
    }
  }

  private void open(Agendum a, ContactProfile p) {
    Instant now = clock.instant();
    StepKey at = new StepKey(p.tenant().value(), a.journey, a.version, a.step);
    count(at, JourneyMetric.OPENED, null);
    record(entry(now, p, a, TimelineEntry.Kind.OPENED, "message " + a.message));
    List<EmailEvent> events = new ArrayList<>(2);
    events.add(event(a, p, EmailEventType.OPEN, now));
    if (a.clicked) {
      count(at, JourneyMetric.CLICKED, null);
      record(entry(now, p, a, TimelineEntry.Kind.CLICKED, "message " + a.message));
      events.add(event(a, p, EmailEventType.CLICK, now));
    }
    scheduler.emailEventListener().onEvents(events);
  }

  private TimelineEntry entry(
      Instant now, ContactProfile p, Agendum a, TimelineEntry.Kind kind, String detail) {
    return new TimelineEntry(
        now,
        p.tenant(),
        p.contact(),
        team(a.journey, a.version),
        a.journey,
        a.version,
        a.step,
        kind,
        detail,
        Optional.empty());
  }

  private static EmailEvent event(Agendum a, ContactProfile p, EmailEventType type, Instant at) {
    return EmailEvent.of(
        "simulated-" + type.name().toLowerCase(Locale.ROOT) + "-" + a.message,
        type,
        at,
        p.email().orElse(null),
        MessageId.of(a.message),
        p.tenant(),
        p.account(),
        p.contact(),
        null,
        Map.of());
  }

  // ---------------------------------------------------------------- the dispatcher's results

  @Override
  public void onResult(DispatchResult r) {
    Message m = r.message();
    String id = m.id().value();
    Described what = describe(r);
    if (!m.source().isJourney()) {
      if (what != null && id.startsWith(CAMPAIGN)) {
        SimulatedCampaign c =
            sim.campaigns.get(
                Integer.parseInt(
                    id.substring(CAMPAIGN.length(), id.indexOf('-', CAMPAIGN.length()))));
        record(
            new TimelineEntry(
                clock.instant(),
                m.tenant(),
                m.contact(),
                c.team(),
                c.journeyName(),
                0,
                c.id(),
                what.kind(),
                what.detail(),
                what.until()));
      }
      return;
    }
    Optional<Enrolment> found =
        JourneyMessageIds.enrolmentOf(id).flatMap(x -> store.find(m.tenant(), x));
    if (found.isEmpty()) {
      return;
    }
    dispatchedSteps.add(id);
    if (what == null) {
      return; // DUPLICATE was told at its first dispatch; UNKNOWN cannot happen here
    }
    Enrolment e = found.get();
    String step = m.source().journeyStep().substring(e.journey().length() + 1);
    StepKey at = new StepKey(m.tenant().value(), e.journey(), e.version(), step);
    switch (what.kind()) {
      case SENT -> {
        count(at, JourneyMetric.SENT, null);
        if (engage(e, at, id, m.category(), clock.instant())) {
          count(at, JourneyMetric.DELIVERED, null);
        }
      }
      case DEFERRED -> {
        if (what.firstDeferral()) {
          count(at, JourneyMetric.DEFERRED, what.rule());
        }
      }
      default -> count(at, JourneyMetric.SKIPPED, what.rule());
    }
    record(
        new TimelineEntry(
            clock.instant(),
            m.tenant(),
            m.contact(),
            m.source().team(),
            e.journey(),
            e.version(),
            step,
            what.kind(),
            what.detail(),
            what.until()));
  }

  /** What a dispatch did, for a timeline. */
  private record Described(
      TimelineEntry.Kind kind,
      String rule,
      String detail,
      Optional<Instant> until,
      boolean firstDeferral) {}

  /**
   * What a dispatch did, counted in the totals (and the message's deferral remembered or
   * forgotten); null for a duplicate or an unknown outcome.
   */
  private Described describe(DispatchResult r) {
    String id = r.message().id().value();
    switch (r.status()) {
      case SENT -> {
        sent++;
        boolean late = deferred.remove(id);
        return new Described(
            TimelineEntry.Kind.SENT,
            null,
            "template " + r.message().templateId() + (late ? " (deferred before)" : ""),
            Optional.empty(),
            false);
      }
      case DEFERRED -> {
        deferrals++;
        Reason why = rule(r, Outcome.DEFER);
        String rule = why == null ? "deferred" : why.gate() + "/" + why.rule();
        return new Described(
            TimelineEntry.Kind.DEFERRED,
            rule,
            rule + (why == null ? "" : ": " + why.detail()),
            r.decision().notBefore(),
            deferred.add(id));
      }
      case SUPPRESSED, FAILED -> {
        deferred.remove(id);
        Reason why = rule(r, Outcome.SUPPRESS);
        boolean sendBy = why != null && why.gate().equals(Dispatcher.SEND_BY);
        if (sendBy && why.rule().equals(Dispatcher.SEND_BY_RULE)) {
          return null; // past the step's deadline at its first dispatch: the step records it
        }
        String rule =
            r.status() == DispatchStatus.FAILED || why == null
                ? r.status().name().toLowerCase(Locale.ROOT)
                : sendBy ? "deadline" : why.gate() + "/" + why.rule();
        return new Described(
            TimelineEntry.Kind.SKIPPED,
            rule,
            rule + (why == null ? "" : ": " + why.detail()),
            Optional.empty(),
            false);
      }
      default -> {
        return null;
      }
    }
  }

  /** Dispatches a campaign's message to every contact in its audience, now. */
  private void send(int k) {
    SimulatedCampaign c = sim.campaigns.get(k);
    Instant now = clock.instant();
    for (int i = 0; i < sim.contacts.size(); i++) {
      ContactProfile given = sim.contacts.get(i).profile();
      // the attributes as they are now: scripted actions may have changed them
      ContactProfile p = scheduler.profile(given.tenant(), given.contact()).orElse(given);
      if (p.email().isEmpty() || !c.audience().map(x -> x.test(p.attributes())).orElse(true)) {
        continue;
      }
      String id = CAMPAIGN + k + "-" + i;
      try {
        dispatcher.dispatch(
            Message.builder()
                .id(MessageId.of(id))
                .idempotencyKey(id)
                .tenant(p.tenant())
                .account(p.account())
                .contact(p.contact())
                .to(p.email().get())
                .recipientZone(p.zone().or(() -> sim.defaultZone).orElse(null))
                .kind(c.kind())
                .category(c.category())
                .priority(c.priority())
                .source(Source.team(c.team()))
                .templateId(c.id())
                .createdAt(now)
                .build());
      } catch (dev.steward.StewardException refused) { // no zone for quiet hours, say
        record(
            new TimelineEntry(
                now,
                p.tenant(),
                p.contact(),
                c.team(),
                c.journeyName(),
                0,
                c.id(),
                TimelineEntry.Kind.SKIPPED,
                "refused: " + refused.getMessage(),
                Optional.empty()));
      }
    }
  }

  /** The journey's team, or "" if the version is not registered. */
  private String team(String journey, int version) {
    return teams.computeIfAbsent(
        journey + "/" + version,
        k -> scheduler.journey(journey, version).map(JourneyDefinition::team).orElse(""));
  }

  /** The first reason with {@code effect}, or null. */
  private static Reason rule(DispatchResult r, Outcome effect) {
    for (Reason x : r.decision().reasons()) {
      if (x.effect() == effect) {
        return x;
      }
    }
    return null;
  }

  /**
   * Draws the fate of a message just sent (a bounce, an unsubscribe, a spam report, or none) and
   * whether the contact opens (and clicks) it, and puts what follows on the agenda; false if it
   * bounced (not delivered).
   */
  private boolean engage(Enrolment e, StepKey at, String message, String category, Instant now) {
    Integer i = index.get(new ContactKey(e.tenant(), e.contact()));
    if (i == null) {
      return true;
    }
    Agendum sent =
        new Agendum(
            now,
            0,
            i,
            e.journey(),
            0,
            null,
            message,
            e.version(),
            at.step(),
            false,
            -1,
            null,
            category);
    if (opensLast.contains(i)) {
      lastSent.put(i, sent);
    }
    SimulatedEngagement how = sim.contacts.get(i).engagement();
    if (how.drawsFate()) {
      // a second draw only for contacts that may opt out or bounce: runs without them draw as
      // before, so their seeds give the same opens
      double f = random.nextDouble();
      double bounce = how.bounceRate();
      double unsub = bounce + how.unsubscribeRate();
      double group = unsub + how.groupUnsubscribeRate();
      double spam = group + how.spamReportRate();
      SimulatedEngagement.ProviderEvent.Type fate =
          f < bounce
              ? SimulatedEngagement.ProviderEvent.Type.BOUNCE
              : f < unsub
                  ? SimulatedEngagement.ProviderEvent.Type.UNSUBSCRIBE
                  : f < group
                      ? SimulatedEngagement.ProviderEvent.Type.GROUP_UNSUBSCRIBE
                      : f < spam ? SimulatedEngagement.ProviderEvent.Type.SPAM_REPORT : null;
      if (fate == SimulatedEngagement.ProviderEvent.Type.BOUNCE) {
        agenda.add(Agendum.provider(now, order++, i, sent, fate));
        return false;
      }
      if (fate != null) {
        agenda.add(Agendum.provider(now.plus(how.openDelay()), order++, i, sent, fate));
      }
    }
    if (how.openRate() <= 0) {
      return true;
    }
    double x = random.nextDouble();
    if (x < how.openRate()) {
      agenda.add(
          Agendum.open(
              now.plus(how.openDelay()),
              order++,
              i,
              e.journey(),
              e.version(),
              at.step(),
              message,
              x < how.clickRate()));
    }
    return true;
  }

  /**
   * A provider event about the contact (an unsubscribe, a spam report, a hard bounce), given to the
   * consent and suppression listeners production gives the event ingestor, counted at the message's
   * step as {@link JourneyAnalytics} counts it, and put on the timeline.
   */
  private void report(Agendum a, ContactProfile p) {
    Instant now = clock.instant();
    String detail;
    JourneyMetric metric;
    String reason;
    EmailEventType type;
    Map<String, String> attributes = Map.of();
    TimelineEntry.Kind kind;
    switch (a.event) {
      case UNSUBSCRIBE -> {
        type = EmailEventType.UNSUBSCRIBE;
        metric = JourneyMetric.UNSUBSCRIBED;
        reason = "global";
        kind = TimelineEntry.Kind.UNSUBSCRIBED;
        detail = "unsubscribed from all email";
      }
      case GROUP_UNSUBSCRIBE -> {
        type = EmailEventType.GROUP_UNSUBSCRIBE;
        metric = JourneyMetric.UNSUBSCRIBED;
        reason = "group";
        kind = TimelineEntry.Kind.UNSUBSCRIBED;
        detail = "unsubscribed from '" + a.category + "'";
      }
      case SPAM_REPORT -> {
        type = EmailEventType.SPAM_REPORT;
        metric = JourneyMetric.SPAM_REPORTED;
        reason = null;
        kind = TimelineEntry.Kind.SPAM_REPORTED;
        detail = "reported spam";
      }
      case BOUNCE -> {
        type = EmailEventType.BOUNCE;
        metric = JourneyMetric.BOUNCED;
        reason = "bounce";
        kind = TimelineEntry.Kind.BOUNCED;
        detail = "hard bounce";
        attributes = Map.of(SuppressionListener.ATTRIBUTE_BOUNCE_TYPE, "bounce");
      }
      default -> throw new IllegalStateException("simulation: unknown provider event " + a.event);
    }
    if (a.message != null) {
      count(new StepKey(p.tenant().value(), a.journey, a.version, a.step), metric, reason);
      detail += " (message " + a.message + ")";
    }
    record(
        new TimelineEntry(
            now,
            p.tenant(),
            p.contact(),
            a.message == null ? "" : team(a.journey, a.version),
            a.journey,
            a.version,
            a.step,
            kind,
            detail,
            Optional.empty()));
    List<EmailEvent> events =
        List.of(
            EmailEvent.of(
                "simulated-"
                    + type.name().toLowerCase(Locale.ROOT)
                    + "-"
                    + (a.message == null ? a.contact + "-" + a.seq : a.message),
                type,
                now,
                p.email().orElse(null),
                a.message == null ? null : MessageId.of(a.message),
                p.tenant(),
                p.account(),
                p.contact(),
                a.category,
                attributes));
    suppressionEvents.onEvents(events);
    consentEvents.onEvents(events);
  }

  // ---------------------------------------------------------------- the scheduler's outcomes

  @Override
  public void onOutcome(Optional<JourneyDefinition> d, Enrolment e, HistoryEntry h) {
    StepKey at = new StepKey(e.tenant().value(), e.journey(), e.version(), h.step());
    String message = JourneyMessageIds.of(e.id(), h.seq() - 1);
    TimelineEntry.Kind kind = null;
    String detail = h.detail();
    switch (h.outcome()) {
      case ENTERED -> {
        count(at, JourneyMetric.ENTERED, null);
        kind = TimelineEntry.Kind.ENTERED;
        detail = "";
      }
      case SENT, DEFERRED, SUPPRESSED, FAILED, UNKNOWN -> {
        if (!dispatchedSteps.remove(message)) { // never dispatched: the message could not be built
          count(at, JourneyMetric.SKIPPED, "failed");
          kind = TimelineEntry.Kind.SKIPPED;
        }
      }
      case SKIPPED -> {
        deferred.remove(message);
        count(at, JourneyMetric.SKIPPED, "deadline");
        kind = TimelineEntry.Kind.SKIPPED;
      }
      case EXITED -> {
        detail = JourneyAnalytics.exitReason(e.exitReason().orElse(h.detail()));
        count(at, JourneyMetric.EXITED, detail);
        kind = TimelineEntry.Kind.EXITED;
      }
      case TASK_CREATED -> {
        kind = TimelineEntry.Kind.TASK_CREATED;
        if (!sim.taskOwners.isEmpty()) {
          taskCreated(e, h);
        }
      }
      case WAITING, WAITING_FOR_EVENT -> {
        // waits are how the journey gets to its next step, not something that happened
      }
      default -> {
        kind = TimelineEntry.Kind.STEP;
        detail = h.outcome().name().toLowerCase(Locale.ROOT) + ": " + h.detail();
      }
    }
    if (kind != null) {
      record(
          new TimelineEntry(
              h.at(),
              e.tenant(),
              e.contact(),
              d.map(JourneyDefinition::team).orElse(""),
              e.journey(),
              e.version(),
              h.step(),
              kind,
              detail,
              Optional.empty()));
    }
    if (e.state() == EnrolmentState.COMPLETED) {
      record(
          new TimelineEntry(
              h.at(),
              e.tenant(),
              e.contact(),
              d.map(JourneyDefinition::team).orElse(""),
              e.journey(),
              e.version(),
              h.step(),
              TimelineEntry.Kind.COMPLETED,
              "",
              Optional.empty()));
    }
  }

  // ---------------------------------------------------------------- task owners

  /**
   * Draws what the task's owner does with it and, unless it is ignored, puts that on the agenda.
   */
  private void taskCreated(Enrolment e, HistoryEntry h) {
    String id = TaskSteps.taskId(e);
    Optional<JourneyTask> task = scheduler.tasks().find(e.tenant(), id);
    SimulatedTaskOwner owner = task.map(t -> sim.taskOwners.get(t.owner())).orElse(null);
    Integer i = index.get(new ContactKey(e.tenant(), e.contact()));
    if (owner == null || i == null) {
      return; // nobody the simulation knows: it runs overdue
    }
    Optional<TaskOutcome> outcome = owner.outcome(random.nextDouble());
    if (outcome.isEmpty()) {
      return;
    }
    Agendum a = Agendum.act(h.at().plus(owner.responseDelay()), order++, i, null);
    a.task = id;
    a.owner = owner;
    a.outcome = outcome.get();
    agenda.add(a);
  }

  /** The owner completes a task through the task desk, as an application would. */
  private void complete(Agendum a) {
    ContactProfile p = sim.contacts.get(a.contact).profile();
    TaskDesk desk = scheduler.tasks();
    Optional<JourneyTask> task = desk.find(p.tenant(), a.task);
    if (task.isEmpty()) {
      return;
    }
    JourneyTask t = task.get();
    int version = store.find(p.tenant(), t.enrolment()).map(Enrolment::version).orElse(0);
    String detail;
    try {
      TaskCompletion c =
          switch (a.outcome) {
            case SENT_AS_SUGGESTED -> TaskCompletion.sentAsSuggested();
            case SENT_EDITED ->
                TaskCompletion.sentEdited(
                    t.suggested()
                        .map(x -> x.edited("Edited by " + a.owner.owner(), "edited"))
                        .orElseGet(
                            () -> TaskEmail.written("Edited by " + a.owner.owner(), "edited")));
            case DISMISSED -> TaskCompletion.dismissed(a.owner.dismissReason());
          };
      desk.complete(p.tenant(), a.task, c);
      detail =
          "task "
              + a.task
              + " "
              + a.outcome.name().toLowerCase(Locale.ROOT).replace('_', ' ')
              + " by "
              + a.owner.owner()
              + (a.outcome == TaskOutcome.DISMISSED ? ": " + a.owner.dismissReason() : "");
    } catch (dev.steward.StewardException late) {
      // expired, the journey gone on, no suggested email, the email refused: what a late or
      // mistaken owner sees in production
      detail =
          "task "
              + a.task
              + ": "
              + a.owner.owner()
              + " could not complete it ("
              + a.outcome.name().toLowerCase(Locale.ROOT).replace('_', ' ')
              + "): "
              + late.getMessage();
    }
    record(
        new TimelineEntry(
            clock.instant(),
            p.tenant(),
            p.contact(),
            team(t.journey(), version),
            t.journey(),
            version,
            t.step(),
            TimelineEntry.Kind.TASK_COMPLETED,
            detail,
            Optional.empty()));
  }

  /** An escalation (or reminder) of a task, on the contact's timeline. */
  private void onTask(TaskNotice n) {
    JourneyTask t = n.task();
    int version = store.find(t.tenant(), t.enrolment()).map(Enrolment::version).orElse(0);
    record(
        new TimelineEntry(
            clock.instant(),
            t.tenant(),
            t.contact(),
            team(t.journey(), version),
            t.journey(),
            version,
            t.step(),
            n.type() == TaskNotice.Type.ESCALATED
                ? TimelineEntry.Kind.TASK_ESCALATED
                : TimelineEntry.Kind.TASK_REMINDED,
            "task " + t.id() + " to " + n.recipient(),
            Optional.empty()));
  }

  // ---------------------------------------------------------------- timelines and funnels

  private void record(TimelineEntry t) {
    try {
      sim.listener.onEntry(t);
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e; // the scheduler and dispatcher would only log it: the run ends instead
      }
    }
    if (sim.keepTimelines == 0) {
      return;
    }
    ContactKey k = new ContactKey(t.tenant(), t.contact());
    Integer i = index.get(k);
    if (i == null || i % sim.keepTimelines != 0) {
      return;
    }
    List<TimelineEntry> list = timelines.computeIfAbsent(k, x -> new ArrayList<>());
    if (list.size() < sim.maxTimelineEntries) {
      list.add(t);
    } else {
      truncated.add(k);
    }
  }

  /** A step of a tenant's journey version. */
  private record StepKey(String tenant, String journey, int version, String step) {}

  /** The counts of one step. */
  private static final class Counter {
    final long[] counts = new long[JourneyMetric.values().length];
    final Map<JourneyMetric, Map<String, Long>> reasons = new EnumMap<>(JourneyMetric.class);
  }

  private void count(StepKey at, JourneyMetric metric, String reason) {
    Counter c = counters.computeIfAbsent(at, k -> new Counter());
    c.counts[metric.ordinal()]++;
    if (reason != null) {
      c.reasons.computeIfAbsent(metric, m -> new TreeMap<>()).merge(reason, 1L, Long::sum);
    }
  }

  private List<JourneyFunnel> funnels() {
    Map<List<Object>, Map<String, Counter>> byVersion =
        new TreeMap<>(Comparator.comparing(Object::toString));
    for (Map.Entry<StepKey, Counter> e : counters.entrySet()) {
      StepKey k = e.getKey();
      byVersion
          .computeIfAbsent(List.of(k.tenant(), k.journey(), k.version()), x -> new HashMap<>())
          .put(k.step(), e.getValue());
    }
    List<JourneyFunnel> out = new ArrayList<>();
    for (Map.Entry<List<Object>, Map<String, Counter>> v : byVersion.entrySet()) {
      String tenant = (String) v.getKey().get(0);
      String journey = (String) v.getKey().get(1);
      int version = (Integer) v.getKey().get(2);
      Map<String, Counter> steps = v.getValue();
      List<String> order = new ArrayList<>();
      scheduler.journey(journey, version).ifPresent(d -> d.steps().forEach(s -> order.add(s.id())));
      steps.keySet().stream().sorted().filter(s -> !order.contains(s)).forEach(order::add);
      List<StepFunnel> funnel = new ArrayList<>();
      for (String step : order) {
        Counter c = steps.get(step);
        if (c == null) {
          continue;
        }
        Map<JourneyMetric, Long> counts = new LinkedHashMap<>();
        for (JourneyMetric m : JourneyMetric.values()) {
          if (c.counts[m.ordinal()] > 0) {
            counts.put(m, c.counts[m.ordinal()]);
          }
        }
        funnel.add(new StepFunnel(step, counts, c.reasons));
      }
      out.add(new JourneyFunnel(dev.steward.model.TenantId.of(tenant), journey, version, funnel));
    }
    return out;
  }
}
