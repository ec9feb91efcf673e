package dev.steward.frequency;

import static dev.steward.frequency.Messages.promo;
import static dev.steward.frequency.Messages.to;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.ContactConsent;
import dev.steward.consent.Frequency;
import dev.steward.consent.InMemoryConsentStore;
import dev.steward.consent.Subscription;
import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Worked examples: each rule alone and together, with the exact instants expected. */
class FrequencyCapLimiterTest {
  // a Monday
  private static final Instant MON_10 = Instant.parse("2026-01-05T10:00:00Z");

  private final SettableClock clock = SettableClock.of(MON_10);
  private final InMemoryCapLedgerStore store = InMemoryCapLedgerStore.of();

  private FrequencyCapLimiter limiter(CapPolicy policy) {
    return FrequencyCapLimiter.builder(store, clock).policy(policy).build();
  }

  private static Reason reason(Decision d, String rule) {
    return d.reasons().stream().filter(r -> r.rule().equals(rule)).findFirst().orElseThrow();
  }

  @Test
  void rollingCapDefersToTheInstantTheOldestSendLeavesTheWindow() {
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder().cap(Cap.perContact(2, Window.rolling(Duration.ofDays(7)))).build());

    assertThat(limiter.decide(promo("ann")).outcome()).isEqualTo(Outcome.ALLOW);
    clock.advance(Duration.ofHours(1));
    assertThat(limiter.decide(promo("ann")).outcome()).isEqualTo(Outcome.ALLOW);
    clock.advance(Duration.ofHours(1));
    Decision third = limiter.decide(promo("ann"));

