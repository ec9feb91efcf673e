package dev.steward.benchmarks;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.journey.EnrolResult;
import dev.steward.journey.Enrolment;
import dev.steward.journey.EnrolmentState;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.testing.SettableClock;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import org.openjdk.jol.info.GraphLayout;

/**
 * Heap bytes per waiting enrolment in memory: a Steward over {@link Stores#inMemory} with {@code
 * contacts} profiles, each contact enrolled in a journey of a send, a wait of 30 days and a send,
 * run once (the first send made, the wait begun), so every enrolment waits, as most enrolments of a
 * live journey do. The journey store and the work store (which holds each enrolment's wake-up item)
 * are measured with JOL before the enrolments (profiles only) and after; their growth divided by
 * the enrolments is the cost of a waiting enrolment. The other stores' growth (ledger, send log,
 * analytics: the cost of the send, not of the wait) is printed apart, and the whole heap by {@link
 * MemoryMXBean} after repeated {@code System.gc()} as a check that JOL saw everything. With {@code
 * histogram}, prints the journey store's and the work store's class histograms (JOL's footprint).
 * Arguments: contacts (default 100000), then optionally {@code histogram}. Run with {@code
 * -Djol.magicFieldOffset=true}: the stores hold comparators that are lambdas (hidden classes),
 * whose field offsets JOL otherwise cannot read on JDK 17.
 */
public final class JourneyFootprint {

  static final JourneyDefinition WAITING =
      JourneyFixture.sends("bench-waiting", 2, Optional.of(Duration.ofDays(30)));

  private JourneyFootprint() {}

  /** Enrols the contacts, runs the first step and prints the bytes per waiting enrolment. */
  public static void main(String[] args) {
    int contacts = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    boolean histogram = args.length > 1 && args[1].equals("histogram");
    if (contacts < 1) {
      throw new IllegalArgumentException("need at least 1 contact");
    }
    SettableClock clock = SettableClock.of(Instant.parse("2026-01-05T08:00:00Z"), ZoneOffset.UTC);
    Stores stores = Stores.inMemory(clock);
    JourneyFixture.Tally transport = new JourneyFixture.Tally(contacts, 2);
    Steward steward = JourneyFixture.steward(clock, stores, transport, r -> {}, WAITING);
    JourneyScheduler journeys = JourneyFixture.journeys(steward);
    for (int i = 0; i < contacts; i++) {
      journeys.putContact(JourneyFixture.profile(i));
    }
    steward.runDue(); // the recurring sweeps' first runs, so they are not counted below

    long heap0 = heap();
    long journeys0 = size(stores.journeys());
    long work0 = size(stores.work());
    long both0 = size(stores.journeys(), stores.work());
    long all0 = size(stores);

    for (int i = 0; i < contacts; i++) {
      EnrolResult r =
          journeys.enrol(JourneyFixture.TENANT, JourneyFixture.contact(i), "bench-waiting");
      if (r.status() != EnrolResult.Status.ENROLLED) {
        throw new IllegalStateException("contact " + i + " not enrolled: " + r);
      }
    }
    steward.runDue(); // each sends s0 and begins its 30-day wait
    if (transport.total() != contacts) {
      throw new IllegalStateException(transport.total() + " sends, expected " + contacts);
    }
    for (int i = 0; i < contacts; i += Math.max(1, contacts / 100)) {
      Enrolment e = journeys.enrolments(JourneyFixture.TENANT, JourneyFixture.contact(i)).get(0);
      if (e.state() != EnrolmentState.ACTIVE || !e.step().equals("s1")) {
        throw new IllegalStateException("enrolment of contact " + i + " is not waiting: " + e);
      }
    }

    long heap1 = heap();
    long journeys1 = size(stores.journeys());
    long work1 = size(stores.work());
    long both1 = size(stores.journeys(), stores.work());
    long all1 = size(stores);
    double perJourney = (double) (journeys1 - journeys0) / contacts;
    double perWork = (double) (work1 - work0) / contacts;
    // measured together, objects both stores refer to (the enrolment id) count once
    double perWaiting = (double) (both1 - both0) / contacts;
    double perOther = (double) ((all1 - all0) - (both1 - both0)) / contacts;
    System.out.printf(
        Locale.ROOT,
        "contacts=%d, each enrolled once and waiting 30 days after its first send%n"
            + "journey store: %,d -> %,d bytes: %.1f bytes per waiting enrolment%n"
            + "work store:    %,d -> %,d bytes: %.1f bytes per waiting enrolment (its wake-up item)%n"
            + "per waiting enrolment (journey store + work store, measured together): %.1f bytes"
            + " (aim 300 or fewer)%n"
            + "other stores (ledger, send log, analytics: the first send's cost): %.1f bytes per"
            + " enrolment%n"
            + "whole heap after GC (MemoryMXBean): %,d -> %,d bytes: %.1f bytes per enrolment%n",
        contacts,
        journeys0,
        journeys1,
        perJourney,
        work0,
        work1,
        perWork,
        perWaiting,
        perOther,
        heap0,
        heap1,
        (double) (heap1 - heap0) / contacts);
    if (histogram) {
      System.out.println("---- journey store");
      System.out.println(GraphLayout.parseInstance(stores.journeys()).toFootprint());
      System.out.println("---- work store");
      System.out.println(GraphLayout.parseInstance(stores.work()).toFootprint());
    }
    steward.close();
  }

  private static long size(Object... roots) {
    return GraphLayout.parseInstance(roots).totalSize();
  }

  /** Heap in use after collections settle (several System.gc() until it stops shrinking). */
  private static long heap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long used = memory.getHeapMemoryUsage().getUsed();
      if (used >= last) {
        return used;
      }
      last = used;
    }
    return last;
  }
}
