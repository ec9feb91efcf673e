package dev.steward.journey;

import dev.steward.calendar.CalendarConflict;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.Source;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Runs the due step of an enrolment, one method per step type: the change it makes (and its effect:
 * a message dispatched, a task created, an attribute set, an enrolment elsewhere).
 */
final class StepExecutor {

  /** Enrols a contact in a journey under a given enrolment id (an enrol step's child). */
  @FunctionalInterface
  interface Enroller {
    EnrolResult enrol(TenantId tenant, ContactId contact, String journey, String id, Instant at);
  }

  private final JourneyStore store;
  private final Function<Message, DispatchResult> sender;
  private final Optional<Dispatcher> dispatcher;
  private final Optional<ZoneId> defaultZone;
  private final Optional<TaskDesk> tasks;
  private final Signals signals;
  private final Reanchor reanchor;
  private final BurstSpread spread;
  private final Enroller enroller;

  private final java.util.function.BiConsumer<TenantId, ContactId> attributeWatcher;
  private final Optional<JourneyCalendar> calendar; // journeys on the calendar (issue 14)

  StepExecutor(
      JourneyStore store,
      Function<Message, DispatchResult> sender,
      Optional<Dispatcher> dispatcher,
      Optional<ZoneId> defaultZone,
      Optional<TaskDesk> tasks,
      Signals signals,
      Reanchor reanchor,
      BurstSpread spread,
      Enroller enroller,
      java.util.function.BiConsumer<TenantId, ContactId> attributeWatcher,
      Optional<JourneyCalendar> calendar) {
    this.store = store;
    this.sender = sender;
    this.dispatcher = dispatcher;
    this.defaultZone = defaultZone;
    this.tasks = tasks;
    this.signals = signals;
    this.reanchor = reanchor;
    this.spread = spread;
    this.enroller = enroller;
    this.attributeWatcher = attributeWatcher;
    this.calendar = calendar;
  }

