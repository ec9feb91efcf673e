package dev.steward.journey;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gives unfinished enrolments whose work item was lost a new one, a page at a time. */
final class StrandedSweep {
  private static final Logger log = LoggerFactory.getLogger(JourneyScheduler.class);

  private final Clock clock;
  private final JourneyStore store;
  private final JourneyWork work;
  private final Object lock = new Object();

  /** Where the sweep's next page starts: after this enrolment, or at the earliest. */
  private Optional<Enrolment> after = Optional.empty();

  StrandedSweep(Clock clock, JourneyStore store, JourneyWork work) {
    this.clock = clock;
    this.store = store;
    this.work = work;
  }

  /** See {@link JourneyScheduler#sweepStranded}. */
  int sweep(int max) {
    synchronized (lock) { // the recurring kind runs one at a time; a caller by hand may not
      List<Enrolment> page =
          store.dueBefore(clock.instant().minus(JourneyScheduler.STRANDED_AFTER), after, max);
      for (Enrolment e : page) {
        if (work.keep(e)) {
          log.warn("journey enrolment {} had no work item; rescheduled", e.id());
        }
      }
      // moved on only once the page is done: a failure looks at the same page again
      after = page.size() < max ? Optional.empty() : Optional.of(page.get(page.size() - 1));
      return page.size();
    }
  }
}
