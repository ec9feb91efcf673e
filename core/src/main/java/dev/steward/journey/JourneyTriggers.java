package dev.steward.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.delivery.EmailEventListener;
import dev.steward.health.HealthBandChanged;
import dev.steward.health.HealthListener;
import dev.steward.internal.json.StrictJson;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.StoreLimits;
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
import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on the entry triggers of the journeys a {@link JourneyScheduler} registers, enrolling
 * through the scheduler under enrolment ids derived from what caused the entry, so that a cause
 * handled twice (a crash and a re-run, two instances, a repeated webhook batch) enrols once:
 *
 * <ul>
 *   <li>{@link EntryTrigger.InSegment}: evaluated when the scheduler changes a contact's profile or
 *       attributes, when an event of the contact is recorded, and for every contact with a profile
 *       on a schedule ({@link #SWEEP_KIND}, one item across instances, one page per run, resumed
 *       from its page after a crash), which also makes the date and schedule timers of journeys
 *       registered after the contact was put. A contact is enrolled when it starts to match, not
 *       while it goes on matching; once it has stopped matching it may enter again, by the
 *       journey's re-entry rule.
 *   <li>{@link EntryTrigger.OnDate} and {@link EntryTrigger.OnSchedule}: one work item per contact,
 *       journey and trigger ({@link #TIMER_KIND}), due at the next occurrence in the contact's
 *       zone; an occurrence is identified by its date (renewal date and offset, or the schedule's
 *       date), so each enrols at most once. An occurrence more than the late limit in the past when
 *       first seen (a renewal date set 40 days ahead has no -90 any more) is passed over.
 *   <li>{@link EntryTrigger.OnEvent}: {@link #recordEvent}, and provider events through {@link
 *       #emailEventListener()} as {@code email.<type>}, keyed by event id.
 *   <li>{@link EntryTrigger.OnHealthBand}: {@link #healthListener()}, for the contacts of the
 *       account, keyed by account, band and time of the change.
 * </ul>
 *
 * <pre>{@code
 * JourneyTriggers triggers = JourneyTriggers.builder(clock, journeys, InMemoryTriggerStore.of(), work)
 *     .accountContacts(crm::contactsOf)
 *     .build();
 * WorkRunner runner = triggers.registerWith(journeys.registerWith(WorkRunner.builder(work, clock))).build();
 * healthMonitor.addListener(triggers.healthListener());
 * }</pre>
 */
public final class JourneyTriggers {
  private static final Logger log = LoggerFactory.getLogger(JourneyTriggers.class);

  /** The kind of the work items that wait for a date or schedule occurrence of one contact. */
  public static final String TIMER_KIND = "steward.journey-trigger";

  /** The kind of the one recurring item that re-evaluates segments. */
  public static final String SWEEP_KIND = "steward.journey-segments";

  /** How often segments are re-evaluated unless set. */
  public static final Duration DEFAULT_EVERY = Duration.ofDays(1);

  /** How late an occurrence may be taken up unless set. */
  public static final Duration DEFAULT_LATE_LIMIT = Duration.ofDays(1);

  /** How many contacts one run of the re-evaluation reads unless set. */
  public static final int DEFAULT_PAGE_SIZE = 500;

  /** Finds the contacts of an account, for health triggers (a CRM, the application's users). */
  @FunctionalInterface
  public interface AccountContacts {
    /** The contacts of an account; a contact without a journey profile is passed over. */
    List<ContactId> contacts(TenantId tenant, AccountId account);
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** What a timer item waits for: the occurrences of one trigger after {@code after}. */
  record Timer(String contact, String journey, int trigger, Optional<Instant> after) {}

  /** Where a pass of the re-evaluation stands: after which contact. */
  record Pass(Instant phase, Optional<ContactProfile> after) {}

  /** One occurrence of a date or schedule trigger. */
  record Occurrence(String key, Instant at) {}

  static final WorkType<Timer> TIMER =
      WorkType.of(TIMER_KIND, 1, JourneyTriggers::writeTimer, JourneyTriggers::readTimer);
  static final WorkType<Pass> SWEEP =
      WorkType.of(SWEEP_KIND, 1, JourneyTriggers::writePass, JourneyTriggers::readPass);

  private final Clock clock;
  private final JourneyScheduler scheduler;
  private final TriggerStore store;
  private final WorkStore work;
  private final Optional<AccountContacts> accounts;
  private final Duration every;
  private final Duration lateLimit;
  private final int pageSize;
  private final BiFunction<TenantId, ContactId, Optional<Instant>> erasedAt;

  private JourneyTriggers(Builder b) {
    this.erasedAt = b.erasedAt;
    this.clock = b.clock;
    this.scheduler = b.scheduler;
    this.store = b.store;
    this.work = b.work;
    this.accounts = Optional.ofNullable(b.accounts);
    this.every = b.every;
    this.lateLimit = b.lateLimit;
    this.pageSize = b.pageSize;
  }

  /** A builder over the scheduler whose journeys' triggers it acts on. */
  public static Builder builder(
      Clock clock, JourneyScheduler scheduler, TriggerStore store, WorkStore work) {
    return new Builder(clock, scheduler, store, work);
  }

  /**
   * Registers the handlers of timers and of the re-evaluation on a runner's builder and stores the
   * re-evaluation's one item if it is not stored yet; returns the builder.
   */
  public WorkRunner.Builder registerWith(WorkRunner.Builder runner) {
    KindSettings retry =
        KindSettings.DEFAULT.withRetry(
            new RetryPolicy(20, Duration.ofSeconds(5), Duration.ofMinutes(30)));
    runner.handler(TIMER, WorkHandler.sync(this::runTimer), retry);
    runner.handler(
        SWEEP,
        WorkHandler.sync(this::runSweep),
        KindSettings.DEFAULT
            .withConcurrency(1)
            .withRetry(
                new RetryPolicy(Integer.MAX_VALUE, Duration.ofMinutes(1), Duration.ofHours(1))));
    Instant now = clock.instant();
    runner
        .store()
        .schedule(
            WorkItem.builder(sweepKey())
                .dueAt(now)
                .payload(writePass(new Pass(now, Optional.empty())))
                .payloadVersion(SWEEP.version())
                .build(),
            IfExists.KEEP);
    return runner;
  }

  /** The key of the one re-evaluation item. */
  public static WorkKey sweepKey() {
    return WorkKey.of(Recurring.SYSTEM_TENANT, SWEEP_KIND, Recurring.ID);
  }

  /**
   * Evaluates a contact's triggers now: enters or leaves the segments of segment-triggered
   * journeys, and (re)schedules the timers of date and schedule triggers. Returns the enrolment
   * answers of the segments the contact entered, by journey id. Called by the scheduler whenever a
   * profile or attribute changes; a contact without a profile has nothing to evaluate.
   */
  public Map<String, EnrolResult> evaluate(TenantId tenant, ContactId contact) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(contact, "contact");
    Map<String, EnrolResult> entered = new TreeMap<>();
    Optional<ContactProfile> p = scheduler.profile(tenant, contact);
    if (p.isEmpty()) {
      return entered;
    }
    Instant now = clock.instant();
    RuntimeException first = null;
    for (String id : scheduler.journeyIds()) {
      JourneyDefinition d = scheduler.journey(id).orElseThrow();
      // review14t: one journey's failure (a store refusing, a date it cannot place) must not keep
      // the contact out of the journeys after it; the first failure is thrown once all were tried
      try {
        segment(d, p.get(), now).ifPresent(r -> entered.put(id, r));
        for (int i = 0; i < d.triggers().size(); i++) {
          EntryTrigger t = d.triggers().get(i);
          if (t instanceof EntryTrigger.OnDate || t instanceof EntryTrigger.OnSchedule) {
            ensureTimer(p.get(), d.id(), i, t, now);
          }
        }
      } catch (RuntimeException failed) {
        if (first == null) {
          first = failed;
        } else {
          first.addSuppressed(failed);
        }
      }
    }
    if (first != null) {
      throw first;
    }
    return entered;
  }

  /**
   * Records an event of a contact (a login, "usage-limit-reached"), enrols the contact in every
   * journey with an event trigger for its name, and re-evaluates its segments, whose event counts
   * may have changed. Recording an event of a known id again enrols nothing more. Returns the
   * answers of the event triggers by journey id; none for a contact without a profile (the event is
   * kept all the same). An event dated at or before the contact's erasure ({@link
   * Builder#erasedAt}) is not kept and enrols nothing.
   */
  public Map<String, EnrolResult> recordEvent(
      TenantId tenant, ContactId contact, String eventId, String name, Instant at) {
    ContactEvent e = new ContactEvent(tenant, contact, eventId, name, at);
    Map<String, EnrolResult> results = new TreeMap<>();
    // review14t: an event of before the contact's erasure (a batch accepted before it and applied
    // after, a webhook retried) must not write the erased contact back
    Optional<Instant> erased = orEmpty(erasedAt.apply(tenant, contact));
    if (erased.isPresent() && !at.isAfter(erased.get())) {
      log.debug("event {} is of a contact erased at {}; not recorded", eventId, erased.get());
      return results;
    }
    store.recordEvent(e);
    if (scheduler.profile(tenant, contact).isEmpty()) {
      return results;
    }
    for (String id : scheduler.journeyIds()) {
      JourneyDefinition d = scheduler.journey(id).orElseThrow();
      boolean triggered =
          d.triggers().stream()
              .anyMatch(
                  t -> t instanceof EntryTrigger.OnEvent o && o.event().equalsIgnoreCase(e.name()));
      if (triggered) {
        // keyed by the event: a repeat (after a crash between storing it and enrolling) enrols once
        results.put(id, scheduler.enrolKeyed(tenant, contact, id, "event:" + e.id()));
      }
    }
    evaluate(tenant, contact);
    return results;
  }

  /**
   * The listener that records provider events of known contacts as {@code email.<type>} (by the
   * provider's event id) for event triggers and segment counts. Idempotent, as the ingestor needs.
   */
  public EmailEventListener emailEventListener() {
    return this::onEmailEvents;
  }

  private void onEmailEvents(List<EmailEvent> events) {
    for (EmailEvent ev : events) {
      if (ev.tenant().isEmpty() || ev.contact().isEmpty()) {
        continue;
      }
      String id = "email:" + ev.eventId();
      if (id.length() > ContactEvent.MAX_ID) { // a provider's id may be long: a stable digest
        id = "email#" + UUID.nameUUIDFromBytes(ev.eventId().getBytes(StandardCharsets.UTF_8));
      }
      recordEvent(
          ev.tenant().get(),
          ev.contact().get(),
          id,
          ContactEvent.emailEvent(ev.type()),
          ev.occurredAt());
    }
  }

  /**
   * The health listener that enrols the contacts of an account whose score entered a band in the
   * journeys with a matching {@link EntryTrigger.OnHealthBand} trigger (band labels compared
   * ignoring case). A change delivered twice enrols once.
   */
  public HealthListener healthListener() {
    return new HealthListener() {
      @Override
      public void onBandChanged(HealthBandChanged event) {
        onHealth(event);
      }
    };
  }

  /** The enrolment answers for a health band change, by contact and journey (for tests). */
  Map<ContactId, Map<String, EnrolResult>> onHealth(HealthBandChanged ev) {
    Map<ContactId, Map<String, EnrolResult>> out = new HashMap<>();
    List<String> journeys = new ArrayList<>();
    for (String id : scheduler.journeyIds()) {
      JourneyDefinition d = scheduler.journey(id).orElseThrow();
      boolean hit =
          d.triggers().stream()
              .anyMatch(
                  t ->
                      t instanceof EntryTrigger.OnHealthBand h
                          && h.to().equalsIgnoreCase(ev.to())
                          && h.from().map(f -> f.equalsIgnoreCase(ev.from())).orElse(true));
      if (hit) {
        journeys.add(id);
      }
    }
    if (journeys.isEmpty()) {
      return out;
    }
    if (accounts.isEmpty()) {
      log.warn(
          "health band change of an account of tenant {} matches journeys {}, but no account"
              + " contacts were given",
          ev.tenant(),
          journeys);
      return out;
    }
    String key = "health:" + ev.account().value() + ":" + ev.to() + ":" + ev.at();
    for (ContactId c : accounts.get().contacts(ev.tenant(), ev.account())) {
      if (scheduler.profile(ev.tenant(), c).isEmpty()) {
        continue;
      }
      for (String j : journeys) {
        try {
          out.computeIfAbsent(c, k -> new TreeMap<>())
              .put(j, scheduler.enrolKeyed(ev.tenant(), c, j, key));
        } catch (RuntimeException failed) { // one contact's failure does not stop the others
          log.warn("health trigger of journey {} failed for a contact", j, failed);
        }
      }
    }
    return out;
  }

  /** Forgets a contact's trigger state and cancels its timers; how many rows. */
  public int eraseContact(TenantId tenant, ContactId contact) {
    for (WorkItem w : work.findBySubject(tenant, contact.value(), TIMER_KIND)) {
      work.cancel(w.key());
    }
    return store.eraseContact(tenant, contact);
  }

  /** Forgets a tenant's trigger state; its timers end when they find no profile. */
  public int eraseTenant(TenantId tenant) {
    return store.eraseTenant(tenant);
  }

  /** A lookup's answer, none for null (a lookup written carelessly). */
  private static Optional<Instant> orEmpty(Optional<Instant> o) {
    return o == null ? Optional.empty() : o;
  }

  // ---------------------------------------------------------------- segments

  /** Enters or leaves the segment of {@code d}; the enrolment answer if the contact entered. */
  private Optional<EnrolResult> segment(JourneyDefinition d, ContactProfile p, Instant now) {
    List<Segment> segments = new ArrayList<>();
    for (EntryTrigger t : d.triggers()) {
      if (t instanceof EntryTrigger.InSegment s) {
        segments.add(s.when());
      }
    }
    if (segments.isEmpty()) {
      return Optional.empty();
    }
    Map<List<Object>, Integer> counted = new HashMap<>();
    Segment.EventCounts counts =
        (event, window) ->
            counted.computeIfAbsent(
                List.of(event, window),
                k -> store.countEvents(p.tenant(), p.contact(), event, now.minus(window), now));
    boolean match = segments.stream().anyMatch(s -> s.test(p.attributes(), counts));
    Optional<SegmentMembership> was = store.membership(p.tenant(), p.contact(), d.id());
    boolean member = was.isPresent() && was.get().member();
    int generation = was.map(SegmentMembership::generation).orElse(0);
    if (!match) {
      if (member) { // leaves
        store.replaceMembership(
            was, new SegmentMembership(p.tenant(), p.contact(), d.id(), false, generation, now));
      } else if (entryEnrolled(p, d, generation + 1)) {
        // review14t: an entry enrolled whose membership write then failed, and the contact has
        // left since: record that entry (and the leave), so the next entry takes a new id instead
        // of finding this one's enrolment and enrolling nothing
        store.replaceMembership(
            was,
            new SegmentMembership(p.tenant(), p.contact(), d.id(), false, generation + 1, now));
      } else if (was.isEmpty()) {
        store.replaceMembership(
            was, new SegmentMembership(p.tenant(), p.contact(), d.id(), false, generation, now));
      }
      return Optional.empty();
    }
    if (member) { // goes on matching
      return Optional.empty();
    }
    // enrol first, under an id of this entry: a crash before the membership is stored enrols the
    // same id again on the next evaluation, which the journey store answers ALREADY_ENROLLED
    EnrolResult r =
        scheduler.enrolKeyed(p.tenant(), p.contact(), d.id(), "segment:" + (generation + 1));
    store.replaceMembership(
        was, new SegmentMembership(p.tenant(), p.contact(), d.id(), true, generation + 1, now));
    log.debug("contact entered the segment of journey {}: {}", d.id(), r.status());
    return Optional.of(r);
  }

  /** Whether the entry of {@code generation} into the segment of {@code d} enrolled. */
  private boolean entryEnrolled(ContactProfile p, JourneyDefinition d, int generation) {
    String id = JourneyScheduler.keyedId(p.tenant(), p.contact(), d.id(), "segment:" + generation);
    return scheduler.enrolment(p.tenant(), id).isPresent();
  }

  private Next runSweep(WorkContext<Pass> ctx) {
    Pass pass = ctx.payload();
    // review14t: every contact with a profile, not only those with a segment membership: a date
    // or schedule trigger of a journey registered after the contact was put (or moved to another
    // place in a new version) gets its timer here
    // cpu14: evaluate acts only on segment, date and schedule triggers; with none registered a
    // pass reads no contacts (it paged through every profile, each page a scan of them all)
    List<ContactProfile> page =
        evaluatesContacts() ? scheduler.contacts(pass.after(), pageSize) : List.of();
    for (ContactProfile p : page) {
      try {
        evaluate(p.tenant(), p.contact());
      } catch (RuntimeException failed) { // one contact must not hold up the others
        log.warn("re-evaluating the triggers of a contact of tenant {} failed", p.tenant(), failed);
      }
    }
    Instant now = clock.instant();
    if (page.size() == pageSize) { // more to do: the next page at once, from where this one ended
      return ctx.rescheduleAt(now, new Pass(pass.phase(), Optional.of(page.get(page.size() - 1))));
    }
    Duration window = longestWindow();
    store.purgeEventsBefore(now.minus(window), Recurring.MAX_BATCH_SIZE);
    Instant next = nextAfter(pass.phase(), now, every);
    return ctx.rescheduleAt(next, new Pass(next, Optional.empty()));
  }

  /**
   * Whether {@link #evaluate} has anything to do for a contact: a registered journey (its newest
   * version, the one evaluate reads) with a segment, date or schedule trigger.
   */
  private boolean evaluatesContacts() {
    for (String id : scheduler.journeyIds()) {
      for (EntryTrigger t : scheduler.journey(id).orElseThrow().triggers()) {
        if (t instanceof EntryTrigger.InSegment
            || t instanceof EntryTrigger.OnDate
            || t instanceof EntryTrigger.OnSchedule) {
          return true;
        }
      }
    }
    return false;
  }

  /** The longest window a registered segment counts events over; a day if none. */
  private Duration longestWindow() {
    Duration longest = Duration.ofDays(1);
    for (String id : scheduler.journeyIds()) {
      for (JourneyDefinition d : List.of(scheduler.journey(id).orElseThrow())) {
        for (EntryTrigger t : d.triggers()) {
          if (t instanceof EntryTrigger.InSegment s) {
            Duration w = longestWindow(s.when());
            longest = w.compareTo(longest) > 0 ? w : longest;
          }
        }
      }
    }
    return longest;
  }

  private static Duration longestWindow(Segment s) {
    if (s instanceof Segment.EventCount c) {
      return c.within();
    }
    List<Segment> parts =
        s instanceof Segment.All a
            ? a.parts()
            : s instanceof Segment.Any o
                ? o.parts()
                : s instanceof Segment.Not n ? List.of(n.part()) : List.of();
    Duration longest = Duration.ZERO;
    for (Segment p : parts) {
      Duration w = longestWindow(p);
      longest = w.compareTo(longest) > 0 ? w : longest;
    }
    return longest;
  }

  /** The first of {@code phase + k * every} (k at least 1) after {@code now}. */
  static Instant nextAfter(Instant phase, Instant now, Duration every) {
    Instant next = phase.plus(every);
    if (next.isAfter(now)) {
      return next;
    }
    long periods = Duration.between(phase, now).dividedBy(every);
    next = phase.plus(every.multipliedBy(periods + 1));
    return next.isAfter(now) ? next : next.plus(every);
  }

  // ---------------------------------------------------------------- timers

  private static WorkKey timerKey(TenantId tenant, String contact, String journey, int trigger) {
    String id =
        UUID.nameUUIDFromBytes(
                (contact + "/" + journey + "/" + trigger).getBytes(StandardCharsets.UTF_8))
            .toString();
    return WorkKey.of(tenant, TIMER_KIND, id);
  }

  private Optional<ZoneId> zone(ContactProfile p) {
    return p.zone().or(scheduler::defaultZone);
  }

  /** Makes the timer of trigger {@code i} of journey {@code j} due at its next occurrence. */
  private void ensureTimer(ContactProfile p, String j, int i, EntryTrigger t, Instant now) {
    WorkKey key = timerKey(p.tenant(), p.contact().value(), j, i);
    Optional<WorkItem> existing = work.find(key);
    Optional<Instant> after =
        existing.flatMap(w -> readTimer(w.payload(), w.payloadVersion()).after());
    Optional<ZoneId> zone = zone(p);
    Optional<Occurrence> next = zone.flatMap(z -> next(t, p, z, now.minus(lateLimit), after));
    if (next.isEmpty()) {
      existing.ifPresent(w -> work.cancel(key));
      return;
    }
    if (existing.isPresent() && existing.get().dueAt().equals(next.get().at())) {
      return;
    }
    work.schedule(
        WorkItem.builder(key)
            .subject(p.contact().value())
            .dueAt(next.get().at())
            .payload(writeTimer(new Timer(p.contact().value(), j, i, after)))
            .payloadVersion(TIMER.version())
            .build(),
        IfExists.REPLACE);
  }

  private Next runTimer(WorkContext<Timer> ctx) {
    Timer timer = ctx.payload();
    TenantId tenant = ctx.item().key().tenant();
    ContactId contact = ContactId.of(timer.contact());
    Optional<ContactProfile> p = scheduler.profile(tenant, contact);
    Optional<JourneyDefinition> d = scheduler.journey(timer.journey());
    if (p.isEmpty() || d.isEmpty() || timer.trigger() >= d.get().triggers().size()) {
      return Next.done(); // erased, or the journey or its trigger is gone
    }
    EntryTrigger t = d.get().triggers().get(timer.trigger());
    Optional<ZoneId> zone = zone(p.get());
    if (zone.isEmpty()) {
      return Next.done();
    }
    Instant now = clock.instant();
    Optional<Occurrence> due = next(t, p.get(), zone.get(), now.minus(lateLimit), timer.after());
    if (due.isEmpty()) {
      return Next.done();
    }
    if (due.get().at().isAfter(now)) { // moved since the item was scheduled
      return ctx.rescheduleAt(due.get().at(), timer);
    }
    boolean applies =
        !(t instanceof EntryTrigger.OnSchedule s)
            || s.when().map(w -> w.test(p.get().attributes())).orElse(true);
    if (applies) {
      EnrolResult r = scheduler.enrolKeyed(tenant, contact, d.get().id(), due.get().key());
      log.debug(
          "trigger occurrence {} of journey {}: {}", due.get().key(), d.get().id(), r.status());
    }
    Optional<Instant> fired = Optional.of(due.get().at());
    Optional<Occurrence> then = next(t, p.get(), zone.get(), now.minus(lateLimit), fired);
    if (then.isEmpty()) {
      return Next.done();
    }
    return ctx.rescheduleAt(
        then.get().at(), new Timer(timer.contact(), timer.journey(), timer.trigger(), fired));
  }

  /**
   * The earliest occurrence of a date or schedule trigger for a contact at or after {@code floor}
   * and after {@code after}, in {@code zone}.
   */
  static Optional<Occurrence> next(
      EntryTrigger t, ContactProfile p, ZoneId zone, Instant floor, Optional<Instant> after) {
    Instant from = after.filter(a -> !a.isBefore(floor)).map(a -> a.plusNanos(1)).orElse(floor);
    if (t instanceof EntryTrigger.OnDate o) {
      String raw = p.attributes().get(o.attribute());
      if (raw == null) {
        return Optional.empty();
      }
      LocalDate date;
      try {
        date = LocalDate.parse(raw.strip());
      } catch (DateTimeParseException bad) {
        return Optional.empty();
      }
      Occurrence best = null;
      for (int offset : o.offsetsDays()) {
        Optional<Instant> placed = at(date, offset, o.time(), zone);
        if (placed.isEmpty()) { // beyond what can be stored (a 9999-12-31 "no end"): never due
          continue;
        }
        Instant at = placed.get();
        if (!at.isBefore(from) && (best == null || at.isBefore(best.at()))) {
          best = new Occurrence("date:" + o.attribute() + "=" + date + ":" + offset, at);
        }
      }
      return Optional.ofNullable(best);
    }
    if (t instanceof EntryTrigger.OnSchedule s) {
      LocalDate start = from.atZone(zone).toLocalDate();
      long k;
      if (s.every().toTotalMonths() > 0) {
        k = ChronoUnit.MONTHS.between(s.anchor(), start) / s.every().toTotalMonths() - 1;
      } else {
        k = ChronoUnit.DAYS.between(s.anchor(), start) / s.every().getDays() - 1;
      }
      // k starts a period or two before the first occurrence at or after from: a few rounds,
      // however far back the anchor lies (review14t: a bound of Integer.MAX_VALUE periods gave up
      // on anchors further back than that)
      for (k = Math.max(0, k); ; k++) {
        LocalDate day;
        try {
          day =
              s.every().toTotalMonths() > 0
                  ? s.anchor().plusMonths(Math.multiplyExact(k, s.every().toTotalMonths()))
                  : s.anchor().plusDays(Math.multiplyExact(k, (long) s.every().getDays()));
        } catch (DateTimeException | ArithmeticException beyond) {
          return Optional.empty();
        }
        Optional<Instant> at = at(day, 0, s.time(), zone);
        if (at.isEmpty()) {
          return Optional.empty(); // every later occurrence lies beyond the storable range too
        }
        if (!at.get().isBefore(from)) {
          return Optional.of(new Occurrence("every:" + s.every() + "@" + day, at.get()));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * {@code time} on the day {@code offset} days after {@code date} in {@code zone}; empty if that
   * day does not exist ({@code LocalDate}'s range) or lies beyond what a store keeps ({@link
   * StoreLimits#MAX_INSTANT}).
   */
  private static Optional<Instant> at(LocalDate date, long offset, LocalTime time, ZoneId zone) {
    try {
      Instant at = ZonedDateTime.of(date.plusDays(offset), time, zone).toInstant();
      return StoreLimits.instantProblem(at) == null ? Optional.of(at) : Optional.empty();
    } catch (DateTimeException | ArithmeticException beyond) {
      return Optional.empty();
    }
  }

  // ---------------------------------------------------------------- payloads

  private static String writeTimer(Timer t) {
    ObjectNode n = NODES.objectNode();
    n.put("contact", t.contact()).put("journey", t.journey()).put("trigger", t.trigger());
    t.after().ifPresent(a -> n.put("after", a.toString()));
    return n.toString();
  }

  private static Timer readTimer(String json, int version) {
    JsonNode n =
        StrictJson.read(
            json, "journey trigger payload", (m, c) -> new IllegalArgumentException(m, c));
    if (version != 1
        || !n.path("contact").isTextual()
        || !n.path("journey").isTextual()
        || !n.path("trigger").canConvertToInt()) {
      throw new IllegalArgumentException("unreadable journey trigger payload v" + version);
    }
    Optional<Instant> after =
        n.hasNonNull("after")
            ? Optional.of(Instant.parse(n.get("after").asText()))
            : Optional.empty();
    return new Timer(
        n.get("contact").asText(), n.get("journey").asText(), n.get("trigger").asInt(), after);
  }

  private static String writePass(Pass p) {
    ObjectNode n = NODES.objectNode();
    n.put("phase", p.phase().toString());
    p.after()
        .ifPresent(a -> n.put("tenant", a.tenant().value()).put("contact", a.contact().value()));
    return n.toString();
  }

  private static Pass readPass(String json, int version) {
    JsonNode n =
        StrictJson.read(json, "segment pass payload", (m, c) -> new IllegalArgumentException(m, c));
    if (version != 1 || !n.path("phase").isTextual()) {
      throw new IllegalArgumentException("unreadable segment pass payload v" + version);
    }
    // a cursor of before review14t also names a journey: the contact is what counts
    Optional<ContactProfile> after =
        n.hasNonNull("tenant")
            ? Optional.of(
                new ContactProfile(
                    TenantId.of(n.get("tenant").asText()),
                    ContactId.of(n.get("contact").asText()),
                    AccountId.of("cursor"),
                    Optional.empty(),
                    Optional.empty(),
                    Map.of()))
            : Optional.empty();
    return new Pass(Instant.parse(n.get("phase").asText()), after);
  }

  /** Builds {@link JourneyTriggers}. */
  public static final class Builder {
    private final Clock clock;
    private final JourneyScheduler scheduler;
    private final TriggerStore store;
    private final WorkStore work;
    private AccountContacts accounts;
    private Duration every = DEFAULT_EVERY;
    private Duration lateLimit = DEFAULT_LATE_LIMIT;
    private int pageSize = DEFAULT_PAGE_SIZE;
    private BiFunction<TenantId, ContactId, Optional<Instant>> erasedAt =
        (t, c) -> Optional.empty();

    private Builder(Clock clock, JourneyScheduler scheduler, TriggerStore store, WorkStore work) {
      this.clock = InvalidJourneyException.requireNonNull(clock, "clock");
      this.scheduler = InvalidJourneyException.requireNonNull(scheduler, "journey scheduler");
      this.store = InvalidJourneyException.requireNonNull(store, "trigger store");
      this.work = InvalidJourneyException.requireNonNull(work, "work store");
    }

    /** Finds the contacts of an account, which health triggers enrol; needed by them. */
    public Builder accountContacts(AccountContacts accounts) {
      this.accounts = InvalidJourneyException.requireNonNull(accounts, "account contacts");
      return this;
    }

    /** How often segments are re-evaluated; default {@link #DEFAULT_EVERY}, at least a minute. */
    public Builder every(Duration every) {
      if (every == null || every.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new InvalidJourneyException(
            "segments are re-evaluated at most every minute; every was " + every);
      }
      this.every = every;
      return this;
    }

    /**
     * How late a date or schedule occurrence is still taken up (runners down, a date set just after
     * it); default {@link #DEFAULT_LATE_LIMIT}.
     */
    public Builder lateLimit(Duration lateLimit) {
      if (lateLimit == null || lateLimit.isNegative()) {
        throw new InvalidJourneyException("the late limit must be 0 or more, was " + lateLimit);
      }
      this.lateLimit = lateLimit;
      return this;
    }

    /**
     * When the tenant's contact was erased, if it was (for instance {@code (t, c) ->
     * preferenceCentre.consent(t, c).erasedAt()}, as {@code Steward} wires it): an event dated at
     * or before it is not kept, so that one accepted before the erasure and applied after it does
     * not write the contact back. None by default.
     */
    public Builder erasedAt(BiFunction<TenantId, ContactId, Optional<Instant>> erasedAt) {
      this.erasedAt = InvalidJourneyException.requireNonNull(erasedAt, "erasedAt");
      return this;
    }

    /** How many contacts one run of the re-evaluation reads; default 500. */
    public Builder pageSize(int pageSize) {
      if (pageSize < 1 || pageSize > Recurring.MAX_BATCH_SIZE) {
        throw new InvalidJourneyException(
            "page size must be 1 to " + Recurring.MAX_BATCH_SIZE + ", was " + pageSize);
      }
      this.pageSize = pageSize;
      return this;
    }

    /**
     * The triggers, watching the scheduler's profile and attribute changes from now on, their state
     * erased by the scheduler's {@code eraseContact} and {@code eraseTenant}; build one per
     * scheduler (a later one takes the watch over from an earlier one).
     *
     * @throws InvalidJourneyException if a registered journey has a health trigger and no account
     *     contacts were given
     */
    public JourneyTriggers build() {
      if (accounts == null) {
        for (String id : scheduler.journeyIds()) {
          if (scheduler.journey(id).orElseThrow().triggers().stream()
              .anyMatch(t -> t instanceof EntryTrigger.OnHealthBand)) {
            throw new InvalidJourneyException(
                "journey '"
                    + id
                    + "' has a health trigger: give accountContacts(...) so that an account's"
                    + " contacts can be enrolled");
          }
        }
      }
      JourneyTriggers t = new JourneyTriggers(this);
      // the scheduler's erasure reaches the trigger state (memberships, events, timers)
      scheduler.watchErasure(
          new JourneyScheduler.TriggerEraser() {
            @Override
            public int eraseContact(TenantId tenant, ContactId contact) {
              return t.eraseContact(tenant, contact);
            }

            @Override
            public int eraseTenant(TenantId tenant) {
              return t.eraseTenant(tenant);
            }
          });
      scheduler.watchAttributes(
          (tenant, contact) -> {
            try {
              t.evaluate(tenant, contact);
            } catch (RuntimeException failed) { // the change stands; the re-evaluation retries
              log.warn("evaluating the triggers of a contact of tenant {} failed", tenant, failed);
            }
          });
      return t;
    }
  }
}
