package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Journey simulations: the shipped onboarding cadence at its local instants (the same instants
 * {@link OnboardingCadenceTest} finds by ticking the real scheduler hour by hour), caps deferring
 * sends with the cap named, competing journeys sharing one budget, reproducible runs, bounded
 * timelines, and refused input.
 */
class JourneySimulationTest {
  private static final TenantId T = TenantId.of("t1");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  /** Monday 2 March 2026, 14:00 in Berlin. */
  private static final Instant START = Instant.parse("2026-03-02T13:00:00Z");

  private static final JourneyDefinition ONBOARDING = JourneyDefinition.readyMade("onboarding");

  private static final CapPolicy TWO_A_WEEK =
      CapPolicy.builder()
          .cap(Cap.perContact(2, Window.rolling(Duration.ofDays(7))).withId("two-a-week"))
          .build();

  private static ContactProfile profile(String id, ZoneId zone, Map<String, String> attributes) {
    return new ContactProfile(
        T,
        ContactId.of(id),
        AccountId.of("acct-" + id),
        Optional.of(EmailAddress.of(id + "@example.com")),
        Optional.ofNullable(zone),
        attributes);
  }

  private static SimulatedContact onboarding(String id, ZoneId zone, Map<String, String> attrs) {
    return SimulatedContact.of(profile(id, zone, attrs)).enters("onboarding", Duration.ZERO);
  }

  private static List<TimelineEntry> timeline(SimulationResult r, String contact) {
    return r.timeline(T, ContactId.of(contact)).orElseThrow();
  }

  /** "step at" of each entry of a kind. */
  private static List<String> of(SimulationResult r, String contact, TimelineEntry.Kind kind) {
    return timeline(r, contact).stream()
        .filter(e -> e.kind() == kind)
        .map(e -> e.step() + " " + e.at())
        .toList();
  }

