package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.ContactId;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The shipped onboarding cadence, loaded from its JSON, run for four contacts over 30 virtual days
 * through a real dispatcher: exactly which sends happen when. Monday 2 March 2026, 14:00 in Berlin;
 * Berlin moves to summer time on 29 March, New York on 8 March.
 */
public class OnboardingCadenceTest {
  /** When the four contacts enrol. */
  public static final Instant ENROLLED = Instant.parse("2026-03-02T13:00:00Z");

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  void thirtyDaysOfOnboardingForFourContacts() {
    JourneyDefinition onboarding = JourneyDefinition.readyMade("onboarding");
    runAndCheck(new JourneyKit(ENROLLED, b -> b.journey(onboarding)));
  }

  /**
   * Enrols the four contacts in a kit registered with the ready-made onboarding journey, whose
   * clock stands at {@link #ENROLLED}, runs 30 days and checks every send.
   */
  public static void runAndCheck(JourneyKit kit) {
    ContactId ann = kit.contact("ann", BERLIN, Map.of());
    ContactId ben = kit.contact("ben", BERLIN, Map.of("setupComplete", "true"));
    ContactId cat = kit.contact("cat", BERLIN, Map.of());
    ContactId dan = kit.contact("dan", NEW_YORK, Map.of());
    for (ContactId c : List.of(ann, ben, cat, dan)) {
      assertThat(kit.enrol(c, "onboarding").enrolled()).isTrue();
    }

    // every due time of the cadence falls on a whole hour, so hourly runs find each on time
    Duration tick = Duration.ofHours(1);
    kit.runUntil(Instant.parse("2026-03-11T12:00:00Z"), tick);
    kit.scheduler.setAttribute(TENANT, cat, "status", Optional.of("churned"));
    kit.runUntil(Instant.parse("2026-03-16T10:00:00Z"), tick);
    Message checkIn = kit.sentTo(ann).get(kit.sentTo(ann).size() - 1);
    assertThat(checkIn.templateId()).isEqualTo("onboarding-csm-check-in");
    kit.scheduler
        .emailEventListener()
        .onEvents(
            List.of(JourneyKit.event("open-1", EmailEventType.OPEN, checkIn, kit.clock.instant())));
    kit.runUntil(ENROLLED.plus(Duration.ofDays(30)), tick);

    assertThat(timeline(kit, ann))
        .containsExactly(
            "onboarding-welcome 2026-03-02T13:00:00Z",
            "onboarding-setup-reminder 2026-03-04T08:00:00Z",
            "onboarding-webinar-invite 2026-03-09T08:00:00Z",
            "onboarding-csm-check-in 2026-03-16T08:00:00Z",
            // opened at 10:00: four days on is Friday 11:00, so the next weekday 09:00 is Monday
            "onboarding-success-stories 2026-03-23T08:00:00Z",
            // 09:00 summer time in Berlin
            "onboarding-30-day-review 2026-03-30T07:00:00Z");
    assertThat(timeline(kit, ben))
        .containsExactly(
            "onboarding-welcome 2026-03-02T13:00:00Z",
            // set up already: no reminder
            "onboarding-webinar-invite 2026-03-09T08:00:00Z",
            "onboarding-csm-check-in 2026-03-16T08:00:00Z",
            // not opened within three days
            "onboarding-csm-check-in-nudge 2026-03-19T08:00:00Z",
            "onboarding-success-stories 2026-03-24T08:00:00Z",
            "onboarding-30-day-review 2026-03-31T07:00:00Z");
    assertThat(timeline(kit, cat))
        .containsExactly(
            "onboarding-welcome 2026-03-02T13:00:00Z",
            "onboarding-setup-reminder 2026-03-04T08:00:00Z",
            "onboarding-webinar-invite 2026-03-09T08:00:00Z");
    assertThat(timeline(kit, dan))
        .containsExactly(
            "onboarding-welcome 2026-03-02T13:00:00Z",
            // 08:00 in New York on day 2: the first 09:00 after it is that same day
            "onboarding-setup-reminder 2026-03-03T14:00:00Z",
            // 09:00 daylight time from 8 March
            "onboarding-webinar-invite 2026-03-09T13:00:00Z",
            "onboarding-csm-check-in 2026-03-16T13:00:00Z",
            "onboarding-csm-check-in-nudge 2026-03-19T13:00:00Z",
            "onboarding-success-stories 2026-03-24T13:00:00Z",
            "onboarding-30-day-review 2026-03-31T13:00:00Z");

    for (Message m : kit.transport.sent()) {
      DayOfWeek day = m.createdAt().atZone(m.recipientZone().orElseThrow()).getDayOfWeek();
      assertThat(day).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
    }
    assertThat(kit.transport.sent()).extracting(Message::id).doesNotHaveDuplicates();
    assertThat(kit.only(ann).state()).isEqualTo(EnrolmentState.COMPLETED);
    assertThat(kit.only(ben).state()).isEqualTo(EnrolmentState.COMPLETED);
    assertThat(kit.only(dan).state()).isEqualTo(EnrolmentState.COMPLETED);
    Enrolment churned = kit.only(cat);
    assertThat(churned.state()).isEqualTo(EnrolmentState.EXITED);
    assertThat(churned.exitReason()).contains("exit criterion 'churned'");
    assertThat(churned.updatedAt()).isEqualTo(Instant.parse("2026-03-15T08:00:00Z"));
    assertThat(kit.store.contact(TENANT, ann).orElseThrow().attributes())
        .containsEntry("stage", "onboarded");
    assertThat(kit.store.contact(TENANT, cat).orElseThrow().attributes())
        .doesNotContainKey("stage");
    assertThat(kit.sentTo(ann))
        .allSatisfy(m -> assertThat(m.source().journeyStep()).startsWith("onboarding/"));
  }

  private static List<String> timeline(JourneyKit kit, ContactId c) {
    return kit.sentTo(c).stream().map(m -> m.templateId() + " " + m.createdAt()).toList();
  }
}
