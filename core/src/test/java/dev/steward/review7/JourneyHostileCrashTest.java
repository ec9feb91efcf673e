package dev.steward.review7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.journey.EnrolResult;
import dev.steward.journey.HistoryEntry;
import dev.steward.journey.InMemoryJourneyStore;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyKit;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.Step;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.Completion;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.Lease;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkState;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Hostile review of dev.steward.journey: failures between the enrolment and its work item. */
class JourneyHostileCrashTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static Step send(String id, String next) {
    return Step.Send.of(id, "tpl-" + id, MessageKind.EDUCATIONAL, "onboarding", next);
  }

  /**
   * DEFECT: enrol() writes the enrolment and then schedules its work item. If scheduling fails
   * (work store down for a moment) the caller gets the exception and does what any caller does:
   * retries enrol(). The retry makes a new random enrolment id, finds the first enrolment active
   * and answers ALREADY_ACTIVE without making sure its work exists (only ALREADY_ENROLLED, the same
   * id, does). The welcome email then waits for the sweep (at least STRANDED_AFTER = 1 hour late),
   * and forever when the application registered the handler with registerWith (as the class Javadoc
   * shows) rather than registerWithSweep. Correct: a refusal because the contact is already active
   * in this journey reschedules that enrolment's work with IfExists.KEEP, as ALREADY_ENROLLED does
   * (or enrol schedules the work before/atomically with the enrolment).
   */
  @Test
  void anEnrolRetriedAfterTheWorkStoreFailedStillRunsTheJourney() {
    SettableClock clock = SettableClock.of(START);
    FlakyWorkStore work = new FlakyWorkStore(InMemoryWorkStore.of(clock));
    JourneyDefinition d = JourneyDefinition.builder("welcome", 1).step(send("hello", null)).build();
    JourneyKit kit = new JourneyKit(clock, InMemoryJourneyStore.of(), work, b -> b.journey(d));
    ContactId c = kit.contact("ann", BERLIN, Map.of());

    work.failNextSchedule.set(true);
    assertThatThrownBy(() -> kit.enrol(c, "welcome")).isInstanceOf(IllegalStateException.class);
    EnrolResult again = kit.enrol(c, "welcome"); // the caller retries

    kit.runUntil(START.plus(Duration.ofMinutes(30)), Duration.ofMinutes(1));

    assertThat(again.status()).isIn(EnrolResult.Status.ALREADY_ACTIVE, EnrolResult.Status.ENROLLED);
    assertThat(kit.sentTo(c))
        .as("the retried enrolment %s was never run", kit.only(c).id())
        .hasSize(1);
  }

  /**
   * DEFECT: HistoryEntry cuts a long detail with substring(0, 997), which can split a surrogate
   * pair and leave half of it (here in an update step's detail, "k = " + 500 emoji). Steward
   * refuses lone surrogates everywhere else ("no store keeps it exactly"): PostgreSQL's driver
   * turns it into '?', so the memory and JDBC stores record different history. Correct: cut at a
   * code-point boundary (drop a trailing high surrogate).
   */
  @Test
  void aCutHistoryDetailKeepsNoHalfSurrogate() {
    String emoji = "\uD83D\uDE00".repeat(500); // 1000 chars, the most an attribute may hold
    JourneyDefinition d =
        JourneyDefinition.builder("emoji", 1)
            .step(new Step.UpdateAttribute("set", "k", Optional.of(emoji), Optional.empty()))
            .build();
    JourneyKit kit = new JourneyKit(START, b -> b.journey(d));
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    kit.enrol(c, "emoji");
    kit.runUntil(START.plus(Duration.ofHours(1)), Duration.ofMinutes(10));

    List<HistoryEntry> h = kit.store.history(JourneyKit.TENANT, kit.only(c).id());
    assertThat(h).hasSizeGreaterThan(1);
    for (HistoryEntry e : h) {
      assertThat(unpaired(e.detail()))
          .as("detail of %s: unpaired surrogate at", e.step())
          .isEqualTo(-1);
    }
  }

  private static int unpaired(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (Character.isHighSurrogate(ch)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return i;
        }
        i++;
      } else if (Character.isLowSurrogate(ch)) {
        return i;
      }
    }
    return -1;
  }

  /** A work store whose schedule fails once when told to, as a database blip would. */
  static final class FlakyWorkStore implements WorkStore {
    final WorkStore d;
    final AtomicBoolean failNextSchedule = new AtomicBoolean();

    FlakyWorkStore(WorkStore d) {
      this.d = d;
    }

    @Override
    public boolean schedule(WorkItem item, IfExists ifExists) {
      if (item.key().kind().equals(JourneyScheduler.STEP_KIND)
          && failNextSchedule.getAndSet(false)) {
        throw new IllegalStateException("work store unavailable");
      }
      return d.schedule(item, ifExists);
    }

    @Override
    public int scheduleAll(Collection<WorkItem> items, IfExists ifExists) {
      return d.scheduleAll(items, ifExists);
    }

    @Override
    public List<ClaimedWork> claim(ClaimRequest request) {
      return d.claim(request);
    }

    @Override
    public List<Lease> renew(Collection<Lease> leases, Duration lease) {
      return d.renew(leases, lease);
    }

    @Override
    public List<Completion> complete(List<Completion> completions) {
      return d.complete(completions);
    }

    @Override
    public int release(Collection<Lease> leases) {
      return d.release(leases);
    }

    @Override
    public boolean cancel(WorkKey key) {
      return d.cancel(key);
    }

    @Override
    public int cancelSubject(TenantId tenant, String subject) {
      return d.cancelSubject(tenant, subject);
    }

    @Override
    public int cancelTenant(TenantId tenant) {
      return d.cancelTenant(tenant);
    }

    @Override
    public Optional<WorkItem> find(WorkKey key) {
      return d.find(key);
    }

    @Override
    public List<WorkItem> findBySubject(TenantId tenant, String subject, String kind) {
      return d.findBySubject(tenant, subject, kind);
    }

    @Override
    public List<WorkItem> dead(int max) {
      return d.dead(max);
    }

    @Override
    public boolean retryDead(WorkKey key, Instant at) {
      return d.retryDead(key, at);
    }

    @Override
    public long count(WorkState state) {
      return d.count(state);
    }
  }
}
