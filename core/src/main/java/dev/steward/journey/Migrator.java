package dev.steward.journey;

import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkItem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the enrolments of one journey version to another by a {@link JourneyMigration}: each as a
 * compare-and-set on the enrolment with a MIGRATED history entry, so that two instances migrating
 * at once, or an event resuming the enrolment meanwhile, move it once.
 *
 * <p>An enrolment whose run may be under way is left alone: a run that sent its step's message and
 * then lost its compare-and-set to the migration would go on from the mapped step and could send
 * again. Runs start only when the enrolment's work item is due, so an enrolment moves only while
 * its item and itself are due later than {@link #MARGIN} from now; one due sooner is reported as
 * skipped, to be migrated by a later call once it has run.
 */
final class Migrator {
  private static final Logger log = LoggerFactory.getLogger(JourneyScheduler.class);

  /** How far in the future an enrolment's next run must be for it to move now. */
  static final Duration MARGIN = Duration.ofMinutes(1);

  /** How often a compare-and-set lost to the enrolment's own change is tried again. */
  static final int ATTEMPTS = 3;

  static final int PAGE = 500;

  private final Clock clock;
  private final JourneyStore store;
  private final Journeys journeys;
  private final JourneyWork work;
  private final BiConsumer<Enrolment, HistoryEntry> recorded;

  Migrator(
      Clock clock,
      JourneyStore store,
      Journeys journeys,
      JourneyWork work,
      BiConsumer<Enrolment, HistoryEntry> recorded) {
    this.clock = clock;
    this.store = store;
    this.journeys = journeys;
    this.work = work;
    this.recorded = recorded;
  }

  MigrationReport migrate(TenantId tenant, JourneyMigration m) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(m, "migration");
    JourneyDefinition from = registered(m, m.fromVersion());
    JourneyDefinition to = registered(m, m.toVersion());
    m.check(from, to);
    List<String> moved = new ArrayList<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    Optional<Enrolment> after = Optional.empty();
    while (true) {
      List<Enrolment> page = store.dueBefore(StoreLimits.MAX_INSTANT, after, PAGE);
      for (Enrolment e : page) {
        if (e.tenant().equals(tenant)
            && e.journey().equals(m.journey())
            && e.version() == m.fromVersion()) {
          Optional<String> problem = one(e, m, from, to);
          if (problem.isEmpty()) {
            moved.add(e.id());
          } else {
            skipped.put(e.id(), problem.get());
          }
        } else if (e.tenant().equals(tenant)
            && e.journey().equals(m.journey())
            && e.version() == m.toVersion()) {
          // moved by an earlier call that failed before its reschedule: its item may still be due
          // at the old version's time (a wait the new version dropped)
          work.ensureDue(e);
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      after = Optional.of(page.get(page.size() - 1));
    }
    log.info(
        "journey migration {} of tenant {}: {} moved, {} skipped",
        m.name(),
        tenant,
        moved.size(),
        skipped.size());
    return new MigrationReport(m.name(), moved, skipped);
  }

  private JourneyDefinition registered(JourneyMigration m, int version) {
    return journeys
        .version(m.journey(), version)
        .orElseThrow(
            () ->
                new InvalidJourneyException(
                    "migration "
                        + m.name()
                        + ": journey '"
                        + m.journey()
                        + "' version "
                        + version
                        + " is not registered with the scheduler"));
  }

  /** Moves one enrolment; empty if moved, else why not. */
  private Optional<String> one(
      Enrolment e, JourneyMigration m, JourneyDefinition from, JourneyDefinition to) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (e.state().finished()) {
        return Optional.of("finished (" + e.state() + ") before it could move");
      }
      if (e.version() == m.toVersion()) {
        return Optional.of("already on version " + m.toVersion() + " (moved by another call)");
      }
      if (e.version() != m.fromVersion()) {
        return Optional.of("on version " + e.version());
      }
      Optional<Step> old = from.step(e.step());
      if (old.isEmpty()) {
        return Optional.of("stands at step '" + e.step() + "', which the old version lacks");
      }
      if (e.state() == EnrolmentState.WAITING && old.get() instanceof Step.HumanTask) {
        return Optional.of(
            "waits on the human task of step '"
                + e.step()
                + "', which belongs to this version; migrate again once the task is done");
      }
      Instant now = clock.instant();
      Instant due = e.dueAt();
      Optional<WorkItem> item = work.store().find(JourneyWork.key(e));
      if (item.isPresent() && item.get().dueAt().isBefore(due)) {
        due = item.get().dueAt();
      }
      if (!due.isAfter(now.plus(MARGIN))) {
        return Optional.of(
            "due at " + due + ", so its run may be under way; migrate again once it has run");
      }
      Step target = to.step(m.target(e.step()).orElseThrow()).orElseThrow();
      EnrolmentState state;
      Instant dueAt;
      if (e.state() == EnrolmentState.WAITING) {
        // a wait for an event: check() allows only another wait for an event
        state = EnrolmentState.WAITING;
        dueAt = e.dueAt();
      } else {
        state = EnrolmentState.ACTIVE;
        dueAt = keepsItsWait(e, m, from, to) ? e.dueAt() : now;
      }
      Enrolment next = e.migrated(m.toVersion(), target.id(), state, dueAt, now);
      HistoryEntry entry =
          new HistoryEntry(
              next.seq(),
              target.id(),
              now,
              StepOutcome.MIGRATED,
              "migration "
                  + m.name()
                  + ": step '"
                  + e.step()
                  + "' to '"
                  + target.id()
                  + "', "
                  + (dueAt.equals(now) ? "due now" : "due at " + dueAt + " as before"));
      if (store.advance(next, entry)) {
        work.replace(next);
        recorded.accept(next, entry);
        return Optional.empty();
      }
      // changed meanwhile (an event, a task, another migration): look again
      Optional<Enrolment> again = store.find(e.tenant(), e.id());
      if (again.isEmpty()) {
        return Optional.of("erased while migrating");
      }
      e = again.get();
    }
    return Optional.of(
        "changed " + ATTEMPTS + " times while migrating; migrate again once it is quiet");
  }

  /**
   * True if an active enrolment's due time was set by a wait (duration, local time, date) right
   * before its step, and the new version maps that wait to a wait of the same kind: it keeps its
   * due time. Any other active enrolment's new step is due now.
   */
  private boolean keepsItsWait(
      Enrolment e, JourneyMigration m, JourneyDefinition from, JourneyDefinition to) {
    List<HistoryEntry> history = store.history(e.tenant(), e.id());
    for (int i = history.size() - 1; i >= 0; i--) {
      HistoryEntry h = history.get(i);
      if (h.outcome() != StepOutcome.WAITING) {
        continue;
      }
      Optional<Step> wait = from.step(h.step());
      if (wait.isEmpty() || !wait.get().targets().contains(e.step())) {
        return false;
      }
      Optional<Step> mapped = m.target(wait.get().id()).flatMap(to::step);
      return mapped.isPresent() && mapped.get().getClass() == wait.get().getClass();
    }
    return false;
  }
}
