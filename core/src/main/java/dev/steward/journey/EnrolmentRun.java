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

  private Next run(
      WorkContext<Integer> ctx, Optional<Prefetched> read, StepExecutor.Sending sending) {
    WorkKey k = ctx.item().key();
    Optional<Enrolment> found =
        read.isPresent() ? read.get().enrolment() : store.find(k.tenant(), k.id());
    if (found.isEmpty()) {
      return Next.done(); // erased
    }
    Enrolment e = found.get();
    // in a batch, the profile read is used by every step of the run that follows a step it can
    // tell changed nothing of it: only an attribute update does (it reads the store again then)
    Optional<ContactProfile> known = read.map(Prefetched::profile).orElse(null);
    for (int n = 0; n < JourneyScheduler.MAX_STEPS_PER_RUN; n++) {
      StepScope.at(e); // pgtx
      if (e.state().finished()) {
        return Next.done();
      }
      boolean first = n == 0 && read.isPresent();
      Instant now = first ? read.get().at() : clock.instant();
      if (e.dueAt().isAfter(now)) {
        return ctx.rescheduleAt(e.dueAt(), e.seq());
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
          return ctx.rescheduleAt(now.plus(JourneyScheduler.UNKNOWN_VERSION_RECHECK), e.seq());
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
          return ctx.rescheduleAt(now.plus(JourneyScheduler.HELD_RECHECK), e.seq());
        } else if (held.isPresent()) {
          c = DeferredHold.holdFor(e, held.get(), now);
        } else {
          try {
            Optional<ContactProfile> profile =
                known != null ? known : store.contact(e.tenant(), e.contact());
            c = steps.step(d.get(), e, now, sending, profile);
            if (read.isPresent()) {
              known = c.entry().outcome() == StepOutcome.UPDATED ? null : profile;
            }
          } catch (StepExecutor.ClaimLost lost) {
            return Next.retry(lost.getMessage());
          }
        }
      }
      if (store.together(() -> advanced(c))) { // pgtx: one commit where the store can
        e = c.next();
        Optional<Change> early = signals.signalledBefore(e, now);
        if (early.isPresent()) {
          if (store.advance(early.get().next(), early.get().entry())) {
            e = early.get().next();
            recorded.accept(early.get().next(), early.get().entry()); // analytics hook
          } else { // the event's own listener resumed it meanwhile
            Optional<Enrolment> again = store.find(k.tenant(), k.id());
            if (again.isEmpty()) {
              return Next.done();
            }
            e = again.get();
          }
        }
      } else {
        // changed meanwhile (an event resumed it, another runner ran it): go on from what it is,
        // and from its contact's profile as it is now (another run may have updated it)
        known = null;
        Optional<Enrolment> again = store.find(k.tenant(), k.id());
        if (again.isEmpty()) {
          // erased while the step ran: what the step wrote may have come after the erasure
          gone.accept(e);
          return Next.done();
        }
        e = again.get();
      }
    }
    // a long chain with no wait (validation refuses loops without one): go on in the next run, so
    // one run stays short and the steps still all happen
    return ctx.rescheduleAt(clock.instant(), e.seq());
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
