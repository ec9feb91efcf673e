package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The ready-made journeys shipped as JSON, loaded by id and run through their own triggers for 120
 * virtual days (2 March to 30 June 2026) through a real dispatcher: what is sent to whom and when.
 * New York moves to daylight time on 8 March, Berlin to summer time on 29 March; the renewal
 * timeline is also run from August to November, across both autumn changes.
 */
class ReadyMadeJourneysTest {
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
  static final Duration HOUR = Duration.ofHours(1);

  static List<JourneyDefinition> all() {
    return new TreeSet<>(JourneyDefinition.READY_MADE)
        .stream().map(JourneyDefinition::readyMade).toList();
  }

  @Test
  void everyReadyMadeJourneyLoadsByIdValidatesAndRoundTrips() {
    assertThat(JourneyDefinition.READY_MADE)
        .contains(
            "onboarding",
            "adoption",
            "renewal",
            "re-engagement",
            "expansion",
            "advocacy",
            "critical-fallback");
    for (JourneyDefinition d : all()) {
      assertThat(JourneyDefinition.fromJson(d.toJson())).as(d.id()).isEqualTo(d);
      assertThat(d.triggers()).as(d.id()).contains(new EntryTrigger.Manual());
    }
  }

  @Test
  void oneHundredAndTwentyDaysOfTheReadyMadeJourneys() {
    TriggerKit kit =
        new TriggerKit(START, all(), t -> t.accountContacts((tenant, account) -> List.of()));
    ContactId ada = kit.contact("ada", BERLIN, Map.of("activated", "false"));
    ContactId rex = kit.contact("rex", BERLIN, Map.of("renewal_date", "2026-06-15"));
    ContactId ron = kit.contact("ron", NEW_YORK, Map.of("renewal_date", "2026-06-15"));
    ContactId rae = kit.contact("rae", BERLIN, Map.of("renewal_date", "2026-06-15"));
    ContactId lou = kit.contact("lou", BERLIN, Map.of());
    ContactId eli = kit.contact("eli", NEW_YORK, Map.of());
    ContactId pia = kit.contact("pia", BERLIN, Map.of("nps", "6"));
    ContactId cai = kit.contact("cai", BERLIN, Map.of("csm", "jo@vendor.example"));
    ContactId cody = kit.contact("cody", NEW_YORK, Map.of());
    ContactId cleo = kit.contact("cleo", BERLIN, Map.of("csm", "jo@vendor.example"));
    kit.triggers.recordEvent(TENANT, lou, "login-1", "login", START);

    at(kit, "2026-03-03T13:00:00Z", () -> kit.set(ada, "activated", "true"));
    at(kit, "2026-03-05T15:00:00Z", () -> event(kit, eli, "e-1", "usage-limit-reached"));
    at(kit, "2026-03-20T08:00:00Z", () -> event(kit, lou, "login-2", "login"));
    at(kit, "2026-03-20T14:00:00Z", () -> event(kit, eli, "e-2", "users-added"));
    at(kit, "2026-03-27T12:00:00Z", () -> kit.set(pia, "nps", "10"));
    at(
        kit,
        "2026-04-01T08:00:00Z",
        () -> List.of(cai, cody, cleo).forEach(c -> event(kit, c, "c-" + c, "critical-notice")));
    at(
        kit,
        "2026-04-02T09:00:00Z",
        () -> {
          Message notice =
              kit.transport.sent().stream()
                  .filter(m -> m.contact().equals(cleo))
                  .findFirst()
                  .orElseThrow();
          kit.scheduler
              .emailEventListener()
              .onEvents(
                  List.of(
                      JourneyKit.event(
                          "open-1", EmailEventType.OPEN, notice, kit.clock.instant())));
        });
    at(kit, "2026-04-10T14:00:00Z", () -> event(kit, eli, "e-3", "milestone-reached"));
    at(kit, "2026-04-20T08:00:00Z", () -> event(kit, lou, "login-3", "login"));
    at(kit, "2026-05-20T12:00:00Z", () -> kit.set(rae, "renewalSigned", "true"));
    at(kit, "2026-05-20T14:00:00Z", () -> kit.set(eli, "engagementScore", "85"));
    kit.runUntil(START.plus(Duration.ofDays(120)), HOUR);

    // adoption, entered when 'activated' turned true; weekdays at 10:00 Berlin time
    assertThat(kit.timeline(ada))
        .containsExactly(
            "adoption-feature-spotlight 2026-03-03T13:00:00Z",
            "adoption-advanced-use-cases 2026-03-11T09:00:00Z",
            "adoption-webinar-invite 2026-03-19T09:00:00Z",
            "adoption-success-stories 2026-04-03T08:00:00Z"); // summer time
    assertThat(kit.store.contact(TENANT, ada).orElseThrow().attributes())
        .containsEntry("stage", "adopted");

    // renewal on 15 June: -90 on 17 March (Berlin still on winter time, New York on daylight
    // time), -60 a CSM task (no email), -30 the proposal, -14 the urgent reminder
    assertThat(kit.timeline(rex))
        .containsExactly(
            "renewal-usage-value-report 2026-03-17T08:00:00Z",
            "renewal-proposal 2026-05-16T07:00:00Z",
            "renewal-urgent-reminder 2026-06-01T07:00:00Z");
    assertThat(kit.timeline(ron))
        .containsExactly(
            "renewal-usage-value-report 2026-03-17T13:00:00Z",
            "renewal-proposal 2026-05-16T13:00:00Z",
            "renewal-urgent-reminder 2026-06-01T13:00:00Z");
    assertThat(kit.history(kit.enrolments(rex).get(0)))
        .contains(
            "csm-renewal-task TASK_CREATED 2026-04-16T07:00:00Z",
            "csm-renewal-task TASK_OVERDUE 2026-04-23T07:00:00Z",
            "escalation TASK_CREATED 2026-06-08T07:00:00Z");
    // signed on 20 May: no urgent reminder, no escalation
    assertThat(kit.timeline(rae))
        .containsExactly(
            "renewal-usage-value-report 2026-03-17T08:00:00Z",
            "renewal-proposal 2026-05-16T07:00:00Z");
    assertThat(kit.enrolments(rae).get(0).exitReason()).contains("exit criterion 'renewal signed'");

    // re-engagement: 14 days without a login (2 to 16 March), found by the nightly pass; the gap
    // of 3 April is refused by the rule of once in 30 days; the gap of 4 May enters again
    assertThat(kit.timeline(lou))
        .containsExactly(
            "reengagement-we-miss-you 2026-03-16T09:00:00Z",
            "reengagement-quick-wins 2026-03-20T09:00:00Z",
            "reengagement-we-miss-you 2026-05-05T08:00:00Z",
            "reengagement-quick-wins 2026-05-11T08:00:00Z");
    assertThat(kit.enrolments(lou, "re-engagement"))
        .extracting(Enrolment::enteredAt)
        .containsExactly(
            Instant.parse("2026-03-16T00:00:00Z"), Instant.parse("2026-05-05T00:00:00Z"));
    assertThat(kit.triggerStore.membership(TENANT, lou, "re-engagement").orElseThrow())
        .extracting(SegmentMembership::member, SegmentMembership::generation)
        .containsExactly(true, 3);

    // expansion on each signal, at most once in 30 days: users added came too soon
    assertThat(kit.timeline(eli))
        .containsExactly(
            "expansion-offer 2026-03-06T15:00:00Z",
            "expansion-offer 2026-04-13T14:00:00Z",
            "expansion-offer 2026-05-21T14:00:00Z");

    // advocacy after a promoter NPS, across Berlin's change to summer time
    assertThat(kit.timeline(pia))
        .containsExactly(
            "advocacy-thank-you 2026-03-27T12:00:00Z",
            "advocacy-review-request 2026-03-31T08:00:00Z",
            "advocacy-referral-invite 2026-04-08T08:00:00Z");

    // the critical message: opened (cleo), unopened with a CSM (a task), unopened without (in app)
    assertThat(kit.timeline(cleo)).containsExactly("critical-notice 2026-04-01T08:00:00Z");
    assertThat(kit.enrolments(cleo).get(0).exitReason())
        .contains("the critical message was opened");
    assertThat(kit.timeline(cai)).containsExactly("critical-notice 2026-04-01T08:00:00Z");
    assertThat(kit.history(kit.enrolments(cai).get(0)))
        .contains("csm-follow-up TASK_CREATED 2026-04-04T08:00:00Z");
    assertThat(kit.timeline(cody))
        .containsExactly(
            "critical-notice 2026-04-01T08:00:00Z", "critical-notice-in-app 2026-04-04T08:00:00Z");
    assertThat(kit.transport.sent().stream().filter(m -> m.contact().equals(cody)))
        .extracting(Message::channel)
        .containsExactly(Channel.EMAIL, Channel.IN_APP);

    assertThat(kit.transport.sent()).extracting(Message::id).doesNotHaveDuplicates();
    assertThat(kit.transport.sent()).hasSize(4 + 3 + 3 + 2 + 4 + 3 + 3 + 1 + 1 + 2);
  }