    assertThat(third.outcome()).isEqualTo(Outcome.DEFER);
    assertThat(third.notBefore().orElseThrow()).isEqualTo(MON_10.plus(Duration.ofDays(7)));
    Reason r = reason(third, "contact-2-per-P7D");
    assertThat(r.effect()).isEqualTo(Outcome.DEFER);
    assertThat(r.allowedFrom()).contains(MON_10.plus(Duration.ofDays(7)));
    assertThat(r.usage().orElseThrow().used()).isEqualTo(2);
    assertThat(r.usage().orElseThrow().limit()).isEqualTo(2);
    assertThat(r.usage().orElseThrow().windowEnd()).isEqualTo(clock.instant().plusSeconds(1));
    // the other contact is unaffected
    assertThat(limiter.decide(promo("bob")).isAllowed()).isTrue();
  }

  @Test
  void aSendStopsCountingAtExactlyItsTimePlusTheWindow() {
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder()
                .cap(Cap.perContact(1, Window.rolling(Duration.ofHours(24))))
                .build());
    limiter.decide(promo("ann"));

    Instant free = MON_10.plus(Duration.ofHours(24));
    assertThat(limiter.whatIf(promo("ann"), free.minusSeconds(1)).notBefore().orElseThrow())
        .isEqualTo(free);
    assertThat(limiter.whatIf(promo("ann"), free).isAllowed()).isTrue();
  }

  @Test
  void calendarDayCapPerCategoryCountsEachCategoryOnItsOwn() {
    FrequencyCapLimiter limiter =
        limiter(CapPolicy.builder().cap(Cap.perContact(1, Window.day()).eachCategory()).build());
    Message news = to("ann", MessageKind.EDUCATIONAL, "news");
    Message offers = to("ann", MessageKind.PROMOTIONAL, "offers");

    assertThat(limiter.decide(news).isAllowed()).isTrue();
    Decision again = limiter.decide(news);
    assertThat(limiter.decide(offers).isAllowed()).isTrue();

    assertThat(again.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-01-06T00:00:00Z"));
    Reason r = reason(again, "contact-1-per-DAY-per-category");
    assertThat(r.usage().orElseThrow())
        .isEqualTo(
            new Reason.Usage(
                1,
                1,
                Instant.parse("2026-01-05T00:00:00Z"),
                Instant.parse("2026-01-06T00:00:00Z")));
  }

  @Test
  void scopedCapsCountOnlyTheirKinds() {
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder()
                .cap(Cap.perContact(1, Window.week()).onlyKinds(MessageKind.PROMOTIONAL))
                .build());
    assertThat(limiter.decide(promo("ann")).isAllowed()).isTrue();
    assertThat(limiter.decide(to("ann", MessageKind.EDUCATIONAL, "tips")).isAllowed()).isTrue();
    Decision d = limiter.decide(promo("ann"));
    // ISO week: next Monday 00:00 UTC
    assertThat(d.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-01-12T00:00:00Z"));
  }

  @Test
  void quietHoursCrossingMidnightDeferToTheirEnd() {
    FrequencyCapLimiter limiter =
        limiter(CapPolicy.builder().quietHours(LocalTime.of(21, 0), LocalTime.of(8, 0)).build());

    clock.set(Instant.parse("2026-01-05T22:00:00Z"));
    Decision late = limiter.decide(promo("ann"));
    assertThat(late.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-01-06T08:00:00Z"));
    assertThat(reason(late, "quiet-hours").allowedFrom())
        .contains(Instant.parse("2026-01-06T08:00:00Z"));
    assertThat(
            limiter
                .whatIf(promo("ann"), Instant.parse("2026-01-06T07:59:59Z"))
                .notBefore()
                .orElseThrow())
        .isEqualTo(Instant.parse("2026-01-06T08:00:00Z"));
    assertThat(limiter.whatIf(promo("ann"), Instant.parse("2026-01-06T08:00:00Z")).isAllowed())
        .isTrue();
    assertThat(limiter.whatIf(promo("ann"), Instant.parse("2026-01-06T20:59:59Z")).isAllowed())
        .isTrue();
  }

  @Test
  void sendWindowDefersFromFridayEveningToMondayMorning() {
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder()
                .sendWindow(SendWindow.weekdays(LocalTime.of(9, 0), LocalTime.of(17, 0)))
                .build());
    Decision d = limiter.whatIf(promo("ann"), Instant.parse("2026-01-09T17:00:00Z"));
    assertThat(d.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-01-12T09:00:00Z"));
    assertThat(limiter.whatIf(promo("ann"), Instant.parse("2026-01-09T16:59:59Z")).isAllowed())
        .isTrue();
    assertThat(
            limiter
                .whatIf(promo("ann"), Instant.parse("2026-01-06T06:00:00Z"))
                .notBefore()
                .orElseThrow())
        .isEqualTo(Instant.parse("2026-01-06T09:00:00Z"));
  }

  @Test
  void coolDownAfterAnActivityBlocksOnlyItsKinds() {
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder()
                .coolDown(
                    CoolDown.afterContactActivity("support-ticket-closed", Duration.ofHours(48))
                        .onlyKinds(MessageKind.PROMOTIONAL))
                .build());
    limiter.recordActivity(TenantId.of("t1"), ContactId.of("ann"), "support-ticket-closed", MON_10);
    clock.advance(Duration.ofHours(1));

    Decision d = limiter.decide(promo("ann"));
    assertThat(d.notBefore().orElseThrow()).isEqualTo(MON_10.plus(Duration.ofHours(48)));
    assertThat(reason(d, "cool-down-P2D-after-contact-support-ticket-closed-promotional").effect())
        .isEqualTo(Outcome.DEFER);
    assertThat(limiter.decide(to("ann", MessageKind.EDUCATIONAL, "tips")).isAllowed()).isTrue();
    assertThat(limiter.decide(promo("bob")).isAllowed()).isTrue();
  }

  @Test
  void accountCoolDownAndAccountCapCoverEveryContactOfTheAccount() {
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder()
                .cap(Cap.perAccount(2, Window.day()))
                .coolDown(CoolDown.afterAccountActivity("renewal-call", Duration.ofHours(2)))
                .build());
    limiter.recordActivity(
        TenantId.of("t1"), AccountId.of("acme"), "renewal-call", MON_10.minusSeconds(3600));

    assertThat(limiter.decide(promo("ann")).notBefore().orElseThrow())
        .isEqualTo(MON_10.plusSeconds(3600));
    clock.set(MON_10.plusSeconds(3600));
    assertThat(limiter.decide(promo("ann")).isAllowed()).isTrue();
    assertThat(limiter.decide(promo("bob")).isAllowed()).isTrue();
    Decision third = limiter.decide(promo("cid"));
    assertThat(third.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-01-06T00:00:00Z"));
    assertThat(reason(third, "account-2-per-DAY").usage().orElseThrow().used()).isEqualTo(2);
  }

  @Test
  void theDeferInstantIsTheFixPointOfAllRules() {
    // a daily cap frees the slot at midnight, but quiet hours hold it until 08:00
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder()
                .cap(Cap.perContact(1, Window.day()))
                .quietHours(LocalTime.of(0, 0), LocalTime.of(8, 0))
                .build());
    limiter.decide(promo("ann"));
    assertThat(limiter.decide(promo("ann")).notBefore().orElseThrow())
        .isEqualTo(Instant.parse("2026-01-06T08:00:00Z"));

    // a rolling cap frees Saturday 16:00, but the send window opens Monday 09:00
    FrequencyCapLimiter weekdays =
        FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
            .policy(
                CapPolicy.builder()
                    .cap(Cap.perContact(1, Window.rolling(Duration.ofHours(24))))
                    .sendWindow(SendWindow.weekdays(LocalTime.of(9, 0), LocalTime.of(17, 0)))
                    .build())
            .build();
    clock.set(Instant.parse("2026-01-09T16:00:00Z"));
    assertThat(weekdays.decide(promo("ann")).isAllowed()).isTrue();
    clock.advance(Duration.ofMinutes(30));
    Decision d = weekdays.decide(promo("ann"));
    assertThat(d.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-01-12T09:00:00Z"));
    assertThat(reason(d, "contact-1-per-P1D").allowedFrom())
        .contains(Instant.parse("2026-01-10T16:00:00Z"));
    // the window allowed at 16:30 Friday, but it set the final instant, so its reason says so
    assertThat(reason(d, "send-window").effect()).isEqualTo(Outcome.DEFER);
    assertThat(reason(d, "send-window").allowedFrom())
        .contains(Instant.parse("2026-01-12T09:00:00Z"));
  }

  @Test
  void aCapOfZeroSuppressesAndExemptionsPass() {
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder()
                .cap(
                    Cap.perContact(0, Window.day())
                        .onlyKinds(MessageKind.PROMOTIONAL, MessageKind.TRANSACTIONAL))
                .exemptAtOrAbove(Priority.CRITICAL)
                .build());
    Decision d = limiter.decide(promo("ann"));
    assertThat(d.outcome()).isEqualTo(Outcome.SUPPRESS);
    assertThat(d.reasons()).extracting(Reason::effect).containsExactly(Outcome.SUPPRESS);

    Decision receipt = limiter.decide(to("ann", MessageKind.TRANSACTIONAL, "receipts"));
    assertThat(receipt.isAllowed()).isTrue();
    assertThat(receipt.reasons()).extracting(Reason::rule).containsExactly("exempt");
    Message critical = promo("ann").toBuilder().priority(Priority.CRITICAL).build();
    assertThat(limiter.decide(critical).isAllowed()).isTrue();
    assertThat(
            store
                .read(List.of(SubjectKey.contact(TenantId.of("t1"), ContactId.of("ann"))))
                .get(0)
                .isEmpty())
        .isTrue();
  }

  @Test
  void noSlotWithinTheHorizonSuppresses() {
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(store, clock)
            .policy(
                CapPolicy.builder()
                    .sendWindow(SendWindow.weekdays(LocalTime.of(9, 0), LocalTime.of(17, 0)))
                    .quietHours(LocalTime.of(8, 0), LocalTime.of(18, 0))
                    .build())
            .horizon(Duration.ofDays(30))
            .build();
    Decision d = limiter.decide(promo("ann"));
    assertThat(d.outcome()).isEqualTo(Outcome.SUPPRESS);
    assertThat(d.reasons())
        .extracting(Reason::rule)
        .contains("horizon", "quiet-hours", "send-window");
  }

  @Test
  void aContactsChosenFrequencyAddsACalendarCapForThatCategory() {
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(store, clock)
            .preferences(
                (tenant, c) ->
                    c.value().equals("ann") ? Map.of("news", Frequency.WEEKLY) : Map.of())
            .build();
    Message news = to("ann", MessageKind.EDUCATIONAL, "news");
    assertThat(limiter.decide(news).isAllowed()).isTrue();
    clock.advance(Duration.ofDays(2));
    Decision d = limiter.decide(news);
    assertThat(d.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-01-12T00:00:00Z"));
    assertThat(reason(d, "preference-weekly").usage().orElseThrow().used()).isEqualTo(1);
    assertThat(limiter.decide(to("ann", MessageKind.EDUCATIONAL, "tips")).isAllowed()).isTrue();
    assertThat(limiter.decide(to("bob", MessageKind.EDUCATIONAL, "news")).isAllowed()).isTrue();
    assertThat(limiter.decide(to("bob", MessageKind.EDUCATIONAL, "news")).isAllowed()).isTrue();
  }

  @Test
  void whatIfReservesNothingAndReleaseGivesTheSlotBack() {
    FrequencyCapLimiter limiter =
        limiter(CapPolicy.builder().cap(Cap.perContact(1, Window.day())).build());
    assertThat(limiter.whatIf(promo("ann")).isAllowed()).isTrue();
    assertThat(limiter.whatIf(promo("ann")).isAllowed()).isTrue();
    assertThat(limiter.decide(promo("ann")).isAllowed()).isTrue();
    assertThat(limiter.whatIf(promo("ann")).isAllowed()).isFalse();

    limiter.release(promo("ann"), clock.instant());
    assertThat(limiter.decide(promo("ann")).isAllowed()).isTrue();
  }

  @Test
  void theGateDelegatesAndListenersSeeDecisions() {
    List<Outcome> seen = new ArrayList<>();
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(store, clock)
            .policy(CapPolicy.builder().cap(Cap.perContact(1, Window.day())).build())
            .listener(
                new LimiterListener() {
                  @Override
                  public void onDecision(Message message, Decision decision, boolean reserved) {
                    seen.add(decision.outcome());
                  }
                })
            .build();
    FrequencyGate gate = FrequencyGate.of(limiter);
    assertThat(gate.name()).isEqualTo("frequency");
    assertThat(gate.evaluate(promo("ann"), clock.instant()).isAllowed()).isTrue();
    assertThat(gate.evaluate(promo("ann"), clock.instant()).isAllowed()).isFalse();
    gate.release(promo("ann"), clock.instant());
    assertThat(gate.evaluate(promo("ann"), clock.instant()).isAllowed()).isTrue();
    assertThat(seen).containsExactly(Outcome.ALLOW, Outcome.DEFER, Outcome.ALLOW);
  }

  @Test
  void writesPruneEntriesOlderThanTheLongestWindow() {
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder().cap(Cap.perContact(5, Window.rolling(Duration.ofDays(1)))).build());
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.decide(promo("ann")).isAllowed()).isTrue();
      clock.advance(Duration.ofHours(12));
    }
    SendLog log =
        store.read(List.of(SubjectKey.contact(TenantId.of("t1"), ContactId.of("ann")))).get(0);
    assertThat(log.size()).isLessThanOrEqualTo(3);
    assertThat(log.entries().get(0).epochSecond())
        .isGreaterThanOrEqualTo(clock.instant().minus(Duration.ofDays(2)).getEpochSecond());
  }

  @Test
  void fixedZoneOverridesTheRecipientZone() {
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder()
                .zone(ZoneOffset.ofHours(9))
                .quietHours(LocalTime.of(21, 0), LocalTime.of(8, 0))
                .build());
    // 13:00Z is 22:00 at +09:00: quiet until 08:00 +09:00 = 23:00Z
    Decision d = limiter.whatIf(promo("ann"), Instant.parse("2026-01-05T13:00:00Z"));
    assertThat(d.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-01-05T23:00:00Z"));
  }

  @Test
  void theConsentStoreSuppliesTheChosenFrequency() {
    InMemoryConsentStore consent = InMemoryConsentStore.of();
    ContactId ann = ContactId.of("ann");
    TenantId t1 = TenantId.of("t1");
    consent.update(
        t1,
        ann,
        c ->
            new ContactConsent(
                t1,
                ann,
                null,
                Map.of("news", new Subscription("news", true, Frequency.MONTHLY, MON_10)),
                List.of()));
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(store, clock).consent(consent).build();
    Message news = to("ann", MessageKind.EDUCATIONAL, "news");
    assertThat(limiter.decide(news).isAllowed()).isTrue();
    Decision d = limiter.decide(news);
    assertThat(d.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
    assertThat(reason(d, "preference-monthly").effect()).isEqualTo(Outcome.DEFER);
  }

  @Test
  void releaseUndoesTheReservationOnContactAndAccountAlike() {
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder()
                .cap(Cap.perContact(1, Window.day()))
                .cap(Cap.perAccount(1, Window.day()))
                .build());
    Instant decidedAt = clock.instant();
    assertThat(limiter.decide(promo("ann"), decidedAt).isAllowed()).isTrue();
    assertThat(limiter.whatIf(promo("bob")).isAllowed()).isFalse();
    clock.advance(Duration.ofMinutes(5));

    limiter.release(promo("ann"), decidedAt);

    assertThat(
            store.read(
                List.of(
                    SubjectKey.contact(TenantId.of("t1"), ContactId.of("ann")),
                    SubjectKey.account(TenantId.of("t1"), AccountId.of("acme")))))
        .allMatch(SendLog::isEmpty);
    assertThat(limiter.decide(promo("bob")).isAllowed()).isTrue();
  }

  @Test
  void aSendFromAnInstanceWhoseClockRunsAheadStillCounts() {
    FrequencyCapLimiter limiter =
        limiter(
            CapPolicy.builder()
                .cap(Cap.perContact(1, Window.rolling(Duration.ofHours(1))))
                .build());
    Instant ahead = MON_10.plusSeconds(5);
    assertThat(limiter.decide(promo("ann"), ahead).isAllowed()).isTrue();

    Decision behind = limiter.decide(promo("ann"), MON_10);

    assertThat(behind.notBefore().orElseThrow()).isEqualTo(ahead.plus(Duration.ofHours(1)));
    assertThat(reason(behind, "contact-1-per-PT1H").usage().orElseThrow().used()).isEqualTo(1);
  }
}
