package dev.steward.calendar;

import static dev.steward.calendar.CalendarFixtures.ANA;
import static dev.steward.calendar.CalendarFixtures.BOB;
import static dev.steward.calendar.CalendarFixtures.GLOBEX;
import static dev.steward.calendar.CalendarFixtures.INITECH;
import static dev.steward.calendar.CalendarFixtures.TENANT;
import static dev.steward.calendar.CalendarFixtures.campaign;
import static dev.steward.calendar.CalendarFixtures.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.calendar.ConflictRule.Scope;
import dev.steward.model.MessageKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CalendarConflictRulesTest {
  final InMemoryCalendarStore store = InMemoryCalendarStore.of();

  CommunicationCalendar calendar(ConflictRule rule) {
    return CommunicationCalendar.builder(store, java.time.Clock.systemUTC()).rule(rule).build();
  }

  @Nested
  class DifferentTeamsSameDay {
    final CommunicationCalendar perContact =
        calendar(ConflictRule.differentTeamsSameDay(Scope.CONTACT));

    @Test
    void aSecondTeamOnTheSameDayConflictsWithTheFirst() {
      store.put(to("m1", "marketing", ANA, "2024-03-05T09:00:00Z"));

      assertThat(perContact.conflicts(to("c1", "csm", ANA, "2024-03-05T17:00:00Z")))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.rule()).isEqualTo("different-teams-same-day/contact");
                assertThat(c.entryIds()).containsExactly("m1");
                assertThat(c.detail())
                    .isEqualTo(
                        "team 'csm' would reach contact ana on 2024-03-05 (Z), a day on which"
                            + " team 'marketing' already does");
              });
    }

    @Test
    void theSameTeamAnotherDayAnotherContactOrACancelledEntryDoNotConflict() {
      store.put(to("m1", "marketing", ANA, "2024-03-05T09:00:00Z"));
      store.put(to("c0", "csm", ANA, "2024-03-04T23:59:59Z"));

      assertThat(perContact.conflicts(to("m2", "Marketing", ANA, "2024-03-05T17:00:00Z")))
          .isEmpty();
      assertThat(perContact.conflicts(to("c1", "csm", ANA, "2024-03-06T00:00:00Z"))).isEmpty();
      assertThat(perContact.conflicts(to("c2", "csm", BOB, "2024-03-05T17:00:00Z"))).isEmpty();

      perContact.cancel(TENANT, "m1");
      assertThat(perContact.conflicts(to("c3", "csm", ANA, "2024-03-05T17:00:00Z"))).isEmpty();
    }

    @Test
    void anAccountWideCommunicationReachesEveryContact() {
      store.put(to("webinar", "product", null, "2024-03-05T15:00:00Z"));

      assertThat(perContact.conflicts(to("c1", "csm", ANA, "2024-03-05T09:00:00Z")))
          .singleElement()
          .satisfies(c -> assertThat(c.entryIds()).containsExactly("webinar"));
    }

    @Test
    void accountScopeCountsEveryContactOfTheAccountOnly() {
      CommunicationCalendar perAccount =
          CommunicationCalendar.builder(store, java.time.Clock.systemUTC())
              .rule(ConflictRule.differentTeamsSameDay(Scope.ACCOUNT))
              .build();
      store.put(to("m1", "marketing", ANA, "2024-03-05T09:00:00Z"));
      store.put(campaign("other", INITECH, BOB, "x", "2024-03-05T09:00:00Z"));

      assertThat(perAccount.conflicts(to("s1", "sales", BOB, "2024-03-05T12:00:00Z")))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.rule()).isEqualTo("different-teams-same-day/account");
                assertThat(c.entryIds()).containsExactly("m1");
                assertThat(c.detail()).startsWith("team 'sales' would reach account globex on");
              });
    }

    @Test
    void accountMailNeitherConflictsNorIsConflictedWith() {
      store.put(to("receipt", "billing", ANA, MessageKind.TRANSACTIONAL, "2024-03-05T09:00:00Z"));
      assertThat(perContact.conflicts(to("c1", "csm", ANA, "2024-03-05T10:00:00Z"))).isEmpty();

      store.put(to("m1", "marketing", ANA, "2024-03-05T08:00:00Z"));
      assertThat(
              perContact.conflicts(
                  to("outage", "support", ANA, MessageKind.OPERATIONAL, "2024-03-05T10:00:00Z")))
          .isEmpty();
    }

    @Test
    void listsEveryOtherTeamOfTheDay() {
      store.put(to("m1", "marketing", ANA, "2024-03-05T09:00:00Z"));
      store.put(to("s1", "sales", ANA, "2024-03-05T11:00:00Z"));

      assertThat(perContact.conflicts(to("c1", "csm", ANA, "2024-03-05T17:00:00Z")))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.entryIds()).containsExactly("m1", "s1");
                assertThat(c.detail()).endsWith("team 'marketing', 'sales' already does");
              });
    }
  }

  @Nested
  class SameDayInTheContactsZone {
    // 14:00Z and 16:00Z: 23:00 and 01:00 (next day) in Tokyo, 09:00 and 11:00 in New York
    final CalendarEntry evening = to("m1", "marketing", ANA, "2024-03-05T14:00:00Z");
    final CalendarEntry later = to("c1", "csm", ANA, "2024-03-05T16:00:00Z");

    CommunicationCalendar inZone(String zone) {
      return CommunicationCalendar.builder(store, java.time.Clock.systemUTC())
          .zones((tenant, account, contact) -> ZoneId.of(zone))
          .rule(ConflictRule.differentTeamsSameDay(Scope.CONTACT))
          .build();
    }

    @Test
    void inTokyoTheTwoFallOnDifferentDays() {
      store.put(evening);
      assertThat(inZone("Asia/Tokyo").conflicts(later)).isEmpty();
    }

    @Test
    void inNewYorkTheyFallOnTheSameDay() {
      store.put(evening);
      assertThat(inZone("America/New_York").conflicts(later))
          .singleElement()
          .satisfies(c -> assertThat(c.detail()).contains("on 2024-03-05 (America/New_York)"));
    }

    @Test
    void andTheOtherWayRound() {
      // 04:00Z and 06:00Z: 23:00 (4 March) and 01:00 in New York, 13:00 and 15:00 in Tokyo
      store.put(to("m1", "marketing", ANA, "2024-03-05T04:00:00Z"));
      CalendarEntry candidate = to("c1", "csm", ANA, "2024-03-05T06:00:00Z");

      assertThat(inZone("America/New_York").conflicts(candidate)).isEmpty();
      assertThat(inZone("Asia/Tokyo").conflicts(candidate))
          .singleElement()
          .satisfies(c -> assertThat(c.detail()).contains("on 2024-03-05 (Asia/Tokyo)"));
    }

    @Test
    void eachContactIsReadInItsOwnZone() {
      CommunicationCalendar calendar =
          CommunicationCalendar.builder(store, java.time.Clock.systemUTC())
              .zones(
                  (tenant, account, contact) ->
                      ZoneId.of(ANA.equals(contact) ? "Asia/Tokyo" : "America/New_York"))
              .rule(ConflictRule.differentTeamsSameDay(Scope.CONTACT))
              .build();
      store.put(evening);
      store.put(to("m2", "marketing", BOB, "2024-03-05T14:00:00Z"));

      assertThat(calendar.conflicts(later)).isEmpty();
      assertThat(calendar.conflicts(to("c2", "csm", BOB, "2024-03-05T16:00:00Z"))).hasSize(1);
    }
  }

  @Nested
  class CampaignsAtOnce {
    final CommunicationCalendar calendar =
        calendar(ConflictRule.campaignsAtOnce(2, Duration.ofHours(48)));

    void twoCampaigns() {
      store.put(campaign("sale-ana", GLOBEX, ANA, "spring-sale", "2024-03-04T09:00:00Z"));
      store.put(campaign("sale-bob", GLOBEX, BOB, "spring-sale", "2024-03-04T09:00:00Z"));
      store.put(campaign("webinar", GLOBEX, null, "webinar-invite", "2024-03-05T09:00:00Z"));
    }

    @Test
    void aThirdOverlappingCampaignConflictsWithBothOthers() {
      twoCampaigns();
      assertThat(
              calendar.conflicts(
                  campaign("renewal", GLOBEX, ANA, "renewal-push", "2024-03-06T08:00:00Z")))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.rule()).isEqualTo("campaigns-at-once/2-per-PT48H");
                assertThat(c.entryIds()).containsExactly("sale-ana", "sale-bob", "webinar");
                assertThat(c.detail())
                    .isEqualTo(
                        "campaign 'renewal-push' would be one of 3 campaigns at once for account"
                            + " globex (with 'spring-sale', 'webinar-invite'); at most 2 may run"
                            + " within PT48H of each other");
              });
    }

    @Test
    void campaignsThatNoLongerOverlapDoNotCount() {
      twoCampaigns();
      // the spring sale occupies [4 March 09:00, 6 March 09:00): touching is not overlapping
      assertThat(
              calendar.conflicts(
                  campaign("renewal", GLOBEX, ANA, "renewal-push", "2024-03-06T09:00:00Z")))
          .isEmpty();
    }

    @Test
    void moreOfACampaignAlreadyRunningIsNotANewCampaign() {
      twoCampaigns();
      assertThat(
              calendar.conflicts(
                  campaign("sale-carol", GLOBEX, null, "spring-sale", "2024-03-05T10:00:00Z")))
          .isEmpty();
    }

    @Test
    void otherAccountsAndNonCampaignMailDoNotCount() {
      twoCampaigns();
      assertThat(
              calendar.conflicts(
                  campaign("x", INITECH, BOB, "renewal-push", "2024-03-05T08:00:00Z")))
          .isEmpty();
      assertThat(calendar.conflicts(to("tip", "product", ANA, "2024-03-05T08:00:00Z"))).isEmpty();
    }

    @Test
    void aCancelledCampaignFreesItsPlace() {
      twoCampaigns();
      calendar.cancel(TENANT, "webinar");
      assertThat(
              calendar.conflicts(
                  campaign("renewal", GLOBEX, ANA, "renewal-push", "2024-03-06T08:00:00Z")))
          .isEmpty();
    }
  }

  @Nested
  class ComplaintCooldown {
    final CommunicationCalendar perContact =
        calendar(ConflictRule.complaintCooldown(Duration.ofDays(30), Scope.CONTACT));
    final Instant complainedAt = Instant.parse("2024-03-01T10:00:00Z");

    @Test
    void aCommunicationWithinTheCooldownConflicts() {
      CalendarEntry complaint = perContact.recordComplaint(TENANT, GLOBEX, ANA, complainedAt);

      assertThat(perContact.conflicts(to("c1", "csm", ANA, "2024-03-20T10:00:00Z")))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.rule()).isEqualTo("complaint-cooldown/contact/PT720H");
                assertThat(c.entries()).containsExactly(complaint);
                assertThat(c.detail())
                    .isEqualTo(
                        "contact ana complained at 2024-03-01T10:00:00Z; no communication before"
                            + " 2024-03-31T10:00:00Z (cool-down PT720H)");
              });
    }

    @Test
    void theCooldownEndsAndDoesNotReachBack() {
      perContact.recordComplaint(TENANT, GLOBEX, ANA, complainedAt);

      assertThat(perContact.conflicts(to("c1", "csm", ANA, "2024-03-01T10:00:00Z"))).hasSize(1);
      assertThat(perContact.conflicts(to("c2", "csm", ANA, "2024-03-31T10:00:00Z"))).isEmpty();
      assertThat(perContact.conflicts(to("c3", "csm", ANA, "2024-03-01T09:59:59Z"))).isEmpty();
    }

    @Test
    void contactScopeSparesOtherContactsAccountScopeDoesNot() {
      perContact.recordComplaint(TENANT, GLOBEX, ANA, complainedAt);
      CalendarEntry toBob = to("c1", "csm", BOB, "2024-03-10T10:00:00Z");
      assertThat(perContact.conflicts(toBob)).isEmpty();

      CommunicationCalendar perAccount =
          CommunicationCalendar.builder(store, java.time.Clock.systemUTC())
              .rule(ConflictRule.complaintCooldown(Duration.ofDays(30), Scope.ACCOUNT))
              .build();
      assertThat(perAccount.conflicts(toBob))
          .singleElement()
          .satisfies(c -> assertThat(c.rule()).isEqualTo("complaint-cooldown/account/PT720H"));
    }

    @Test
    void accountMailStillGoesAfterAComplaint() {
      perContact.recordComplaint(TENANT, GLOBEX, ANA, complainedAt);
      assertThat(
              perContact.conflicts(
                  to("reset", "support", ANA, MessageKind.TRANSACTIONAL, "2024-03-02T10:00:00Z")))
          .isEmpty();
    }
  }

  @Test
  void everyRuleReportsItsOwnConflict() {
    CommunicationCalendar all =
        CommunicationCalendar.builder(store, java.time.Clock.systemUTC())
            .rule(ConflictRule.differentTeamsSameDay(Scope.CONTACT))
            .rule(ConflictRule.complaintCooldown(Duration.ofDays(7), Scope.CONTACT))
            .build();
    store.put(to("m1", "marketing", ANA, "2024-03-05T09:00:00Z"));
    all.recordComplaint(TENANT, GLOBEX, ANA, Instant.parse("2024-03-04T09:00:00Z"));

    assertThat(all.conflicts(to("c1", "csm", ANA, "2024-03-05T12:00:00Z")))
        .extracting(CalendarConflict::rule)
        .containsExactly("different-teams-same-day/contact", "complaint-cooldown/contact/PT168H");
  }

  @Test
  void rulesRejectBadParametersNamingThem() {
    assertThatThrownBy(() -> ConflictRule.campaignsAtOnce(0, Duration.ofDays(1)))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("max must be at least 1, was 0");
    assertThatThrownBy(() -> ConflictRule.campaignsAtOnce(2, Duration.ZERO))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("length must be positive");
    assertThatThrownBy(() -> ConflictRule.complaintCooldown(Duration.ofDays(-1), Scope.CONTACT))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("cooldown must be positive");
    assertThatThrownBy(() -> ConflictRule.differentTeamsSameDay(null))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("scope");
    assertThatThrownBy(() -> new ConflictRule.DifferentTeamsSameDay(Scope.CONTACT, Set.of()))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("kinds");
    assertThatThrownBy(
            () ->
                CommunicationCalendar.builder(store, java.time.Clock.systemUTC())
                    .rule(ConflictRule.campaignsAtOnce(2, Duration.ofDays(1)))
                    .rule(ConflictRule.campaignsAtOnce(2, Duration.ofDays(1))))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("already added");
  }

  @Test
  void rulesAreComparableData() {
    assertThat(ConflictRule.campaignsAtOnce(3, Duration.ofDays(2)))
        .isEqualTo(new ConflictRule.CampaignsAtOnce(3, Duration.ofDays(2)));
    assertThat(ConflictRule.differentTeamsSameDay(Scope.ACCOUNT).kinds())
        .containsExactlyInAnyOrder(
            MessageKind.EDUCATIONAL, MessageKind.RELATIONSHIP, MessageKind.PROMOTIONAL);
  }
}