  /** The run's claim was lost before a send: nothing is done, the new owner decides. */
  static final class ClaimLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClaimLost() {
      super("the claim was lost before a send", null, false, false);
    }
  }

  /** Hands a step's message to the pipeline; throws {@link ClaimLost} if it must not be sent. */
  @FunctionalInterface
  interface Sending {
    DispatchResult send(Message m);
  }

  /** A run's sending: each message only while the run's claim stands, then to the sender. */
  Sending sending(WorkContext<Integer> ctx) {
    return m -> {
      if (!ctx.claimHeld()) {
        throw new ClaimLost();
      }
      return sender.apply(m);
    };
  }

  /** The scheduler's sender itself, for messages whose claims were checked already. */
  DispatchResult sendNow(Message m) {
    return sender.apply(m);
  }

  /**
   * The change the due step of {@code e} makes, with its contact's profile as read (empty: none),
   * sending through {@code sending}.
   *
   * @throws ClaimLost if the run's claim was lost before a send
   */
  Change step(
      JourneyDefinition d,
      Enrolment e,
      Instant now,
      Sending sending,
      Optional<ContactProfile> profile) {
    if (profile.isEmpty()) {
      return Change.exit(e, e.step(), now, "the contact has no profile");
    }
    ContactProfile p = profile.get();
    StepScope.saw(p); // pgtx: the calendar's sync needs its account
    for (ExitCriterion x : d.exitCriteria()) {
      if (x.when().test(p.attributes())) {
        if (e.state() == EnrolmentState.WAITING) { // a task it waited on is for nobody now
          tasks.ifPresent(
              t ->
                  t.expire(
                      e.tenant(), TaskSteps.taskId(e), "the journey exited: '" + x.name() + "'"));
        }
        return Change.exit(e, e.step(), now, "exit criterion '" + x.name() + "'");
      }
    }
    Step s = d.stepOrNull(e.step());
    if (s == null) {
      throw new IllegalStateException("no step " + e.step() + " in " + d);
    }
    Instant base = e.dueAt();
    if (e.state() == EnrolmentState.WAITING && s instanceof Step.WaitForEvent w) {
      return eventTimedOut(e, w, base, now);
    }
    if (e.state() == EnrolmentState.WAITING && s instanceof Step.HumanTask t) {
      return taskOverdue(e, t, base, now);
    }
    Optional<Instant> deadline =
        s.deadline().flatMap(x -> deadlineAt(x, e.enteredAt(), p, defaultZone));
    if (deadline.isPresent() && now.isAfter(deadline.get())) {
      Optional<String> next =
          s instanceof Step.HumanTask t ? t.onOverdue() : ((Step.Send) s).next();
      return Change.go(
          e,
          s,
          next,
          base,
          now,
          StepOutcome.SKIPPED,
          "reached at "
              + now
              + ", after its deadline "
              + deadline.get()
              + " ("
              + s.deadline().get()
              + ")");
    }
    if (s instanceof Step.HumanTask t) {
      return humanTask(e, t, p, base, now);
    }
    if (s instanceof Step.Send x) {
      return send(d, e, x, p, deadline, now, sending);
    }
    if (s instanceof Step.Wait x) {
      Instant until = base.plus(x.duration());
      return Change.go(
          e, s, x.next(), until, now, StepOutcome.WAITING, "until " + InstantText.of(until));
    }
    if (s instanceof Step.WaitUntilLocalTime x) {
      return waitUntilLocalTime(e, x, p, base, now);
    }
    if (s instanceof Step.WaitUntilDate x) {
      return waitUntilDate(e, x, p, base, now);
    }
    if (s instanceof Step.WaitForEvent x) {
      return waitForEvent(e, x, base, now);
    }
    if (s instanceof Step.Branch x) {
      return branch(e, x, p, base, now);
    }
    if (s instanceof Step.UpdateAttribute x) {
      return updateAttribute(e, x, base, now);
    }
    if (s instanceof Step.EnrolIn x) {
      return enrolIn(e, x, base, now);
    }
    if (s instanceof Step.Exit x) {
      return Change.exit(e, s.id(), now, x.reason());
    }
    throw new IllegalStateException("unknown step type " + s.getClass());
  }

  private Change eventTimedOut(Enrolment e, Step.WaitForEvent w, Instant base, Instant now) {
    Optional<MessageSignal> seen = signals.signalInTime(e, w);
    if (seen.isPresent()) {
      return Change.go(
          e,
          w,
          w.onEvent(),
          now,
          now,
          StepOutcome.EVENT,
          seen.get().event() + " at " + seen.get().at() + ", remembered while the wait ran");
    }
    return Change.go(
        e, w, w.onTimeout(), base, now, StepOutcome.TIMED_OUT, "no '" + w.event() + "'");
  }

  private Change taskOverdue(Enrolment e, Step.HumanTask t, Instant base, Instant now) {
    String taskId = TaskSteps.taskId(e);
    Optional<TaskOutcome> done = tasks.flatMap(x -> x.outcome(e.tenant(), taskId));
    if (done.isPresent()) {
      // completed, but the instance died before it moved the journey: the outcome decides
      return Change.go(
          e,
          t,
          t.after(done.get()),
          now,
          now,
          StepOutcome.TASK_DONE,
          "task " + taskId + ": " + done.get() + " (taken up after the completion)");
    }
    tasks.ifPresent(x -> x.expire(e.tenant(), taskId, "overdue: nobody acted in time"));
    return Change.go(
        e, t, t.onOverdue(), base, now, StepOutcome.TASK_OVERDUE, "task " + taskId + " overdue");
  }

  private Change humanTask(
      Enrolment e, Step.HumanTask t, ContactProfile p, Instant base, Instant now) {
    Instant due = base.plus(t.due());
    // with a task store, the journey waits on past the due time while the task is escalated
    Instant until = tasks.map(x -> x.givesUpAt(due)).orElse(due);
    Enrolment next = e.next(t.id(), EnrolmentState.WAITING, until, now);
    // created before the change is stored: its id derives from the change, so a run repeated
    // after a crash finds the task it made
    tasks.ifPresent(x -> x.create(TaskSteps.taskId(next), next, t, p, base, due, now));
    return new Change(
        next,
        new HistoryEntry(
            next.seq(),
            t.id(),
            now,
            StepOutcome.TASK_CREATED,
            "task "
                + TaskSteps.taskId(next)
                + " ("
                + t.task()
                + ") for "
                + Optional.ofNullable(p.attributes().get(t.ownerAttribute())).orElse("nobody")
                + ", due "
                + due));
  }

  private Change waitUntilLocalTime(
      Enrolment e, Step.WaitUntilLocalTime x, ContactProfile p, Instant base, Instant now) {
    Optional<ZoneId> zone = p.zone().or(() -> defaultZone);
    if (zone.isEmpty()) {
      return Change.exit(
          e, x.id(), now, "the contact has no zone and the scheduler no default zone");
    }
    Instant until = spread.spread(LocalTimes.nextLocalTime(base, x, zone.get()), e);
    return Change.go(
        e, x, x.next(), until, now, StepOutcome.WAITING, "until " + InstantText.of(until));
  }

  private Change waitUntilDate(
      Enrolment e, Step.WaitUntilDate x, ContactProfile p, Instant base, Instant now) {
    String raw = p.attributes().get(x.attribute());
    if (raw == null) {
      return Change.exit(e, x.id(), now, "the contact has no '" + x.attribute() + "' date");
    }
    LocalDate date;
    try {
      date = LocalDate.parse(raw.strip());
    } catch (DateTimeParseException bad) {
      return Change.exit(
          e, x.id(), now, "'" + x.attribute() + "' is not a date such as 2026-09-30");
    }
    Optional<ZoneId> zone = p.zone().or(() -> defaultZone);
    if (zone.isEmpty()) {
      return Change.exit(
          e, x.id(), now, "the contact has no zone and the scheduler no default zone");
    }
    Optional<Instant> when = dateAt(date, x.offsetDays(), x.time(), zone.get());
    if (when.isEmpty()) {
      // rbatch: a valid date whose wait ends where no date or store reaches (plusDays threw, or a
      // due time a store refuses): the step failed on every retry
      return Change.exit(
          e,
          x.id(),
          now,
          "'"
              + x.attribute()
              + "' moved by "
              + x.offsetDays()
              + " days is beyond "
              + StoreLimits.MAX_INSTANT);
    }
    Instant at = when.get();
    if (!at.isAfter(base)) {
      return Change.go(
          e, x, x.next(), base, now, StepOutcome.WAITING, "not at all: " + at + " has passed");
    }
    Instant until = spread.spread(at, e);
    return Change.go(
        e, x, x.next(), until, now, StepOutcome.WAITING, "until " + InstantText.of(until));
  }

  private static Change waitForEvent(Enrolment e, Step.WaitForEvent x, Instant base, Instant now) {
    Instant until = base.plus(x.timeout());
    Enrolment next = e.next(x.id(), EnrolmentState.WAITING, until, now);
    String of =
        x.onMessage()
            ? " of message " + e.lastMessage().map(MessageId::value).orElse("(none sent)")
            : "";
    return new Change(
        next,
        new HistoryEntry(
            next.seq(),
            x.id(),
            now,
            StepOutcome.WAITING_FOR_EVENT,
            "for '" + x.event() + "'" + of + " until " + until));
  }

  private static Change branch(
      Enrolment e, Step.Branch x, ContactProfile p, Instant base, Instant now) {
    for (int i = 0; i < x.cases().size(); i++) {
      Step.Case c = x.cases().get(i);
      if (c.when().test(p.attributes())) {
        return Change.go(
            e,
            x,
            Optional.of(c.next()),
            base,
            now,
            StepOutcome.BRANCHED,
            "case " + (i + 1) + " (" + c.when() + ")");
      }
    }
    return Change.go(e, x, x.otherwise(), base, now, StepOutcome.BRANCHED, "otherwise");
  }

  private Change updateAttribute(Enrolment e, Step.UpdateAttribute x, Instant base, Instant now) {
    if (store.setAttribute(e.tenant(), e.contact(), x.attribute(), x.value())) {
      // the contact's other enrolments may wait until this date (this one is due, not waiting)
      reanchor.contact(e.tenant(), e.contact(), Optional.of(x.attribute()));
    }
    attributeWatcher.accept(e.tenant(), e.contact()); // journey14b: triggers
    return Change.go(
        e,
        x,
        x.next(),
        base,
        now,
        StepOutcome.UPDATED,
        x.attribute() + x.value().map(v -> " = " + v).orElse(" removed"));
  }

  private Change enrolIn(Enrolment e, Step.EnrolIn x, Instant base, Instant now) {
    // the id derives from this enrolment and step, so a repeated run finds its own enrolment
    String child =
        UUID.nameUUIDFromBytes(
                (e.tenant().value() + "/" + e.id() + "/" + e.seq())
                    .getBytes(StandardCharsets.UTF_8))
            .toString();
    EnrolResult r = enroller.enrol(e.tenant(), e.contact(), x.journey(), child, now);
    return Change.go(
        e,
        x,
        x.next(),
        base,
        now,
        StepOutcome.ENROLLED_ELSEWHERE,
        x.journey() + ": " + r.status() + (r.reason().isEmpty() ? "" : " (" + r.reason() + ")"));
  }

  private Change send(
      JourneyDefinition d,
      Enrolment e,
      Step.Send x,
      ContactProfile p,
      Optional<Instant> deadline,
      Instant now,
      Sending sending) {
    Step.Variant v = variant(e, x);
    SendParts parts;
    Message m;
    try {
      parts = parts(d, x, v); // its source is checked as the message's other parts are
      m = message(d, e, x, v, parts, p, deadline, now);
    } catch (RuntimeException bad) {
      return Change.go(
          e, x, x.next(), e.dueAt(), now, StepOutcome.FAILED, what(x, v) + ": " + bad.getMessage());
    }
    String what = parts.what();
    if (calendar.isPresent()) {
      // the calendar's conflict rules apply to journey sends as to manual campaigns
      List<CalendarConflict> conflicts = calendar.get().conflicts(e, d, x, p.account(), now);
      if (!conflicts.isEmpty()) {
        return Change.go(
            e,
            x,
            x.next(),
            e.dueAt(),
            now,
            StepOutcome.SKIPPED,
            what + ": not sent, the calendar's rules object: " + conflicts);
      }
    }
    DispatchResult r = sending.send(m);
    return sent(e, x, m, what, deadline, now, r);
  }

  private static String what(Step.Send x, Step.Variant v) {
    return "template "
        + v.templateId()
        + (x.variants().size() > 1 ? " (variant " + v.name() + ")" : "");
  }

  /**
   * What every message of a send step's variant shares (memstep): its source and the step's
   * description ({@link #what}), made once per step and variant instead of once per message (a
   * source is four id checks and a string).
   */
  private record SendParts(
      JourneyDefinition definition,
      Step.Send step,
      Step.Variant variant,
      Source source,
      String what) {}

  /** Slots of recently used steps' parts, by the step's identity; a race only costs a miss. */
  private final SendParts[] recent = new SendParts[RECENT_STEPS];

  private static final int RECENT_STEPS = 32;

  /** The parts of the messages of variant {@code v} of send step {@code x} of {@code d}. */
  private SendParts parts(JourneyDefinition d, Step.Send x, Step.Variant v) {
    int slot = System.identityHashCode(x) & (RECENT_STEPS - 1);
    SendParts p = recent[slot];
    if (p != null && p.step() == x && p.variant() == v && p.definition() == d) {
      return p;
    }
    p = new SendParts(d, x, v, Source.journey(d.team(), d.id(), x.id()), what(x, v));
    recent[slot] = p;
    return p;
  }

  /** The message a send step of {@code e} hands over; throws if it cannot be built. */
  private Message message(
      JourneyDefinition d,
      Enrolment e,
      Step.Send x,
      Step.Variant v,
      SendParts parts,
      ContactProfile p,
      Optional<Instant> deadline,
      Instant now) {
    // cpu14: a read-only view; the message makes its own checked copy (this was a second one)
    Map<String, Object> data = java.util.Collections.unmodifiableMap(p.attributes());
    return Message.builder()
        .id(MessageId.of(JourneyMessageIds.of(e.id(), e.seq())))
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
        .source(parts.source())
        .templateId(v.templateId())
        .personalisation(data)
        .createdAt(now)
        // the dispatcher drops it if the caps defer it past the deadline, now or later
        .sendBy(deadline.orElse(null))
        .build();
  }

  /**
   * A send that the due step of an enrolment will certainly begin with, planned before its run: the
   * message exactly as the step builds it, and what the step needs to record its outcome.
   */
  record PlannedSend(
      Enrolment enrolment,
      Step.Send step,
      String what,
      Optional<Instant> deadline,
      Message message) {}

  /**
   * The message the due step of {@code e}, run at {@code now} with profile {@code p}, will
   * certainly begin by handing over, decided as {@link #step} decides and writing nothing: the
   * enrolment is ACTIVE and due, no exit criterion of {@code d} holds, its step is a send whose
   * deadline has not passed, its message builds, and no calendar rule needs asking (a rule is a
   * read whose answer could change). Empty when any of that is not certain; {@link EnrolmentRun}
   * checks beforehand that the definition is registered and no deferral holds it.
   */
  Optional<PlannedSend> plan(JourneyDefinition d, Enrolment e, ContactProfile p, Instant now) {
    if (e.state() != EnrolmentState.ACTIVE || e.dueAt().isAfter(now)) {
      return Optional.empty();
    }
    for (ExitCriterion x : d.exitCriteria()) {
      if (x.when().test(p.attributes())) {
        return Optional.empty();
      }
    }
    if (!(d.stepOrNull(e.step()) instanceof Step.Send x)) {
      return Optional.empty();
    }
    Optional<Instant> deadline =
        x.deadline().flatMap(dl -> deadlineAt(dl, e.enteredAt(), p, defaultZone));
    if (deadline.isPresent() && now.isAfter(deadline.get())) {
      return Optional.empty();
    }
    if (calendar.isPresent() && calendar.get().hasRules()) {
      return Optional.empty();
    }
    Step.Variant v = variant(e, x);
    try {
      SendParts parts = parts(d, x, v);
      return Optional.of(
          new PlannedSend(
              e, x, parts.what(), deadline, message(d, e, x, v, parts, p, deadline, now)));
    } catch (RuntimeException bad) {
      return Optional.empty(); // the step records the failure itself
    }
  }

  /**
   * What a planned message handed over ahead of its run comes to when the run did not take it up
   * (the enrolment changed between the plan and the run): the step's own consequences of the result
   * (a deferral past the deadline taken back, the calendar's record), as after a send whose change
   * then lost its compare-and-set; the change itself is not stored.
   */
  void notTakenUp(PlannedSend plan, DispatchResult r, Instant now) {
    sent(plan.enrolment(), plan.step(), plan.message(), plan.what(), plan.deadline(), now, r);
  }

  /** The change a send step makes once the pipeline answered {@code r} for its message. */
  private Change sent(
      Enrolment e,
      Step.Send x,
      Message m,
      String what,
      Optional<Instant> deadline,
      Instant now,
      DispatchResult r) {
    MessageId id = m.id();
    StepOutcome outcome =
        switch (r.status()) {
          case SENT -> StepOutcome.SENT;
          case DUPLICATE -> earlierAttempt(m);
          case DEFERRED -> StepOutcome.DEFERRED;
          case SUPPRESSED -> StepOutcome.SUPPRESSED;
          case FAILED -> StepOutcome.FAILED;
          case UNKNOWN -> StepOutcome.UNKNOWN;
        };
    String detail = what + ", message " + id + ": " + r.status();
    if (r.status() != DispatchStatus.SENT) {
      detail += " " + r.decision();
    }
    if (r.status() == DispatchStatus.SUPPRESSED && pastSendBy(r)) {
      // the caps would send it only after its deadline (its send-by): dropped, the journey goes on
      outcome = StepOutcome.SKIPPED;
      detail =
          what
              + ", message "
              + id
              + ": the caps would send it only after its deadline "
              + deadline.orElseThrow()
              + " ("
              + x.deadline().orElseThrow()
              + "), so not sent; "
              + r.decision();
    }
    Optional<Instant> deferredTo = r.decision().notBefore();
    if (r.status() == DispatchStatus.DEFERRED
        && deadline.isPresent()
        && deferredTo.isPresent()
        && deferredTo.get().isAfter(deadline.get())
        && dispatcher.isPresent()
        && dispatcher.get().cancelDeferred(e.tenant(), id)) {
      // the caps would send it only after its deadline: taken back, and the journey goes on
      outcome = StepOutcome.SKIPPED;
      detail =
          what
              + ", message "
              + id
              + ": deferred until "
              + deferredTo.get()
              + ", after its deadline "
              + deadline.get()
              + " ("
              + x.deadline().get()
              + "), so not sent; "
              + r.decision();
    }
    // a DUPLICATE the ledger says was SENT is recorded too: the earlier run that sent it may have
    // stopped before its record (a record already SENT is left as it is)
    if (calendar.isPresent() && (outcome == StepOutcome.SENT || outcome == StepOutcome.DEFERRED)) {
      calendar.get().recordHandedOver(m, outcome == StepOutcome.SENT, deferredTo.orElse(now));
    }
    return Change.go(e, Optional.of(id), x, x.next(), e.dueAt(), now, outcome, detail);
  }

  /** True if the dispatcher dropped the message for its send-by (the step's deadline). */
  static boolean pastSendBy(DispatchResult r) {
    for (dev.steward.delivery.Reason x : r.decision().reasons()) {
      if (x.gate().equals(Dispatcher.SEND_BY)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The instant of a deadline for an enrolment that entered at {@code enteredAt} and its contact;
   * empty if it cannot be known (no such date attribute, not a date, no zone).
   */
  static Optional<Instant> deadlineAt(
      Deadline d, Instant enteredAt, ContactProfile p, Optional<ZoneId> defaultZone) {
    if (d instanceof Deadline.AfterEntry a) {
      return Optional.of(enteredAt.plus(a.after()));
    }
    Deadline.FromDate f = (Deadline.FromDate) d;
    String raw = p.attributes().get(f.attribute());
    Optional<ZoneId> zone = p.zone().or(() -> defaultZone);
    if (raw == null || zone.isEmpty()) {
      return Optional.empty();
    }
    LocalDate date;
    try {
      date = LocalDate.parse(raw.strip());
    } catch (DateTimeParseException bad) {
      return Optional.empty();
    }
    // rbatch: a valid date near the ends of the calendar moved by the offset past them (plusDays
    // threw, and the step failed on every retry): past the last date it is never reached, before
    // the first it has always passed
    long day = date.toEpochDay() + f.offsetDays();
    if (day > LocalDate.MAX.toEpochDay()) {
      return Optional.empty();
    }
    if (day < LocalDate.MIN.toEpochDay()) {
      return Optional.of(Instant.MIN);
    }
    return Optional.of(
        ZonedDateTime.of(LocalDate.ofEpochDay(day), f.time(), zone.get()).toInstant());
  }

  /**
   * {@code time} on the day {@code offsetDays} after {@code date} in {@code zone}; empty when that
   * day does not exist or the instant lies beyond what a store keeps ({@link
   * StoreLimits#instantProblem}).
   */
  static Optional<Instant> dateAt(LocalDate date, long offsetDays, LocalTime time, ZoneId zone) {
    long day = date.toEpochDay() + offsetDays;
    if (day > LocalDate.MAX.toEpochDay() || day < LocalDate.MIN.toEpochDay()) {
      return Optional.empty();
    }
    Instant at = ZonedDateTime.of(LocalDate.ofEpochDay(day), time, zone).toInstant();
    return StoreLimits.instantProblem(at) == null ? Optional.of(at) : Optional.empty();
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
  static long hash(String s) {
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
   * What a send the dispatcher answered DUPLICATE for came to: its message id and key are the
   * step's own, so an earlier run of this step (one that stopped before it recorded the outcome)
   * got that far. The ledger's record says whether it was sent, failed for good or is not known; it
   * must not be taken for sent when it failed. SENT when no dispatcher's ledger can be asked.
   */
  private StepOutcome earlierAttempt(Message m) {
    if (dispatcher.isEmpty()) {
      return StepOutcome.SENT;
    }
    return dispatcher
        .get()
        .ledger()
        .find(m.tenant(), m.idempotencyKey())
        .map(
            r ->
                switch (r.status()) {
                  case SENT -> StepOutcome.SENT;
                  case FAILED -> StepOutcome.FAILED;
                  case SENDING, UNKNOWN, RETRYING -> StepOutcome.UNKNOWN;
                })
        // the record is gone (purged or erased since the dispatcher met it): nothing says the
        // earlier attempt reached the provider, so it is not counted as sent
        .orElse(StepOutcome.UNKNOWN);
  }
}
