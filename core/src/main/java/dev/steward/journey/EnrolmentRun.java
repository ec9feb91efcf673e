package dev.steward.journey;

import dev.steward.schedule.Next;
import dev.steward.schedule.WorkContext;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work handler of journey steps: loads the enrolment an item wakes, runs every step that is due
 * (each change a compare-and-set on the enrolment's sequence number) and reschedules the item at
 * the next due time.
 */
final class EnrolmentRun {
  private static final Logger log = LoggerFactory.getLogger(JourneyScheduler.class);

  private final Clock clock;
  private final JourneyStore store;
  private final Journeys journeys;
  private final StepExecutor steps;
  private final Signals signals;
  private final DeferredHold hold;

  private final java.util.function.BiConsumer<Enrolment, HistoryEntry> recorded;

  /** Told of an enrolment found gone after its step ran (see {@link JourneyCalendar#gone}). */
  private final java.util.function.Consumer<Enrolment> gone;

  EnrolmentRun(
      Clock clock,
      JourneyStore store,
      Journeys journeys,
      StepExecutor steps,
      Signals signals,
      DeferredHold hold,
      java.util.function.BiConsumer<Enrolment, HistoryEntry> recorded,
      java.util.function.Consumer<Enrolment> gone) {
    this.recorded = recorded; // analytics hook (issue 14)
    this.gone = gone;
    this.clock = clock;
    this.store = store;
    this.journeys = journeys;
    this.steps = steps;
    this.signals = signals;
    this.hold = hold;
  }

  /**
   * What a batch read for one item before its run: its enrolment (empty: none is stored), its
   * contact's profile (empty: none), and the instant its first step runs at (the one its send was
   * planned at).
   */
  record Prefetched(Optional<Enrolment> enrolment, Optional<ContactProfile> profile, Instant at) {}

  /** Runs the enrolment of a claimed item. */
  Next handle(WorkContext<Integer> ctx) {
    return handle(ctx, Optional.empty(), steps.sending(ctx));
  }

  /**
   * Runs the enrolment of a claimed item from what a batch read for it, its first step with that
   * profile at that instant, sending through {@code sending}. Later steps of the run keep the
   * profile until a step updates an attribute or the enrolment is found changed by another.
   */
  @SuppressWarnings("try") // the scope is read through its thread
  Next handle(WorkContext<Integer> ctx, Optional<Prefetched> read, StepExecutor.Sending sending) {
    try (StepScope scope = StepScope.open()) { // pgtx: what the step read, for its hooks
      return run(ctx, read, sending);
    }
  }

  /**
   * A run under way: the enrolment as it goes, the profile it may keep, the steps it ran, and the
   * change of its current step while that is not stored yet.
   */
  static final class Run {
    final WorkContext<Integer> ctx;
    final Optional<Prefetched> read;
    final StepExecutor.Sending sending;
    Enrolment e;

    /** The profile later steps use; null: read the store. */
    Optional<ContactProfile> known;

    int n;
    Instant now;
    Change change;

    Run(
        WorkContext<Integer> ctx,
        Optional<Prefetched> read,
        StepExecutor.Sending sending,
        Enrolment e) {
      this.ctx = ctx;
      this.read = read;
      this.sending = sending;
      this.e = e;
      this.known = read.map(Prefetched::profile).orElse(null);
    }

    /** The enrolment as its current step began. */
    Enrolment enrolment() {
      return e;
    }

    /** The change of its current step, not stored yet. */
    Change change() {
      return change;
    }

    /** The profile the current step used, if the run keeps it. */
    Optional<ContactProfile> profile() {
      return known == null ? Optional.empty() : known;
    }
  }

  /** A run begun: its answer if it ended before any change, else the run at its first change. */
  record Begun(Optional<Next> ended, Run run) {}

  private Next run(
      WorkContext<Integer> ctx, Optional<Prefetched> read, StepExecutor.Sending sending) {
    Begun b = begin(ctx, read, sending);
    if (b.ended().isPresent()) {
      return b.ended().get();
    }
    Run r = b.run();
    Change c = r.change;
    return goOn(r, store.together(() -> advanced(c))); // pgtx: one commit where the store can
  }

  /**
   * Begins a run up to its first step's change, storing nothing (the step's own effects happen: a
   * message sent, an attribute set): run it in a {@link StepScope}, then store the change and go on
   * with {@link #goOn}.
   */
  Begun begin(WorkContext<Integer> ctx, Optional<Prefetched> read, StepExecutor.Sending sending) {
    WorkKey k = ctx.item().key();
    Optional<Enrolment> found =
        read.isPresent() ? read.get().enrolment() : store.find(k.tenant(), k.id());
    if (found.isEmpty()) {
      return new Begun(Optional.of(Next.done()), null); // erased
    }
    Run r = new Run(ctx, read, sending, found.get());
    Optional<Next> ended = toChange(r);
    return new Begun(ended, ended.isPresent() ? null : r);
  }

  /**
   * Goes on with a run whose current change was stored ({@code advanced}) or lost its
   * compare-and-set (not), running every further due step, each stored alone: run it in a {@link
   * StepScope}.
   */
  Next goOn(Run r, boolean advanced) {
    while (true) {
      Optional<Next> ended = toNext(r, advanced);
      if (ended.isPresent()) {
        return ended.get();
      }
      Change c = r.change;
      advanced = store.together(() -> advanced(c)); // pgtx: one commit where the store can
    }
  }

  /**
   * Goes on with a run whose current change was stored ({@code advanced}) or lost its
   * compare-and-set (not) up to its next step's change, storing nothing (in {@code r.change}), or
   * the run's answer: one turn of {@link #goOn}, for a batch that stores its runs' next changes
   * together. Run it in a {@link StepScope}.
   */
  Optional<Next> toNext(Run r, boolean advanced) {
    Optional<Next> ended = afterStore(r, advanced);
    if (ended.isPresent()) {
      return ended;
    }
    r.n++;
    if (r.n >= JourneyScheduler.MAX_STEPS_PER_RUN) {
      // a long chain with no wait (validation refuses loops without one): go on in the next
      // run, so one run stays short and the steps still all happen
      return Optional.of(r.ctx.rescheduleAt(clock.instant(), r.e.seq()));
    }
    return toChange(r);
  }

  /**
   * Calls the hooks of a change stored with others ({@link JourneyStore#advanceAll}) for a run, in
   * the run's scope as its own store would.
   */
  @SuppressWarnings("try") // the scope is read through its thread
  void recordedFor(Run r) {
    try (StepScope scope = StepScope.open()) {
      StepScope.at(r.e);
      r.profile().ifPresent(StepScope::saw);
      recorded.accept(r.change.next(), r.change.entry()); // analytics hook (issue 14)
    }
  }

  /**
   * Stores the change of a run alone, as a run alone does, and tells the hooks of it (in the run's
   * scope); true if applied.
   */
  @SuppressWarnings("try") // the scope is read through its thread
  boolean storeAlone(Run r) {
    Change c = r.change;
    try (StepScope scope = StepScope.open()) {
      StepScope.at(r.e);
      r.profile().ifPresent(StepScope::saw);
      return store.together(() -> advanced(c));
    }
  }

  /** The run's current step up to its change (in {@code r.change}), or the run's answer. */
  private Optional<Next> toChange(Run r) {
    Enrolment e = r.e;
    StepScope.at(e); // pgtx
    if (e.state().finished()) {
      return Optional.of(Next.done());
    }
    boolean first = r.n == 0 && r.read.isPresent();
    Instant now = first ? r.read.get().at() : clock.instant();
    r.now = now;
    if (e.dueAt().isAfter(now)) {
      return Optional.of(r.ctx.rescheduleAt(e.dueAt(), e.seq()));
    }
    Optional<JourneyDefinition> d = journeys.of(e);
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
            now.plus(JourneyScheduler.UNKNOWN_VERSION_RECHECK));
        return Optional.of(
            r.ctx.rescheduleAt(now.plus(JourneyScheduler.UNKNOWN_VERSION_RECHECK), e.seq()));
      }
      c = withdrawn.get();
      log.warn(
          "journey enrolment {} of tenant {} exits: {}",
          e.id(),
          e.tenant(),
          c.next().exitReason().orElse(""));
    } else {
      Optional<WorkItem> held = hold.heldMessage(d.get(), e, now);
      if (held.isPresent() && !held.get().dueAt().isAfter(e.dueAt())) {
        // due to go out about now: the wait begins once it has
        return Optional.of(r.ctx.rescheduleAt(now.plus(JourneyScheduler.HELD_RECHECK), e.seq()));
      } else if (held.isPresent()) {
        c = DeferredHold.holdFor(e, held.get(), now);
      } else {
        try {
          Optional<ContactProfile> profile =
              r.known != null ? r.known : store.contact(e.tenant(), e.contact());
          c = steps.step(d.get(), e, now, r.sending, profile);
          if (r.read.isPresent()) {
            r.known = c.entry().outcome() == StepOutcome.UPDATED ? null : profile;
          }
        } catch (StepExecutor.ClaimLost lost) {
          return Optional.of(Next.retry(lost.getMessage()));
        }
      }
    }
    r.change = c;
    return Optional.empty();
  }

  /** After the run's change was stored or lost: the run's answer if it ends here. */
  private Optional<Next> afterStore(Run r, boolean advanced) {
    WorkKey k = r.ctx.item().key();
    Change c = r.change;
    Instant now = r.now;
    if (advanced) {
      r.e = c.next();
      Optional<Change> early = signals.signalledBefore(r.e, now);
      if (early.isPresent()) {
        if (store.advance(early.get().next(), early.get().entry())) {
          r.e = early.get().next();
          recorded.accept(early.get().next(), early.get().entry()); // analytics hook
        } else { // the event's own listener resumed it meanwhile
          Optional<Enrolment> again = store.find(k.tenant(), k.id());
          if (again.isEmpty()) {
            return Optional.of(Next.done());
          }
          r.e = again.get();
        }
      }
    } else {
      // changed meanwhile (an event resumed it, another runner ran it): go on from what it is,
      // and from its contact's profile as it is now (another run may have updated it)
      r.known = null;
      Optional<Enrolment> again = store.find(k.tenant(), k.id());
      if (again.isEmpty()) {
        // erased while the step ran: what the step wrote may have come after the erasure
        gone.accept(r.e);
        return Optional.of(Next.done());
      }
      r.e = again.get();
    }
    return Optional.empty();
  }

  /** Stores a step's change and tells the hooks of it (run as one unit where the store can). */
  private boolean advanced(Change c) {
    if (!store.advance(c.next(), c.entry())) {
      return false;
    }
    recorded.accept(c.next(), c.entry()); // analytics hook (issue 14)
    return true;
  }

  /**
   * The exit of an enrolment whose journey version this scheduler does not register, if it is
   * withdrawn: a newer version of the journey is registered (the deploy dropped the old one), or
   * the version has been unknown for {@link JourneyScheduler#UNKNOWN_VERSION_GRACE} past the
   * enrolment's due time. Empty while a version newer than all registered ones, or of a journey not
   * registered at all, may belong to another instance of a rolling deploy.
   */
  private Optional<Change> withdrawn(Enrolment e, Instant now) {
    Optional<Integer> newest = journeys.newestVersion(e.journey());
    String which = "journey '" + e.journey() + "' version " + e.version();
    if (newest.isPresent() && newest.get() > e.version()) {
      return Optional.of(
          Change.exit(
              e,
              e.step(),
              now,
              which + " was withdrawn (the newest registered is " + newest.get() + ")"));
    }
    if (!now.isBefore(e.dueAt().plus(JourneyScheduler.UNKNOWN_VERSION_GRACE))) {
      return Optional.of(
          Change.exit(
              e,
              e.step(),
              now,
              which
                  + " was withdrawn (still unknown "
                  + JourneyScheduler.UNKNOWN_VERSION_GRACE.toHours()
                  + " hours after the enrolment was due)"));
    }
    return Optional.empty();
  }
}
