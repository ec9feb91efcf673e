package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.calendar.CalendarConflictException;
import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CalendarStore;
import dev.steward.calendar.CommunicationCalendar;
import dev.steward.calendar.ConflictRule;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.Concurrently;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Journeys on the communication calendar (issue 14), the same on every store: an enrolment's
 * upcoming send is an entry every team sees; it moves with re-anchoring, goes when the enrolment
 * ends or the send is skipped, and the calendar's rules apply to the send.
 */
public abstract class JourneyCalendarContract {
  static final Instant SPRING = Instant.parse("2027-03-01T08:00:00Z");

  /** 30 days before renewal at 09:00 local: the value report; the renewal signed ends it. */
  static final JourneyDefinition RENEWAL =
      JourneyDefinition.builder("renewal", 1)
          .team("csm")
          .exitWhen("signed", Condition.eq("signed", "yes"))
          .step(
              new Step.WaitUntilDate(
                  "t-30", "renewal_date", -30, LocalTime.of(9, 0), Optional.of("report")))
          .step(Step.Send.of("report", "tpl-report", MessageKind.RELATIONSHIP, "renewal", null))
          .build();

  /** Clears the shared data before each test. */
  protected abstract void reset();

  /** A journey store over the shared data. */
  protected abstract JourneyStore journeyStore();

  /** A work store over the shared data. */
  protected abstract WorkStore workStore();

  /** A calendar store over the shared data. */
  protected abstract CalendarStore calendarStore();

  private SettableClock clock;
  private CommunicationCalendar calendar;
  private JourneyKit kit;

  @BeforeEach
  void build() {
    reset();
    clock = SettableClock.of(SPRING);
    calendar = calendar(clock);
    kit = kit(calendar);
  }

  private CommunicationCalendar calendar(SettableClock c) {
    return CommunicationCalendar.builder(calendarStore(), c)
        .zones(ConflictRule.Zones.fixed(BERLIN))
        .rule(ConflictRule.differentTeamsSameDay(ConflictRule.Scope.CONTACT))
        .build();
  }

  /** One application instance over the shared stores. */
  private JourneyKit kit(CommunicationCalendar cal) {
    return new JourneyKit(
        clock, journeyStore(), workStore(), b -> b.journey(RENEWAL).calendar(cal));
  }

  private Optional<CalendarEntry> upcoming(Enrolment e) {
    return calendar.find(TENANT, "journey:" + e.id());
  }

  @Test
  void theUpcomingSendIsOnTheCalendarNamedAndMovesWhenTheRenewalMoves() {
    ContactId ann = kit.contact("ann", BERLIN, Map.of("renewal_date", "2027-05-10"));
    kit.enrol(ann, "renewal");
    kit.driver.runDue();
    Enrolment e = kit.only(ann);

    CalendarEntry entry = upcoming(e).orElseThrow();
    assertThat(entry.status()).isEqualTo(CalendarEntry.Status.SCHEDULED);
    assertThat(entry.at()).isEqualTo(Instant.parse("2027-04-10T07:00:00Z"));
    assertThat(entry.team()).contains("csm");
    assertThat(entry.kind()).contains(MessageKind.RELATIONSHIP);
    assertThat(entry.category()).contains("renewal");
    assertThat(entry.campaign()).contains("renewal/report");
    assertThat(entry.account()).isEqualTo(AccountId.of("acct-ann"));
    assertThat(entry.contact()).contains(ann);
    // every team sees it beside its own campaigns
    assertThat(calendar.forContact(TENANT, ann, SPRING, SPRING.plus(Duration.ofDays(90))))
        .contains(entry);

    kit.scheduler.setAttribute(TENANT, ann, "renewal_date", Optional.of("2027-06-10"));
    assertThat(upcoming(e).orElseThrow().at()).isEqualTo(Instant.parse("2027-05-11T07:00:00Z"));

    kit.clock.set(Instant.parse("2027-05-11T07:00:00Z"));
    kit.driver.runDue();
    assertThat(kit.sentTo(ann)).hasSize(1);
    // sent: the upcoming entry is gone, the message itself is on the calendar as SENT
    assertThat(upcoming(e).orElseThrow().status()).isEqualTo(CalendarEntry.Status.CANCELLED);
    Message sent = kit.sentTo(ann).get(0);
    CalendarEntry message = calendar.find(TENANT, sent.id().value()).orElseThrow();
    assertThat(message.status()).isEqualTo(CalendarEntry.Status.SENT);
    assertThat(message.team()).contains("csm");
  }