  @Test
  void theOnboardingCadenceSendsDay1To14AtTheExpectedLocalInstants() {
    SimulationResult r =
        JourneySimulation.builder()
            .journey(ONBOARDING)
            .burstWindow(Duration.ZERO) // exact local times, as OnboardingCadenceTest
            .contact(
                onboarding("ann", BERLIN, Map.of())
                    // opens every message two hours after its send: the check-in too
                    .engagement(SimulatedEngagement.opens(1.0)))
            .contact(onboarding("ben", BERLIN, Map.of("setupComplete", "true")))
            .contact(
                onboarding("cat", BERLIN, Map.of())
                    .engagement(
                        SimulatedEngagement.NONE.attribute(
                            Duration.ofDays(9).minusHours(1), "status", "churned")))
            .contact(onboarding("dan", NEW_YORK, Map.of()))
            .start(START)
            .duration(Duration.ofDays(90))
            .build()
            .run();

    assertThat(of(r, "ann", TimelineEntry.Kind.SENT))
        .containsExactly(
            "day-1-welcome 2026-03-02T13:00:00Z",
            // Day 3, 09:00 in Berlin
            "day-3-setup-reminder 2026-03-04T08:00:00Z",
            "day-7-webinar-invite 2026-03-09T08:00:00Z",
            "day-14-csm-check-in 2026-03-16T08:00:00Z",
            // opened at 10:00, so no nudge; four days on is Friday 11:00: Monday 09:00
            "day-21-success-stories 2026-03-23T08:00:00Z",
            // 09:00 summer time in Berlin
            "day-30-review 2026-03-30T07:00:00Z");
    assertThat(of(r, "ann", TimelineEntry.Kind.OPENED))
        .contains("day-14-csm-check-in 2026-03-16T10:00:00Z")
        .hasSize(6);
    assertThat(of(r, "ann", TimelineEntry.Kind.COMPLETED)).hasSize(1);
    assertThat(of(r, "ben", TimelineEntry.Kind.SENT))
        .containsExactly(
            "day-1-welcome 2026-03-02T13:00:00Z",
            // set up already: no reminder
            "day-7-webinar-invite 2026-03-09T08:00:00Z",
            "day-14-csm-check-in 2026-03-16T08:00:00Z",
            // not opened within three days
            "check-in-nudge 2026-03-19T08:00:00Z",
            "day-21-success-stories 2026-03-24T08:00:00Z",
            "day-30-review 2026-03-31T07:00:00Z");
    assertThat(of(r, "cat", TimelineEntry.Kind.SENT))
        .containsExactly(
            "day-1-welcome 2026-03-02T13:00:00Z",
            "day-3-setup-reminder 2026-03-04T08:00:00Z",
            "day-7-webinar-invite 2026-03-09T08:00:00Z");
    assertThat(timeline(r, "cat").stream().filter(e -> e.kind() == TimelineEntry.Kind.EXITED))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.detail()).isEqualTo("churned");
              assertThat(e.at()).isEqualTo(Instant.parse("2026-03-15T08:00:00Z"));
            });
    assertThat(of(r, "dan", TimelineEntry.Kind.SENT))
        .containsExactly(
            "day-1-welcome 2026-03-02T13:00:00Z",
            // 08:00 in New York on day 2: the first 09:00 after it is that same day
            "day-3-setup-reminder 2026-03-03T14:00:00Z",
            // 09:00 daylight time from 8 March
            "day-7-webinar-invite 2026-03-09T13:00:00Z",
            "day-14-csm-check-in 2026-03-16T13:00:00Z",
            "check-in-nudge 2026-03-19T13:00:00Z",
            "day-21-success-stories 2026-03-24T13:00:00Z",
            "day-30-review 2026-03-31T13:00:00Z");
    // every timeline in time order, and the branch that skipped ben's reminder is on his
    for (String c : List.of("ann", "ben", "cat", "dan")) {
      List<TimelineEntry> t = timeline(r, c);
      assertThat(t.get(0).kind()).isEqualTo(TimelineEntry.Kind.ENTERED);
      for (int i = 1; i < t.size(); i++) {
        assertThat(t.get(i).at()).isAfterOrEqualTo(t.get(i - 1).at());
      }
    }
    assertThat(timeline(r, "ben"))
        .anySatisfy(
            e -> {
              assertThat(e.step()).isEqualTo("set-up-yet");
              assertThat(e.detail()).startsWith("branched: case 1");
            });

    JourneyFunnel f = r.funnel(T, "onboarding", 1).orElseThrow();
    assertThat(f.step("day-1-welcome").orElseThrow().count(JourneyMetric.ENTERED)).isEqualTo(4);
    assertThat(f.step("day-1-welcome").orElseThrow().count(JourneyMetric.SENT)).isEqualTo(4);
    assertThat(f.step("day-3-setup-reminder").orElseThrow().count(JourneyMetric.SENT)).isEqualTo(3);
    assertThat(f.step("day-14-csm-check-in").orElseThrow().count(JourneyMetric.OPENED))
        .isEqualTo(1);
    assertThat(f.step("check-in-nudge").orElseThrow().count(JourneyMetric.SENT)).isEqualTo(2);
    assertThat(f.total(JourneyMetric.EXITED)).isEqualTo(1);
    assertThat(f.total(JourneyMetric.DEFERRED)).isZero();
    assertThat(f.steps().get(0).step()).isEqualTo("day-1-welcome"); // the definition's order
    assertThat(r.messagesSent()).isEqualTo(6 + 6 + 3 + 7);
  }

  @Test
  void aCapOfTwoAWeekDefersTheThirdSendNamingTheCapAndSendsItWhenTheWindowAllows() {
    SimulationResult r =
        JourneySimulation.builder()
            .journey(ONBOARDING)
            .capPolicy(TWO_A_WEEK)
            .burstWindow(Duration.ZERO)
            .contact(onboarding("ann", BERLIN, Map.of()))
            .start(START)
            .duration(Duration.ofDays(30))
            .build()
            .run();

    // welcome Monday 13:00 and reminder Wednesday 08:00 fill the week: the webinar invite of the
    // next Monday 08:00 waits until the welcome leaves the rolling window at 13:00
    TimelineEntry deferral =
        timeline(r, "ann").stream()
            .filter(e -> e.kind() == TimelineEntry.Kind.DEFERRED)
            .findFirst()
            .orElseThrow();
    assertThat(deferral.step()).isEqualTo("day-7-webinar-invite");
    assertThat(deferral.at()).isEqualTo(Instant.parse("2026-03-09T08:00:00Z"));
    assertThat(deferral.detail()).startsWith("frequency/two-a-week");
    assertThat(deferral.until()).contains(Instant.parse("2026-03-09T13:00:00Z"));
    assertThat(of(r, "ann", TimelineEntry.Kind.SENT))
        .startsWith(
            "day-1-welcome 2026-03-02T13:00:00Z",
            "day-3-setup-reminder 2026-03-04T08:00:00Z",
            "day-7-webinar-invite 2026-03-09T13:00:00Z");
    assertNoMoreThanTwoInAnyWeek(of(r, "ann", TimelineEntry.Kind.SENT));

    StepFunnel webinar =
        r.funnel(T, "onboarding", 1).orElseThrow().step("day-7-webinar-invite").orElseThrow();
    assertThat(webinar.count(JourneyMetric.DEFERRED)).isEqualTo(1);
    assertThat(webinar.reasons(JourneyMetric.DEFERRED)).containsEntry("frequency/two-a-week", 1L);
    assertThat(webinar.count(JourneyMetric.SENT)).isEqualTo(1);
  }

  @Test
  void twoCompetingJourneysShareOneCappedBudget() {
    // marketing's product news every day, beside the CSM team's onboarding
    JourneyDefinition news =
        JourneyDefinition.builder("product-news", 1)
            .team("marketing")
            .start("news")
            .step(Step.Send.of("news", "product-news", MessageKind.PROMOTIONAL, "news", "tomorrow"))
            .step(new Step.Wait("tomorrow", Duration.ofDays(1), Optional.of("news")))
            .build();
    SimulationResult r =
        JourneySimulation.builder()
            .journey(ONBOARDING)
            .journey(news)
            .capPolicy(TWO_A_WEEK)
            .burstWindow(Duration.ZERO)
            .contact(
                onboarding("ann", BERLIN, Map.of()).enters("product-news", Duration.ofHours(1)))
            .start(START)
            .duration(Duration.ofDays(28))
            .build()
            .run();

    List<TimelineEntry> sent =
        timeline(r, "ann").stream().filter(e -> e.kind() == TimelineEntry.Kind.SENT).toList();
    assertThat(sent).extracting(TimelineEntry::journey).contains("onboarding", "product-news");
    assertNoMoreThanTwoInAnyWeek(sent.stream().map(e -> e.step() + " " + e.at()).toList());
    // four weeks of two: both journeys' sends wait for one budget, each deferral naming the cap
    assertThat(sent).hasSizeBetween(7, 8);
    for (String j : List.of("onboarding", "product-news")) {
      JourneyFunnel f = r.funnel(T, j, 1).orElseThrow();
      assertThat(f.total(JourneyMetric.DEFERRED)).as(j).isPositive();
      assertThat(f.steps())
          .flatExtracting(s -> s.reasons(JourneyMetric.DEFERRED).keySet())
          .containsOnly("frequency/two-a-week");
    }
  }

  @Test
  void aTeamsCampaignCompetesWithTheJourneyForTheSameBudget() {
    // marketing's newsletter on Friday 6 March, 10:00 UTC, to those who have not churned, at low
    // priority; the CSM team's welcome and reminder have used the week's two
    SimulationResult r =
        JourneySimulation.builder()
            .journey(ONBOARDING)
            .campaign(
                SimulatedCampaign.of(
                        "march-news",
                        "Marketing",
                        Duration.ofDays(3).plusHours(21),
                        MessageKind.PROMOTIONAL,
                        "news")
                    .withPriority(dev.steward.model.Priority.LOW)
                    .to(Condition.not(Condition.eq("status", "churned"))))
            .capPolicy(TWO_A_WEEK)
            .burstWindow(Duration.ZERO)
            .contact(onboarding("ann", BERLIN, Map.of()))
            .contact(onboarding("cat", BERLIN, Map.of("status", "churned")))
            .start(START)
            .duration(Duration.ofDays(21))
            .build()
            .run();

    List<TimelineEntry> news =
        timeline(r, "ann").stream().filter(e -> e.journey().equals("campaign:march-news")).toList();
    assertThat(news.get(0).kind()).isEqualTo(TimelineEntry.Kind.DEFERRED);
    assertThat(news.get(0).at()).isEqualTo(Instant.parse("2026-03-06T10:00:00Z"));
    assertThat(news.get(0).detail()).startsWith("frequency/two-a-week");
    assertThat(news.get(0).team()).isEqualTo("marketing");
    assertThat(news).extracting(TimelineEntry::kind).contains(TimelineEntry.Kind.SENT);
    List<TimelineEntry> sent =
        timeline(r, "ann").stream().filter(e -> e.kind() == TimelineEntry.Kind.SENT).toList();
    assertThat(sent).extracting(TimelineEntry::team).contains("csm", "marketing");
    assertNoMoreThanTwoInAnyWeek(sent.stream().map(e -> e.step() + " " + e.at()).toList());
    // the churned contact is not in the audience (and left onboarding at its first step)
    assertThat(timeline(r, "cat")).noneMatch(e -> e.journey().startsWith("campaign:"));
    // campaigns are not journeys: no funnel of their own
    assertThat(r.funnels()).extracting(JourneyFunnel::journey).containsExactly("onboarding");
  }

  @Test
  void tasksExitsAndDeadlinesAreOnTheTimelineWithTheirReasons() {
    // the renewal timeline for two contacts renewing on 10 June; bea signs on day 70
    Map<String, String> renewing = Map.of("renewal_date", "2026-06-10", "csm", "olga");
    // and, under a cap of one a week, a second send whose deadline (a day after entry) the cap
    // would defer it past
    JourneyDefinition late =
        JourneyDefinition.builder("late", 1)
            .start("hello")
            .step(Step.Send.of("hello", "hello", MessageKind.PROMOTIONAL, "offers", "offer"))
            .step(
                Step.Send.of("offer", "offer", MessageKind.PROMOTIONAL, "offers", null)
                    .withDeadline(Deadline.afterEntry(Duration.ofDays(1))))
            .build();
    SimulationResult r =
        JourneySimulation.builder()
            .journey(JourneyDefinition.readyMade("renewal"))
            .journey(late)
            .capPolicy(
                CapPolicy.builder()
                    .cap(Cap.perContact(1, Window.rolling(Duration.ofDays(7))).withId("one-a-week"))
                    .build())
            .burstWindow(Duration.ZERO)
            .contact(
                SimulatedContact.of(profile("al", BERLIN, renewing))
                    .enters("renewal", Duration.ZERO)
                    .enters("late", Duration.ZERO))
            .contact(
                SimulatedContact.of(profile("bea", BERLIN, renewing))
                    .enters("renewal", Duration.ZERO)
                    .engagement(
                        SimulatedEngagement.NONE.attribute(
                            Duration.ofDays(70), "renewalSigned", "true")))
            .start(START)
            .duration(Duration.ofDays(100))
            .build()
            .run();

    assertThat(of(r, "al", TimelineEntry.Kind.SENT))
        .containsExactly(
            "hello 2026-03-02T13:00:00Z",
            // 90 days before, 09:00 in Berlin (winter time); 30 and 14 days before (summer time)
            "usage-value-report 2026-03-12T08:00:00Z",
            "proposal 2026-05-11T07:00:00Z",
            "urgent-reminder 2026-05-27T07:00:00Z");
    assertThat(of(r, "al", TimelineEntry.Kind.TASK_CREATED))
        .containsExactly(
            "csm-renewal-task 2026-04-11T07:00:00Z", "escalation 2026-06-03T07:00:00Z");
    assertThat(timeline(r, "al"))
        .anySatisfy(
            e -> {
              assertThat(e.kind()).isEqualTo(TimelineEntry.Kind.TASK_CREATED);
              assertThat(e.detail()).contains("for olga");
            });
    TimelineEntry skipped =
        timeline(r, "al").stream()
            .filter(e -> e.kind() == TimelineEntry.Kind.SKIPPED)
            .findFirst()
            .orElseThrow();
    assertThat(skipped.journey()).isEqualTo("late");
    assertThat(skipped.step()).isEqualTo("offer");
    assertThat(skipped.at()).isEqualTo(START);
    assertThat(skipped.detail())
        .contains("deferred until 2026-03-09T13:00:00Z, after its send-by 2026-03-03T13:00:00Z")
        .contains("after its deadline 2026-03-03T13:00:00Z");
    // the cap that would have deferred it is named; it was never kept deferred (its send-by)
    assertThat(skipped.detail()).contains("frequency/one-a-week");
    assertThat(timeline(r, "al"))
        .noneMatch(e -> e.kind() == TimelineEntry.Kind.DEFERRED && e.step().equals("offer"));
    assertThat(r.funnel(T, "late", 1).orElseThrow().step("offer").orElseThrow())
        .satisfies(
            f -> {
              assertThat(f.count(JourneyMetric.SKIPPED)).isEqualTo(1);
              assertThat(f.reasons(JourneyMetric.SKIPPED)).containsEntry("deadline", 1L);
              assertThat(f.count(JourneyMetric.SENT)).isZero();
            });

    // bea signed on day 70 (11 May, 13:00): she leaves before her next step, the day -14 branch
    assertThat(of(r, "bea", TimelineEntry.Kind.SENT))
        .containsExactly(
            "usage-value-report 2026-03-12T08:00:00Z", "proposal 2026-05-11T07:00:00Z");
    assertThat(timeline(r, "bea"))
        .filteredOn(e -> e.kind() == TimelineEntry.Kind.EXITED)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.detail()).isEqualTo("renewal signed");
              assertThat(e.at()).isEqualTo(Instant.parse("2026-05-27T07:00:00Z"));
            });
    assertThat(
            r.funnel(T, "renewal", 1)
                .orElseThrow()
                .step("signed-yet")
                .orElseThrow()
                .reasons(JourneyMetric.EXITED))
        .containsEntry("renewal signed", 1L);
  }

  @Test
  void aRenewalDateMovedByAScriptedActionReanchorsTheWaitingStep() {
    // the renewal moves from 10 June to 10 July on day 5: the -90 report waits until 11 April
    SimulationResult r =
        JourneySimulation.builder()
            .journey(JourneyDefinition.readyMade("renewal"))
            .burstWindow(Duration.ZERO)
            .contact(
                SimulatedContact.of(profile("al", BERLIN, Map.of("renewal_date", "2026-06-10")))
                    .enters("renewal", Duration.ZERO)
                    .engagement(
                        SimulatedEngagement.NONE.attribute(
                            Duration.ofDays(5), "renewal_date", "2026-07-10")))
            .start(START)
            .duration(Duration.ofDays(45))
            .build()
            .run();
    assertThat(of(r, "al", TimelineEntry.Kind.SENT))
        .containsExactly("usage-value-report 2026-04-11T07:00:00Z");
  }

  @Test
  void aScriptedOpenOfTheLastMessageResumesTheWaitForIt() {
    // ben opens the CSM check-in (sent Monday 16 March, 08:00) at 13:00 that day: no nudge
    SimulationResult r =
        JourneySimulation.builder()
            .journey(ONBOARDING)
            .burstWindow(Duration.ZERO)
            .contact(
                onboarding("ben", BERLIN, Map.of("setupComplete", "true"))
                    .engagement(SimulatedEngagement.NONE.opensLast(Duration.ofDays(14))))
            .contact(onboarding("dan", BERLIN, Map.of("setupComplete", "true")))
            .start(START)
            .duration(Duration.ofDays(30))
            .build()
            .run();
    assertThat(of(r, "ben", TimelineEntry.Kind.OPENED))
        .containsExactly("day-14-csm-check-in 2026-03-16T13:00:00Z");
    assertThat(of(r, "ben", TimelineEntry.Kind.SENT))
        .containsExactly(
            "day-1-welcome 2026-03-02T13:00:00Z",
            "day-7-webinar-invite 2026-03-09T08:00:00Z",
            "day-14-csm-check-in 2026-03-16T08:00:00Z",
            // four days after the open is Friday 13:00: Monday 09:00
            "day-21-success-stories 2026-03-23T08:00:00Z",
            "day-30-review 2026-03-30T07:00:00Z");
    assertThat(of(r, "dan", TimelineEntry.Kind.SENT))
        .contains("check-in-nudge 2026-03-19T08:00:00Z");
    assertThat(of(r, "dan", TimelineEntry.Kind.OPENED)).isEmpty();
  }

  @Test
  void aSecondJourneyBeyondTheLimitOfJourneysAtOnceIsRefusedOnTheTimeline() {
    JourneyDefinition other =
        JourneyDefinition.builder("other", 1)
            .start("hello")
            .step(Step.Send.of("hello", "hello", MessageKind.EDUCATIONAL, "news", null))
            .build();
    SimulationResult r =
        JourneySimulation.builder()
            .journey(ONBOARDING)
            .journey(other)
            .maxActiveJourneys(1)
            .contact(onboarding("ann", BERLIN, Map.of()).enters("other", Duration.ofDays(1)))
            .start(START)
            .duration(Duration.ofDays(2))
            .build()
            .run();
    assertThat(timeline(r, "ann"))
        .anySatisfy(
            e -> {
              assertThat(e.journey()).isEqualTo("other");
              assertThat(e.kind()).isEqualTo(TimelineEntry.Kind.SKIPPED);
              assertThat(e.detail()).startsWith("entry refused: TOO_MANY_JOURNEYS");
              assertThat(e.at()).isEqualTo(START.plus(Duration.ofDays(1)));
            });
    assertThat(r.funnel(T, "other", 1)).isEmpty();
  }

  private static void assertNoMoreThanTwoInAnyWeek(List<String> sends) {
    List<Instant> at =
        sends.stream().map(s -> Instant.parse(s.substring(s.indexOf(' ') + 1))).toList();
    for (Instant a : at) {
      long inWeek =
          at.stream().filter(b -> !b.isBefore(a) && b.isBefore(a.plus(Duration.ofDays(7)))).count();
      assertThat(inWeek).as("sends in the week from " + a + ": " + sends).isLessThanOrEqualTo(2);
    }
  }

  private static JourneySimulation.Builder crowd(int contacts, long seed) {
    List<SimulatedContact> all = new ArrayList<>();
    for (int i = 0; i < contacts; i++) {
      all.add(
          onboarding("c" + i, i % 2 == 0 ? BERLIN : NEW_YORK, Map.of())
              .engagement(SimulatedEngagement.opens(0.3).clicks(0.05)));
    }
    return JourneySimulation.builder()
        .journey(ONBOARDING)
        .capPolicy(TWO_A_WEEK)
        .contacts(all)
        .start(START)
        .duration(Duration.ofDays(40))
        .seed(seed);
  }

  @Test
  void theSameSeedGivesTheSameRunAndAnotherSeedOtherOpens() {
    JourneySimulation s = crowd(200, 7).build();
    SimulationResult a = s.run();
    SimulationResult b = s.run();
    SimulationResult c = crowd(200, 7).build().run(); // built anew from the same input
    SimulationResult other = crowd(200, 8).build().run();

    for (int i = 0; i < 200; i++) {
      ContactId id = ContactId.of("c" + i);
      assertThat(b.timeline(T, id)).isEqualTo(a.timeline(T, id));
      assertThat(c.timeline(T, id)).isEqualTo(a.timeline(T, id));
    }
    assertThat(b.funnels()).isEqualTo(a.funnels());
    assertThat(c.funnels()).isEqualTo(a.funnels());
    JourneyFunnel f = a.funnel(T, "onboarding", 1).orElseThrow();
    // the burst window spreads 09:00 over 15 minutes, by enrolment: the same each run
    assertThat(a.timeline(T, ContactId.of("c0")).orElseThrow())
        .filteredOn(e -> e.kind() == TimelineEntry.Kind.SENT)
        .extracting(e -> e.at().getEpochSecond() % 3600)
        .anySatisfy(second -> assertThat(second).isPositive());
    double opened = f.total(JourneyMetric.OPENED);
    double delivered = f.total(JourneyMetric.DELIVERED);
    assertThat(opened / delivered).isBetween(0.25, 0.35);
    assertThat(f.total(JourneyMetric.CLICKED)).isPositive().isLessThan((long) opened);
    assertThat(other.funnel(T, "onboarding", 1).orElseThrow().total(JourneyMetric.OPENED))
        .isNotEqualTo((long) opened);
  }

  @Test
  void timelinesAreSampledAndBoundedWhileTheListenerHearsEverything() {
    List<TimelineEntry> heard = new ArrayList<>();
    SimulationResult r =
        crowd(30, 1).keepTimelines(10).maxTimelineEntries(3).listener(heard::add).build().run();
    assertThat(r.timelinesKept()).isEqualTo(3);
    assertThat(r.timeline(T, ContactId.of("c0")).orElseThrow()).hasSize(3);
    assertThat(r.timeline(T, ContactId.of("c10"))).isPresent();
    assertThat(r.timeline(T, ContactId.of("c1"))).isEmpty();
    assertThat(r.truncated(T, ContactId.of("c0"))).isTrue();
    assertThat(heard.stream().map(TimelineEntry::contact).distinct()).hasSize(30);
    assertThat(heard.stream().filter(e -> e.contact().equals(ContactId.of("c0"))).limit(3))
        .containsExactlyElementsOf(r.timeline(T, ContactId.of("c0")).orElseThrow());
    assertThat(heard.stream().filter(e -> e.kind() == TimelineEntry.Kind.SENT).count())
        .isEqualTo(r.messagesSent());

    RuntimeException boom = new IllegalStateException("disk full");
    JourneySimulation failing =
        crowd(3, 1)
            .listener(
                e -> {
                  if (e.kind() == TimelineEntry.Kind.SENT) {
                    throw boom;
                  }
                })
            .build();
    assertThatThrownBy(failing::run).isSameAs(boom);
  }

  @Test
  void badInputIsRefusedNamingWhatIsWrong() {
    UnaryOperator<JourneySimulation.Builder> ok =
        b ->
            b.journey(ONBOARDING)
                .contact(onboarding("ann", BERLIN, Map.of()))
                .start(START)
                .duration(Duration.ofDays(90));
    assertThat(ok.apply(JourneySimulation.builder()).build().contacts()).hasSize(1);

    assertRefused(
        JourneySimulation.builder()
            .contact(onboarding("ann", BERLIN, Map.of()))
            .start(START)
            .duration(Duration.ofDays(1)),
        "no journey to simulate");
    assertRefused(
        JourneySimulation.builder().journey(ONBOARDING).start(START).duration(Duration.ofDays(1)),
        "no contacts");
    assertRefused(
        JourneySimulation.builder()
            .journey(ONBOARDING)
            .contact(onboarding("ann", BERLIN, Map.of()))
            .duration(Duration.ofDays(1)),
        "the start must be set");
    assertRefused(
        JourneySimulation.builder()
            .journey(ONBOARDING)
            .contact(onboarding("ann", BERLIN, Map.of()))
            .start(START),
        "the duration must be set");
    assertRefused(
        ok.apply(JourneySimulation.builder()).contact(onboarding("ann", NEW_YORK, Map.of())),
        "contact ann of tenant t1 is given twice");
    assertRefused(
        ok.apply(JourneySimulation.builder())
            .contact(
                SimulatedContact.of(profile("ben", BERLIN, Map.of()))
                    .enters("renewal", Duration.ZERO)),
        "contact ben of tenant t1 enters journey 'renewal', which the simulation does not"
            + " register");
    assertRefused(
        ok.apply(JourneySimulation.builder())
            .contact(
                SimulatedContact.of(profile("ben", BERLIN, Map.of()))
                    .enters("onboarding", Duration.ofDays(90))),
        "enters journey 'onboarding' after PT2160H, not before the end");
    assertRefused(
        ok.apply(JourneySimulation.builder())
            .contact(
                SimulatedContact.of(profile("ben", BERLIN, Map.of()))
                    .engagement(
                        SimulatedEngagement.NONE.attribute(Duration.ofDays(100), "a", "b"))),
        "contact ben of tenant t1 acts after PT2400H");
    assertRefused(
        JourneySimulation.builder()
            .journey(
                JourneyDefinition.builder("chain", 1)
                    .start("go")
                    .step(new Step.EnrolIn("go", "missing", Optional.empty()))
                    .build())
            .contact(onboarding("ann", BERLIN, Map.of()))
            .start(START)
            .duration(Duration.ofDays(1)),
        "enrols in journey 'missing', which is not registered");

    SimulatedCampaign news =
        SimulatedCampaign.of("news", "marketing", Duration.ofDays(1), MessageKind.PROMOTIONAL, "n");
    assertRefused(
        ok.apply(JourneySimulation.builder()).campaign(news).campaign(news),
        "campaign 'news' is given twice");
    assertRefused(
        ok.apply(JourneySimulation.builder())
            .campaign(
                SimulatedCampaign.of(
                    "late", "marketing", Duration.ofDays(90), MessageKind.PROMOTIONAL, "n")),
        "campaign 'late' is sent after PT2160H, not before the end");
    assertThatThrownBy(
            () ->
                SimulatedCampaign.of(
                    "News Letter", "marketing", Duration.ZERO, MessageKind.PROMOTIONAL, "n"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("campaign id:");
    assertThatThrownBy(
            () -> SimulatedCampaign.of("n", " ", Duration.ZERO, MessageKind.PROMOTIONAL, "n"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("campaign 'n': source team must not be blank");

    assertThatThrownBy(() -> JourneySimulation.builder().duration(Duration.ZERO))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("duration must be more than zero");
    assertThatThrownBy(() -> JourneySimulation.builder().duration(Duration.ofDays(5000)))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("at most " + JourneySimulation.MAX_DURATION);
    assertThatThrownBy(() -> JourneySimulation.builder().keepTimelines(-1))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("keep timelines");
    assertThatThrownBy(() -> JourneySimulation.builder().maxTimelineEntries(0))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("max timeline entries must be at least 1, was 0");
    assertThatThrownBy(
            () -> JourneySimulation.builder().capPolicy(TWO_A_WEEK).capPolicy(TWO_A_WEEK))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("the cap policy is set already");
    assertThatThrownBy(() -> SimulatedEngagement.opens(1.5))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("open rate must be a share from 0 to 1");
    assertThatThrownBy(() -> SimulatedEngagement.opens(0.2).clicks(0.3))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("click rate must be from 0 to the open rate 0.2");
    assertThatThrownBy(() -> SimulatedEngagement.NONE.signal(Duration.ofDays(1), "opened"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("signal 'opened'")
        .hasMessageContaining("only replied or custom:<name>");
    assertThatThrownBy(
            () ->
                SimulatedContact.of(profile("ann", BERLIN, Map.of()))
                    .enters("onboarding", Duration.ofDays(-1)))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("must not be before the start");
  }

  private static void assertRefused(JourneySimulation.Builder b, String message) {
    assertThatThrownBy(b::build)
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining(message);
  }
}
