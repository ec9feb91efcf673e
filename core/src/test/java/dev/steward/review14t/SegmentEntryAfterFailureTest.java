package dev.steward.review14t;

import static dev.steward.review14t.World14t.BERLIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.journey.Condition;
import dev.steward.journey.ContactEvent;
import dev.steward.journey.EntryTrigger;
import dev.steward.journey.InMemoryJourneyStore;
import dev.steward.journey.InMemoryTriggerStore;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyTriggers;
import dev.steward.journey.ReEntry;
import dev.steward.journey.Segment;
import dev.steward.journey.SegmentMembership;
import dev.steward.journey.Step;
import dev.steward.journey.TriggerStore;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A segment entry enrols first and then stores the membership, under an enrolment id made from the
 * entry's generation. When the membership write failed (the database went away) and the contact
 * left the segment before the next evaluation, nothing recorded that entry: the contact's next
 * entry took the same generation, found that enrolment and was answered ALREADY_ENROLLED, so the
 * genuine second entry never enrolled.
 */
class SegmentEntryAfterFailureTest {
  static final Instant START = Instant.parse("2026-03-16T06:00:00Z");

  @Test
  void aNewEntryAfterAFailedMembershipWriteAndALeaveStillEnrols() {
    AtomicBoolean failOnce = new AtomicBoolean(true);
    TriggerStore flaky =
        new Delegating(InMemoryTriggerStore.of()) {
          @Override
          public boolean replaceMembership(
              Optional<SegmentMembership> expected, SegmentMembership next) {
            if (next.member() && failOnce.getAndSet(false)) {
              throw new IllegalStateException("the database went away");
            }
            return super.replaceMembership(expected, next);
          }
        };
    JourneyDefinition pro =
        JourneyDefinition.builder("pro", 1)
            .trigger(new EntryTrigger.InSegment(Segment.where(Condition.eq("plan", "pro"))))
            .reEntry(ReEntry.always())
            .step(Step.Send.of("hello", "tpl-pro", MessageKind.RELATIONSHIP, "csm", null))
            .build();
    World14t w =
        new World14t(SettableClock.of(START), InMemoryJourneyStore.of(), flaky, List.of(pro));
    ContactId ann = w.contact("ann", BERLIN, Map.of("plan", "pro")); // enrols; the write fails
    assertThat(w.enrolments(ann, "pro")).hasSize(1);
    // the leave comes before the next scheduled pass (which would find the contact still
    // matching and store the membership): take the pass away while the first enrolment runs
    w.work.cancel(JourneyTriggers.sweepKey());
    w.runUntil(START.plus(Duration.ofHours(1)), Duration.ofMinutes(10)); // its one send: done

    w.set(ann, "plan", "free"); // leaves
    w.set(ann, "plan", "pro"); // enters again: a new entry, allowed (re-entry always)
    assertThat(w.enrolments(ann, "pro")).hasSize(2);
    w.set(ann, "seats", "3"); // still matching: no third entry
    assertThat(w.enrolments(ann, "pro")).hasSize(2);
  }

  /** Passes every call on. */
  static class Delegating implements TriggerStore {
    final TriggerStore d;

    Delegating(TriggerStore d) {
      this.d = d;
    }

    @Override
    public Optional<SegmentMembership> membership(
        TenantId tenant, ContactId contact, String journey) {
      return d.membership(tenant, contact, journey);
    }

    @Override
    public boolean replaceMembership(Optional<SegmentMembership> expected, SegmentMembership next) {
      return d.replaceMembership(expected, next);
    }

    @Override
    public List<SegmentMembership> memberships(Optional<SegmentMembership> after, int max) {
      return d.memberships(after, max);
    }

    @Override
    public boolean recordEvent(ContactEvent event) {
      return d.recordEvent(event);
    }

    @Override
    public int countEvents(
        TenantId tenant, ContactId contact, String name, Instant from, Instant until) {
      return d.countEvents(tenant, contact, name, from, until);
    }

    @Override
    public int purgeEventsBefore(Instant before, int max) {
      return d.purgeEventsBefore(before, max);
    }

    @Override
    public int eraseContact(TenantId tenant, ContactId contact) {
      return d.eraseContact(tenant, contact);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      return d.eraseTenant(tenant);
    }
  }
}