  @Test
  void anEnrolmentThatExitsLeavesNoUpcomingSend() {
    ContactId bob = kit.contact("bob", BERLIN, Map.of("renewal_date", "2027-05-10"));
    kit.enrol(bob, "renewal");
    kit.driver.runDue();
    Enrolment e = kit.only(bob);
    assertThat(upcoming(e)).isPresent();

    kit.scheduler.setAttribute(TENANT, bob, "signed", Optional.of("yes"));
    kit.clock.set(Instant.parse("2027-04-10T07:00:00Z"));
    kit.driver.runDue();

    assertThat(kit.only(bob).state()).isEqualTo(EnrolmentState.EXITED);
    assertThat(kit.sentTo(bob)).isEmpty();
    assertThat(upcoming(e).orElseThrow().status()).isEqualTo(CalendarEntry.Status.CANCELLED);
  }

  @Test
  void aJourneySendThatConflictsIsSkippedWithTheRuleNamed() {
    ContactId cyd = kit.contact("cyd", BERLIN, Map.of("renewal_date", "2027-05-10"));
    kit.enrol(cyd, "renewal");
    kit.driver.runDue();
    Enrolment e = kit.only(cyd);
    // marketing cannot schedule a campaign to the contact on the journey's day: the calendar
    // holds the journey's send against it, as it would another team's campaign
    CalendarEntry promo =
        CalendarEntry.of(
            TENANT,
            "spring-promo-cyd",
            CalendarEntry.Type.COMMUNICATION,
            CalendarEntry.Status.SCHEDULED,
            AccountId.of("acct-cyd"),
            cyd,
            "marketing",
            MessageKind.PROMOTIONAL,
            "offers",
            Channel.EMAIL,
            "spring",
            Instant.parse("2027-04-10T05:00:00Z"));
    assertThatThrownBy(() -> calendar.schedule(promo))
        .isInstanceOf(CalendarConflictException.class)
        .hasMessageContaining("csm");
    // but marketing's own pipeline sent it that morning all the same
    calendar.record(
        Message.builder()
            .tenant(TENANT)
            .account(AccountId.of("acct-cyd"))
            .contact(cyd)
            .to("cyd@example.com")
            .kind(MessageKind.PROMOTIONAL)
            .category("offers")
            .source(Source.MARKETING)
            .createdAt(Instant.parse("2027-04-10T05:00:00Z"))
            .build(),
        CalendarEntry.Status.SENT,
        Instant.parse("2027-04-10T05:00:00Z"));

    kit.clock.set(Instant.parse("2027-04-10T07:00:00Z"));
    kit.driver.runDue();

    assertThat(kit.sentTo(cyd)).isEmpty();
    List<HistoryEntry> history = kit.store.history(TENANT, e.id());
    HistoryEntry last = history.get(history.size() - 1);
    assertThat(last.outcome()).isEqualTo(StepOutcome.SKIPPED);
    assertThat(last.step()).isEqualTo("report");
    assertThat(last.detail()).contains("different-teams-same-day/contact").contains("marketing");
    assertThat(upcoming(e).orElseThrow().status()).isEqualTo(CalendarEntry.Status.CANCELLED);
  }

  @Test
  void twoInstancesKeepOneEntryInLineWithTheLatestPlan() {
    ContactId dee = kit.contact("dee", BERLIN, Map.of("renewal_date", "2027-05-10"));
    kit.enrol(dee, "renewal");
    kit.driver.runDue();
    Enrolment e = kit.only(dee);
    JourneyKit other = kit(calendar(clock));

    // both instances move the renewal at once, to two dates, several times
    Concurrently.run(
        2,
        i -> {
          JourneyKit k = i == 0 ? kit : other;
          for (int n = 0; n < 5; n++) {
            String date = i == 0 ? "2027-06-" + (10 + n) : "2027-07-" + (10 + n);
            k.scheduler.setAttribute(TENANT, dee, "renewal_date", Optional.of(date));
          }
          return null;
        });
    // whoever wrote last, the calendar holds the enrolment's plan as stored
    Enrolment now = kit.only(dee);
    CalendarEntry entry = upcoming(e).orElseThrow();
    assertThat(entry.at()).isEqualTo(now.dueAt());
    assertThat(entry.status()).isEqualTo(CalendarEntry.Status.SCHEDULED);
    assertThat(
            calendar.forContact(TENANT, dee, SPRING, SPRING.plus(Duration.ofDays(365))).stream()
                .filter(x -> x.status() == CalendarEntry.Status.SCHEDULED))
        .hasSize(1);
  }

  @Test
  void erasingTheContactOrTenantFromTheCalendarRemovesTheEntries() {
    ContactId eve = kit.contact("eve", BERLIN, Map.of("renewal_date", "2027-05-10"));
    ContactId fay = kit.contact("fay", BERLIN, Map.of("renewal_date", "2027-05-10"));
    kit.enrol(eve, "renewal");
    kit.enrol(fay, "renewal");
    kit.driver.runDue();
    assertThat(upcoming(kit.only(eve))).isPresent();

    calendar.erase(TENANT, eve);
    assertThat(upcoming(kit.only(eve))).isEmpty();
    assertThat(upcoming(kit.only(fay))).isPresent();
    calendar.eraseTenant(TENANT);
    assertThat(upcoming(kit.only(fay))).isEmpty();
  }
}
