package dev.steward.review3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.StewardMetrics;
import dev.steward.consent.Frequency;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Hostile review of {@link StewardMetrics} against its own Javadoc. */
class Review3MetricsTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-02T12:00:00Z"));

  /**
   * The class Javadoc promises that "tag values are the closed sets the library defines ... never
   * ids or addresses, so the number of series stays small". But {@code RULE_REASONS} is tagged with
   * {@code Reason.rule()}, and the frequency gate names a contact-chosen frequency's rule {@code
   * "preference-<frequency>-<category>"}: the message's free-form category ends up in a tag. An ISV
   * whose tenants name their own categories (one per campaign, per newsletter) gets one series per
   * category, without bound, in every metrics backend it publishes to.
   */
  @Test
  void ruleTagsCarryFreeFormCategoriesSoSeriesGrowWithoutBound() {
    Steward steward = Steward.builder(clock).transport(new RecordingTransport()).build();
    ContactId ada = ContactId.of("ada");
    for (int i = 0; i < 50; i++) {
      String category = "campaign-2026-03-" + i;
      steward.preferences().chooseFrequency(ada, category, Frequency.WEEKLY);
      steward.dispatch(
          Message.builder()
              .tenant(TenantId.of("alpha"))
              .account(AccountId.of("acct"))
              .contact(ada)
              .to("ada@alpha.example")
              .recipientZone(ZoneOffset.UTC)
              .kind(MessageKind.PROMOTIONAL)
              .category(category)
              .source(Source.MARKETING)
              .createdAt(clock.instant())
              .build());
    }

    long series =
        steward.metrics().snapshot().stream()
            .filter(m -> m.name().equals(StewardMetrics.RULE_REASONS))
            .count();
    assertThat(series)
        .as("series of %s after 50 messages in 50 categories", StewardMetrics.RULE_REASONS)
        .isLessThan(20);
  }

  /**
   * StewardMetrics' Javadoc says it "reads gauges (due work, dead work, unsettled sends) on
   * demand", and Steward is the one that registers the gauges; it registers two, ready and dead
   * work. Sends whose outcome is unknown (SENDING or UNKNOWN: possibly sent, never resent, waiting
   * for a provider event) are the signal an operator most needs, and no metric shows them.
   */
  @Test
  void theUnsettledSendsGaugeTheJavadocPromisesIsNotThere() {
    Steward steward =
        Steward.builder(clock)
            .transport(
                new RecordingTransport()
                    .respondWith(m -> dev.steward.delivery.SendResult.unknown("read time-out")))
            .build();
    steward.dispatch(
        Message.builder()
            .tenant(TenantId.of("alpha"))
            .account(AccountId.of("acct"))
            .contact(ContactId.of("ada"))
            .to("ada@alpha.example")
            .recipientZone(ZoneOffset.UTC)
            .kind(MessageKind.TRANSACTIONAL)
            .category("receipts")
            .source(Source.BILLING)
            .createdAt(clock.instant())
            .build());

    assertThat(steward.metrics().snapshot())
        .as("a gauge of unsettled sends, with the one UNKNOWN send in it")
        .anySatisfy(
            m -> {
              assertThat(m.name()).contains("unsettled");
              assertThat(m.value()).isEqualTo(1);
            });
  }
}
