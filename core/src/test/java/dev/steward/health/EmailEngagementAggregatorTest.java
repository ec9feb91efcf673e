package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmailEngagementAggregatorTest {
  static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");
  static final AccountId ACME = AccountId.of("acme");
  static final TenantId T1 = TenantId.of("t1");
  static final ContactId ANN = ContactId.of("ann");
  int seq;

  EmailEvent event(EmailEventType type, String message, Instant at) {
    return EmailEvent.of(
        "ev-" + (seq++), type, at, null, MessageId.of(message), T1, ACME, ANN, null, Map.of());
  }

  @Test
  void ratesCountUniqueOpensAndClicksPerDeliveredMessage() {
    EmailEngagementAggregator agg =
        EmailEngagementAggregator.builder(InMemoryEngagementStore.of())
            .window(Duration.ofDays(28))
            .build();
    List<EmailEvent> batch = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      batch.add(event(EmailEventType.DELIVERED, "m" + i, T0.plus(Duration.ofDays(i))));
    }
    for (int i = 0; i < 8; i++) {
      batch.add(event(EmailEventType.OPEN, "m" + i, T0.plus(Duration.ofDays(i)).plusSeconds(60)));
      batch.add(event(EmailEventType.OPEN, "m" + i, T0.plus(Duration.ofDays(i)).plusSeconds(120)));
    }
    batch.add(event(EmailEventType.CLICK, "m1", T0.plus(Duration.ofDays(1)).plusSeconds(90)));
    batch.add(event(EmailEventType.CLICK, "m1", T0.plus(Duration.ofDays(1)).plusSeconds(95)));
    batch.add(event(EmailEventType.UNSUBSCRIBE, "m2", T0.plus(Duration.ofDays(2))));
    batch.add(event(EmailEventType.PROCESSED, "m3", T0));
    agg.onEvents(batch);
    agg.onEvents(batch.subList(0, 5)); // a redelivered batch counts once
    agg.recordReply(T1, ACME, "r1", T0.plus(Duration.ofDays(3)), "Thanks, this is great");
    agg.recordReply(T1, ACME, "r1", T0.plus(Duration.ofDays(3)), "Thanks, this is great");

    Instant asOf = T0.plus(Duration.ofDays(20));
    Map<String, Observation> o = agg.observations(T1, ACME, asOf);
    assertThat(o.get("email_volume").value()).isEqualTo(20);
    assertThat(o.get("email_frequency").value()).isCloseTo(5, within(1e-9)); // 20 in 4 weeks
    assertThat(o.get("email_open_rate").value()).isCloseTo(8 / 20.0, within(1e-12));
    assertThat(o.get("email_click_rate").value()).isCloseTo(1 / 20.0, within(1e-12));
    assertThat(o.get("email_unsubscribe_rate").value()).isCloseTo(1 / 20.0, within(1e-12));
    assertThat(o.get("email_reply_rate").value()).isCloseTo(1 / 20.0, within(1e-12));
    assertThat(o.get("email_spam_rate").value()).isZero();
    assertThat(o.get("sentiment").value()).isEqualTo(1.0);
    assertThat(o.values()).allSatisfy(x -> assertThat(x.observedAt()).isEqualTo(asOf));
  }

  @Test
  void onlyTheWindowCounts() {
    EmailEngagementAggregator agg =
        EmailEngagementAggregator.builder(InMemoryEngagementStore.of())
            .window(Duration.ofDays(7))
            .build();
    agg.onEvents(
        List.of(
            event(EmailEventType.DELIVERED, "old", T0),
            event(EmailEventType.DELIVERED, "new", T0.plus(Duration.ofDays(10))),
            event(EmailEventType.SPAM_REPORT, "new", T0.plus(Duration.ofDays(10)))));
    Map<String, Observation> o = agg.observations(T1, ACME, T0.plus(Duration.ofDays(12)));
    assertThat(o.get("email_volume").value()).isEqualTo(1);
    assertThat(o.get("email_spam_rate").value()).isEqualTo(1);
  }

  @Test
  void noMailGivesZeroVolumeButNoRates() {
    EmailEngagementAggregator agg =
        EmailEngagementAggregator.builder(InMemoryEngagementStore.of()).build();
    Map<String, Observation> o = agg.observations(T1, ACME, T0);
    assertThat(o).containsOnlyKeys("email_volume", "email_frequency");
    assertThat(o.get("email_volume").value()).isZero();
  }

  @Test
  void accountResolverMapsContactsToAccountsAndSkipsUnknown() {
    EmailEngagementAggregator agg =
        EmailEngagementAggregator.builder(InMemoryEngagementStore.of())
            .tenantOf(e -> Optional.of(T1))
            .accountOf(
                e ->
                    e.contact().equals(Optional.of(ANN))
                        ? Optional.of(AccountId.of("beta"))
                        : Optional.empty())
            .build();
    agg.onEvents(
        List.of(
            EmailEvent.of("x1", EmailEventType.DELIVERED, T0, ANN, null),
            EmailEvent.of("x2", EmailEventType.DELIVERED, T0, ContactId.of("bob"), null)));
    assertThat(
            agg.observations(T1, AccountId.of("beta"), T0.plusSeconds(1))
                .get("email_volume")
                .value())
        .isEqualTo(1);
  }

  @Test
  void emailScorecardScoresFromAggregatedInputsWithOpenRateWeightedLow() {
    EmailEngagementAggregator agg =
        EmailEngagementAggregator.builder(InMemoryEngagementStore.of()).build();
    List<EmailEvent> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(event(EmailEventType.DELIVERED, "m" + i, T0));
      batch.add(
          event(EmailEventType.OPEN, "m" + i, T0.plusSeconds(5))); // privacy proxy: all opened
    }
    agg.onEvents(batch);
    Scorecard card =
        Scorecard.builder("email")
            .measure(BuiltInMeasures.EMAIL_OPEN_RATE)
            .measure(BuiltInMeasures.EMAIL_CLICK_RATE)
            .build();
    HealthInputs in = agg.addTo(HealthInputs.builder(), T1, ACME, T0.plusSeconds(60)).build();
    HealthScore s = HealthScoreCalculator.score(card, in, T0.plusSeconds(60));
    // open 100 (weight 0.25), click 0 (weight 1): 0.2 * 100 = 20
    assertThat(s.value()).isCloseTo(20, within(1e-9));
  }
}
