package dev.steward.journey;

import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.Dispatcher;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.schedule.Next;
import dev.steward.schedule.WorkContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch handler of journey steps: runs the claimed step items of one claim together, with the
 * outcome for each the one its run alone gives.
 *
 * <ol>
 *   <li>Reads the enrolments of all items in one call, and the profiles of their contacts in
 *       another (per tenant).
 *   <li>Plans, writing nothing: for each item whose run will certainly begin by handing over a
 *       message ({@link StepExecutor#plan}), that message exactly as its step builds it. Only with
 *       a dispatcher (a plain sender function sends one by one), and only for an item whose contact
 *       no other item of the batch has: the contact's sends then keep the order the runs alone give
 *       them, which caps and priorities per contact depend on.
 *   <li>Checks the planned items' claims in one store round trip and hands their messages to the
 *       pipeline in ONE {@link Dispatcher#dispatchAll} call.
 *   <li>Runs each item as alone, from what was read, its first step at the instant it was planned
 *       at. Its sender answers the planned message with the result the pipeline gave it, once; any
 *       other message goes through the pipeline as ever. A planned message is never handed over a
 *       second time: one its run did not take up (the enrolment changed between the plan and the
 *       run) comes to what a send whose change lost its compare-and-set comes to.
 *   <li>Goes on with the runs in turns: each run's next step up to its change (as alone, after its
 *       last change was stored), then the turn's changes stored together as the first ones.
 * </ol>
 *
 * <p>A run that fails answers a retry for its item alone; the others keep their answers. A {@code
 * dispatchAll} that fails fails the whole call (every item is retried, and a message that went out
 * is then answered DUPLICATE by the ledger, as for a single run retried after its send).
 */
final class StepBatch {
  private static final Logger log = LoggerFactory.getLogger(JourneyScheduler.class);

  private final Clock clock;
  private final JourneyStore store;
  private final Journeys journeys;
  private final StepExecutor steps;
  private final EnrolmentRun run;
  private final Optional<Dispatcher> dispatcher;

  /** Told of an item retried after a failure whose enrolment has finished (the calendar). */
  private final Consumer<Enrolment> retriedFinished;

  /** The journeys' calendar, whose SENT records of the first steps are written together. */
  private final Optional<JourneyCalendar> calendar;

  StepBatch(
      Clock clock,
      JourneyStore store,
      Journeys journeys,
      StepExecutor steps,
      EnrolmentRun run,
      Optional<Dispatcher> dispatcher,
      Consumer<Enrolment> retriedFinished,
      Optional<JourneyCalendar> calendar) {
    this.clock = clock;
    this.store = store;
    this.journeys = journeys;
    this.steps = steps;
    this.run = run;
    this.dispatcher = dispatcher;
    this.retriedFinished = retriedFinished;
    this.calendar = calendar;
  }

  /** Runs the claimed items; their answers in their order. */
  List<Next> handle(List<WorkContext<Integer>> work) {
    Instant now = clock.instant();
    int n = work.size();
    List<Optional<Enrolment>> enrolments = new ArrayList<>(n);
    List<Optional<ContactProfile>> profiles = new ArrayList<>(n);
    read(work, enrolments, profiles);

    // the plan: which items certainly begin with which message
    StepExecutor.PlannedSend[] planned = new StepExecutor.PlannedSend[n];
    if (dispatcher.isPresent()) {
      plan(work, enrolments, profiles, now, planned);
    }
    DispatchResult[] results = dispatchPlanned(work, planned);

    // the planned items' first steps, their changes stored together after all are known
    PlannedSender[] senders = new PlannedSender[n];
    EnrolmentRun.Run[] runs = new EnrolmentRun.Run[n];
    Next[] answers = new Next[n];
    // pgstep: the SENT records of the first steps' messages, kept and written with their changes
    List<List<JourneyCalendar.Handed>> handed = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<JourneyCalendar.Handed> kept = new ArrayList<>(1);
      handed.add(kept);
      if (planned[i] != null) {
        senders[i] = new PlannedSender(steps.sending(work.get(i)), planned[i], results[i]);
        int k = i;
        java.util.function.Supplier<Void> first =
            () -> {
              begin(
                  work.get(k),
                  enrolments.get(k),
                  profiles.get(k),
                  now,
                  senders[k],
                  k,
                  runs,
                  answers);
              return null;
            };
        if (calendar.isPresent()) {
          calendar.get().keepingSent(kept, first);
        } else {
          first.get();
        }
      }
    }
    Stored stored = storeFirst(runs, handed);

    // pgstep: the runs' further steps in turns, each turn's changes stored together as the first
    while (stored != null) {
      stored = nextTurn(work, runs, answers, stored, handed);
    }
    List<Next> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (planned[i] == null) {
        out.add(runOne(work.get(i), enrolments.get(i), profiles.get(i), now, null, null));
      } else {
        out.add(finish(answers[i], planned[i], results[i], senders[i]));
      }
    }
    return out;
  }

  /**
   * One turn of the planned items' runs after their changes were {@code stored}: each run still
   * going on goes to its next step's change (its sends and other effects happen, as alone, after
   * its last change was stored), and those changes are stored together as the first ones are
   * ({@link #storeFirst}, with the SENT records of the turn's sends); null when no run goes on. A
   * run that ends, or fails (a retry), has its answer.
   */
  @SuppressWarnings("try") // the scope is read through its thread
  private Stored nextTurn(
      List<WorkContext<Integer>> work,
      EnrolmentRun.Run[] runs,
      Next[] answers,
      Stored stored,
      List<List<JourneyCalendar.Handed>> handed) {
    int n = runs.length;
    EnrolmentRun.Run[] turn = new EnrolmentRun.Run[n];
    boolean any = false;
    for (int i = 0; i < n; i++) {
      handed.get(i).clear();
      EnrolmentRun.Run r = runs[i];
      if (r == null || answers[i] != null) {
        continue;
      }
      WorkContext<Integer> ctx = work.get(i);
      if (stored.failed[i] != null) {
        answers[i] = retry(ctx, stored.failed[i]);
        continue;
      }
      boolean advanced = stored.advanced[i];
      Optional<Next> ended;
      try (StepScope scope = StepScope.open()) {
        StepScope.at(r.enrolment());
        r.profile().ifPresent(StepScope::saw);
        ended =
            calendar.isPresent()
                ? calendar.get().keepingSent(handed.get(i), () -> run.toNext(r, advanced))
                : run.toNext(r, advanced);
      } catch (RuntimeException e) {
        answers[i] = retry(ctx, e);
        continue;
      }
      if (ended.isPresent()) {
        answers[i] = ended.get();
      } else {
        turn[i] = r;
        any = true;
      }
    }
    boolean anyHanded = false;
    for (List<JourneyCalendar.Handed> h : handed) {
      anyHanded |= !h.isEmpty();
    }
    if (!any && !anyHanded) {
      return null;
    }
    Stored next = storeFirst(turn, handed);
    return any ? next : null;
  }

  private static Next retry(WorkContext<Integer> ctx, Throwable e) {
    log.warn("journey step {} failed; it is retried", ctx.item().key(), e);
    return Next.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  /** A planned item's answer; its planned message, if its run did not take it up, settled. */
  private Next finish(
      Next answer, StepExecutor.PlannedSend plan, DispatchResult result, PlannedSender sending) {
    if (!sending.takenUp) {
      settle(plan, result);
    }
    return answer;
  }

  /** Begins a planned item's run up to its first step's change: its run, or its answer. */
  @SuppressWarnings("try") // the scope is read through its thread
  private void begin(
      WorkContext<Integer> ctx,
      Optional<Enrolment> enrolment,
      Optional<ContactProfile> profile,
      Instant now,
      PlannedSender sending,
      int i,
      EnrolmentRun.Run[] runs,
      Next[] answers) {
    try (StepScope scope = StepScope.open()) {
      if (ctx.item().attempts() > 0
          && enrolment.isPresent()
          && enrolment.get().state().finished()) {
        retriedFinished.accept(enrolment.get());
      }
      EnrolmentRun.Begun b =
          run.begin(
              ctx, Optional.of(new EnrolmentRun.Prefetched(enrolment, profile, now)), sending);
      if (b.ended().isPresent()) {
        answers[i] = b.ended().get();
      } else {
        runs[i] = b.run();
      }
    } catch (RuntimeException e) {
      log.warn("journey step {} failed; it is retried", ctx.item().key(), e);
      answers[i] = Next.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /**
   * What became of the first changes of a batch's runs, by item: applied or not (null: not known),
   * their hooks told, the failure of one that must be retried.
   */
  private static final class Stored {
    final Boolean[] advanced;
    final boolean[] hooked;
    final Throwable[] failed;
    int calls;

    /** Whether the kept SENT records were written (by the first pass, and not rolled back). */
    boolean recorded;

    /** The item whose hooks the first pass is telling, -1 if none. */
    int hooking = -1;

    Stored(int n) {
      advanced = new Boolean[n];
      hooked = new boolean[n];
      failed = new Throwable[n];
    }
  }

  /**
   * Stores the first changes of the begun runs (or, for a later turn, their next changes) in ONE
   * {@link JourneyStore#together} unit, with the SENT records the runs' steps kept: one {@link
   * JourneyStore#advanceAll}, then the hooks of those applied (inside the unit, as a run alone
   * tells them). A unit that fails is rolled back and its writes run again by the store: that rerun
   * stores each change alone, in a unit of its own, as a run alone does, and one item's failure is
   * that item's alone. A store without units that fails part way (its writes are not undone) has
   * each change whose fate is not known stored alone, and the hooks of the applied ones not told
   * yet told.
   */
  private Stored storeFirst(EnrolmentRun.Run[] runs, List<List<JourneyCalendar.Handed>> handed) {
    Stored o = new Stored(runs.length);
    List<Integer> at = new ArrayList<>();
    boolean anyHanded = false;
    for (int i = 0; i < runs.length; i++) {
      if (runs[i] != null) {
        at.add(i);
      }
      anyHanded |= !handed.get(i).isEmpty();
    }
    if (at.isEmpty() && !anyHanded) {
      return o;
    }
    try {
      store.together(
          () -> {
            if (o.calls++ == 0) {
              recordAll(o, handed);
              storeAll(o, at, runs);
            } else {
              java.util.Arrays.fill(o.failed, null); // the first pass's failures were rolled back
              recordEachAlone(o, handed);
              storeEachAlone(o, at, runs);
            }
            return null;
          });
    } catch (RuntimeException x) {
      // no unit undid the writes: finish alone what the first pass left
      log.debug("storing a batch's first changes failed part way; the rest is stored alone", x);
      if (!o.recorded) {
        recordEachAlone(o, handed); // before any change it left, as a run alone records first
      }
      if (o.hooking >= 0 && !o.hooked[o.hooking]) {
        o.failed[o.hooking] = x; // its hook failed after its change was applied, as alone
        o.hooked[o.hooking] = true;
      }
      for (int i : at) {
        if (o.failed[i] != null) {
          continue;
        }
        if (o.advanced[i] == null && appliedBefore(runs[i])) {
          o.advanced[i] = true; // rb2: applied before the store failed, its hooks not told yet
        }
        if (o.advanced[i] == null) {
          storeOneAlone(o, i, runs[i]);
        } else if (o.advanced[i] && !o.hooked[i]) {
          try {
            run.recordedFor(runs[i]);
            o.hooked[i] = true;
          } catch (RuntimeException e) {
            o.failed[i] = e;
          }
        }
      }
    }
    return o;
  }

  /**
   * The first pass's SENT records of the messages the first steps handed over (kept by {@link
   * JourneyCalendar#keepingSent}): one set-based write, in the unit with the changes, before them
   * as a run alone records its send before it stores its change.
   */
  private void recordAll(Stored o, List<List<JourneyCalendar.Handed>> handed) {
    if (calendar.isEmpty()) {
      return;
    }
    List<JourneyCalendar.Handed> all = new ArrayList<>();
    handed.forEach(all::addAll);
    if (!all.isEmpty()) {
      calendar.get().recordKept(all);
    }
    o.recorded = true;
  }

  /**
   * The SENT records written each alone (the rerun after the unit rolled back, or what a store
   * without units left): an item whose record fails is retried, its change not stored, as a run
   * alone whose record failed.
   */
  private void recordEachAlone(Stored o, List<List<JourneyCalendar.Handed>> handed) {
    o.recorded = false;
    if (calendar.isEmpty()) {
      return;
    }
    for (int i = 0; i < handed.size(); i++) {
      for (JourneyCalendar.Handed h : handed.get(i)) {
        try {
          calendar.get().recordKeptAlone(h);
        } catch (RuntimeException e) {
          o.failed[i] = e;
        }
      }
    }
    o.recorded = true;
  }

  /** The first pass: all changes in one call, then the hooks of the applied ones. */
  private void storeAll(Stored o, List<Integer> at, EnrolmentRun.Run[] runs) {
    if (at.isEmpty()) {
      return;
    }
    List<JourneyStore.Advance> changes = new ArrayList<>(at.size());
    for (int i : at) {
      Change c = runs[i].change();
      changes.add(new JourneyStore.Advance(c.next(), c.entry()));
    }
    List<Boolean> applied = store.advanceAll(changes);
    if (applied == null || applied.size() != changes.size()) {
      throw new IllegalStateException(
          "the journey store answered "
              + (applied == null ? "nothing" : applied.size() + " results")
              + " for "
              + changes.size()
              + " changes");
    }
    for (int j = 0; j < at.size(); j++) {
      o.advanced[at.get(j)] = applied.get(j);
    }
    for (int i : at) {
      if (o.advanced[i]) {
        o.hooking = i;
        try {
          run.recordedFor(runs[i]); // analytics hook (issue 14): buffered in the unit
        } catch (Error e) {
          // rb2: a hook's Error (a listener's own bug) is its item's failure, as alone it fails
          // that run only; thrown on, it left the later applied changes of the batch untold
          log.warn("a hook of journey step {} threw an Error", runs[i].ctx.item().key(), e);
          o.failed[i] = e;
        }
        o.hooked[i] = true;
      }
    }
    o.hooking = -1;
  }

  /**
   * Whether a run's change is what the store holds: a store without units that failed part way may
   * have applied it (rb2). Stored alone again it would lose its compare-and-set to itself and its
   * hooks would never be told. Only for a change whose hooks were certainly not told (a unit rolled
   * back and run again, or a lost commit, must not tell them twice); false if not known.
   */
  private boolean appliedBefore(EnrolmentRun.Run r) {
    Enrolment next = r.change().next();
    try {
      return store.find(next.tenant(), next.id()).filter(next::equals).isPresent();
    } catch (RuntimeException e) {
      log.debug("journey enrolment {} could not be read after a failed store", next.id(), e);
      return false;
    }
  }

  /** The rerun after the unit rolled back: each change alone, one item's failure its own. */
  private void storeEachAlone(Stored o, List<Integer> at, EnrolmentRun.Run[] runs) {
    java.util.Arrays.fill(o.advanced, null);
    java.util.Arrays.fill(o.hooked, false);
    o.hooking = -1;
    for (int i : at) {
      if (o.failed[i] == null) { // not one whose record failed
        storeOneAlone(o, i, runs[i]);
      }
    }
  }

  private void storeOneAlone(Stored o, int i, EnrolmentRun.Run r) {
    try {
      o.advanced[i] = run.storeAlone(r);
      o.hooked[i] = true;
    } catch (RuntimeException e) {
      o.failed[i] = e;
    }
  }

  /** The items' enrolments and their contacts' profiles: two reads per tenant. */
  private void read(
      List<WorkContext<Integer>> work,
      List<Optional<Enrolment>> enrolments,
      List<Optional<ContactProfile>> profiles) {
    Map<TenantId, Set<String>> idsByTenant = new LinkedHashMap<>();
    for (WorkContext<Integer> w : work) {
      idsByTenant
          .computeIfAbsent(w.item().key().tenant(), t -> new LinkedHashSet<>())
          .add(w.item().key().id());
    }
    Map<TenantId, Map<String, Enrolment>> found = new HashMap<>();
    Map<TenantId, Map<ContactId, ContactProfile>> people = new HashMap<>();
    idsByTenant.forEach(
        (tenant, ids) -> {
          Map<String, Enrolment> es = store.findAll(tenant, ids);
          found.put(tenant, es);
          Set<ContactId> contacts = new LinkedHashSet<>();
          es.values().forEach(e -> contacts.add(e.contact()));
          people.put(tenant, contacts.isEmpty() ? Map.of() : store.contacts(tenant, contacts));
        });
    for (WorkContext<Integer> w : work) {
      TenantId tenant = w.item().key().tenant();
      Optional<Enrolment> e = Optional.ofNullable(found.get(tenant).get(w.item().key().id()));
      enrolments.add(e);
      profiles.add(e.map(x -> people.get(tenant).get(x.contact())));
    }
  }

  private void plan(
      List<WorkContext<Integer>> work,
      List<Optional<Enrolment>> enrolments,
      List<Optional<ContactProfile>> profiles,
      Instant now,
      StepExecutor.PlannedSend[] planned) {
    Map<List<String>, Integer> perContact = new HashMap<>();
    for (Optional<Enrolment> e : enrolments) {
      e.ifPresent(x -> perContact.merge(contactKey(x), 1, Integer::sum));
    }
    for (int i = 0; i < work.size(); i++) {
      Optional<Enrolment> e = enrolments.get(i);
      Optional<ContactProfile> p = profiles.get(i);
      if (e.isEmpty() || p.isEmpty() || perContact.get(contactKey(e.get())) != 1) {
        continue;
      }
      // a send step is no wait for an event, so no deferred message holds it (DeferredHold)
      Optional<JourneyDefinition> d = journeys.of(e.get());
      if (d.isPresent()) {
        try {
          planned[i] = steps.plan(d.get(), e.get(), p.get(), now).orElse(null);
        } catch (RuntimeException e2) {
          // rbatch: not planned; its run meets the failure alone and is retried alone, while
          // the batch's other items go on (a throw here failed the whole batch)
          log.debug("journey step {} could not be planned", work.get(i).item().key(), e2);
        }
      }
    }
  }

  private static List<String> contactKey(Enrolment e) {
    return List.of(e.tenant().value(), e.contact().value());
  }

  /**
   * Hands the planned messages whose claims still stand to the pipeline in one call; the result of
   * each at its item's place. An item whose claim is gone is planned no more: its run finds the
   * claim gone before its send, as alone.
   */
  @SuppressWarnings("try") // the scope is read through its thread
  private DispatchResult[] dispatchPlanned(
      List<WorkContext<Integer>> work, StepExecutor.PlannedSend[] planned) {
    DispatchResult[] results = new DispatchResult[work.size()];
    List<WorkContext<Integer>> asking = new ArrayList<>();
    for (int i = 0; i < work.size(); i++) {
      if (planned[i] != null) {
        asking.add(work.get(i));
      }
    }
    if (asking.isEmpty()) {
      return results;
    }
    Set<WorkContext<Integer>> held =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    held.addAll(WorkContext.claimsHeld(asking));
    List<Integer> at = new ArrayList<>();
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < work.size(); i++) {
      if (planned[i] == null) {
        continue;
      }
      if (!held.contains(work.get(i))) {
        planned[i] = null;
        continue;
      }
      at.add(i);
      messages.add(planned[i].message());
    }
    if (messages.isEmpty()) {
      return results;
    }
    List<DispatchResult> answered;
    try (StepScope scope = StepScope.open()) { // the pipeline's listeners find the enrolments read
      List<Enrolment> read = new ArrayList<>(at.size());
      at.forEach(i -> read.add(planned[i].enrolment()));
      StepScope.sawAll(read);
      answered = dispatcher.orElseThrow().dispatchAll(messages);
    }
    if (answered == null || answered.size() != messages.size()) {
      throw new IllegalStateException(
          "the dispatcher answered "
              + (answered == null ? "nothing" : answered.size() + " results")
              + " for "
              + messages.size()
              + " messages");
    }
    for (int j = 0; j < at.size(); j++) {
      results[at.get(j)] = answered.get(j);
    }
    return results;
  }

  private Next runOne(
      WorkContext<Integer> ctx,
      Optional<Enrolment> enrolment,
      Optional<ContactProfile> profile,
      Instant now,
      StepExecutor.PlannedSend plan,
      DispatchResult result) {
    PlannedSender sending = new PlannedSender(steps.sending(ctx), plan, result);
    try {
      if (ctx.item().attempts() > 0
          && enrolment.isPresent()
          && enrolment.get().state().finished()) {
        retriedFinished.accept(enrolment.get());
      }
      return run.handle(
          ctx, Optional.of(new EnrolmentRun.Prefetched(enrolment, profile, now)), sending);
    } catch (RuntimeException e) {
      log.warn("journey step {} failed; it is retried", ctx.item().key(), e);
      return Next.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      if (plan != null && !sending.takenUp) {
        settle(plan, result);
      }
    }
  }

  /** A planned message handed over whose run did not take it up: as a send whose change lost. */
  private void settle(StepExecutor.PlannedSend plan, DispatchResult result) {
    log.debug(
        "journey enrolment {}: message {} was handed over ahead of its run, which did not take it"
            + " up; settled as a send whose change lost",
        plan.enrolment().id(),
        plan.message().id());
    try {
      steps.notTakenUp(plan, result, clock.instant());
    } catch (RuntimeException e) {
      log.warn("settling message {} handed over ahead of its run failed", plan.message().id(), e);
    }
  }

  /**
   * A run's sending that answers the planned message with the result it was given, once, and hands
   * anything else to the pipeline as alone.
   */
  private static final class PlannedSender implements StepExecutor.Sending {
    private final StepExecutor.Sending alone;
    private final Optional<MessageId> planned;
    private final String key;
    private final DispatchResult result;
    private boolean takenUp;

    PlannedSender(
        StepExecutor.Sending alone, StepExecutor.PlannedSend plan, DispatchResult result) {
      this.alone = alone;
      this.planned = plan == null ? Optional.empty() : Optional.of(plan.message().id());
      this.key = plan == null ? "" : plan.message().idempotencyKey();
      this.result = result;
    }

    @Override
    public DispatchResult send(Message m) {
      if (!takenUp
          && planned.isPresent()
          && planned.get().equals(m.id())
          && key.equals(m.idempotencyKey())) {
        takenUp = true;
        return result;
      }
      return alone.send(m);
    }
  }
}