  @Test
  void theRenewalTimelineAcrossTheAutumnChanges() {
    Instant start = Instant.parse("2026-08-01T00:00:00Z");
    TriggerKit kit =
        new TriggerKit(
            start,
            List.of(JourneyDefinition.readyMade("renewal")),
            t -> t.accountContacts((tenant, account) -> List.of()));
    ContactId ann = kit.contact("ann", BERLIN, Map.of("renewal_date", "2026-11-20"));
    ContactId dan = kit.contact("dan", NEW_YORK, Map.of("renewal_date", "2026-11-20"));
    kit.runUntil(start.plus(Duration.ofDays(120)), HOUR);
    assertThat(kit.timeline(ann))
        .containsExactly(
            "renewal-usage-value-report 2026-08-22T07:00:00Z",
            "renewal-proposal 2026-10-21T07:00:00Z",
            "renewal-urgent-reminder 2026-11-06T08:00:00Z"); // winter time from 25 October
    assertThat(kit.timeline(dan))
        .containsExactly(
            "renewal-usage-value-report 2026-08-22T13:00:00Z",
            "renewal-proposal 2026-10-21T13:00:00Z",
            "renewal-urgent-reminder 2026-11-06T14:00:00Z"); // standard time from 1 November
    assertThat(kit.history(kit.enrolments(dan).get(0)))
        .contains(
            "csm-renewal-task TASK_CREATED 2026-09-21T13:00:00Z",
            "escalation TASK_CREATED 2026-11-13T14:00:00Z");
    assertThat(kit.enrolments(ann).get(0).state()).isEqualTo(EnrolmentState.COMPLETED);
    assertThat(Optional.of(kit.enrolments(ann).size())).contains(1);
  }

  /** Runs the kit hour by hour to {@code when}, then does {@code action}. */
  static void at(TriggerKit kit, String when, Runnable action) {
    kit.runUntil(Instant.parse(when), HOUR);
    action.run();
  }

  static void event(TriggerKit kit, ContactId c, String id, String name) {
    kit.triggers.recordEvent(TENANT, c, id, name, kit.clock.instant());
  }
}
