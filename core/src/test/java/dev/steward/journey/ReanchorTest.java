package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * When a date attribute changes (a renewal moved), pending waits until it re-anchor in the
 * contact's zone, across DST changes in both directions. Run on the memory store here and on H2 and
 * PostgreSQL by the JDBC tests ({@code JdbcReanchor*Test}).
 */
public class ReanchorTest {
  public static final Instant SPRING = Instant.parse("2027-03-01T08:00:00Z");
  public static final Instant AUTUMN = Instant.parse("2027-09-01T08:00:00Z");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  /** 30 days before renewal at 09:00 local: the value report. */
  public static final JourneyDefinition RENEWAL =
      JourneyDefinition.builder("renewal", 1)
          .step(
              new Step.WaitUntilDate(
                  "t-30", "renewal_date", -30, LocalTime.of(9, 0), Optional.of("report")))
          .step(Step.Send.of("report", "tpl-report", MessageKind.RELATIONSHIP, "renewal", null))
          .build();

  /** 14 days before renewal at 10:00 local: the QBR invite, a second journey of the contact. */
  public static final JourneyDefinition QBR =
      JourneyDefinition.builder("qbr", 1)
          .step(
              new Step.WaitUntilDate(
                  "t-14", "renewal_date", -14, LocalTime.of(10, 0), Optional.of("invite")))
          .step(Step.Send.of("invite", "tpl-invite", MessageKind.RELATIONSHIP, "renewal", null))
          .build();

  /** A kit over the test's stores, starting at {@code start}. */
  public interface Kits extends Function<SettableClock, JourneyKit> {}

  static JourneyKit memory(SettableClock clock) {
    return new JourneyKit(
        clock, InMemoryJourneyStore.of(), null, b -> b.journey(RENEWAL).journey(QBR));
  }

  @Test
  void springForwardBothWaysAndPast() {
    springForwardBothWaysAndPast(ReanchorTest::memory);
  }

  @Test
  void fallBackInNewYork() {
    fallBackInNewYork(ReanchorTest::memory);
  }

  @Test
  void aChangeOfAnotherAttributeOrAWaitAlreadyDueMovesNothing() {
    JourneyKit kit = memory(SettableClock.of(SPRING));
    ContactId ann =
        kit.contact("ann", BERLIN, Map.of("renewal_date", "2027-04-10", "plan", "basic"));
    kit.enrol(ann, "renewal");
    kit.driver.runDue();
    Enrolment before = kit.only(ann);
    kit.scheduler.setAttribute(TENANT, ann, "plan", Optional.of("pro"));
    assertThat(kit.only(ann)).isEqualTo(before);
    // removing the date leaves the wait as it was
    kit.scheduler.setAttribute(TENANT, ann, "renewal_date", Optional.empty());
    assertThat(kit.only(ann)).isEqualTo(before);
    kit.scheduler.setAttribute(TENANT, ann, "renewal_date", Optional.of("2027-04-10"));
    assertThat(kit.only(ann)).isEqualTo(before); // the same instant: nothing to move
    // once due, a change does not touch it: it runs as it was due
    kit.clock.set(before.dueAt());
    kit.scheduler.setAttribute(TENANT, ann, "renewal_date", Optional.of("2027-05-10"));
    assertThat(kit.only(ann)).isEqualTo(before);
    kit.driver.runDue();
    assertThat(kit.sentTo(ann)).extracting(Message::createdAt).containsExactly(before.dueAt());
  }

  @Test
  void aProfilePutWithAMovedDateReanchorsToo() {
    JourneyKit kit = memory(SettableClock.of(SPRING));
    ContactId ann = kit.contact("ann", BERLIN, Map.of("renewal_date", "2027-04-10"));
    kit.enrol(ann, "renewal");
    kit.driver.runDue();
    ContactProfile p = kit.store.contact(TENANT, ann).orElseThrow();
    kit.scheduler.putContact(
        new ContactProfile(
            TENANT, ann, p.account(), p.email(), p.zone(), Map.of("renewal_date", "2027-05-10")));
    assertThat(dueAt(kit, ann, "renewal")).isEqualTo(Instant.parse("2027-04-10T07:00:00Z"));
  }

  /**
   * Berlin, spring 2027 (CET to CEST on 28 March): one contact's renewal moved later across the
   * change (both her journeys move, 09:00 and 10:00 local stay local), another's moved earlier back
   * across it, a third's moved so far back that the wait has passed and runs at once.
   */
  public static void springForwardBothWaysAndPast(Kits kits) {
    JourneyKit kit = kits.apply(SettableClock.of(SPRING));
    ContactId ann = kit.contact("ann", BERLIN, Map.of("renewal_date", "2027-04-10"));
    ContactId carl = kit.contact("carl", BERLIN, Map.of("renewal_date", "2027-05-10"));
    ContactId dave = kit.contact("dave", BERLIN, Map.of("renewal_date", "2027-04-10"));
    for (ContactId c : List.of(ann, carl, dave)) {
      kit.enrol(c, "renewal");
    }
    kit.enrol(ann, "qbr");
    kit.driver.runDue();
    // 2027-03-11 09:00 CET, 2027-03-27 10:00 CET, 2027-04-10 09:00 CEST
    assertThat(dueAt(kit, ann, "renewal")).isEqualTo(Instant.parse("2027-03-11T08:00:00Z"));
    assertThat(dueAt(kit, ann, "qbr")).isEqualTo(Instant.parse("2027-03-27T09:00:00Z"));
    assertThat(dueAt(kit, carl, "renewal")).isEqualTo(Instant.parse("2027-04-10T07:00:00Z"));

    kit.driver.advance(Duration.ofHours(1));
    Instant changedAt = kit.clock.instant();
    assertThat(set(kit, ann, "2027-05-10")).isTrue();
    assertThat(set(kit, carl, "2027-04-10")).isTrue();
    assertThat(set(kit, dave, "2027-03-20")).isTrue(); // -30 days is 2027-02-18: passed

    // ann: 2027-04-10 09:00 CEST and 2027-04-26 10:00 CEST; carl: 2027-03-11 09:00 CET
    Instant annReport = Instant.parse("2027-04-10T07:00:00Z");
    Instant annInvite = Instant.parse("2027-04-26T08:00:00Z");
    Instant carlReport = Instant.parse("2027-03-11T08:00:00Z");
    assertThat(dueAt(kit, ann, "renewal")).isEqualTo(annReport);
    assertThat(dueAt(kit, ann, "qbr")).isEqualTo(annInvite);
    assertThat(dueAt(kit, carl, "renewal")).isEqualTo(carlReport);
    assertThat(dueAt(kit, dave, "renewal")).isEqualTo(changedAt);
    HistoryEntry moved = last(kit, ann, "renewal");
    assertThat(moved.step()).isEqualTo("t-30");
    assertThat(moved.outcome()).isEqualTo(StepOutcome.WAITING);
    assertThat(moved.detail())
        .isEqualTo(
            "re-anchored: renewal_date is 2027-05-10, until "
                + annReport
                + " (was until 2027-03-11T08:00:00Z)");

    kit.driver.runDue(); // dave's wait has passed: his report goes now
    assertThat(kit.sentTo(dave)).extracting(Message::createdAt).containsExactly(changedAt);
    for (Instant at : List.of(carlReport, annReport, annInvite)) {
      kit.driver.advanceTo(at.minus(Duration.ofMinutes(1)));
      int before = kit.transport.sent().size();
      kit.driver.advanceTo(at);
      assertThat(kit.transport.sent()).hasSize(before + 1);
    }
    assertThat(kit.sentTo(ann))
        .extracting(m -> m.templateId() + " " + m.createdAt())
        .containsExactly("tpl-report " + annReport, "tpl-invite " + annInvite);
    assertThat(kit.sentTo(carl)).extracting(Message::createdAt).containsExactly(carlReport);
    kit.driver.advance(Duration.ofDays(60));
    assertThat(kit.transport.sent()).hasSize(4); // nothing at the old instants, nothing twice
  }

  /**
   * New York, autumn 2027 (EDT to EST on 7 November): a renewal moved later across the change, then
   * earlier again back across it; 09:00 local each time.
   */
  public static void fallBackInNewYork(Kits kits) {
    JourneyKit kit = kits.apply(SettableClock.of(AUTUMN));
    ContactId eve = kit.contact("eve", NEW_YORK, Map.of("renewal_date", "2027-11-20"));
    kit.enrol(eve, "renewal");
    kit.driver.runDue();
    assertThat(dueAt(kit, eve, "renewal")).isEqualTo(Instant.parse("2027-10-21T13:00:00Z"));
    set(kit, eve, "2027-12-10"); // 2027-11-10 09:00 EST
    assertThat(dueAt(kit, eve, "renewal")).isEqualTo(Instant.parse("2027-11-10T14:00:00Z"));
    kit.driver.advance(Duration.ofDays(30));
    set(kit, eve, "2027-12-01"); // 2027-11-01 09:00 EDT
    Instant report = Instant.parse("2027-11-01T13:00:00Z");
    assertThat(dueAt(kit, eve, "renewal")).isEqualTo(report);
    kit.driver.advanceTo(report.minus(Duration.ofMinutes(1)));
    assertThat(kit.sentTo(eve)).isEmpty();
    kit.driver.advanceTo(report);
    kit.driver.advance(Duration.ofDays(20));
    assertThat(kit.sentTo(eve)).extracting(Message::createdAt).containsExactly(report);
    assertThat(kit.outcomes(kit.only(eve)))
        .containsExactly(
            StepOutcome.ENTERED,
            StepOutcome.WAITING,
            StepOutcome.WAITING,
            StepOutcome.WAITING,
            StepOutcome.SENT);
  }

  static boolean set(JourneyKit kit, ContactId c, String date) {
    return kit.scheduler.setAttribute(TENANT, c, "renewal_date", Optional.of(date));
  }

  static Instant dueAt(JourneyKit kit, ContactId c, String journey) {
    return enrolment(kit, c, journey).dueAt();
  }

  static Enrolment enrolment(JourneyKit kit, ContactId c, String journey) {
    return kit.store.enrolments(TENANT, c).stream()
        .filter(e -> e.journey().equals(journey))
        .findFirst()
        .orElseThrow();
  }

  static HistoryEntry last(JourneyKit kit, ContactId c, String journey) {
    List<HistoryEntry> h = kit.store.history(TENANT, enrolment(kit, c, journey).id());
    return h.get(h.size() - 1);
  }
}
